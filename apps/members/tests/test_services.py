import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.members import services
from apps.members.models import Award, Member, Status, StatusChange, StatusChangeKind
from apps.organizations.services import organization_move

D = dt.date


def _snapshot(member):
    member = Member.objects.get(pk=member.pk)
    return (
        member.status,
        member.status_since,
        member.organization_id,
        member.org_path,
        member.full_membership_date,
        list(StatusChange.objects.filter(member=member).values_list("kind", "date", "status")),
    )


@pytest.mark.django_db
def test_create_records_admission_and_recognition(tree, admin_user):
    member = services.member_create(
        user=admin_user,
        organization=tree["cell_a"],
        family_name=" Nguyễn ",
        middle_name="Văn",
        given_name="Hùng",
        gender="male",
        birth_date=D(1980, 1, 1),
        admission_date=D(2010, 5, 19),
        full_membership_date=D(2011, 5, 19),
        phone="0903 123 456",
    )
    assert member.full_name == "Nguyễn Văn Hùng" and member.phone == "0903123456"
    assert member.status == Status.FULL and member.org_path == tree["cell_a"].path
    assert list(member.status_changes.values_list("kind", "date")) == [
        (StatusChangeKind.ADMITTED, D(2010, 5, 19)),
        (StatusChangeKind.RECOGNIZED, D(2011, 5, 19)),
    ]


@pytest.mark.django_db
def test_create_refuses_bad_sheet(tree, admin_user, make_member):
    make_member(tree["cell_a"], card_number="12345678")
    with pytest.raises(ValidationError) as error:
        services.member_create(
            user=admin_user,
            organization=tree["cell_a"],
            family_name="Lê",
            given_name="Bình",
            gender="male",
            birth_date=D(2000, 1, 1),
            admission_date=D(2015, 1, 1),
            card_number="12345678",
            citizen_id="123",
        )
    assert error.value.message_dict == {
        "admission_date": ["Chưa đủ 18 tuổi vào ngày vào Đảng."],
        "citizen_id": ["Số CCCD phải gồm 12 chữ số (hoặc 9 chữ số với CMND cũ)."],
        "card_number": ["Số thẻ đảng viên 12345678 đã có ở đảng viên Nguyễn Văn Hùng."],
    }
    assert Member.objects.count() == 1


@pytest.mark.django_db
def test_derived_seniority_badge_probation(tree, make_member):
    member = make_member(
        tree["cell_a"], birth_date=D(1960, 1, 1), admission_date=D(1990, 2, 3), full_membership_date=D(1991, 2, 3)
    )
    assert member.seniority_on(D(2020, 2, 2)) == 29
    assert member.seniority_on(D(2020, 2, 3)) == 30
    assert member.next_badge(D(2020, 2, 2)) == (30, D(2020, 2, 3))
    assert member.next_badge(D(2020, 2, 3)) == (40, D(2030, 2, 3))
    probationary = make_member(tree["cell_a"], "Trần Thị An", admission_date=D(2024, 2, 29), full_membership_date=None)
    assert probationary.status == Status.PROBATIONARY
    assert probationary.probation_end_date == D(2025, 2, 28)


@pytest.mark.django_db
def test_recognition_dates_from_end_of_probation(tree, admin_user, make_member):
    member = make_member(tree["cell_a"], admission_date=D(2022, 3, 10), full_membership_date=None)
    before = _snapshot(member)
    with pytest.raises(ValidationError) as error:
        services.member_change_status(
            user=admin_user, member=member, kind=StatusChangeKind.RECOGNIZED, on=D(2023, 3, 1)
        )
    assert error.value.message_dict == {"date": ["Chưa hết 12 tháng dự bị (đến 10/03/2023)."]}
    assert _snapshot(member) == before
    member = Member.objects.get(pk=member.pk)
    services.member_change_status(user=admin_user, member=member, kind=StatusChangeKind.RECOGNIZED, on=D(2023, 5, 2))
    member.refresh_from_db()
    assert (member.status, member.full_membership_date, member.status_since) == (
        Status.FULL,
        D(2023, 3, 10),
        D(2023, 5, 2),
    )


