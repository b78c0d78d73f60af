import datetime as dt

import pytest
from django.urls import reverse

from apps.core.roles import Role
from apps.members.models import Member, Status
from apps.organizations.models import CommitteePost, Organization, OversightAssignment, Post, Term
from apps.organizations.services import committee_post_create, organization_end, organization_rename

D = dt.date
HTMX = {"HTTP_HX_REQUEST": "true"}


def _state():
    return (
        sorted(Organization.objects.values_list("pk", "name", "parent_id", "path", "ended_on")),
        Term.objects.count(),
        CommitteePost.objects.count(),
        OversightAssignment.objects.count(),
    )


@pytest.mark.django_db
def test_tree_current_ended_and_as_of_date(tree, admin_user, client_for):
    organization_end(user=admin_user, organization=tree["cell_b"], on=D(2024, 1, 1))
    organization_rename(user=admin_user, organization=tree["cell_a"], name="Chi bộ Một", on=D(2020, 1, 1))
    client = client_for(admin_user)
    html = client.get(reverse("organizations:tree")).content.decode()
    assert "Chi bộ Một" in html and "Chi bộ khu phố 2" not in html
    html = client.get(reverse("organizations:tree"), {"all": "1"}).content.decode()
    assert "Chi bộ khu phố 2" in html and "01/01/2024" in html
    response = client.get(reverse("organizations:tree"), {"on": "19/04/2019"})
    names = [r["name"] for r in response.context["history_rows"]]
    assert "Chi bộ khu phố 1" in names and "Chi bộ khu phố 2" in names and "Chi bộ Một" not in names
    assert "19/04/2019" in response.content.decode()
    response = client.get(reverse("organizations:tree"), {"on": "31/02/2019"})
    assert "Ngày không hợp lệ: hãy nhập theo dạng dd/mm/yyyy." in response.content.decode()


@pytest.mark.django_db
def test_tree_shows_only_reach(tree, ward_staff, client_for):
    response = client_for(ward_staff).get(reverse("organizations:tree"))
    assert [o.code for o in response.context["rows"]] == ["T-BT", "T-BT-1", "T-BT-2"]
    assert response.context["depth_shift"] == -1  # indented from the top of the reach
    assert 'class="depth-0"' in response.content.decode()


@pytest.mark.django_db
def test_detail_counts_dates_and_breadcrumb(tree, ward_staff, make_member, client_for):
    member = make_member(tree["cell_a"], "Nguyễn Văn Hùng")
    Member.objects.bulk_create(
        [
            Member(
                family_name="Lê",
                given_name=f"An{i}",
                gender="male",
                birth_date=D(1980, 1, 1),
                admission_date=D(2010, 1, 1),
                organization=tree["cell_b"],
                org_path=tree["cell_b"].path,
                status=Status.FULL,
            )
            for i in range(1984)
        ]
    )
    committee_post_create(
        user=ward_staff, organization=tree["ward"], member=member, post=Post.SECRETARY, starts_on=D(2019, 4, 19)
    )
    response = client_for(ward_staff).get(reverse("organizations:detail", args=[tree["ward"].pk]))
    html = response.content.decode()
    assert response.context["current_total"] == 1985
    assert "1.985" in html
    assert "19/04/2019" in html and "Bí thư" in html
    assert [o.pk for o in response.context["breadcrumb"]] == []  # the province is outside the reach
    assert "Đổi tên" in html  # change reach shows the forms


