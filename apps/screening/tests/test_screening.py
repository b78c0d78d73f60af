"""Screening: proposals from the rolls, the dues ledger and the classification (hand-computed),
the cell's 2/3 vote, the committee's decision, and the boundaries."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.core.roles import Role
from apps.dues.models import Category
from apps.dues.services import basis_add
from apps.evaluations import rulesets
from apps.evaluations.models import Criterion, Evaluation, Frame, Level, RuleSet, State
from apps.evaluations.services import campaign_open
from apps.meetings.tests.conftest import held_meeting
from apps.members.models import Member, Status, StatusChangeKind
from apps.organizations.models import Kind
from apps.organizations.services import organization_create
from apps.screening import selectors, services
from apps.screening.models import Ground, ScreeningCase, Stage

D = dt.date
TODAY = timezone.localdate().strftime("%d/%m/%Y")


def snapshot(member):
    m = Member.objects.get(pk=member.pk)
    return (
        m.status,
        m.status_changes.count(),
        ScreeningCase.objects.filter(member=m).values_list("stage", flat=True).first(),
    )


@pytest.fixture
def roll(tree, make_member):
    cell = tree["cell_a"]
    absent = make_member(cell, "Lê Văn Vắng")
    twice = make_member(cell, "Lê Văn Hai")
    present = make_member(cell, "Lê Văn Có")
    held_meeting(cell, D(2025, 1, 10), present=[present], unexcused=[absent, twice])
    held_meeting(cell, D(2025, 2, 10), present=[present, absent], unexcused=[twice])
    held_meeting(cell, D(2025, 3, 10), present=[present, twice], unexcused=[absent])
    held_meeting(cell, D(2025, 3, 20), present=[present, twice], unexcused=[absent])
    held_meeting(cell, D(2025, 4, 10), present=[present, absent], excused=[twice])
    held_meeting(cell, D(2025, 6, 10), present=[present, twice], unexcused=[absent])
    return {"absent": absent, "twice": twice, "present": present}


@pytest.mark.django_db
def test_proposals_from_meeting_absences(roll, tree, ward_staff):
    rows = selectors.proposals(ward_staff, tree["ward"], 2025)
    assert [(r["member"].pk, r["grounds"]) for r in rows] == [
        (roll["absent"].pk, [(Ground.ABSENT, "Vắng không lý do các tháng 1, 3, 6/2025")])
    ]
    assert selectors.proposals(ward_staff, tree["ward"], 2024) == []
    # Once a case is open for the year, the member is no longer proposed.
    services.case_open(user=ward_staff, member=roll["absent"], year=2025, grounds=[Ground.ABSENT], on=D(2026, 1, 5))
    assert selectors.proposals(ward_staff, tree["ward"], 2025) == []


@pytest.mark.django_db
def test_proposals_from_dues_and_two_years_short(tree, make_member, admin_user, ward_staff):
    cell = tree["cell_b"]
    unpaid = make_member(cell, "Trần Văn Nợ")
    basis_add(user=admin_user, member=unpaid, category=Category.INSURED, amount=5_000_000, since=D(2025, 1, 1))
    short = make_member(cell, "Trần Văn Kém")
    once = make_member(cell, "Trần Văn Một")
    rulesets.load(RuleSet, Level, Frame, Criterion)
    for year in (2024, 2025):
        campaign_open(
            user=admin_user,
            organization=tree["ward"],
            year=year,
            self_review_due=D(year, 12, 5),
            review_due=D(year, 12, 15),
            decision_due=D(year, 12, 31),
        )
    for ev in Evaluation.objects.filter(member__in=[short, once]).select_related("rule_set"):
        lowest = ev.rule_set.levels.order_by("-code").first()
        if ev.member_id == short.pk or ev.year == 2025:
            Evaluation.objects.filter(pk=ev.pk).update(state=State.DECIDED, level=lowest)
    rows = selectors.proposals(ward_staff, tree["ward"], 2025)
    assert [(r["member"].pk, [g for g, _t in r["grounds"]]) for r in rows] == [
        (short.pk, [Ground.SHORT_TWO_YEARS]),
        (unpaid.pk, [Ground.UNPAID]),
    ]
    texts = {r["member"].pk: r["grounds"][0][1] for r in rows}
    assert texts[short.pk] == "Không hoàn thành nhiệm vụ các năm 2024, 2025"
    assert texts[unpaid.pk] == "Chưa đóng đảng phí các tháng 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12/2025"


@pytest.mark.django_db
def test_proposal_queries_do_not_grow_with_cells(roll, tree, make_member, ward_staff, admin_user):
    selectors.proposals(ward_staff, tree["ward"], 2025)  # the scope, loaded once
    with CaptureQueriesContext(connection) as few:
        selectors.proposals(ward_staff, tree["ward"], 2025)
    for i in range(3):
        cell = organization_create(
            user=admin_user,
            name=f"Chi bộ {i + 5}",
            code=f"T-BT-{i + 5}",
            kind=Kind.CELL,
            sector="residential",
            parent=tree["ward"],
            founded_on=D(2000, 1, 1),
        )
        m = make_member(cell, f"Phan Văn {'XYZ'[i]}")
        for month in (1, 2, 3):
            held_meeting(cell, D(2025, month, 5), unexcused=[m])
    with CaptureQueriesContext(connection) as many:
        rows = selectors.proposals(ward_staff, tree["ward"], 2025)
    assert len(rows) == 4
    assert len(many) == len(few)


@pytest.mark.django_db
def test_vote_two_thirds_and_decision_strike_off(roll, tree, secretary_a, ward_staff):
    member = roll["absent"]
    case = services.case_open(user=secretary_a, member=member, year=2025, grounds=[Ground.ABSENT], on=D(2026, 1, 5))
    assert (case.stage, case.org_path, case.rule_set.strike_off_vote_numerator) == (Stage.OPEN, tree["cell_a"].path, 2)
    with pytest.raises(ValidationError) as err:
        services.case_cell_vote(
            user=secretary_a, case=case, meeting_on=D(2026, 1, 10), full_members=9, votes_for=7, votes_against=3
        )
    assert err.value.message_dict["votes_for"] == ["Số phiếu (10) nhiều hơn số đảng viên chính thức (9)."]
    # 6 of 9 full members is exactly 2/3: carried.
    services.case_cell_vote(
        user=secretary_a, case=case, meeting_on=D(2026, 1, 10), full_members=9, votes_for=6, votes_against=3
    )
    assert case.stage == Stage.CELL_VOTED
    # The cell's secretary does not decide: the committee above does.
    with pytest.raises(PermissionDenied):
        services.case_decide(
            user=secretary_a, case=case, decided_on=D(2026, 1, 20), decision="15-QĐ/ĐU", strike_off=True
        )
    assert snapshot(member) == (Status.FULL, 2, Stage.CELL_VOTED)
    with pytest.raises(ValidationError) as err:
        services.case_decide(user=ward_staff, case=case, decided_on=D(2026, 1, 20), decision="", strike_off=True)
    assert err.value.message_dict["decision"] == ["Hãy ghi số quyết định xóa tên."]
    services.case_decide(user=ward_staff, case=case, decided_on=D(2026, 1, 20), decision="15-QĐ/ĐU", strike_off=True)
    member.refresh_from_db()
    assert (member.status, member.status_since) == (Status.STRUCK_OFF, D(2026, 1, 20))
    step = member.status_changes.order_by("-pk").first()
    assert (step.kind, step.decision, step.note) == (
        StatusChangeKind.STRUCK_OFF,
        "15-QĐ/ĐU",
        "Bỏ sinh hoạt đảng không có lý do chính đáng 3 tháng trong năm",
    )
    case.refresh_from_db()
    assert (case.stage, case.status_change_id, case.decided_by_org_id) == (Stage.STRUCK_OFF, step.pk, tree["ward"].pk)


@pytest.mark.django_db
def test_vote_short_of_two_thirds_keeps_the_member(roll, secretary_a):
    member = roll["absent"]
    case = services.case_open(user=secretary_a, member=member, year=2025, grounds=[Ground.ABSENT], on=D(2026, 1, 5))
    services.case_cell_vote(
        user=secretary_a, case=case, meeting_on=D(2026, 1, 10), full_members=9, votes_for=5, votes_against=4
    )
    assert case.stage == Stage.KEPT
    assert (
        case.note == "Chi bộ biểu quyết 5/9 đảng viên chính thức tán thành, chưa đủ 2/3 (QĐ 24 §4.2.3): không xóa tên."
    )
    member.refresh_from_db()
    assert member.status == Status.FULL


@pytest.mark.django_db
def test_screening_boundaries(roll, tree, make_user, client_for, secretary_a, ward_staff):
    member = roll["absent"]
    sibling = make_user("bithu_b", Role.CELL_SECRETARY, tree["cell_b"], include_subtree=False)
    other_ward = make_user("dangu_dh", Role.COMMITTEE_STAFF, tree["ward2"])
    plain = make_user("dv", Role.MEMBER, tree["cell_a"], member=roll["present"])
    for user in (sibling, other_ward, plain):
        with pytest.raises(PermissionDenied):
            services.case_open(user=user, member=member, year=2025, grounds=[Ground.ABSENT])
        assert (
            client_for(user)
            .post(reverse("screening:open", args=[member.pk]) + "?year=2025", {"grounds": ["absent"]})
            .status_code
            == 404
        )
    assert ScreeningCase.objects.count() == 0
    assert client_for(plain).get(reverse("screening:index")).status_code == 404
    assert client_for(other_ward).get(reverse("screening:index") + f"?org={tree['ward'].pk}").status_code == 404
    page = client_for(sibling).get(reverse("screening:index") + "?year=2025")
    assert page.status_code == 200 and "Lê Văn Vắng" not in page.content.decode()
    # Through the pages: the secretary proposes and the cell votes, the ward decides.
    client = client_for(secretary_a)
    page = client.get(reverse("screening:index") + "?year=2025")
    assert "Lê Văn Vắng" in page.content.decode()
    response = client.post(
        reverse("screening:open", args=[member.pk]) + "?year=2025", {"grounds": ["absent"], "detail": "x"}
    )
    case = ScreeningCase.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("screening:case", args=[case.pk])
    for user in (sibling, other_ward, plain):
        assert (
            client_for(user)
            .post(
                reverse("screening:vote", args=[case.pk]),
                {"meeting_on": "10/01/2026", "full_members": 3, "votes_for": 3, "votes_against": 0},
            )
            .status_code
            == 404
        )
    case.refresh_from_db()
    assert case.stage == Stage.OPEN
    client = client_for(secretary_a)
    assert (
        client.post(
            reverse("screening:vote", args=[case.pk]),
            {"meeting_on": TODAY, "full_members": 3, "votes_for": 3, "votes_against": 0},
        ).status_code
        == 302
    )
    assert (
        client.post(
            reverse("screening:decide", args=[case.pk]),
            {"strike_off": "1", "decided_on": TODAY, "decision": "1"},
        ).status_code
        == 404
    )
    assert client_for(other_ward).get(reverse("screening:case", args=[case.pk])).status_code == 404
    response = client_for(ward_staff).post(
        reverse("screening:decide", args=[case.pk]),
        {"strike_off": "1", "decided_on": TODAY, "decision": "15-QĐ/ĐU"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.status == Status.STRUCK_OFF
    # The member page lists the case.
    page = client_for(ward_staff).get(reverse("members:detail", args=[member.pk]))
    assert reverse("screening:case", args=[case.pk]) in page.content.decode()
