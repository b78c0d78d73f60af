"""Reads of admission cases: each case's plan (deadlines, what is missing), probations ending and
overdue, and the member page's timeline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.scoping import CHANGE, scope_for
from apps.core.templatetags.vn import format_date
from apps.members.models import PROBATION_MONTHS, Member, Status

from .models import ORDER, AdmissionCase, AdmissionStep, CaseState, LifecycleRuleSet, StepKind
from .services import (
    age_problem,
    ceremony_deadline,
    certificate_problem,
    expected_next,
    probation_end,
    review_deadline,
)
from .workdays import Deadline

NOTICE_DAYS = 30  # probations ending within this many days are listed as ending


@dataclass
class PlanRow:
    kind: str
    label: str
    step: AdmissionStep | None = None
    deadline: Deadline | None = None
    note: str = ""
    is_next: bool = False
    late: bool = False


@dataclass
class CasePlan:
    rows: list[PlanRow]
    next_kind: str | None
    missing: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    rule_set: LifecycleRuleSet | None = None
    probation_end: dt.date | None = None

    @property
    def next_kind_label(self) -> str:
        return str(StepKind(self.next_kind).label) if self.next_kind else ""


def case_plan(case: AdmissionCase, today: dt.date) -> CasePlan:
    steps = {s.kind: s for s in case.steps.all()}
    nxt = expected_next(case, steps)
    try:
        rs = LifecycleRuleSet.in_force_on(today)
    except Exception:  # no set declared: the page says so through `problems`
        rs = None
    plan = CasePlan(rows=[], next_kind=nxt, rule_set=rs, probation_end=probation_end(case, steps))
    for kind in ORDER:
        row = PlanRow(kind=kind, label=str(StepKind(kind).label), step=steps.get(kind), is_next=kind == nxt)
        if kind == StepKind.CLASS and row.step and row.step.valid_until:
            row.note = _("Giấy chứng nhận có giá trị đến %(day)s (%(years)s năm).") % {
                "day": format_date(row.step.valid_until),
                "years": row.step.rule_set.certificate_years,
            }
        if kind == StepKind.CELL_VOTE and row.step is None and rs is not None:
            lo = case.birth_date + relativedelta(months=rs.min_age_months)
            hi = case.birth_date + relativedelta(months=rs.max_age_months + 1) - dt.timedelta(days=1)
            row.note = _("Chi bộ xét trong khoảng %(lo)s – %(hi)s (tuổi từ %(a)s đến %(b)s tháng, %(rules)s).") % {
                "lo": format_date(lo),
                "hi": format_date(hi),
                "a": rs.min_age_months,
                "b": rs.max_age_months,
                "rules": rs.label,
            }
        if kind == StepKind.CEREMONY and StepKind.DECISION in steps:
            row.deadline = ceremony_deadline(steps[StepKind.DECISION])
        if kind == StepKind.REVIEW_VOTE and plan.probation_end:
            row.deadline = review_deadline(plan.probation_end, steps[StepKind.DECISION].rule_set)
            row.note = _("Hết %(m)s tháng dự bị ngày %(day)s.") % {
                "m": steps[StepKind.DECISION].rule_set.probation_months,
                "day": format_date(plan.probation_end),
            }
        if kind == StepKind.RECOGNITION and plan.probation_end:
            row.note = _("Ngày chính thức tính từ %(day)s, kể cả khi quyết định ban hành muộn hơn.") % {
                "day": format_date(plan.probation_end)
            }
        if row.deadline:
            done_on = row.step.date if row.step else None
            row.late = (done_on or today) > row.deadline.date
        plan.rows.append(row)
    if nxt is not None:
        position = ORDER.index(nxt)
        plan.missing = [str(StepKind(k).label) for k in ORDER[position:] if k not in steps]
    if rs is None:
        plan.problems.append(_("Chưa có bộ quy tắc kết nạp, dự bị áp dụng cho hôm nay."))
    elif case.state == CaseState.OPEN and StepKind.CELL_VOTE not in steps:
        for problem in (age_problem(case, today, rs), certificate_problem(steps, today)):
            if problem:
                plan.problems.append(problem)
        if not case.general_education and not case.education_exception:
            plan.problems.append(_("Chưa ghi trình độ giáo dục phổ thông (hoặc trường hợp ngoại lệ)."))
    for row in plan.rows:
        if row.late and row.step is None and row.deadline is not None:
            plan.problems.append(
                _("Quá hạn “%(kind)s”: hạn %(day)s.") % {"kind": row.label, "day": format_date(row.deadline.date)}
            )
    return plan


def cases_for(user: User):
    """The cases the user's committee roles reach: the cell committee and the committees above."""
    return AdmissionCase.objects.restrict(user, CHANGE).select_related("organization")


