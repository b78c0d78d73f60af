"""The rules applied: thresholds, the cap on the top level, discipline, who is not classified,
and percentages as officials publish them. Pure functions of a rule set and the data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext as _

from apps.core.templatetags.vn import format_decimal

from .models import CapBase, CapRounding, NotClassifiedReason, RuleSet


def largest_remainder(counts: list[int], places: int = 1) -> list[Decimal]:
    """Percentages of the total with `places` decimals that sum to exactly 100 (Hamilton's method).

    34, 135, 9 of 178 → 19.1, 75.8, 5.1; 1, 1, 1 → 33.4, 33.3, 33.3.
    """
    total = sum(counts)
    if total <= 0:
        return [Decimal(0).scaleb(-places) for _ in counts]
    units = 100 * 10**places
    exact = [Fraction(c * units, total) for c in counts]
    floors = [int(x) for x in exact]
    left = units - sum(floors)
    # Largest remainder first; on a tie the larger count, then the earlier row.
    order = sorted(range(len(counts)), key=lambda i: (-(exact[i] - floors[i]), -counts[i], i))
    for i in order[:left]:
        floors[i] += 1
    return [Decimal(f).scaleb(-places) for f in floors]


def level_for_points(rule_set: RuleSet, points) -> int | None:
    """The best level whose threshold the points reach, by the set's thresholds."""
    if points is None or not rule_set.uses_points:
        return None
    points = Decimal(str(points))
    levels = sorted((lv for lv in rule_set.levels.all() if lv.min_points is not None), key=lambda lv: lv.code)
    for lv in levels:
        if points >= lv.min_points:
            return lv.code
    return max((lv.code for lv in rule_set.levels.all()), default=None)


@dataclass
class CapResult:
    top: int
    base: int
    allowed: int
    percent: Decimal

    @property
    def over(self) -> int:
        return max(0, self.top - self.allowed)


def cap_allowed(rule_set: RuleSet, base: int) -> int:
    exact = Fraction(base) * Fraction(str(rule_set.cap_percent)) / 100
    if rule_set.cap_rounding == CapRounding.NEAREST:
        return int(exact + Fraction(1, 2))
    return int(exact)


def cap_check(rule_set: RuleSet, level_codes: list[int]) -> CapResult | None:
    """Check the top-level count of a group against the cap; None when the set has no cap."""
    if rule_set.cap_percent is None:
        return None
    top = sum(1 for c in level_codes if c == 1)
    if rule_set.cap_base == CapBase.GOOD_OR_BETTER:
        base = sum(1 for c in level_codes if c in (1, 2))
    elif rule_set.cap_base == CapBase.GOOD_ONLY:
        base = sum(1 for c in level_codes if c == 2)
    else:
        base = len(level_codes)
    return CapResult(top=top, base=base, allowed=cap_allowed(rule_set, base), percent=rule_set.cap_percent)


def cap_warning(rule_set: RuleSet, result: CapResult, group_name: str, top_label: str) -> str:
    """ "vượt 2 người so với mức tối đa 20% (6 người)" with the rule that says so."""
    from .models import Subject

    unit = _("người") if rule_set.subject == Subject.MEMBER else _("tổ chức")
    return _(
        "Số “%(level)s” ở %(group)s là %(top)s %(unit)s, vượt %(over)s %(unit)s so với mức tối đa "
        "%(pct)s%% (%(allowed)s %(unit)s) của %(base_label)s (%(base)s) theo %(rule)s."
    ) % {
        "unit": unit,
        "level": top_label,
        "group": group_name,
        "top": result.top,
        "over": result.over,
        "pct": format_decimal(result.percent, 0 if result.percent == int(result.percent) else 1),
        "allowed": result.allowed,
        "base_label": CapBase(rule_set.cap_base).label.lower(),
        "base": result.base,
        "rule": rule_set.citation,
    } + (_(" [?: tham số tỷ lệ tối đa chưa đối chiếu được với văn bản gốc]") if _cap_unsure(rule_set) else "")


def _cap_unsure(rule_set: RuleSet) -> bool:
    return any(f in (rule_set.unconfirmed or []) for f in ("cap_percent", "cap_base", "cap_grouping", "cap_rounding"))


def not_classified_reason(rule_set: RuleSet, member, year: int) -> str:
    """The reason the set gives for not classifying the member in `year`, or ""."""
    from apps.members.models import Status

    enabled = set(rule_set.not_classified or [])
    end = date(year, 12, 31)
    status = member.state_on(end).status
    in_year = [c.status for c in member.status_changes.all() if date(year, 1, 1) <= c.date <= end]
    if NotClassifiedReason.SUSPENDED in enabled and (status == Status.SUSPENDED or Status.SUSPENDED in in_year):
        return NotClassifiedReason.SUSPENDED
    if NotClassifiedReason.EXEMPTED in enabled and status == Status.EXEMPTED:
        return NotClassifiedReason.EXEMPTED
    if NotClassifiedReason.TEMP_OUT in enabled and status == Status.TEMP_OUT:
        return NotClassifiedReason.TEMP_OUT
    if NotClassifiedReason.TEMP_IN in enabled and status == Status.TEMP_IN:
        return NotClassifiedReason.TEMP_IN
    if (
        NotClassifiedReason.NEWLY_ADMITTED in enabled
        and member.admission_date
        and member.admission_date + relativedelta(months=rule_set.newly_admitted_months) > end
    ):
        return NotClassifiedReason.NEWLY_ADMITTED
    return ""


def _disciplines(evaluation, year: int):
    from apps.discipline.models import Discipline

    return Discipline.objects.filter(decided_on__year=year, revoked_on__isnull=True).order_by("decided_on", "pk")


def own_disciplines(evaluation, year: int):
    """Decisions dated in `year` (not revoked) on the subject itself: the member, or the
    organization. One violation is one decision, counted in the year it was decided."""
    qs = _disciplines(evaluation, year)
    if evaluation.member_id:
        return qs.filter(member_id=evaluation.member_id)
    return qs.filter(organization_id=evaluation.organization_id)


def inside_disciplines(evaluation, year: int):
    """For a collective whose set counts them: decisions in `year` on members or organizations
    inside it (itself excluded)."""
    from apps.discipline.models import Discipline

    if evaluation.member_id or not evaluation.rule_set.discipline_inside_counts:
        return Discipline.objects.none()
    return (
        _disciplines(evaluation, year)
        .filter(subject_path__startswith=evaluation.organization.path)
        .exclude(organization_id=evaluation.organization_id)
    )


def best_level_after_discipline(evaluation) -> tuple[int | None, object, str]:
    """The best level the set allows after the year's disciplines: (code, decision, field) for
    the binding decision, or (None, None, "") when nothing bounds the level."""
    rule_set = evaluation.rule_set
    candidates = []
    if rule_set.discipline_best_level is not None:
        found = own_disciplines(evaluation, evaluation.year).select_related("member", "organization").first()
        if found is not None:
            candidates.append((rule_set.discipline_best_level, found, "discipline_best_level"))
    if rule_set.discipline_inside_best_level is not None and rule_set.discipline_inside_counts:
        found = inside_disciplines(evaluation, evaluation.year).select_related("member", "organization").first()
        if found is not None:
            candidates.append((rule_set.discipline_inside_best_level, found, "discipline_inside_best_level"))
    if not candidates:
        return None, None, ""
    return max(candidates, key=lambda c: c[0])


def _decision_text(d) -> str:
    if d.decision:
        return _("quyết định kỷ luật số %(number)s ngày %(day)s của %(body)s") % {
            "number": d.decision,
            "day": d.decided_on.strftime("%d/%m/%Y"),
            "body": d.deciding_body,
        }
    return _("quyết định kỷ luật ngày %(day)s của %(body)s") % {
        "day": d.decided_on.strftime("%d/%m/%Y"),
        "body": d.deciding_body,
    }


def discipline_refusal(evaluation, level_code: int) -> str:
    """Why the level is refused after a discipline in the year, or "". This is a rule, not a
    cap: no exception reason lifts it (HD 21-HD/BTCTW 2019, RULES.md §1)."""
    best, decision, field = best_level_after_discipline(evaluation)
    if best is None or level_code >= best:
        return ""
    rule_set = evaluation.rule_set
    level = rule_set.level(best)
    chosen = rule_set.level(level_code)
    who = decision.member.full_name if decision.member_id else decision.organization.name
    if field == "discipline_inside_best_level":
        text = _(
            "Không thể xếp %(subject)s mức “%(chosen)s”: trong tổ chức có %(who)s bị kỷ luật “%(form)s” theo "
            "%(decision)s; theo %(rule)s tập thể có tổ chức, đảng viên bị kỷ luật trong năm chỉ được xếp từ "
            "mức “%(best)s” trở xuống. Lý do ngoại lệ không áp dụng cho điều kiện này."
        )
    else:
        text = _(
            "Không thể xếp %(subject)s mức “%(chosen)s”: %(who)s bị kỷ luật “%(form)s” theo %(decision)s; theo "
            "%(rule)s bị kỷ luật trong năm (một vi phạm chỉ tính một lần, vào năm có quyết định) chỉ được xếp từ "
            "mức “%(best)s” trở xuống. Lý do ngoại lệ không áp dụng cho điều kiện này."
        )
    text = text % {
        "subject": evaluation.subject_name,
        "chosen": chosen.label if chosen else level_code,
        "who": who,
        "form": decision.get_form_display(),
        "decision": _decision_text(decision),
        "rule": rule_set.citation,
        "best": level.label if level else best,
    }
    if rule_set.is_unconfirmed(field):
        text += _(" [?: mức này chưa đối chiếu được với văn bản gốc]")
    return text


def points_warning(evaluation, level_code: int) -> str:
    """A warning when the decided level is better than the points allow."""
    points = evaluation.review_points if evaluation.review_points is not None else evaluation.self_points
    allowed = level_for_points(evaluation.rule_set, points)
    if allowed is None or level_code >= allowed:
        return ""
    return _("%(subject)s có %(points)s điểm, theo ngưỡng điểm của %(rule)s chỉ đạt mức “%(label)s”.") % {
        "subject": evaluation.subject_name,
        "points": format_decimal(points, 2 if points != int(points) else 0),
        "rule": evaluation.rule_set.citation,
        "label": evaluation.rule_set.level(allowed).label,
    }
