"""Finding 2 of issue 18: nobody grants themself a role; a grant that reaches members' private
records is shown to the cell's secretary; an ended role stops reaching at once; a new committee
member reads only what was written while they held the role (older records need an opening)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.accountability import services as acc
from apps.accountability.models import AccessRecord, Degree
from apps.accounts import services
from apps.accounts.models import RoleAssignment, User
from apps.core.roles import Role
from apps.core.scoping import VIEW, scope_for


def _exam(member_user, member, year):
    exam = acc.self_examination_start(user=member_user, member=member, year=year)
    acc.self_examination_save(
        user=member_user,
        examination=exam,
        degrees={1: Degree.SLIGHT},
        notes={1: "Ghi chú riêng tư của đảng viên"},
    )
    return exam


@pytest.fixture
def hung(tree, make_member, make_user):
    member = make_member(tree["cell_a"], "Nguyễn Văn Hùng")
    return member, make_user("hung", member=member)


@pytest.mark.django_db
def test_a_manager_cannot_grant_themself_a_committee_role_on_the_page(tree, ward_staff, client_for, hung):
    year = timezone.localdate().year
    exam = _exam(hung[1], hung[0], year)
    client = client_for(ward_staff)
    before = list(RoleAssignment.objects.values_list("pk", "user_id", "role", "organization_id"))
    r = client.post(
        f"/tai-khoan/{ward_staff.pk}/",
        {"organization": tree["cell_a"].pk, "role": Role.CELL_COMMITTEE, "include_subtree": ""},
    )
    assert r.status_code == 200
    assert "Không ai được tự giao vai trò cho chính mình" in r.content.decode()
    assert list(RoleAssignment.objects.values_list("pk", "user_id", "role", "organization_id")) == before
    # logging in again changes nothing: the handbook stays closed
    r = client_for(ward_staff).get(f"/tu-soi-tu-sua/so-tay/xem/{exam.pk}/")
    assert r.status_code == 403
    assert "Ghi chú riêng tư của đảng viên" not in r.content.decode()
    assert AccessRecord.objects.count() == 0


@pytest.mark.django_db
def test_not_even_a_superuser_grants_themself(tree, admin_user):
    with pytest.raises(ValidationError) as error:
        services.role_assign(user=admin_user, account=admin_user, organization=tree["cell_a"], role=Role.CELL_SECRETARY)
    assert "Không ai được tự giao vai trò cho chính mình" in " ".join(error.value.messages)
    assert RoleAssignment.objects.filter(user=admin_user).count() == 0


@pytest.mark.django_db
def test_nobody_extends_an_ending_role(tree, ward_staff, make_user):
    account = make_user("cu", Role.CELL_COMMITTEE, tree["cell_a"], include_subtree=False)
    assignment = account.role_assignments.get()
    later = timezone.localdate() + dt.timedelta(days=10)
    services.role_end(user=ward_staff, assignment=assignment, on=later)
    with pytest.raises(ValidationError) as error:
        services.role_end(user=ward_staff, assignment=assignment, on=later + dt.timedelta(days=30))
    assert "không kéo dài" in " ".join(error.value.messages)
    assignment.refresh_from_db()
    assert assignment.ends_on == later
    # nor does the holder end (or re-end) their own role to a later day
    own = ward_staff.role_assignments.get()
    services.role_end(user=ward_staff, assignment=own, on=later)
    with pytest.raises(ValidationError):
        services.role_end(user=ward_staff, assignment=own, on=later + dt.timedelta(days=1))
    own.refresh_from_db()
    assert own.ends_on == later


@pytest.mark.django_db
def test_an_ended_role_stops_reaching_at_once(tree, ward_staff, make_user, client_for, hung):
    year = timezone.localdate().year
    exam = _exam(hung[1], hung[0], year)
    account = make_user("cu", Role.CELL_COMMITTEE, tree["cell_a"], include_subtree=False)
    assert scope_for(account).reaches_org(tree["cell_a"], VIEW)  # the per-request scope is cached
    assert client_for(account).get(f"/tu-soi-tu-sua/so-tay/xem/{exam.pk}/").status_code == 200
    services.role_end(user=ward_staff, assignment=account.role_assignments.get())
    # today's end is not "until midnight": the same object's cached scope and a new request both lose it
    assert not scope_for(account).reaches_org(tree["cell_a"], VIEW)
    assert not scope_for(account).may_read_private(exam).allowed
    fresh = User.objects.get(pk=account.pk)
    assert not scope_for(fresh).reaches_org(tree["cell_a"], VIEW)
    assert client_for(account).get(f"/tu-soi-tu-sua/so-tay/xem/{exam.pk}/").status_code == 404
    assignment = account.role_assignments.get()
    assert assignment.ends_on == timezone.localdate()
    assert assignment.ended_at is not None and assignment.ended_at <= timezone.now()


@pytest.mark.django_db
def test_a_private_grant_is_recorded_and_shown_to_the_cell_secretary(
    tree, ward_staff, secretary_a, make_user, client_for
):
    account = make_user("cu")
    services.role_assign(
        user=ward_staff, account=account, organization=tree["cell_a"], role=Role.CELL_COMMITTEE, include_subtree=False
    )
    grant = account.role_assignments.get()
    assert (grant.granted_by, grant.granted_at is not None) == (ward_staff, True)
    today = timezone.localdate().strftime("%d/%m/%Y")
    body = client_for(secretary_a).get("/").content.decode()
    assert f"tài khoản cu được giao vai trò Chi ủy viên từ ngày {today} bởi dangu_bt" in body
    # the secretary of another cell is not told about cell A
    other = make_user("bithu_b", Role.CELL_SECRETARY, tree["cell_b"], include_subtree=False)
    assert "tài khoản cu" not in client_for(other).get("/").content.decode()


@pytest.mark.django_db
def test_a_new_committee_member_reads_only_what_was_written_in_their_time(
    tree, ward_staff, make_user, make_member, client_for, hung
):
    year = timezone.localdate().year
    older = _exam(hung[1], hung[0], year)
    account = make_user("cu")
    services.role_assign(
        user=ward_staff, account=account, organization=tree["cell_a"], role=Role.CELL_COMMITTEE, include_subtree=False
    )
    lan = make_member(tree["cell_a"], "Trần Thị Lan")
    newer = _exam(make_user("lan", member=lan), lan, year)
    client = client_for(account)
    r = client.get(f"/tu-soi-tu-sua/so-tay/xem/{older.pk}/")
    assert r.status_code == 403  # begun before the grant: an opening is needed
    assert "Ghi chú riêng tư của đảng viên" not in r.content.decode()
    assert client.get(f"/tu-soi-tu-sua/so-tay/xem/{newer.pk}/").status_code == 200
    assert list(AccessRecord.objects.values_list("user__username", "object_id")) == [("cu", newer.pk)]


@pytest.mark.django_db
def test_roles_are_not_granted_in_the_admin_site(admin_user, client):
    from django.contrib import admin

    assert RoleAssignment not in admin.site._registry
    client.force_login(admin_user)
    assert client.get("/quan-tri/accounts/roleassignment/add/").status_code == 404
    assert client.get(f"/quan-tri/accounts/user/{admin_user.pk}/change/").status_code == 404


@pytest.mark.django_db
def test_any_save_of_an_assignment_drops_the_cached_scope(tree, make_user):
    account = make_user("cu", Role.CELL_COMMITTEE, tree["cell_a"], include_subtree=False)
    assert scope_for(account).reaches_org(tree["cell_a"], VIEW)
    # an edit outside the services (a script, a shell): the end is still honoured at once
    RoleAssignment.objects.filter(user=account).update(ended_at=timezone.now())
    assignment = RoleAssignment.objects.get(user=account)
    assignment.save()
    assert not scope_for(account).reaches_org(tree["cell_a"], VIEW)
