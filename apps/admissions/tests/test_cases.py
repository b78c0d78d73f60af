import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.admissions.models import AdmissionStep, CaseState, Sponsor, StepKind, age_in_months
from apps.admissions.services import case_create, step_record
from apps.members.models import Member, Status, StatusChangeKind

pytestmark = pytest.mark.django_db


def _candidate(admin_user, tree, birth):
    return case_create(
        user=admin_user,
        organization=tree["cell_a"],
        family_name="Đỗ",
        given_name="Minh",
        gender="male",
        birth_date=birth,
        general_education="12/12",
    )


def test_age_in_months_counts_whole_months():
    assert age_in_months(dt.date(2007, 6, 25), dt.date(2025, 6, 25)) == 216
    assert age_in_months(dt.date(2007, 6, 25), dt.date(2025, 6, 24)) == 215
    assert age_in_months(dt.date(1965, 6, 25), dt.date(2025, 7, 24)) == 720
    assert age_in_months(dt.date(1965, 6, 25), dt.date(2025, 7, 25)) == 721


def test_exactly_18_on_the_day_the_cell_considers_is_accepted(admin_user, tree, advance):
    case = advance(_candidate(admin_user, tree, dt.date(2007, 6, 25)), StepKind.CELL_VOTE)
    step = step_record(user=admin_user, case=case, kind=StepKind.CELL_VOTE, on=dt.date(2025, 6, 25), votes_for=3)
    assert (step.votes_for, step.full_members) == (3, 3)


def test_a_day_short_of_18_is_refused_naming_the_rule(admin_user, tree, advance):
    case = advance(
        _candidate(admin_user, tree, dt.date(2007, 6, 25)),
        StepKind.CELL_VOTE,
        {StepKind.BIOGRAPHY: dt.date(2025, 6, 20)},
    )
    with pytest.raises(ValidationError) as e:
        step_record(user=admin_user, case=case, kind=StepKind.CELL_VOTE, on=dt.date(2025, 6, 24), votes_for=3)
    assert "17 tuổi 11 tháng (215 tháng)" in str(e.value)
    assert "từ 216 đến 720 tháng" in str(e.value) and "QĐ 294-QĐ/TW" in str(e.value)
    assert not case.steps.filter(kind=StepKind.CELL_VOTE).exists()


def test_60_years_in_months_is_accepted_and_a_month_more_refused(admin_user, tree, advance):
    # Born 25/05/1965: on 25/06/2025 the candidate is 60 years and 1 month (721 months).
    old = advance(_candidate(admin_user, tree, dt.date(1965, 5, 25)), StepKind.CELL_VOTE)
    with pytest.raises(ValidationError) as e:
        step_record(user=admin_user, case=old, kind=StepKind.CELL_VOTE, on=dt.date(2025, 6, 25), votes_for=3)
    assert "60 tuổi 1 tháng (721 tháng)" in str(e.value)
    # Born 25/06/1965: exactly 720 months on 25/06/2025.
    sixty = advance(_candidate(admin_user, tree, dt.date(1965, 6, 25)), StepKind.CELL_VOTE)
    step_record(user=admin_user, case=sixty, kind=StepKind.CELL_VOTE, on=dt.date(2025, 6, 25), votes_for=3)
    assert sixty.steps.filter(kind=StepKind.CELL_VOTE).count() == 1


def test_a_vote_short_of_two_thirds_is_refused_and_nothing_changes(admin_user, case, advance):
    case = advance(case, StepKind.CELL_VOTE)
    steps = AdmissionStep.objects.count()
    with pytest.raises(ValidationError) as e:
        step_record(user=admin_user, case=case, kind=StepKind.CELL_VOTE, on=dt.date(2025, 6, 25), votes_for=1)
    assert "1/3 đảng viên chính thức tán thành: chưa đủ 2/3" in str(e.value)
    assert AdmissionStep.objects.count() == steps
    # 2 of 3 is two thirds exactly: accepted.
    step_record(
        user=admin_user, case=case, kind=StepKind.CELL_VOTE, on=dt.date(2025, 6, 25), votes_for=2, votes_against=1
    )