@dataclass
class ProbationRow:
    member: Member
    ends_on: dt.date
    case: AdmissionCase | None
    review_deadline: Deadline | None
    overdue: bool


def probations(user: User, organization=None, today: dt.date | None = None) -> dict:
    """Probationary members in reach (a cell's or a subtree's) whose 12 months end within
    NOTICE_DAYS, and those past the end and not yet recognized."""
    assert today is not None
    members = Member.objects.restrict(user, CHANGE).filter(status=Status.PROBATIONARY)
    if organization is not None:
        members = members.in_subtree(organization)
    # end = admission + 12 months; a few days of margin for month ends, checked exactly below.
    latest_admission = today + dt.timedelta(days=NOTICE_DAYS + 3) - relativedelta(months=PROBATION_MONTHS)
    members = members.filter(admission_date__lte=latest_admission).select_related("organization")
    rows = list(members.order_by("admission_date", "sort_key", "pk")[:2000])
    cases = {
        c.member_id: c for c in AdmissionCase.objects.restrict(user, CHANGE).filter(member__in=[m.pk for m in rows])
    }
    ending: list[ProbationRow] = []
    overdue: list[ProbationRow] = []
    soon = today + dt.timedelta(days=NOTICE_DAYS)
    rule_sets: dict = {}
    for member in rows:
        end = member.probation_end_date
        if end is None or end > soon:
            continue
        case = cases.get(member.pk)
        deadline = None
        if end < today:
            if end not in rule_sets:
                try:
                    rule_sets[end] = LifecycleRuleSet.in_force_on(end)
                except Exception:
                    rule_sets[end] = None
            if rule_sets[end] is not None:
                deadline = review_deadline(end, rule_sets[end])
        row = ProbationRow(member, end, case, deadline, end < today)
        (overdue if row.overdue else ending).append(row)
    return {"ending": ending, "overdue": overdue, "soon": soon}


def member_page_section(user: User, member) -> dict:
    """The member page's admission and probation timeline: the steps' kinds and dates, seen by the
    member themselves and by the committees that reach the cell; the case's details (votes,
    biography check) only by the latter, on the case page."""
    scope = scope_for(user)
    own = scope.member_id == member.pk
    case = AdmissionCase.objects.restrict(user, CHANGE).filter(member=member).first()
    can_open = case is not None
    if case is None and own:
        case = AdmissionCase.objects.vouched("the member's own admission timeline").filter(member=member).first()
    if case is None:
        return {"admission_timeline": None}
    steps = list(case.steps.order_by("date", "pk"))
    hidden = {StepKind.BIOGRAPHY} if not can_open else set()
    return {
        "admission_timeline": [s for s in steps if s.kind not in hidden],
        "admission_case": case if can_open else None,
    }


def reachable_organization(user: User, raw: str):
    """The organization named by an id, when the user's committee reach includes it (else None)."""
    from apps.organizations.models import Organization

    if not str(raw).isdigit():
        return None
    return Organization.objects.restrict(user, CHANGE).filter(pk=int(raw)).first()


def admissions_summary(user: User, today: dt.date) -> dict:
    """The home page's figures: cases under consideration, probations ending soon or overdue."""
    open_cases = cases_for(user).filter(state=CaseState.OPEN).count()
    listed = probations(user, None, today)
    return {"open": open_cases, "probation_due": len(listed["ending"]) + len(listed["overdue"])}