@pytest.mark.django_db
def test_transitions_and_refusals_leave_data_unchanged(tree, admin_user, make_member):
    member = make_member(tree["cell_a"])
    assert services.allowed_changes(member) == [
        StatusChangeKind.TEMP_OUT,
        StatusChangeKind.EXEMPTED,
        StatusChangeKind.SUSPENDED,
        StatusChangeKind.TRANSFER_OUT,
        StatusChangeKind.STRUCK_OFF,
        StatusChangeKind.DISMISSED,
        StatusChangeKind.EXPELLED,
        StatusChangeKind.DECEASED,
    ]
    before = _snapshot(member)
    refusals = [
        ({"kind": StatusChangeKind.RECOGNIZED, "on": D(2020, 1, 1)}, "kind"),
        ({"kind": StatusChangeKind.EXEMPTION_END, "on": D(2020, 1, 1)}, "kind"),
        ({"kind": "bogus", "on": D(2020, 1, 1)}, "kind"),
        ({"kind": StatusChangeKind.TRANSFER_OUT, "on": D(2020, 1, 1)}, "other_organization_name"),
        ({"kind": StatusChangeKind.EXEMPTED, "on": D(2009, 1, 1)}, "date"),
        ({"kind": StatusChangeKind.EXEMPTED, "on": D(2999, 1, 1)}, "date"),
    ]
    for kwargs, field in refusals:
        with pytest.raises(ValidationError) as error:
            services.member_change_status(user=admin_user, member=member, **kwargs)
        assert list(error.value.message_dict) == [field], kwargs
        assert _snapshot(member) == before
    services.member_change_status(
        user=admin_user,
        member=member,
        kind=StatusChangeKind.TEMP_OUT,
        on=D(2020, 1, 1),
        other_organization_name="Chi bộ Trường Đại học X, Hà Nội",
    )
    assert member.status == Status.TEMP_OUT
    services.member_change_status(user=admin_user, member=member, kind=StatusChangeKind.TEMP_OUT_END, on=D(2020, 9, 1))
    assert member.status == Status.FULL
    services.member_change_status(user=admin_user, member=member, kind=StatusChangeKind.DECEASED, on=D(2021, 1, 1))
    member.refresh_from_db()
    assert member.status == Status.DECEASED and services.allowed_changes(member) == []
    assert Member.objects.filter(pk=member.pk).exists()  # end states never delete
    last = member.status_changes.order_by("-date").first()
    assert last.kind == StatusChangeKind.DECEASED
    history = list(member.status_changes.values_list("kind", "other_organization_name"))
    assert (StatusChangeKind.TEMP_OUT, "Chi bộ Trường Đại học X, Hà Nội") in history


@pytest.mark.django_db
def test_permission_refused_changes_nothing(tree, secretary_a, make_member):
    member = make_member(tree["cell_b"])
    before = _snapshot(member)
    with pytest.raises(PermissionDenied):
        services.member_change_status(user=secretary_a, member=member, kind=StatusChangeKind.EXEMPTED, on=D(2020, 1, 1))
    with pytest.raises(PermissionDenied):
        services.member_transfer_internal(user=secretary_a, member=member, target=tree["cell_a"], on=D(2020, 1, 1))
    with pytest.raises(PermissionDenied):
        services.award_create(user=secretary_a, member=member, name="Giấy khen", date=D(2020, 1, 1))
    assert _snapshot(member) == before and Award.objects.count() == 0


@pytest.mark.django_db
def test_internal_transfer_and_org_move_update_org_path(tree, admin_user, make_member):
    member = make_member(tree["cell_a"])
    services.member_transfer_internal(user=admin_user, member=member, target=tree["cell_c"], on=D(2020, 1, 1))
    member.refresh_from_db()
    assert member.organization == tree["cell_c"] and member.org_path == tree["cell_c"].path
    step = member.status_changes.last()
    assert (step.kind, step.other_organization) == (StatusChangeKind.TRANSFER_INTERNAL, tree["cell_a"])
    with pytest.raises(ValidationError):
        services.member_transfer_internal(user=admin_user, member=member, target=tree["cell_b"], on=D(2019, 1, 1))
    member.refresh_from_db()
    assert member.organization == tree["cell_c"]
    organization_move(user=admin_user, organization=tree["ward2"], new_parent=tree["ward"], on=D(2021, 1, 1))
    member.refresh_from_db()
    member.organization.refresh_from_db()
    assert member.org_path == member.organization.path
    assert member.org_path.startswith(tree["ward"].path)
    assert Member.objects.in_subtree(tree["ward"]).get() == member


@pytest.mark.django_db
def test_award_create(tree, admin_user, make_member):
    member = make_member(tree["cell_a"])
    with pytest.raises(ValidationError) as error:
        services.award_create(user=admin_user, member=member, name=" ", date=D(2999, 1, 1))
    assert error.value.message_dict == {
        "name": ["Hãy ghi hình thức khen thưởng."],
        "date": ["Ngày khen thưởng không được ở tương lai."],
    }
    assert Award.objects.count() == 0
    award = services.award_create(
        user=admin_user, member=member, name="Giấy khen", date=D(2020, 5, 19), issued_by="Đảng ủy phường"
    )
    assert list(member.awards.all()) == [award]