def test_ineligible_sponsors_are_refused(admin_user, tree, case, advance, make_member, full_members):
    case = advance(case, StepKind.SPONSORS)
    on = dt.date(2025, 6, 13)
    recent: list = [(full_members[0], dt.date(2020, 1, 1)), (full_members[1], dt.date(2024, 7, 1))]
    with pytest.raises(ValidationError) as e:
        step_record(user=admin_user, case=case, kind=StepKind.SPONSORS, on=on, sponsors=recent)
    assert "công tác cùng người được giới thiệu từ 01/07/2024, đến 13/06/2025 chưa đủ 12 tháng" in str(e.value)
    probationary = make_member(
        tree["cell_a"], "Hồ Văn Dự", admission_date=dt.date(2025, 1, 5), full_membership_date=None
    )
    with pytest.raises(ValidationError) as e:
        step_record(
            user=admin_user,
            case=case,
            kind=StepKind.SPONSORS,
            on=on,
            sponsors=[(full_members[0], dt.date(2020, 1, 1)), (probationary, dt.date(2020, 1, 1))],
        )
    assert "chưa là đảng viên chính thức ngày 13/06/2025" in str(e.value)
    elsewhere = make_member(tree["cell_b"], "Mai Văn Khác")
    with pytest.raises(ValidationError) as e:
        step_record(
            user=admin_user,
            case=case,
            kind=StepKind.SPONSORS,
            on=on,
            sponsors=[(full_members[0], dt.date(2020, 1, 1)), (elsewhere, dt.date(2020, 1, 1))],
        )
    assert "không sinh hoạt tại Chi bộ khu phố 1" in str(e.value)
    with pytest.raises(ValidationError):
        step_record(
            user=admin_user, case=case, kind=StepKind.SPONSORS, on=on, sponsors=[(full_members[0], dt.date(2020, 1, 1))]
        )
    assert Sponsor.objects.count() == 0
    # The youth union's committee stands for one of the two.
    step_record(
        user=admin_user,
        case=case,
        kind=StepKind.SPONSORS,
        on=on,
        sponsors=[(full_members[0], dt.date(2020, 1, 1))],
        youth_union_committee="BCH Đoàn phường Bình Thắng",
    )
    assert Sponsor.objects.count() == 2


def test_steps_out_of_order_are_refused(admin_user, case):
    with pytest.raises(ValidationError) as e:
        step_record(user=admin_user, case=case, kind=StepKind.APPLICATION, on=dt.date(2025, 6, 2))
    assert "bước tiếp theo của hồ sơ là “Giới thiệu quần chúng ưu tú”" in str(e.value)
    step_record(user=admin_user, case=case, kind=StepKind.INTRODUCTION, on=dt.date(2025, 6, 2), introduced_by="cell")
    with pytest.raises(ValidationError) as e:
        step_record(user=admin_user, case=case, kind=StepKind.CLASS, on=dt.date(2025, 6, 1))
    assert "Ngày phải từ 02/06/2025 trở đi" in str(e.value)
    assert case.steps.count() == 1


def test_the_decision_admits_a_probationary_member_through_the_registry(admin_user, case, advance):
    case = advance(case, StepKind.CEREMONY)
    assert case.state == CaseState.PROBATION
    member = case.member
    assert (member.status, member.admission_date, member.full_name) == (
        Status.PROBATIONARY,
        dt.date(2025, 7, 7),
        "Võ Thị Hạnh",
    )
    assert [(c.kind, c.date) for c in member.status_changes.all()] == [(StatusChangeKind.ADMITTED, dt.date(2025, 7, 7))]


def test_a_late_ceremony_needs_its_reason(admin_user, case, advance):
    case = advance(case, StepKind.CEREMONY)
    # 30 working days after Mon 07/07/2025 end on Mon 18/08/2025 (no holiday in between).
    with pytest.raises(ValidationError) as e:
        step_record(user=admin_user, case=case, kind=StepKind.CEREMONY, on=dt.date(2025, 8, 19))
    assert "hạn 18/08/2025" in str(e.value)
    step_record(user=admin_user, case=case, kind=StepKind.CEREMONY, on=dt.date(2025, 8, 18))


def test_full_membership_dates_from_twelve_months_when_the_decision_is_40_days_late(admin_user, case, advance):
    case = advance(case, StepKind.RECOGNITION)
    with pytest.raises(ValidationError):
        step_record(user=admin_user, case=case, kind=StepKind.RECOGNITION, on=dt.date(2026, 8, 16))  # no number
    # The probation ends 07/07/2026; the committee decides 40 days later, on 16/08/2026.
    step_record(user=admin_user, case=case, kind=StepKind.RECOGNITION, on=dt.date(2026, 8, 16), number="88-QĐ/ĐU")
    member = Member.objects.get(pk=case.member_id)
    assert (member.status, member.full_membership_date) == (Status.FULL, dt.date(2026, 7, 7))
    recognized = member.status_changes.get(kind=StatusChangeKind.RECOGNIZED)
    assert (recognized.date, recognized.decision) == (dt.date(2026, 7, 7), "88-QĐ/ĐU")
    case.refresh_from_db()
    assert case.state == CaseState.RECOGNIZED


