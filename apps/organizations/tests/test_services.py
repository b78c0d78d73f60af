import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.members.models import Member, StatusChangeKind
from apps.organizations import services
from apps.organizations.models import CommitteePost, EventKind, Kind, Organization, OrganizationEvent, Post, Sector
from apps.organizations.selectors import name_on, subtree_ids_on, tree_on

D = dt.date


def _state():
    return sorted(Organization.objects.values_list("pk", "name", "parent_id", "path", "ended_on"))


@pytest.mark.django_db
def test_rename_keeps_history(tree, admin_user):
    cell = tree["cell_a"]
    services.organization_rename(user=admin_user, organization=cell, name="Chi bộ khu phố Một", on=D(2020, 3, 1))
    cell.refresh_from_db()
    assert cell.name == "Chi bộ khu phố Một"
    assert name_on(cell, D(2019, 6, 1)) == "Chi bộ khu phố 1"
    assert name_on(cell, D(2021, 1, 1)) == "Chi bộ khu phố Một"
    event = cell.events.get(kind=EventKind.RENAMED)
    assert (event.old_name, event.new_name, event.date) == ("Chi bộ khu phố 1", "Chi bộ khu phố Một", D(2020, 3, 1))


@pytest.mark.django_db
def test_rename_refused_changes_nothing(tree, admin_user, secretary_a):
    before = _state()
    with pytest.raises(ValidationError) as error:
        services.organization_rename(user=admin_user, organization=tree["cell_a"], name="  ", on=D(2020, 1, 1))
    assert error.value.message_dict == {"name": ["Tên mới không được để trống."]}
    with pytest.raises(ValidationError) as error:
        services.organization_rename(user=admin_user, organization=tree["cell_a"], name="X", on=D(1999, 1, 1))
    assert error.value.message_dict == {"on": ["Ngày phải từ ngày thành lập (01/01/2000) trở đi."]}
    with pytest.raises(PermissionDenied):
        services.organization_rename(user=secretary_a, organization=tree["cell_b"], name="X", on=D(2020, 1, 1))
    assert _state() == before
    assert not OrganizationEvent.objects.filter(kind=EventKind.RENAMED).exists()


@pytest.mark.django_db
def test_move_updates_paths_of_subtree_and_members(tree, admin_user, make_member):
    member = make_member(tree["cell_a"], "Nguyễn Văn Hùng")
    services.organization_move(user=admin_user, organization=tree["ward"], new_parent=tree["ward2"], on=D(2021, 1, 1))
    ward, ward2, cell_a = (Organization.objects.get(pk=tree[k].pk) for k in ("ward", "ward2", "cell_a"))
    assert ward.path.startswith(ward2.path) and ward.depth == 2
    assert cell_a.path == ward.path + cell_a.path[-5:] and cell_a.depth == 3
    member.refresh_from_db()
    assert member.org_path == cell_a.path
    assert subtree_ids_on(tree["ward2"], D(2020, 1, 1)) == {tree["ward2"].pk, tree["cell_c"].pk}
    assert subtree_ids_on(tree["ward2"], D(2022, 1, 1)) == {
        tree[k].pk for k in ("ward2", "cell_c", "ward", "cell_a", "cell_b")
    }


@pytest.mark.django_db
def test_move_into_own_subtree_refused(tree, admin_user):
    before = _state()
    with pytest.raises(ValidationError) as error:
        services.organization_move(
            user=admin_user, organization=tree["ward"], new_parent=tree["cell_a"], on=D(2021, 1, 1)
        )
    assert error.value.message_dict == {
        "new_parent": ["Không thể chuyển một tổ chức vào chính nó hoặc tổ chức trực thuộc nó."]
    }
    assert _state() == before


