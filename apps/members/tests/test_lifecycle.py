"""Training, party badges, readmission, file checks: hand-computed cases and boundaries."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.roles import Role
from apps.members import selectors, services
from apps.members.models import (
    Award,
    AwardKind,
    LifecycleRuleSet,
    Member,
    Status,
    StatusChangeKind,
    TrainingKind,
    TrainingRecord,
    TrainingResult,
)

D = dt.date

CLEAN = {
    "hometown": "Bình Dương",
    "residence": "Khu phố 1",
    "citizen_id": "001080000001",
    "general_education": "12/12",
    "education": "university",
}


def rules():
    return LifecycleRuleSet.in_force_on(D(2026, 6, 1))


def checks_of(member):
    members = Member.objects.filter(pk=member.pk)
    _counts, _total, rows = selectors.file_checks(members, D(2026, 12, 1), rules())
    rows = list(rows)
    return selectors.failed_codes(rows[0]) if rows else []


# --- Rule set --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_rule_set_is_seeded_from_rules_md():
    r = rules()
    assert r.regulation.startswith("294-QĐ/TW")
    assert r.badge_years == [30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90]
    assert (r.badge_early_months, r.badge_early_months_elderly, r.badge_elderly_age) == (12, 24, 70)
    assert (r.readmission_wait_months, r.readmission_max) == (36, 1)
    assert r.occasions_after(D(2026, 5, 20), 4) == [D(2026, 9, 2), D(2026, 11, 7), D(2027, 2, 3), D(2027, 5, 19)]
    assert r.occasions_after(D(2026, 9, 2), 1) == [D(2026, 9, 2)]
    assert selectors.previous_occasion(r, D(2026, 2, 3)) == D(2025, 11, 7)


# --- Training --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_training_records_derive_the_theory_level(tree, make_member, admin_user):
    member = make_member(tree["cell_a"], political_theory="")
    services.training_create(
        user=admin_user,
        member=member,
        kind=TrainingKind.ELEMENTARY,
        institution="Trung tâm chính trị thành phố",
        starts_on=D(2012, 3, 1),
        ends_on=D(2012, 5, 30),
        result=TrainingResult.PASSED,
    )
    member.refresh_from_db()
    assert member.political_theory == "elementary"
    # Studying the intermediate course does not raise the level; passing it does.
    record = services.training_create(
        user=admin_user,
        member=member,
        kind=TrainingKind.INTERMEDIATE,
        institution="Trường Chính trị tỉnh",
        starts_on=D(2019, 9, 1),
        result=TrainingResult.STUDYING,
    )
    member.refresh_from_db()
    assert member.political_theory == "elementary"
    services.training_update(
        user=admin_user, record=record, expected_version=record.version, ends_on=D(2020, 6, 30), result="passed"
    )
    member.refresh_from_db()
    assert member.political_theory == "intermediate"
    # The sheet cannot type another level over the records.
    services.member_update(user=admin_user, member=member, political_theory="advanced")
    member.refresh_from_db()
    assert member.political_theory == "intermediate"
    # A refresher course (the training of cell secretaries) does not change the level.
    services.training_create(
        user=admin_user,
        member=member,
        kind=TrainingKind.REFRESHER,
        title="Bồi dưỡng bí thư chi bộ",
        institution="Đảng ủy phường",
        starts_on=D(2025, 8, 4),
        ends_on=D(2025, 8, 8),
    )
    member.refresh_from_db()
    assert member.political_theory == "intermediate"
    assert TrainingRecord.objects.filter(member=member).count() == 3


@pytest.mark.django_db
def test_training_bad_input_is_refused_and_nothing_changes(tree, make_member, admin_user):
    member = make_member(tree["cell_a"], birth_date=D(1980, 1, 1))
    cases = [
        (
            {"institution": "", "starts_on": D(2012, 1, 1), "ends_on": D(2012, 2, 1)},
            "institution",
            "Hãy ghi cơ sở đào tạo.",
        ),
        (
            {"starts_on": D(1979, 1, 1), "ends_on": D(1979, 2, 1)},
            "starts_on",
            "Ngày bắt đầu trước ngày sinh của đảng viên.",
        ),
        ({"starts_on": D(2012, 3, 1), "ends_on": D(2012, 2, 1)}, "ends_on", "Ngày kết thúc trước ngày bắt đầu."),
        ({"starts_on": D(2012, 3, 1), "ends_on": None}, "ends_on", "Khóa học đã có kết quả: hãy nhập ngày kết thúc."),
        (
            {"kind": "refresher", "starts_on": D(2012, 3, 1), "ends_on": D(2012, 3, 2)},
            "title",
            "Hãy ghi tên lớp bồi dưỡng (ví dụ: Bồi dưỡng bí thư chi bộ).",
        ),
    ]
    for fields, field, message in cases:
        values = {"kind": TrainingKind.ELEMENTARY, "institution": "Trường Chính trị tỉnh", "result": "passed", **fields}
        with pytest.raises(ValidationError) as err:
            services.training_create(user=admin_user, member=member, **values)
        assert err.value.message_dict[field] == [message]
    assert TrainingRecord.objects.count() == 0


@pytest.mark.django_db
def test_training_boundaries(tree, make_member, make_user, client_for):
    member = make_member(tree["cell_a"])
    sibling = make_user("bithu_b", Role.CELL_SECRETARY, tree["cell_b"], include_subtree=False)
    other_ward = make_user("dangu_dh", Role.COMMITTEE_STAFF, tree["ward2"])
    plain = make_user("dv", Role.MEMBER, tree["cell_a"], member=member)
    data = {
        "kind": "elementary",
        "institution": "Trường",
        "starts_on": "01/03/2012",
        "ends_on": "30/05/2012",
        "result": "passed",
    }
    for user in (sibling, other_ward, plain):
        with pytest.raises(PermissionDenied):
            services.training_create(
                user=user,
                member=member,
                kind="elementary",
                institution="X",
                starts_on=D(2012, 1, 1),
                ends_on=D(2012, 2, 1),
            )
        response = client_for(user).post(reverse("members:training_create", args=[member.pk]), data)
        assert response.status_code == 404
    assert TrainingRecord.objects.count() == 0
    # The plain member sees their own record's training on their page, but no button.
    page = client_for(plain).get(reverse("members:detail", args=[member.pk]))
    assert page.status_code == 200 and b'id="training-add"' not in page.content


@pytest.mark.django_db
def test_training_through_the_page_and_export(tree, make_member, secretary_a, client_for):
    member = make_member(tree["cell_a"])
    client = client_for(secretary_a)
    response = client.post(
        reverse("members:training_create", args=[member.pk]),
        {
            "kind": "advanced",
            "institution": "Học viện Chính trị khu vực II",
            "starts_on": "01/09/2020",
            "ends_on": "30/06/2022",
            "result": "passed",
            "grade": "Khá",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.political_theory == "advanced"
    page = client.get(reverse("members:detail", args=[member.pk]))
    assert "Học viện Chính trị khu vực II" in page.content.decode()
    export = client.get(reverse("members:training_export") + f"?org={tree['cell_a'].pk}")
    assert export.status_code == 200
    import io

    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:5] == (
        member.card_number,
        "Nguyễn Văn Hùng",
        "Lý luận chính trị cao cấp",
        None,
        "Học viện Chính trị khu vực II",
    )


# --- File checks -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_complete_file_passes_every_check(tree, make_member):
    member = make_member(tree["cell_a"], **CLEAN)
    assert checks_of(member) == []


@pytest.mark.django_db
def test_each_file_check_rule(tree, make_member):
    serial = iter(range(10, 99))

    def fails(**update):
        member = make_member(tree["cell_a"], **{**CLEAN, "citizen_id": f"0010800000{next(serial)}"})
        Member.objects.filter(pk=member.pk).update(**update)
        return checks_of(member)

    assert fails(hometown="") == ["no_hometown"]
    assert fails(residence="") == ["no_residence"]
    assert fails(citizen_id=None) == ["no_citizen_id"]
    assert fails(general_education="") == ["no_general_education"]
    assert fails(education="") == ["no_education"]
    assert fails(card_number=None) == ["no_card"]
    # Impossible dates: admitted at 17 years 364 days; born in the future; recognized before admission.
    assert fails(admission_date=D(1997, 12, 31), full_membership_date=D(1998, 12, 31)) == ["impossible_dates"]
    assert fails(admission_date=D(1998, 1, 1), full_membership_date=D(1999, 1, 1)) == []
    assert fails(birth_date=D(1899, 12, 31)) == ["impossible_dates", "citizen_id_mismatch"]
    # Full membership must be the admission date + 12 months (a 29/2 admission: 28/2).
    assert fails(full_membership_date=D(2011, 6, 1)) == ["full_date_mismatch"]
    assert fails(admission_date=D(2012, 2, 29), full_membership_date=D(2013, 2, 28)) == []
    assert fails(full_membership_date=None, status=Status.FULL) == ["full_date_mismatch"]
    assert fails(status=Status.PROBATIONARY) == ["full_date_mismatch"]
    # Card: 8 digits in the rule set [?]; CCCD: 12 digits (or 9 of the old ID), consistent with birth and gender.
    assert fails(card_number="1234567") == ["card_malformed"]
    assert fails(card_number="1234-567") == ["card_malformed"]
    assert fails(citizen_id="12345") == ["citizen_id_malformed"]
    assert fails(citizen_id="123456789") == []
    assert fails(citizen_id="001180000001") == ["citizen_id_mismatch"]  # digit 4 = 1: a woman
    assert fails(citizen_id="001081000001") == ["citizen_id_mismatch"]  # born 1981
    assert fails(gender="female", citizen_id="001180000002") == []
    # A level with no training record behind it.
    assert fails(political_theory="intermediate") == ["theory_unbacked"]


@pytest.mark.django_db
def test_a_higher_course_backs_a_lower_stated_level(tree, make_member, admin_user):
    member = make_member(tree["cell_a"], **CLEAN)
    services.training_create(
        user=admin_user,
        member=member,
        kind="advanced",
        institution="Học viện",
        starts_on=D(2015, 1, 1),
        ends_on=D(2016, 1, 1),
    )
    Member.objects.filter(pk=member.pk).update(political_theory="intermediate")
    assert checks_of(member) == []
    TrainingRecord.objects.filter(member=member).update(result=TrainingResult.FAILED)
    assert checks_of(member) == ["theory_unbacked"]


@pytest.mark.django_db
def test_file_checks_page_counts_and_queries_do_not_grow_with_cells(tree, make_member, ward_staff, client_for):
    from apps.organizations.models import Kind
    from apps.organizations.services import organization_create

    make_member(
        tree["cell_a"], "Trần Thị Lan", gender="female", **{**CLEAN, "citizen_id": "001180000009", "hometown": ""}
    )
    make_member(tree["cell_b"], **{**CLEAN, "citizen_id": "001080000002"})
    client = client_for(ward_staff)
    url = reverse("members:file_checks") + f"?org={tree['ward'].pk}"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Trần Thị Lan" in html and "Thiếu quê quán" in html
    assert "Nguyễn Văn Hùng" not in html
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(3):
        cell = organization_create(
            user=ward_staff,
            name=f"Chi bộ {i + 3}",
            code=f"T-BT-{i + 3}",
            kind=Kind.CELL,
            sector="residential",
            parent=tree["ward"],
            founded_on=D(2000, 1, 1),
        )
        make_member(cell, f"Lê Văn {'ABC'[i]}", hometown="")
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert len(many) == len(few)
    assert page.content.decode().count("Thiếu quê quán") == 5  # the checklist row and 4 members
    export = client.get(reverse("members:file_checks_export") + f"?org={tree['ward'].pk}")
    import io

    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    names = [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(names) == 4 and "Trần Thị Lan" in names


@pytest.mark.django_db
def test_file_checks_boundaries(tree, make_member, make_user, client_for):
    member = make_member(tree["cell_a"])
    sibling = make_user("bithu_b", Role.CELL_SECRETARY, tree["cell_b"], include_subtree=False)
    other_ward = make_user("dangu_dh", Role.COMMITTEE_STAFF, tree["ward2"])
    plain = make_user("dv", Role.MEMBER, tree["cell_a"], member=member)
    assert client_for(sibling).get(reverse("members:file_checks") + f"?org={tree['cell_a'].pk}").status_code == 404
    assert client_for(other_ward).get(reverse("members:file_checks") + f"?org={tree['ward'].pk}").status_code == 404
    assert client_for(plain).get(reverse("members:file_checks")).status_code == 404
    assert client_for(plain).get(reverse("members:badges_due")).status_code == 404
    assert (
        client_for(other_ward).get(reverse("members:file_checks_export") + f"?org={tree['cell_a'].pk}").status_code
        == 404
    )
    # The sibling's own cell: the member of cell A is not listed.
    page = client_for(sibling).get(reverse("members:file_checks"))
    assert page.status_code == 200 and "Nguyễn Văn Hùng" not in page.content.decode()


# --- Badges ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_badges_due_on_an_occasion(tree, make_member):
    r = rules()
    due = make_member(
        tree["cell_a"],
        "Lê Văn Ba",
        admission_date=D(1995, 5, 19),
        full_membership_date=D(1996, 5, 19),
        birth_date=D(1960, 1, 1),
    )
    later = make_member(
        tree["cell_a"],
        "Lê Văn Bốn",
        admission_date=D(1995, 5, 20),
        full_membership_date=D(1996, 5, 20),
        birth_date=D(1960, 1, 1),
    )
    forty = make_member(
        tree["cell_b"],
        "Lê Văn Năm",
        admission_date=D(1985, 3, 1),
        full_membership_date=D(1986, 3, 1),
        birth_date=D(1960, 1, 1),
    )
    members = Member.objects.all()
    rows = selectors.badges_due(members, D(2025, 5, 19), r)
    assert [(x["member"].pk, x["years"], x["due"]) for x in rows] == [
        (due.pk, 30, D(2025, 5, 19)),
        (forty.pk, 40, D(2025, 3, 1)),
    ]
    rows = selectors.badges_due(members, D(2025, 9, 2), r)
    assert [(x["member"].pk, x["years"]) for x in rows] == [(later.pk, 30)]
    # Once proposed, not due again.
    Award.objects.create(
        member=forty, kind=AwardKind.BADGE, badge_years=40, name="Huy hiệu 40 năm tuổi Đảng", proposed_on=D(2025, 4, 1)
    )
    rows = selectors.badges_due(members, D(2025, 5, 19), r)
    assert [x["member"].pk for x in rows] == [due.pk]
    with CaptureQueriesContext(connection) as queries:
        selectors.badges_due(members, D(2025, 5, 19), r)
    assert len(queries) == 2


@pytest.mark.django_db
def test_early_presentation_at_69_and_70(tree, make_member, admin_user):
    r = rules()
    occasion = D(2026, 9, 2)
    # 30 years on 10/12/2027: 15 months after the occasion.
    aged_69 = make_member(
        tree["cell_a"],
        "Phạm Văn Sáu",
        birth_date=D(1957, 1, 1),
        admission_date=D(1997, 12, 10),
        full_membership_date=D(1998, 12, 10),
    )
    aged_70 = make_member(
        tree["cell_a"],
        "Phạm Văn Bảy",
        birth_date=D(1956, 1, 1),
        admission_date=D(1997, 12, 10),
        full_membership_date=D(1998, 12, 10),
    )
    # 30 years on 10/06/2027: 9 months after; a 69-year-old may receive it early.
    nine_months = make_member(
        tree["cell_b"],
        "Phạm Văn Tám",
        birth_date=D(1957, 1, 1),
        admission_date=D(1997, 6, 10),
        full_membership_date=D(1998, 6, 10),
    )
    rows = selectors.badges_due(Member.objects.all(), occasion, r, early=True)
    assert [(x["member"].pk, x["due"], x["age"]) for x in rows] == [
        (aged_70.pk, D(2027, 12, 10), 70),
        (nine_months.pk, D(2027, 6, 10), 69),
    ]
    assert selectors.badges_due(Member.objects.all(), occasion, r) == []

    with pytest.raises(ValidationError) as err:
        services.badge_propose(
            user=admin_user,
            member=aged_69,
            years=30,
            occasion=occasion,
            proposed_on=D(2026, 8, 1),
            early=True,
            early_reason="Ung thư giai đoạn cuối",
        )
    assert err.value.message_dict["years"] == [
        "Trao sớm cho đảng viên ốm nặng tối đa 12 tháng (đảng viên 69 tuổi, 294-QĐ/TW (26/5/2025); HD 06-HD/TW (9/6/2025); HD 01-HD/TW 2021 §18): "
        "đủ 30 năm tuổi Đảng ngày 10/12/2027, sớm nhất dịp 10/12/2026."
    ]
    with pytest.raises(ValidationError) as err:
        services.badge_propose(user=admin_user, member=aged_70, years=30, occasion=occasion, proposed_on=D(2026, 8, 1))
    assert err.value.message_dict["years"] == ["Đến 02/09/2026 chưa đủ 30 năm tuổi Đảng (đủ ngày 10/12/2027)."]
    with pytest.raises(ValidationError) as err:
        services.badge_propose(
            user=admin_user, member=aged_70, years=30, occasion=occasion, proposed_on=D(2026, 8, 1), early=True
        )
    assert err.value.message_dict["early_reason"] == ["Trao sớm: hãy ghi tình trạng bệnh của đảng viên."]
    assert Award.objects.count() == 0
    award = services.badge_propose(
        user=admin_user,
        member=aged_70,
        years=30,
        occasion=occasion,
        proposed_on=D(2026, 8, 1),
        early=True,
        early_reason="Ung thư giai đoạn cuối",
    )
    assert (award.kind, award.badge_years, award.early, award.stage, award.name) == (
        "badge",
        30,
        True,
        "proposed",
        "Huy hiệu 30 năm tuổi Đảng",
    )
    with pytest.raises(ValidationError):
        services.badge_present(user=admin_user, award=award, presented_on=D(2026, 9, 2))
    services.badge_decide(
        user=admin_user, award=award, decided_on=D(2026, 8, 20), decision="123-QĐ/TU", issued_by="Tỉnh ủy"
    )
    services.badge_present(user=admin_user, award=award, presented_on=D(2026, 9, 2))
    award.refresh_from_db()
    assert (award.stage, award.date, award.decision, award.presented_on) == (
        "presented",
        D(2026, 8, 20),
        "123-QĐ/TU",
        D(2026, 9, 2),
    )
    with pytest.raises(ValidationError) as err:
        services.badge_propose(
            user=admin_user,
            member=aged_70,
            years=30,
            occasion=D(2027, 2, 3),
            proposed_on=D(2026, 8, 1),
            early=True,
            early_reason="x",
        )
    assert err.value.message_dict["years"] == ["Đảng viên đã được đề nghị hoặc trao Huy hiệu 30 năm tuổi Đảng."]


@pytest.mark.django_db
def test_badge_pages_and_boundaries(tree, make_member, make_user, secretary_a, client_for):
    member = make_member(
        tree["cell_a"], admission_date=D(1995, 1, 1), full_membership_date=D(1996, 1, 1), birth_date=D(1960, 1, 1)
    )
    sibling = make_user("bithu_b", Role.CELL_SECRETARY, tree["cell_b"], include_subtree=False)
    other_ward = make_user("dangu_dh", Role.COMMITTEE_STAFF, tree["ward2"])
    plain = make_user("dv", Role.MEMBER, tree["cell_a"], member=member)
    url = reverse("members:badge_propose", args=[member.pk])
    data = {"years": "30", "occasion": "2027-02-03", "proposed_on": "01/12/2026"}
    for user in (sibling, other_ward, plain):
        assert client_for(user).post(url, data).status_code == 404
    assert Award.objects.count() == 0
    client = client_for(secretary_a)
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()
    award = Award.objects.get()
    for user in (sibling, other_ward, plain):
        assert (
            client_for(user)
            .post(reverse("members:badge_decide", args=[award.pk]), {"decided_on": "01/12/2026", "decision": "1"})
            .status_code
            == 404
        )
    award.refresh_from_db()
    assert award.date is None
    page = client_for(secretary_a).get(reverse("members:badges_due"))
    assert page.status_code == 200 and "Nguyễn Văn Hùng" in page.content.decode()


# --- Readmission and party seniority --------------------------------------------------------------


@pytest.mark.django_db
def test_readmission_at_35_and_36_months(tree, make_member, admin_user):
    member = make_member(tree["cell_a"])
    services.member_change_status(
        user=admin_user, member=member, kind=StatusChangeKind.STRUCK_OFF, on=D(2022, 1, 15), decision="12-QĐ/ĐU"
    )
    with pytest.raises(ValidationError) as err:
        services.member_readmit(
            user=admin_user, member=member, organization=tree["cell_b"], on=D(2024, 12, 15), decision="5-QĐ/ĐU"
        )
    assert err.value.message_dict["date"] == [
        "Kết nạp lại phải sau khi ra khỏi Đảng ít nhất 36 tháng (294-QĐ/TW (26/5/2025); HD 06-HD/TW (9/6/2025); HD 01-HD/TW 2021 §18): "
        "ra khỏi Đảng ngày 15/01/2022, sớm nhất ngày 15/01/2025."
    ]
    member.refresh_from_db()
    assert (member.status, member.organization_id) == (Status.STRUCK_OFF, tree["cell_a"].pk)
    services.member_readmit(
        user=admin_user, member=member, organization=tree["cell_b"], on=D(2025, 1, 15), decision="5-QĐ/ĐU"
    )
    member.refresh_from_db()
    assert (member.status, member.organization_id, member.admission_date, member.full_membership_date) == (
        Status.PROBATIONARY,
        tree["cell_b"].pk,
        D(2025, 1, 15),
        None,
    )
    # Seniority: from the first admission (19/05/2010), later by the 1.096 days out of the Party.
    assert selectors.seniority_start(member, rules()) == D(2013, 5, 19)
    # Once only.
    services.member_change_status(user=admin_user, member=member, kind=StatusChangeKind.STRUCK_OFF, on=D(2025, 6, 1))
    problem = services.readmission_problem(member, D(2029, 1, 1), rules())
    assert (
        problem
        == "Chỉ được kết nạp lại 1 lần (294-QĐ/TW (26/5/2025); HD 06-HD/TW (9/6/2025); HD 01-HD/TW 2021 §18): đảng viên đã được kết nạp lại."
    )


@pytest.mark.django_db
def test_readmission_refused_for_current_and_expelled_and_across_boundaries(tree, make_member, admin_user, make_user):
    member = make_member(tree["cell_a"])
    assert services.readmission_problem(member, D(2026, 1, 1), rules()).startswith(
        "Chỉ kết nạp lại người đã bị xóa tên"
    )
    services.member_change_status(user=admin_user, member=member, kind=StatusChangeKind.STRUCK_OFF, on=D(2020, 1, 15))
    sibling = make_user("bithu_b", Role.CELL_SECRETARY, tree["cell_b"], include_subtree=False)
    other_ward = make_user("dangu_dh", Role.COMMITTEE_STAFF, tree["ward2"])
    for user, org in ((sibling, tree["cell_b"]), (other_ward, tree["cell_c"])):
        with pytest.raises(PermissionDenied):
            services.member_readmit(user=user, member=member, organization=org, on=D(2024, 1, 15), decision="1")
    member.refresh_from_db()
    assert member.status == Status.STRUCK_OFF
    assert not member.status_changes.filter(kind=StatusChangeKind.READMITTED).exists()


# --- Exemption ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_exemption_for_illness_of_three_months_and_its_end(tree, make_member, secretary_a, make_user, client_for):
    from apps.members.models import Exemption

    member = make_member(tree["cell_a"])
    sibling = make_user("bithu_b", Role.CELL_SECRETARY, tree["cell_b"], include_subtree=False)
    fields = {
        "reason": "illness",
        "resolution": "03-NQ/CB",
        "illness_since": D(2025, 1, 10),
        "reported_on": D(2025, 4, 12),
    }
    with pytest.raises(PermissionDenied):
        services.member_exempt(user=sibling, member=member, on=D(2025, 4, 10), **fields)
    with pytest.raises(ValidationError) as err:
        services.member_exempt(user=secretary_a, member=member, on=D(2025, 4, 9), **fields)
    assert err.value.message_dict["illness_since"] == [
        "Miễn sinh hoạt vì bệnh khi đã điều trị từ 3 tháng trở lên (HD 27-HD/BTCTW 2009): điều trị từ 10/01/2025, "
        "đủ 3 tháng ngày 10/04/2025."
    ]
    member.refresh_from_db()
    assert (member.status, Exemption.objects.count()) == (Status.FULL, 0)
    exemption = services.member_exempt(user=secretary_a, member=member, on=D(2025, 4, 10), **fields)
    member.refresh_from_db()
    step = exemption.started
    assert (member.status, step.kind, step.date, step.decision, step.note) == (
        Status.EXEMPTED,
        StatusChangeKind.EXEMPTED,
        D(2025, 4, 10),
        "03-NQ/CB",
        "Ốm đau, điều trị bệnh dài ngày",
    )
    # The meeting base and the classification read the same state on the day.
    assert member.state_on(D(2025, 5, 1)).status == Status.EXEMPTED
    end = services.member_exemption_end(user=secretary_a, member=member, on=D(2025, 10, 1), resolution="09-NQ/CB")
    exemption.refresh_from_db()
    member.refresh_from_db()
    assert (member.status, exemption.ended_id, end.kind) == (Status.FULL, end.pk, StatusChangeKind.EXEMPTION_END)
    page = client_for(secretary_a).get(reverse("members:detail", args=[member.pk]))
    assert "Ốm đau, điều trị bệnh dài ngày" in page.content.decode()
    assert (
        client_for(sibling)
        .post(reverse("members:exempt", args=[member.pk]), {"on": "01/11/2025", "resolution": "x", "reason": "age"})
        .status_code
        == 404
    )
    assert Exemption.objects.count() == 1
