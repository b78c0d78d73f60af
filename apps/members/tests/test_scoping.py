import pytest

from apps.members.models import Member


@pytest.mark.django_db
def test_cell_secretary_sees_only_own_cell(tree, make_member, secretary_a, client_for):
    mine = make_member(tree["cell_a"], "Nguyễn Văn Hùng")
    other = make_member(tree["cell_b"], "Trần Thị Lan")
    assert list(Member.objects.restrict(secretary_a)) == [mine]
    client = client_for(secretary_a)
    assert client.get(f"/dang-vien/{mine.pk}/").status_code == 200
    assert client.get(f"/dang-vien/{other.pk}/").status_code == 404


@pytest.mark.django_db
def test_search_without_diacritics(tree, make_member, ward_staff, client_for):
    make_member(tree["cell_a"], "Nguyễn Văn Hùng")
    make_member(tree["cell_b"], "Đặng Thị Dung")
    make_member(tree["cell_c"], "Nguyễn Văn Hưng")  # outside the ward: never shown
    response = client_for(ward_staff).get("/dang-vien/", {"q": "nguyen van hung"})
    assert [m.full_name for m in response.context["page"].rows] == ["Nguyễn Văn Hùng"]
    response = client_for(ward_staff).get("/dang-vien/", {"q": "dang thi"})
    assert [m.full_name for m in response.context["page"].rows] == ["Đặng Thị Dung"]