@pytest.mark.django_db
def test_merge_into_new_keeps_predecessors_and_old_tree(tree, admin_user, make_member):
    a = make_member(tree["cell_a"], "Nguyễn Văn Hùng")
    c = make_member(tree["cell_c"], "Trần Thị An")
    event = services.organization_merge_into_new(
        user=admin_user,
        sources=[tree["ward"], tree["ward2"]],
        name="Đảng bộ phường Bình Thắng mới",
        code="T-BTM",
        on=D(2025, 7, 1),
        decision="01-QĐ/TU",
    )
    new = event.organization
    assert new.parent == tree["province"] and new.founded_on == D(2025, 7, 1)
    assert set(event.predecessors.values_list("pk", flat=True)) == {tree["ward"].pk, tree["ward2"].pk}
    for key in ("ward", "ward2"):
        old = Organization.objects.get(pk=tree[key].pk)
        assert old.ended_on == D(2025, 7, 1)
        assert list(old.events.get(kind=EventKind.MERGED).successors.all()) == [new]
    # cells moved under the new ward, members followed (paths updated)
    cell_a = Organization.objects.get(pk=tree["cell_a"].pk)
    assert cell_a.parent == new and cell_a.path.startswith(new.path)
    a.refresh_from_db()
    c.refresh_from_db()
    assert a.org_path == cell_a.path and c.org_path.startswith(new.path)
    # A 2019 view still shows the two wards; a 2026 one shows the merged ward.
    rows_2019 = [(r["name"], r["depth"]) for r in tree_on(admin_user, D(2019, 1, 1))]
    assert rows_2019 == [
        ("Đảng bộ tỉnh Thử Nghiệm", 0),
        ("Đảng bộ phường Bình Thắng", 1),
        ("Chi bộ khu phố 1", 2),
        ("Chi bộ khu phố 2", 2),
        ("Đảng bộ phường Đông Hòa", 1),
        ("Chi bộ khu phố Tân Hòa", 2),
    ]
    rows_2026 = [(r["name"], r["depth"]) for r in tree_on(admin_user, D(2026, 1, 1))]
    assert rows_2026 == [
        ("Đảng bộ tỉnh Thử Nghiệm", 0),
        ("Đảng bộ phường Bình Thắng mới", 1),
        ("Chi bộ khu phố 1", 2),
        ("Chi bộ khu phố 2", 2),
        ("Chi bộ khu phố Tân Hòa", 2),
    ]


@pytest.mark.django_db
def test_merge_with_duplicate_code_changes_nothing(tree, admin_user, make_member):
    make_member(tree["cell_a"])
    before = _state()
    with pytest.raises(ValidationError) as error:
        services.organization_merge_into_new(
            user=admin_user, sources=[tree["ward"], tree["ward2"]], name="Mới", code="T", on=D(2025, 7, 1)
        )
    assert error.value.message_dict == {"code": ["Mã tổ chức “T” đã được dùng."]}
    assert _state() == before


@pytest.mark.django_db
def test_split_moves_members_and_links_successors(tree, admin_user, make_member):
    m1 = make_member(tree["cell_a"], "Nguyễn Văn Hùng")
    m2 = make_member(tree["cell_a"], "Trần Thị An")
    event = services.organization_split_into_new(
        user=admin_user,
        source=tree["cell_a"],
        parts=[
            {"name": "Chi bộ khu phố 1A", "code": "T-BT-1A", "members": [m1]},
            {"name": "Chi bộ khu phố 1B", "code": "T-BT-1B", "members": [m2]},
        ],
        on=D(2024, 1, 1),
    )
    names = sorted(event.successors.values_list("name", flat=True))
    assert names == ["Chi bộ khu phố 1A", "Chi bộ khu phố 1B"]
    m1.refresh_from_db()
    assert m1.organization.name == "Chi bộ khu phố 1A" and m1.org_path == m1.organization.path
    assert m1.status_changes.last().kind == StatusChangeKind.TRANSFER_INTERNAL
    source = Organization.objects.get(pk=tree["cell_a"].pk)
    assert source.ended_on == D(2024, 1, 1)
    part = Organization.objects.get(code="T-BT-1A")
    assert list(part.events.get(kind=EventKind.SPLIT).predecessors.all()) == [source]


@pytest.mark.django_db
def test_split_leaving_a_member_out_changes_nothing(tree, admin_user, make_member):
    m1 = make_member(tree["cell_a"], "Nguyễn Văn Hùng")
    make_member(tree["cell_a"], "Trần Thị An")
    before = _state()
    with pytest.raises(ValidationError) as error:
        services.organization_split_into_new(
            user=admin_user,
            source=tree["cell_a"],
            parts=[
                {"name": "A", "code": "A", "members": [m1]},
                {"name": "B", "code": "B", "members": []},
            ],
            on=D(2024, 1, 1),
        )
    assert error.value.messages == ["Còn 1 đảng viên chưa được chia về tổ chức mới nào."]
    assert _state() == before
    assert Member.objects.filter(organization=tree["cell_a"]).count() == 2


