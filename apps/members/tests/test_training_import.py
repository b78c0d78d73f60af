"""Training records from Excel: checked, previewed, all or nothing, inside the uploader's reach."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.core.roles import Role
from apps.core.xlsx import write_xlsx
from apps.members.models import Member, TrainingRecord

HEAD = [
    "Số thẻ đảng viên",
    "Họ và tên",
    "Loại đào tạo",
    "Tên khóa học, văn bằng",
    "Cơ sở đào tạo",
    "Từ ngày",
    "Đến ngày",
    "Kết quả",
]


def sheet(rows):
    out = io.BytesIO()
    write_xlsx(out, HEAD, rows)
    return SimpleUploadedFile("dao-tao.xlsx", out.getvalue())


@pytest.fixture
def two(tree, make_member):
    hung = make_member(tree["cell_a"], "Nguyễn Văn Hùng", card_number="74000101")
    lan = make_member(tree["cell_a"], "Trần Thị Lan", gender="female", card_number="74000102")
    other = make_member(tree["cell_c"], "Lê Văn Tư", card_number="74000103")
    return hung, lan, other


GOOD = [
    [
        "74000101",
        "Nguyễn Văn Hùng",
        "Lý luận chính trị trung cấp",
        "",
        "Trường Chính trị tỉnh",
        dt.date(2018, 9, 1),
        dt.date(2019, 6, 30),
        "Hoàn thành, tốt nghiệp",
    ],
    [
        "74000102",
        "Tran Thi Lan",
        "Bồi dưỡng, tập huấn",
        "Bồi dưỡng bí thư chi bộ",
        "Đảng ủy phường",
        "04/08/2025",
        "08/08/2025",
        "",
    ],
]


@pytest.mark.django_db
def test_check_then_import_all_rows(two, tree, secretary_a, client_for):
    hung, lan, _other = two
    client = client_for(secretary_a)
    url = reverse("imports:training_upload", args=[tree["cell_a"].pk])
    page = client.post(url, {"file": sheet(GOOD), "check": "1"})
    assert page.status_code == 200
    assert 'id="training-preview"' in page.content.decode()
    assert TrainingRecord.objects.count() == 0
    response = client.post(url, {"file": sheet(GOOD), "import": "1"})
    assert response.status_code == 302
    assert list(
        TrainingRecord.objects.order_by("member__given_name").values_list("member__given_name", "kind", "result")
    ) == [
        ("Hùng", "intermediate", "passed"),
        ("Lan", "refresher", "passed"),
    ]
    assert Member.objects.get(pk=hung.pk).political_theory == "intermediate"


@pytest.mark.django_db
def test_one_bad_row_imports_nothing(two, tree, secretary_a, client_for):
    bad = GOOD + [
        ["74000103", "Lê Văn Tư", "Lý luận chính trị sơ cấp", "", "Trường", "01/01/2015", "01/03/2015", ""],
        ["74000102", "Nguyễn Văn Hùng", "Tiến sĩ vũ trụ", "", "", "31/02/2015", "", "Giỏi"],
    ]
    client = client_for(secretary_a)
    page = client.post(
        reverse("imports:training_upload", args=[tree["cell_a"].pk]), {"file": sheet(bad), "import": "1"}
    )
    assert page.status_code == 400
    html = page.content.decode()
    assert "Dòng 4: không có đảng viên số thẻ 74000103 trong Chi bộ khu phố 1" in html
    assert "Dòng 5: số thẻ 74000102 là của Trần Thị Lan, không phải Nguyễn Văn Hùng" in html
    assert "loại đào tạo “Tiến sĩ vũ trụ” không có trong danh mục" in html
    assert TrainingRecord.objects.count() == 0


@pytest.mark.django_db
def test_import_boundaries_and_bad_files(two, tree, make_user, client_for, secretary_a):
    sibling = make_user("bithu_b", Role.CELL_SECRETARY, tree["cell_b"], include_subtree=False)
    other_ward = make_user("dangu_dh", Role.COMMITTEE_STAFF, tree["ward2"])
    plain = make_user("dv", Role.MEMBER, tree["cell_a"], member=two[0])
    url = reverse("imports:training_upload", args=[tree["cell_a"].pk])
    for user in (sibling, other_ward, plain):
        assert client_for(user).post(url, {"file": sheet(GOOD), "import": "1"}).status_code == 404
    page = client_for(secretary_a).post(url, {"file": SimpleUploadedFile("a.xlsx", b"not a zip"), "import": "1"})
    assert page.status_code == 400 and "Không đọc được tệp" in page.content.decode()
    assert TrainingRecord.objects.count() == 0
