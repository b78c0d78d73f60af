import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.accounts import services
from apps.accounts.models import RoleAssignment, User
from apps.core.roles import Role
from apps.core.scoping import scope_for


@pytest.mark.django_db
def test_scope_follows_role_assignments(tree, secretary_a, ward_staff):
    assert scope_for(secretary_a).reaches_org(tree["cell_a"])
    assert not scope_for(secretary_a).reaches_org(tree["cell_b"])
    assert not scope_for(secretary_a).reaches_org(tree["ward"])
    assert scope_for(ward_staff).reaches_org(tree["cell_b"])
    assert not scope_for(ward_staff).reaches_org(tree["cell_c"])


@pytest.mark.django_db
def test_ended_role_reaches_nothing(tree, ward_staff, admin_user):
    import datetime as dt

    assignment = ward_staff.role_assignments.get()
    services.role_end(user=admin_user, assignment=assignment, on=dt.date(2020, 1, 1))
    assert RoleAssignment.objects.get(pk=assignment.pk).ends_on == dt.date(2020, 1, 1)
    fresh = User.objects.get(pk=ward_staff.pk)
    assert not scope_for(fresh).reaches_org(tree["cell_a"])


@pytest.mark.django_db
def test_cannot_grant_roles_outside_reach(tree, secretary_a, make_user):
    other = make_user("someone")
    with pytest.raises(PermissionDenied):
        services.role_assign(user=secretary_a, account=other, organization=tree["cell_b"], role=Role.CELL_COMMITTEE)
    assert not RoleAssignment.objects.filter(user=other).exists()


@pytest.mark.django_db
def test_only_superuser_grants_admin(tree, ward_staff, make_user):
    other = make_user("someone")
    with pytest.raises(ValidationError):
        services.role_assign(user=ward_staff, account=other, organization=tree["cell_a"], role=Role.ADMIN)
    assert not RoleAssignment.objects.filter(user=other).exists()


@pytest.mark.django_db
def test_create_account_for_member_links_it(tree, make_member, ward_staff, client_for):
    member = make_member(tree["cell_a"], "Lê Thị Hoa")
    client = client_for(ward_staff)
    response = client.post(
        "/tai-khoan/moi/", {"member": member.pk, "username": "hoa", "full_name": "", "password": "mat-khau-dai-2024"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.user.username == "hoa"


@pytest.mark.django_db
def test_weak_password_is_refused_in_vietnamese(tree, ward_staff, client_for):
    response = client_for(ward_staff).post("/tai-khoan/moi/", {"username": "x1", "password": "12345678"})
    assert response.status_code == 200
    assert not User.objects.filter(username="x1").exists()
    assert "Mật khẩu" in response.content.decode() or "mật khẩu" in response.content.decode()


@pytest.mark.django_db
def test_account_pages_out_of_reach(tree, make_member, make_user, secretary_a, client_for):
    outsider = make_user("ngoai", Role.CELL_SECRETARY, tree["cell_c"], include_subtree=False)
    client = client_for(secretary_a)
    assert client.get(f"/tai-khoan/{outsider.pk}/").status_code == 404
    assignment = outsider.role_assignments.get()
    assert client.post(f"/tai-khoan/vai-tro/{assignment.pk}/ket-thuc/").status_code == 404
    assignment.refresh_from_db()
    assert assignment.ends_on is None


@pytest.mark.django_db
def test_plain_member_cannot_manage_accounts(tree, make_member, make_user, client_for):
    member = make_member(tree["cell_a"], "Lê Thị Hoa")
    user = make_user("hoa", member=member)
    assert client_for(user).get("/tai-khoan/").status_code == 403


def test_an_account_name_reads_family_name_first():
    """Django writes first_name before last_name ("Văn Hùng Nguyễn"); a Vietnamese name starts with the family name."""
    assert User(first_name="Văn Hùng", last_name="Nguyễn").get_full_name() == "Nguyễn Văn Hùng"
    assert str(User(username="hung", first_name="Nguyễn Văn Hùng")) == "Nguyễn Văn Hùng"
    assert str(User(username="hung")) == "hung"