@pytest.mark.django_db
def test_end_refused_with_current_members(tree, admin_user, make_member):
    make_member(tree["cell_a"])
    with pytest.raises(ValidationError) as error:
        services.organization_end(user=admin_user, organization=tree["cell_a"], on=D(2024, 1, 1))
    assert error.value.messages == ["Còn đảng viên đang sinh hoạt: hãy chuyển đảng viên trước."]
    assert Organization.objects.get(pk=tree["cell_a"].pk).ended_on is None
    services.organization_end(user=admin_user, organization=tree["cell_b"], on=D(2024, 1, 1))
    assert Organization.objects.get(pk=tree["cell_b"].pk).ended_on == D(2024, 1, 1)


@pytest.mark.django_db
def test_terms_posts_and_oversight(tree, admin_user, make_member):
    ward = tree["ward"]
    secretary = make_member(tree["cell_a"], "Nguyễn Văn Hùng")
    term = services.term_create(
        user=admin_user, organization=ward, name="2020–2025", starts_on=D(2020, 6, 1), congress_number=5
    )
    p1 = services.committee_post_create(
        user=admin_user, organization=ward, member=secretary, post=Post.SECRETARY, starts_on=D(2020, 6, 1), term=term
    )
    services.committee_post_create(
        user=admin_user, organization=ward, member=secretary, post=Post.COMMITTEE_MEMBER, starts_on=D(2020, 6, 1)
    )
    assert CommitteePost.objects.filter(member=secretary).count() == 2  # several posts at once
    with pytest.raises(ValidationError) as error:
        services.committee_post_create(
            user=admin_user, organization=ward, member=secretary, post=Post.SECRETARY, starts_on=D(2021, 1, 1)
        )
    assert error.value.message_dict == {"post": ["Đảng viên đang giữ chức vụ này."]}
    outsider = make_member(tree["cell_c"], "Lê Văn Bình")
    with pytest.raises(ValidationError) as error:
        services.committee_post_create(
            user=admin_user, organization=ward, member=outsider, post=Post.DEPUTY, starts_on=D(2021, 1, 1)
        )
    assert error.value.message_dict == {
        "member": ["Đảng viên phải sinh hoạt trong tổ chức này hoặc tổ chức trực thuộc."]
    }
    assignment = services.oversight_assign(
        user=admin_user, assigned_by=ward, cell=tree["cell_b"], member=secretary, starts_on=D(2020, 7, 1)
    )
    assert assignment.organization == tree["cell_b"]
    with pytest.raises(ValidationError) as error:
        services.oversight_assign(
            user=admin_user, assigned_by=ward, cell=tree["cell_c"], member=secretary, starts_on=D(2020, 7, 1)
        )
    assert error.value.message_dict == {"cell": ["Chỉ phân công phụ trách chi bộ trực thuộc tổ chức này."]}
    with pytest.raises(ValidationError):
        services.committee_post_end(user=admin_user, post=p1, on=D(2019, 1, 1))
    services.committee_post_end(user=admin_user, post=p1, on=D(2025, 6, 30))
    p1.refresh_from_db()
    assert p1.ends_on == D(2025, 6, 30)


@pytest.mark.django_db
def test_create_child_and_audit(tree, ward_staff):
    from auditlog.models import LogEntry

    cell = services.organization_create(
        user=ward_staff,
        name="Chi bộ khu phố 3",
        code="T-BT-3",
        kind=Kind.CELL,
        sector=Sector.RESIDENTIAL,
        parent=tree["ward"],
        founded_on=D(2024, 2, 1),
    )
    assert cell.path.startswith(tree["ward"].path) and cell.depth == 2
    entry = LogEntry.objects.get_for_object(cell).first()
    assert entry.actor == ward_staff
    with pytest.raises(PermissionDenied):
        services.organization_create(
            user=ward_staff, name="X", code="X", kind=Kind.CELL, sector=Sector.OTHER, parent=tree["ward2"]
        )
    assert not Organization.objects.filter(code="X").exists()
