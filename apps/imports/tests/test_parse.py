import datetime as dt
import io

import pytest

from apps.imports.checking import check_rows
from apps.imports.headings import heading_key
from apps.imports.parsing import ImportFileError, parse_workbook


def test_heading_key_folds_case_diacritics_and_punctuation():
    assert heading_key("Họ, tên") == "ho ten"
    assert heading_key("HỌ VÀ TÊN (*)") == "ho va ten"
    assert heading_key("Số thẻ ĐV") == "so the dv"
    assert heading_key("Nam/Nữ") == "nam nu"
    assert heading_key("  Ngày sinh\n(dd/mm/yyyy) ") == "ngay sinh"


def test_heading_variants_and_title_rows_above(xlsx):
    file = xlsx(
        [
            ["DANH SÁCH ĐẢNG VIÊN CHI BỘ KHU PHỐ 1"],
            ["(Kèm theo báo cáo số 12-BC/CB)"],
            [],
            [
                "TT",
                "HỌ TÊN",
                "nam/nu",
                "Năm sinh",
                "Dan toc",
                "Tôn giáo",
                "Quê quán",
                "Nơi cư trú",
                "CMND",
                "SĐT",
                "Email",
                "Chuyên môn",
                "LLCT",
                "Nghề nghiệp",
                "Chức vụ",
                "Ngày kết nạp",
                "Ngày công nhận chính thức",
                "Số thẻ đảng viên",
                "Chi bộ",
                "Sở thích",
            ],
            [1, "Nguyễn Văn Hùng", "Nam", "15/03/1980"],
        ]
    )
    sheet = parse_workbook(file)
    assert sheet.heading_row == 4
    assert sheet.columns == {
        "ignored": 0,
        "full_name": 1,
        "gender": 2,
        "birth_date": 3,
        "ethnicity": 4,
        "religion": 5,
        "hometown": 6,
        "residence": 7,
        "citizen_id": 8,
        "phone": 9,
        "email": 10,
        "education": 11,
        "political_theory": 12,
        "occupation": 13,
        "position": 14,
        "admission_date": 15,
        "full_membership_date": 16,
        "card_number": 17,
        "cell": 18,
    }
    assert sheet.unused_headings == ["Sở thích"]
    assert [number for number, _row in sheet.rows] == [5]


@pytest.mark.parametrize(
    "headings",
    [
        ["Họ", "Tên đệm", "Tên"],
        ["Họ", "Chữ đệm", "Tên"],
        ["Họ, tên"],
        ["Họ và tên"],
    ],
)
def test_name_heading_variants_split_names(headings, xlsx, tree, admin_user):
    parts = ["Nguyễn", "Thị Minh", "Khai"] if len(headings) == 3 else ["Nguyễn Thị Minh Khai"]
    file = xlsx(
        [
            [*headings, "Giới tính", "Ngày sinh", "Ngày vào Đảng"],
            [*parts, "Nữ", "01/01/1980", "01/01/2010"],
        ]
    )
    check = check_rows(parse_workbook(file), user=admin_user, organization=tree["cell_a"])
    member = check.rows[0].member
    assert (member.family_name, member.middle_name, member.given_name) == ("Nguyễn", "Thị Minh", "Khai")
    assert check.ok


def test_date_forms_text_and_excel_dates(xlsx, tree, admin_user):
    file = xlsx(
        [
            ["Họ và tên", "Giới tính", "Ngày sinh", "Ngày vào Đảng", "Ngày chính thức"],
            ["Nguyễn Văn An", "Nam", "05/03/1980", "5/3/2010", "05-03-2011"],
            ["Nguyễn Văn Bình", "Nam", "05.03.1980", dt.datetime(2010, 3, 5), dt.date(2011, 3, 5)],
            # An Excel serial number: 29285 is 05/03/1980.
            ["Nguyễn Văn Cường", "nam", 29285, "2010-03-05", None],
        ],
        number_formats={"D3": "dd/mm/yyyy", "E3": "dd/mm/yyyy"},
    )
    check = check_rows(parse_workbook(file), user=admin_user, organization=tree["cell_a"])
    assert [r.messages for r in check.rows] == [[], [], []]
    assert [(r.member.birth_date, r.member.admission_date, r.member.full_membership_date) for r in check.rows] == [
        (dt.date(1980, 3, 5), dt.date(2010, 3, 5), dt.date(2011, 3, 5)),
        (dt.date(1980, 3, 5), dt.date(2010, 3, 5), dt.date(2011, 3, 5)),
        (dt.date(1980, 3, 5), dt.date(2010, 3, 5), None),
    ]


def test_choice_labels_and_numbers_typed_as_numbers(xlsx, tree, admin_user):
    file = xlsx(
        [
            [
                "Họ và tên",
                "Phái",
                "Ngày sinh",
                "Ngày vào Đảng",
                "Trình độ chuyên môn",
                "Lý luận chính trị",
                "CCCD",
                "SĐT",
            ],
            ["Nguyễn Văn An", "NAM", "01/01/1980", "01/01/2010", "Kỹ sư xây dựng", "Trung cấp", 1080000001, 912345678],
            ["Trần Thị Bích", "nữ", "01/01/1980", "01/01/2010", "ThS", "cử nhân chính trị", "001080000002", ""],
            ["Lê Văn Cư", "Nam", "01/01/1980", "01/01/2010", "Đại học", "TC", None, None],
        ]
    )
    check = check_rows(parse_workbook(file), user=admin_user, organization=tree["cell_a"])
    assert check.ok
    members = [r.member for r in check.rows]
    assert [(m.gender, m.education, m.political_theory) for m in members] == [
        ("male", "university", "intermediate"),
        ("female", "master", "bachelor"),
        ("male", "university", "intermediate"),
    ]
    # Leading zeros Excel dropped from a number are restored.
    assert members[0].citizen_id == "001080000001"
    assert members[0].phone == "0912345678"


def test_not_xlsx_and_corrupt_and_empty(xlsx):
    with pytest.raises(ImportFileError, match="Không đọc được tệp"):
        parse_workbook(io.BytesIO(b"Ho va ten;Ngay sinh\nA;1/1/1980\n"))
    with pytest.raises(ImportFileError):
        parse_workbook(io.BytesIO(b"PK\x03\x04 broken zip"))
    with pytest.raises(ImportFileError, match="Không tìm thấy dòng tiêu đề"):
        parse_workbook(xlsx([]))
    with pytest.raises(ImportFileError, match="Không tìm thấy dòng tiêu đề"):
        parse_workbook(xlsx([["Cột A", "Cột B"], [1, 2]]))