def test_the_review_waits_for_the_end_of_probation(admin_user, case, advance):
    case = advance(case, StepKind.REVIEW_VOTE)
    with pytest.raises(ValidationError) as e:
        step_record(user=admin_user, case=case, kind=StepKind.REVIEW_VOTE, on=dt.date(2026, 7, 6), votes_for=3)
    assert "Chưa hết 12 tháng dự bị (đến 07/07/2026)" in str(e.value)


def test_not_recognized_is_struck_off_with_the_decision(admin_user, case, advance):
    case = advance(case, StepKind.RECOGNITION)
    step_record(
        user=admin_user,
        case=case,
        kind=StepKind.RECOGNITION,
        on=dt.date(2026, 7, 20),
        number="90-QĐ/ĐU",
        approved=False,
    )
    member = Member.objects.get(pk=case.member_id)
    assert member.status == Status.STRUCK_OFF and member.full_membership_date is None
    assert member.status_changes.get(kind=StatusChangeKind.STRUCK_OFF).decision == "90-QĐ/ĐU"


def test_the_cell_secretary_cannot_record_the_committees_decision(admin_user, case, advance, secretary_a):
    case = advance(case, StepKind.PROPOSAL)
    with pytest.raises(PermissionDenied):
        step_record(user=secretary_a, case=case, kind=StepKind.PROPOSAL, on=dt.date(2025, 6, 30), number="1")
    assert case.steps.count() == 6


def test_an_expired_class_certificate_is_refused_at_the_cells_vote(admin_user, tree, advance):
    case = advance(
        _candidate(admin_user, tree, dt.date(1990, 1, 1)),
        StepKind.CELL_VOTE,
        {StepKind.INTRODUCTION: dt.date(2020, 5, 4), StepKind.CLASS: dt.date(2020, 6, 10)},
    )
    with pytest.raises(ValidationError) as e:
        step_record(user=admin_user, case=case, kind=StepKind.CELL_VOTE, on=dt.date(2025, 6, 25), votes_for=3)
    assert "chỉ có giá trị đến 09/06/2025" in str(e.value)


def test_the_cells_vote_is_read_from_the_meetings_vote_record(admin_user, tree, case, advance):
    from apps.meetings.models import Meeting, MeetingStatus, Vote, VoteKind

    case = advance(case, StepKind.CELL_VOTE)

    def vote(cell, day, kind=VoteKind.ADMISSION, votes_for=2):
        meeting = Meeting.objects.create(organization=cell, date=day, status=MeetingStatus.HELD)
        return Vote.objects.create(
            meeting=meeting, kind=kind, subject="Kết nạp", votes_for=votes_for, votes_against=1, base=3, is_valid=True
        )

    with pytest.raises(ValidationError) as e:
        step_record(
            user=admin_user,
            case=case,
            kind=StepKind.CELL_VOTE,
            on=dt.date(2025, 6, 25),
            meeting_vote=vote(tree["cell_b"], dt.date(2025, 6, 25)),
        )
    assert "không thuộc cuộc sinh hoạt của chi bộ" in str(e.value)
    with pytest.raises(ValidationError) as e:
        step_record(
            user=admin_user,
            case=case,
            kind=StepKind.CELL_VOTE,
            on=dt.date(2025, 6, 25),
            meeting_vote=vote(tree["cell_a"], dt.date(2025, 6, 25), kind=VoteKind.RECOGNITION),
        )
    assert "không phải loại “Công nhận đảng viên chính thức”" in str(e.value)
    with pytest.raises(ValidationError) as e:
        step_record(
            user=admin_user,
            case=case,
            kind=StepKind.CELL_VOTE,
            on=dt.date(2025, 6, 25),
            meeting_vote=vote(tree["cell_a"], dt.date(2025, 6, 25), votes_for=1),
        )
    assert "1/3 đảng viên chính thức tán thành" in str(e.value)
    assert not case.steps.filter(kind=StepKind.CELL_VOTE).exists()
    recorded = vote(tree["cell_a"], dt.date(2025, 6, 25))
    step = step_record(
        user=admin_user,
        case=case,
        kind=StepKind.CELL_VOTE,
        on=dt.date(2025, 6, 25),
        meeting_vote=recorded,
        votes_for=99,
    )
    assert (step.votes_for, step.votes_against, step.full_members, step.meeting_vote_id) == (2, 1, 3, recorded.pk)
