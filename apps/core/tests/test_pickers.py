"""Pickers scale (issue 16, finding 12): a form names a member or an organization by searching as
you type through the scoping door, not by embedding every name the user reaches."""

import datetime as dt

import pytest

from apps.core.roles import Role


@pytest.fixture
def province_inspector(tree, make_user):
    return make_user("ubkt_tinh", Role.INSPECTION, tree["province"])


def _page_size(client, url):
    r = client.get(url)
    assert r.status_code == 200
    return len(r.content)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/kiem-tra/moi/", "/kiem-tra/don-thu/", "/tu-soi-tu-sua/so-theo-doi/", "/tu-soi-tu-sua/doan-kiem-diem/"]
)
def test_form_page_does_not_grow_with_the_number_of_members(tree, make_member, make_user, client_for, url):
    user = make_user("bantc_tinh", Role.ORGANIZATION_BOARD, tree["province"])
    RoleAssignment = user.role_assignments.model
    RoleAssignment.objects.create(user=user, role=Role.INSPECTION, organization=tree["province"], include_subtree=True)
    client = client_for(user)
    make_member(tree["cell_a"], "Trần Thị Mai")
    small = _page_size(client, url)
    for i in range(40):
        make_member(tree["cell_b"], f"Lê Văn Thành{chr(65 + i % 26)}{i}")
    large = _page_size(client, url)
    assert large == small
    assert "Lê Văn Thành" not in client.get(url).content.decode()


@pytest.mark.django_db
def test_member_search_shows_cell_and_birth_year(tree, make_member, province_inspector, client_for):
    make_member(tree["cell_a"], "Nguyễn Văn Hùng", birth_date=dt.date(1970, 3, 2))
    make_member(tree["cell_c"], "Nguyễn Văn Hùng", birth_date=dt.date(1985, 7, 9))
    r = client_for(province_inspector).get("/chon/dang-vien/", {"q": "nguyen van hung", "reach": "work"})
    body = r.content.decode()
    assert r.status_code == 200
    assert "Nguyễn Văn Hùng · Chi bộ khu phố 1 · 1970" in body
    assert "Nguyễn Văn Hùng · Chi bộ khu phố Tân Hòa · 1985" in body


@pytest.mark.django_db
def test_member_search_finds_only_people_in_scope(tree, make_member, secretary_a, client_for):
    """A cell secretary finds the cell's members, never a sibling cell's, by name or card number."""
    mine = make_member(tree["cell_a"], "Phạm Văn Bình")
    other = make_member(tree["cell_b"], "Phạm Văn Bảo", card_number="55500011")
    client = client_for(secretary_a)
    body = client.get("/chon/dang-vien/", {"q": "pham van", "reach": "change"}).content.decode()
    assert f'data-pick="{mine.pk}"' in body
    assert "Phạm Văn Bảo" not in body and f'data-pick="{other.pk}"' not in body
    body = client.get("/chon/dang-vien/", {"q": "55500011", "reach": "change"}).content.decode()
    assert "Phạm Văn Bảo" not in body
    assert "Không tìm thấy trong phạm vi quản lý của đồng chí." in body


@pytest.mark.django_db
def test_organization_search_shows_the_parent_and_stays_in_scope(tree, make_user, ward_staff, client_for):
    body = client_for(ward_staff).get("/chon/to-chuc/", {"q": "chi bo khu pho", "reach": "change"}).content.decode()
    assert "Chi bộ khu phố 1 (Đảng bộ phường Bình Thắng)" in body
    assert "Chi bộ khu phố 2 (Đảng bộ phường Bình Thắng)" in body
    assert "Tân Hòa" not in body


@pytest.mark.django_db
def test_picker_asks_for_two_characters(tree, ward_staff, client_for):
    body = client_for(ward_staff).get("/chon/dang-vien/", {"q": "n"}).content.decode()
    assert "Gõ ít nhất 2 ký tự." in body


@pytest.mark.django_db
def test_picked_member_out_of_reach_is_refused(tree, make_member, secretary_a, client_for):
    """The posted pk is still checked against the form's scoped queryset."""
    from apps.accountability.models import LogbookEntry

    other = make_member(tree["cell_b"], "Phạm Văn Bảo")
    r = client_for(secretary_a).post(
        "/tu-soi-tu-sua/so-theo-doi/",
        {"member": other.pk, "date": "01/02/2024", "kind": "strength", "source": "meeting", "content": "Tốt"},
    )
    assert r.status_code in (200, 400)
    assert LogbookEntry.objects.count() == 0
