"""Excel import and export are reachable from where officials look, and only for who may use them."""

import re

import pytest

from apps.core.roles import Role

pytestmark = pytest.mark.django_db


def _hrefs(html: str) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', html))


def test_organization_page_links_import_template_and_export(tree, ward_staff, client_for):
    cell = tree["cell_a"]
    html = client_for(ward_staff).get(f"/to-chuc/{cell.pk}/").content.decode()
    links = _hrefs(html)
    assert f"/excel/to-chuc/{cell.pk}/nhap-dang-vien/" in links
    assert f"/excel/dang-vien.xlsx?org={cell.pk}" in links
    # No member yet: the empty state offers the import and the template first.
    assert "chưa có đảng viên nào" in html
    assert "/excel/mau-danh-sach-dang-vien.xlsx" in links
    for href in (f"/excel/to-chuc/{cell.pk}/nhap-dang-vien/", f"/excel/dang-vien.xlsx?org={cell.pk}"):
        assert client_for(ward_staff).get(href).status_code == 200


def test_an_inspector_exports_but_is_not_offered_the_import(tree, make_user, make_member, client_for):
    make_member(tree["cell_a"], "Nguyễn Văn Hùng")
    inspector = make_user("ubkt_links", Role.INSPECTION, tree["ward"])
    html = client_for(inspector).get(f"/to-chuc/{tree['cell_a'].pk}/").content.decode()
    assert "nhap-dang-vien" not in html and "chưa có đảng viên nào" not in html
    assert f"/excel/dang-vien.xlsx?org={tree['cell_a'].pk}" in _hrefs(html)


def test_member_list_exports_what_is_on_screen_and_imports_into_the_chosen_cell(
    tree, secretary_a, make_member, client_for
):
    make_member(tree["cell_a"], "Nguyễn Văn Hùng")
    cell = tree["cell_a"]
    client = client_for(secretary_a)
    html = client.get("/dang-vien/", {"org": cell.pk, "q": "hung", "status": "current"}).content.decode()
    assert f"/excel/to-chuc/{cell.pk}/nhap-dang-vien/" in _hrefs(html)
    export = re.search(r'href="(/excel/dang-vien\.xlsx\?[^"]*)"[^>]*data-export-form="member-filter"', html)
    assert export, "the export link carries the filters and is refreshed from the filter form"
    assert "q=hung" in export.group(1) and f"org={cell.pk}" in export.group(1)
    # Without a chosen organization there is nowhere to import into.
    assert "nhap-dang-vien" not in client.get("/dang-vien/").content.decode()
