"""Who a cell should consider for striking off, from the meeting rolls, the dues ledger and the
year-end classification (QĐ 24 §8.1); each bounded by a constant number of queries."""

from collections import defaultdict
from datetime import date

from django.contrib.auth.models import AbstractUser
from django.db.models import OuterRef, Subquery
from django.db.models.functions import ExtractMonth
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.scoping import VIEW
from apps.dues.selectors import unpaid_three_months
from apps.evaluations.models import Evaluation, Level, State, Subject
from apps.meetings.models import Attendance, Presence
from apps.members.models import CURRENT_STATUSES, LifecycleRuleSet, Member
from apps.organizations.models import Organization

from .models import Ground, ScreeningCase


def _months(months) -> str:
    return ", ".join(str(m) for m in sorted(months))


def absent_months(member_ids, year: int) -> dict[int, set[int]]:
    """{member id: months of `year` with a meeting missed without reason}: one query."""
    rows = (
        Attendance.objects.filter(member__in=member_ids, meeting__date__year=year, presence=Presence.UNEXCUSED)
        .annotate(month=ExtractMonth("meeting__date"))
        .values_list("member_id", "month")
        .distinct()
    )
    out: dict[int, set[int]] = defaultdict(set)
    for member_id, month in rows:
        out[member_id].add(month)
    return out


def short_years(member_ids, years: list[int]) -> dict[int, set[int]]:
    """{member id: years among `years` decided at the lowest level of their rule set}: one query."""
    lowest = Level.objects.filter(rule_set=OuterRef("rule_set")).order_by("-code").values("code")[:1]
    rows = (
        Evaluation.objects.filter(
            subject=Subject.MEMBER, state=State.DECIDED, member__in=member_ids, year__in=years, level__isnull=False
        )
        .annotate(lowest=Subquery(lowest))
        .values_list("member_id", "year", "level__code", "lowest")
    )
    out: dict[int, set[int]] = defaultdict(set)
    for member_id, year, code, low in rows:
        if code == low:
            out[member_id].add(year)
    return out


def proposals(user: User, organization: Organization, year: int) -> list[dict]:
    """Current members of the subtree the user sees who meet a ground in `year`, with the grounds
    and what they rest on; members with a case for the year already are left out."""
    rules = LifecycleRuleSet.in_force_on(date(year, 12, 31))
    members_qs = Member.objects.restrict_within(user, organization, VIEW).filter(status__in=CURRENT_STATUSES)
    ids = members_qs.values("pk")
    grounds: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for member_id, months in absent_months(ids, year).items():
        if len(months) >= rules.screening_months:
            grounds[member_id].append(
                (Ground.ABSENT, _("Vắng không lý do các tháng %(m)s/%(y)s") % {"m": _months(months), "y": year})
            )
    for row in unpaid_three_months(organization, year, user):
        unpaid = [m.month for m in row["months"]]
        if len(unpaid) >= rules.screening_months:
            grounds[row["member"].pk].append(
                (Ground.UNPAID, _("Chưa đóng đảng phí các tháng %(m)s/%(y)s") % {"m": _months(unpaid), "y": year})
            )
    span = list(range(year - rules.screening_short_years + 1, year + 1))
    for member_id, years in short_years(ids, span).items():
        if len(years) >= rules.screening_short_years:
            grounds[member_id].append(
                (
                    Ground.SHORT_TWO_YEARS,
                    _("Không hoàn thành nhiệm vụ các năm %(y)s") % {"y": ", ".join(str(y) for y in sorted(years))},
                )
            )
    if not grounds:
        return []
    taken = set(ScreeningCase.objects.filter(member__in=list(grounds), year=year).values_list("member_id", flat=True))
    members = (
        members_qs.filter(pk__in=[pk for pk in grounds if pk not in taken])
        .select_related("organization")
        .order_by("org_path", "sort_key", "pk")
    )
    return [{"member": m, "grounds": grounds[m.pk]} for m in members]


def cases(user: AbstractUser, organization: Organization):
    return (
        ScreeningCase.objects.restrict_within(user, organization, VIEW)
        .select_related("member", "organization")
        .order_by("-year", "org_path", "member__sort_key", "pk")
    )


def member_page_section(user: AbstractUser, member) -> dict:
    """The member page lists the member's screening cases (the member sees their own)."""
    found = ScreeningCase.objects.restrict(user).filter(member=member).order_by("-year", "-pk")
    return {
        "screening_cases": [
            {
                "url": reverse("screening:case", args=[c.pk]),
                "label": _("Năm %(y)s: %(stage)s") % {"y": c.year, "stage": c.get_stage_display()},
            }
            for c in found
        ]
    }
