"""Demo rows of the admissions app: candidates at every stage in Bình Thắng's cells, members on
probation ending this month (and one overdue), one recognized, one stopped. Every step goes
through apps.admissions.services, so the demo obeys the same rules as the pages."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.admissions.models import ORDER, LifecycleRuleSet, StepKind
from apps.admissions.services import case_create, full_members_on, sponsor_problem, step_record
from apps.admissions.workdays import add_working_days
from apps.members.models import Member, Status

CANDIDATES = [
    ("Nguyễn", "Thị", "Lan", "female", dt.date(1999, 4, 12)),
    ("Trần", "Văn", "Khoa", "male", dt.date(1997, 9, 3)),
    ("Lê", "Thị", "Mai", "female", dt.date(2001, 1, 22)),
    ("Phạm", "Minh", "Tuấn", "male", dt.date(1995, 11, 30)),
    ("Hoàng", "Thị", "Ngọc", "female", dt.date(1998, 6, 8)),
    ("Võ", "Văn", "Phúc", "male", dt.date(2000, 2, 14)),
    ("Đặng", "Thị", "Thu", "female", dt.date(1996, 8, 19)),
    ("Bùi", "Quốc", "Huy", "male", dt.date(1994, 12, 5)),
    ("Đỗ", "Thị", "Hằng", "female", dt.date(2002, 3, 27)),
    ("Huỳnh", "Văn", "Nam", "male", dt.date(1993, 7, 16)),
    ("Ngô", "Thị", "Yến", "female", dt.date(1999, 10, 1)),
    ("Dương", "Văn", "Lộc", "male", dt.date(1997, 5, 9)),
    ("Lý", "Thị", "Hoa", "female", dt.date(2000, 12, 24)),
]


def _sponsors(cell, on):
    rs = LifecycleRuleSet.in_force_on(on)
    found = []
    for m in Member.objects.filter(organization=cell, status=Status.FULL).order_by("pk")[:12]:
        if sponsor_problem(m, dt.date(2015, 1, 1), _Case(cell), on, rs) is None:
            found.append((m, dt.date(2015, 1, 1)))
        if len(found) == 2:
            return found
    return None


class _Case:
    def __init__(self, cell):
        self.organization = cell
        self.organization_id = cell.pk


def _record(admin, case, kinds, dates, sponsors):
    cell = case.organization
    for kind in kinds:
        on = dates[kind]
        extra: dict = {}
        if kind == StepKind.INTRODUCTION:
            extra = {"introduced_by": "youth_union", "body": "Đoàn phường Bình Thắng"}
        elif kind == StepKind.CLASS:
            extra = {"number": f"{case.pk}/GCN-TTCT", "body": "Trung tâm Chính trị"}
        elif kind == StepKind.SPONSORS:
            extra = {"sponsors": sponsors}
        elif kind == StepKind.BIOGRAPHY:
            extra = {"person": "Văn phòng Đảng ủy phường", "note": "Lý lịch rõ ràng."}
        elif kind in (StepKind.CELL_VOTE, StepKind.REVIEW_VOTE):
            n = full_members_on(cell, on)
            extra = {"votes_for": n, "votes_against": 0, "full_members": n}
        elif kind == StepKind.PROPOSAL:
            extra = {"number": f"{case.pk}-TTr/ĐU"}
        elif kind == StepKind.DECISION:
            extra = {"number": f"{case.pk}-QĐ/ĐU"}
        elif kind == StepKind.RECOGNITION:
            extra = {"number": f"{case.pk + 100}-QĐ/ĐU"}
        step_record(user=admin, case=case, kind=kind, on=on, **extra)


def _admission_dates(decision: dt.date) -> dict:
    """Steps before a decision, spaced back from it."""
    offsets = {
        StepKind.INTRODUCTION: 120,
        StepKind.CLASS: 100,
        StepKind.APPLICATION: 90,
        StepKind.SPONSORS: 85,
        StepKind.BIOGRAPHY: 60,
        StepKind.CELL_VOTE: 40,
        StepKind.PROPOSAL: 25,
        StepKind.DECISION: 0,
    }
    return {k: decision - dt.timedelta(days=d) for k, d in offsets.items()}


def seed(context) -> None:
    admin = context["admin"]
    today = context.get("today") or timezone.localdate()
    log = context.get("log", print)
    cells = [c for c in context["cells"] if c.is_cell and c.ended_on is None]
    # (steps done, decision date) per candidate: every stage of admission, then probation.
    ends_this_month = min(
        today + dt.timedelta(days=10), (today.replace(day=1) + relativedelta(months=1)) - dt.timedelta(days=1)
    )
    probation_decision = ends_this_month - relativedelta(months=12)
    plans: list[tuple[int, dt.date, str]] = []
    for done in range(1, 8):  # introduction … proposal recorded, waiting for the next step
        plans.append((done, today - dt.timedelta(days=5), "open"))
    plans.append((9, probation_decision, "probation"))  # decided and sworn in, probation ends this month
    plans.append((9, probation_decision, "probation"))
    plans.append((9, today - relativedelta(months=12) - dt.timedelta(days=20), "overdue"))
    plans.append((11, today - relativedelta(months=14), "recognized"))
    plans.append((8, today - dt.timedelta(days=3), "decided"))  # decided, ceremony not yet held
    plans.append((2, today - dt.timedelta(days=40), "stopped"))
    made = 0
    for i, (done, anchor, label) in enumerate(plans):
        if not cells:
            break
        cell = cells[i % len(cells)]
        family, middle, given, gender, birth = CANDIDATES[i % len(CANDIDATES)]
        case = case_create(
            user=admin,
            organization=cell,
            family_name=family,
            middle_name=middle,
            given_name=given,
            gender=gender,
            birth_date=birth,
            ethnicity="Kinh",
            hometown="Bình Đông",
            residence=f"Khu phố {i % 5 + 1}, phường Bình Thắng",
            occupation="Công chức" if i % 2 else "Giáo viên",
            general_education="12/12",
        )
        if label == "open":
            # Steps recorded so far end a few days ago; space them back from there.
            dates = _admission_dates(anchor + dt.timedelta(days=25 * (8 - done) // 8))
            dates = {k: min(v, today) for k, v in dates.items()}
        else:
            dates = _admission_dates(anchor)
        dates[StepKind.CEREMONY] = min(add_working_days(anchor, 10).date, today)
        end = anchor + relativedelta(months=12)
        dates[StepKind.REVIEW_VOTE] = end + dt.timedelta(days=5)
        dates[StepKind.RECOGNITION] = end + dt.timedelta(days=20)
        sponsors = _sponsors(cell, dates[StepKind.SPONSORS])
        if sponsors is None:
            continue
        try:
            _record(admin, case, ORDER[:done], dates, sponsors)
            if label == "stopped":
                step_record(
                    user=admin,
                    case=case,
                    kind=StepKind.STOPPED,
                    on=today - dt.timedelta(days=20),
                    note="Chuyển công tác ra ngoài địa bàn.",
                )
        except ValidationError as e:
            log(f"  admissions demo: {case.full_name}: {e.messages}")
            continue
        made += 1
    log(f"  admissions: {made} hồ sơ kết nạp")
