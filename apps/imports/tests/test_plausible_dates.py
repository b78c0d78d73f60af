"""Finding 11 in the Excel import: implausible dates are reported on their row."""

from apps.imports.checking import check_rows
from apps.imports.parsing import parse_workbook


def test_import_rows_with_implausible_dates_are_refused(xlsx, tree, admin_user):
    file = xlsx(
        [
            ["Họ và tên", "Giới tính", "Ngày sinh", "Ngày vào Đảng"],
            ["Nguyễn Văn An", "Nam", "01/01/1899", "01/01/1950"],
            ["Nguyễn Văn Bình", "Nam", "01/01/1905", "01/01/1929"],
            ["Nguyễn Văn Cường", "Nam", "01/01/1980", "01/01/2010"],
        ]
    )
    check = check_rows(parse_workbook(file), user=admin_user, organization=tree["cell_a"])
    assert [r.messages for r in check.rows] == [
        ["Ngày sinh trước năm 1900: hãy kiểm tra lại."],
        ["Ngày vào Đảng trước ngày thành lập Đảng (03/02/1930)."],
        [],
    ]
    assert not check.ok