@pytest.mark.django_db
def test_rename_form_and_history(tree, ward_staff, client_for):
    client = client_for(ward_staff)
    url = reverse("organizations:rename", args=[tree["cell_a"].pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "Chi bộ khu phố Một", "on": "01/03/2020", "decision": "12-QĐ/ĐU"})
    assert response.status_code == 302
    cell = Organization.objects.get(pk=tree["cell_a"].pk)
    assert cell.name == "Chi bộ khu phố Một"
    html = client.get(reverse("organizations:detail", args=[cell.pk])).content.decode()
    assert "dangu_bt" in html and "Chi bộ khu phố 1 → Chi bộ khu phố Một" in html  # who; before → after
    assert "01/03/2020" in html and "12-QĐ/ĐU" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, message",
    [
        ({"name": "Mới", "on": "32/13/2020"}, "Ngày không hợp lệ: hãy nhập theo dạng dd/mm/yyyy."),
        ({"name": "Mới", "on": ""}, "Hãy nhập ngày."),
        ({"name": "Mới", "on": "01/01/1990"}, "Ngày phải từ ngày thành lập (01/01/2000) trở đi."),
        ({"name": "Chi bộ khu phố 1", "on": "01/01/2020"}, "Tên mới trùng với tên hiện tại."),
    ],
)
def test_rename_bad_input_changes_nothing(tree, ward_staff, client_for, data, message):
    before = _state()
    response = client_for(ward_staff).post(reverse("organizations:rename", args=[tree["cell_a"].pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _state() == before


@pytest.mark.django_db
def test_create_child_move_merge_split_end_through_forms(tree, ward_staff, make_member, client_for):
    client = client_for(ward_staff)
    ward = tree["ward"]
    response = client.post(
        reverse("organizations:create_child", args=[ward.pk]),
        {
            "name": "Chi bộ khu phố 3",
            "code": "T-BT-3",
            "kind": "cell",
            "sector": "residential",
            "founded_on": "01/02/2024",
        },
    )
    assert response.status_code == 302
    cell3 = Organization.objects.get(code="T-BT-3")
    assert cell3.parent == ward and cell3.founded_on == D(2024, 2, 1)
    # duplicate code: Vietnamese message, nothing created
    before = _state()
    response = client.post(
        reverse("organizations:create_child", args=[ward.pk]),
        {"name": "X", "code": "T-BT-3", "kind": "cell", "sector": "residential", "founded_on": "01/02/2024"},
    )
    assert "Mã tổ chức “T-BT-3” đã được dùng." in response.content.decode()
    assert _state() == before
    # merge cell_b and cell3 into cell_a
    m = make_member(tree["cell_b"], "Trần Thị An")
    response = client.post(
        reverse("organizations:merge", args=[ward.pk]),
        {"sources": [tree["cell_b"].pk, cell3.pk], "into": tree["cell_a"].pk, "on": "01/03/2024"},
    )
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.organization_id == tree["cell_a"].pk
    assert Organization.objects.get(pk=tree["cell_b"].pk).ended_on == D(2024, 3, 1)
    # split cell_a into two new cells
    m2 = make_member(tree["cell_a"], "Lê Văn Bình")
    response = client.post(
        reverse("organizations:split", args=[tree["cell_a"].pk]),
        {
            "on": "01/04/2024",
            "name_1": "Chi bộ 1A",
            "code_1": "T-BT-1A",
            "members_1": [m.pk],
            "name_2": "Chi bộ 1B",
            "code_2": "T-BT-1B",
            "members_2": [m2.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert Organization.objects.get(pk=tree["cell_a"].pk).ended_on == D(2024, 4, 1)
    part = Organization.objects.get(code="T-BT-1B")
    m2.refresh_from_db()
    assert m2.organization == part
    # end the new cell? It has a member: refused with a Vietnamese message
    response = client.post(reverse("organizations:end", args=[part.pk]), {"on": "01/05/2024"})
    assert "Còn đảng viên đang sinh hoạt: hãy chuyển đảng viên trước." in response.content.decode()
    assert Organization.objects.get(pk=part.pk).ended_on is None


@pytest.mark.django_db
def test_move_form_offers_only_reach(tree, admin_user, make_user, client_for):
    board = make_user("btc", Role.ORGANIZATION_BOARD, tree["province"])
    client = client_for(board)
    url = reverse("organizations:move", args=[tree["cell_a"].pk])
    choices = {o.code for o in client.get(url).context["form"].fields["new_parent"].queryset}
    assert choices == {"T", "T-BT", "T-DH"}
    response = client.post(url, {"new_parent": tree["ward2"].pk, "on": "01/01/2022"})
    assert response.status_code == 302
    assert Organization.objects.get(pk=tree["cell_a"].pk).parent == tree["ward2"]


@pytest.mark.django_db
def test_terms_posts_oversight_through_forms(tree, ward_staff, make_member, client_for):
    client = client_for(ward_staff)
    ward = tree["ward"]
    member = make_member(tree["cell_a"], "Nguyễn Văn Hùng")
    assert (
        client.post(
            reverse("organizations:term_create", args=[ward.pk]),
            {"name": "2020–2025", "congress_number": "5", "starts_on": "15/06/2020"},
        ).status_code
        == 302
    )
    term = Term.objects.get(organization=ward)
    response = client.post(
        reverse("organizations:term_create", args=[ward.pk]),
        {"name": "2025–2030", "starts_on": "01/07/2025", "ends_on": "01/01/2025"},
    )
    assert "Ngày kết thúc phải sau ngày bắt đầu." in response.content.decode()
    assert Term.objects.count() == 1
    assert (
        client.post(
            reverse("organizations:post_create", args=[ward.pk]),
            {"member": member.pk, "post": "secretary", "term": term.pk, "starts_on": "15/06/2020"},
        ).status_code
        == 302
    )
    assert (
        client.post(
            reverse("organizations:post_create", args=[ward.pk]),
            {"member": member.pk, "post": "inspection_chair", "starts_on": "15/06/2020"},
        ).status_code
        == 302
    )
    assert CommitteePost.objects.filter(member=member).count() == 2
    assert (
        client.post(
            reverse("organizations:oversight_create", args=[ward.pk]),
            {"cell": tree["cell_b"].pk, "member": member.pk, "starts_on": "01/07/2020"},
        ).status_code
        == 302
    )
    assignment = OversightAssignment.objects.get()
    post = CommitteePost.objects.get(post="secretary")
    response = client.post(reverse("organizations:post_end", args=[post.pk]), {"on": "01/01/2019"})
    assert "Ngày kết thúc phải từ 15/06/2020 trở đi." in response.content.decode()
    post.refresh_from_db()
    assert post.ends_on is None
    assert client.post(reverse("organizations:post_end", args=[post.pk]), {"on": "30/06/2025"}).status_code == 302
    assert (
        client.post(reverse("organizations:oversight_end", args=[assignment.pk]), {"on": "30/06/2025"}).status_code
        == 302
    )
    html = client.get(reverse("organizations:detail", args=[ward.pk])).content.decode()
    assert "Chủ nhiệm Ủy ban Kiểm tra" in html and "30/06/2025" in html and "Chi bộ khu phố 2" in html


@pytest.mark.django_db
def test_out_of_scope_is_404_for_get_post_and_htmx(tree, secretary_a, ward_staff, admin_user, make_member, client_for):
    member = make_member(tree["cell_c"])
    post = committee_post_create(
        user=admin_user, organization=tree["ward2"], member=member, post=Post.SECRETARY, starts_on=D(2020, 1, 1)
    )
    other = tree["cell_c"]
    urls = [
        reverse("organizations:detail", args=[other.pk]),
        *(
            reverse(f"organizations:{name}", args=[other.pk])
            for name in (
                "create_child",
                "rename",
                "move",
                "merge",
                "split",
                "end",
                "term_create",
                "post_create",
                "oversight_create",
            )
        ),
        reverse("organizations:post_end", args=[post.pk]),
    ]
    before = _state()
    for user in (secretary_a, ward_staff):
        client = client_for(user)
        for url in urls:
            assert client.get(url).status_code == 404, url
            assert client.get(url, **HTMX).status_code == 404, url
            assert client.post(url, {"name": "X", "on": "01/01/2021"}).status_code == 404, url
            assert client.post(url, {"name": "X", "on": "01/01/2021"}, **HTMX).status_code == 404, url
    assert _state() == before


@pytest.mark.django_db
def test_view_only_roles_cannot_change(tree, make_user, client_for):
    inspector = make_user("ubkt", Role.INSPECTION, tree["ward"])
    client = client_for(inspector)
    assert client.get(reverse("organizations:detail", args=[tree["ward"].pk])).status_code == 200
    before = _state()
    url = reverse("organizations:rename", args=[tree["ward"].pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "X", "on": "01/01/2021"}).status_code == 404
    assert _state() == before
    assert "Đổi tên" not in client.get(reverse("organizations:detail", args=[tree["ward"].pk])).content.decode()


@pytest.mark.django_db
def test_member_role_sees_no_organization(tree, make_member, make_user, client_for):
    member = make_member(tree["cell_a"])
    user = make_user("dv", Role.MEMBER, tree["cell_a"], member=member)
    client = client_for(user)
    assert client.get(reverse("organizations:detail", args=[tree["cell_a"].pk])).status_code == 404
    assert list(client.get(reverse("organizations:tree")).context["rows"]) == []


@pytest.mark.django_db
def test_every_form_page_renders(tree, ward_staff, make_member, client_for):
    member = make_member(tree["cell_a"])
    post = committee_post_create(
        user=ward_staff, organization=tree["ward"], member=member, post=Post.SECRETARY, starts_on=D(2020, 1, 1)
    )
    client = client_for(ward_staff)
    ward = tree["ward"].pk
    names = (
        "create_child",
        "rename",
        "move",
        "merge",
        "split",
        "end",
        "term_create",
        "post_create",
        "oversight_create",
    )
    for name in names:
        response = client.get(reverse(f"organizations:{name}", args=[ward]))
        assert response.status_code == 200, name
        assert 'placeholder="dd/mm/yyyy"' in response.content.decode(), name
    assert client.get(reverse("organizations:post_end", args=[post.pk])).status_code == 200


@pytest.mark.django_db
def test_subordinates_are_listed_in_vietnamese_order_with_numbers_by_value(tree, admin_user, client_for):
    from apps.core.text import title_sort_key
    from apps.organizations.models import Kind, Sector
    from apps.organizations.services import organization_create

    for code, name in (("10", "Chi bộ khu phố 10"), ("AB", "Chi bộ Ấp Bắc"), ("D", "Chi bộ Đông"), ("Y", "Chi bộ Yên")):
        organization_create(
            user=admin_user,
            name=name,
            code=f"T-BT-{code}",
            kind=Kind.CELL,
            sector=Sector.RESIDENTIAL,
            parent=tree["ward"],
            founded_on=D(2000, 1, 1),
        )
    expected = [
        "Chi bộ Ấp Bắc",
        "Chi bộ Đông",
        "Chi bộ khu phố 1",
        "Chi bộ khu phố 2",
        "Chi bộ khu phố 10",
        "Chi bộ Yên",
    ]
    assert sorted(expected, key=title_sort_key) == expected
    client = client_for(admin_user)
    page = client.get(reverse("organizations:detail", args=[tree["ward"].pk]))
    assert [child.name for child in page.context["children"]] == expected
    tree_page = client.get(reverse("organizations:tree"), {"on": "01/01/2024"})
    in_ward = [r["name"] for r in tree_page.context["history_rows"] if r["depth"] == 2][: len(expected)]
    assert in_ward == expected
