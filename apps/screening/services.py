"""Screening writes: a case opened on its grounds, the cell's vote, the committee's decision
(which strikes the member off through `members.services.member_change_status`)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.plausibility import event_date_error
from apps.core.services import audited, require_org
from apps.core.templatetags.vn import format_date
from apps.members.models import LifecycleRuleSet, Member, StatusChangeKind
from apps.members.services import member_change_status

from .models import Ground, ScreeningCase, Stage


def _day_error(day: date | None, label: str) -> str | None:
    if day is None:
        return _("Hãy nhập %(label)s.") % {"label": label}
    return event_date_error(day)


def case_open(
    *, user: User, member: Member, year: int, grounds: list[str], detail: str = "", on: date | None = None
) -> ScreeningCase:
    """Put a member before their cell for striking off, on named grounds."""
    require_org(user, member.organization)
    on = on or timezone.localdate()
    errors: dict[str, str] = {}
    if not member.is_current:
        errors["member"] = _("Đảng viên không còn sinh hoạt.")
    grounds = [g for g in dict.fromkeys(grounds or []) if g]
    if not grounds or any(g not in Ground.values for g in grounds):
        errors["grounds"] = _("Hãy chọn ít nhất một căn cứ xóa tên trong danh mục.")
    if year is None or not (1930 <= year <= on.year):
        errors["year"] = _("Năm xem xét không hợp lệ.")
    elif ScreeningCase.objects.filter(member=member, year=year).exists():
        errors["member"] = _("Đảng viên đã được đưa ra xem xét năm %(y)s.") % {"y": year}
    if errors:
        raise ValidationError(errors)
    rules = LifecycleRuleSet.in_force_on(on)
    with audited(user):
        if rules.pk is None:  # no rule set in the database: the defaults of RULES.md §4, kept
            rules.save()
        return ScreeningCase.objects.create(
            member=member,
            organization=member.organization,
            org_path=member.organization.path,
            year=year,
            grounds=grounds,
            grounds_detail=(detail or "").strip(),
            opened_on=on,
            opened_by=user,
            rule_set=rules,
        )


def vote_carries(rules: LifecycleRuleSet, full_members: int, votes_for: int) -> bool:
    """At least the rule set's share (2/3) of the cell's full members vote to strike off."""
    return votes_for * rules.strike_off_vote_denominator >= full_members * rules.strike_off_vote_numerator


def case_cell_vote(
    *,
    user: User,
    case: ScreeningCase,
    meeting_on: date,
    full_members: int,
    votes_for: int,
    votes_against: int,
) -> ScreeningCase:
    """Record the cell's vote. Short of the share of full members, the member is kept."""
    require_org(user, case.organization)
    errors: dict[str, str] = {}
    if case.stage != Stage.OPEN:
        errors["meeting_on"] = _("Chi bộ đã biểu quyết hồ sơ này.")
    problem = _day_error(meeting_on, _("ngày chi bộ họp xét"))
    if problem:
        errors["meeting_on"] = problem
    elif meeting_on < case.opened_on:
        errors["meeting_on"] = _("Ngày họp trước ngày đưa ra xem xét %(d)s.") % {"d": format_date(case.opened_on)}
    if not full_members or full_members < 1:
        errors["full_members"] = _("Hãy nhập số đảng viên chính thức của chi bộ.")
    elif (votes_for or 0) + (votes_against or 0) > full_members:
        errors["votes_for"] = _("Số phiếu (%(n)s) nhiều hơn số đảng viên chính thức (%(m)s).") % {
            "n": (votes_for or 0) + (votes_against or 0),
            "m": full_members,
        }
    if errors:
        raise ValidationError(errors)
    carried = vote_carries(case.rule_set, full_members, votes_for)
    with audited(user):
        case.cell_meeting_on = meeting_on
        case.full_members = full_members
        case.votes_for = votes_for
        case.votes_against = votes_against
        case.stage = Stage.CELL_VOTED if carried else Stage.KEPT
        if not carried:
            case.note = _(
                "Chi bộ biểu quyết %(for)s/%(full)s đảng viên chính thức tán thành, chưa đủ %(num)s/%(den)s "
                "(%(rule)s): không xóa tên."
            ) % {
                "for": votes_for,
                "full": full_members,
                "num": case.rule_set.strike_off_vote_numerator,
                "den": case.rule_set.strike_off_vote_denominator,
                "rule": "QĐ 24 §4.2.3",
            }
        case.save()
    return case


def deciding_organization(case: ScreeningCase):
    """The committee directly above the cell (the grassroots committee); a grassroots cell decides itself."""
    return case.organization.parent or case.organization


def case_decide(
    *, user: User, case: ScreeningCase, decided_on: date, decision: str, strike_off: bool, note: str = ""
) -> ScreeningCase:
    """The committee's decision: strike off (the member's status changes, dated) or keep."""
    committee = deciding_organization(case)
    require_org(user, committee)
    errors: dict[str, str] = {}
    if case.stage != Stage.CELL_VOTED:
        errors["decision"] = _("Chỉ quyết định sau khi chi bộ biểu quyết đề nghị xóa tên.")
    problem = _day_error(decided_on, _("ngày quyết định"))
    if problem:
        errors["decided_on"] = problem
    elif case.cell_meeting_on and decided_on < case.cell_meeting_on:
        errors["decided_on"] = _("Ngày quyết định trước ngày chi bộ họp xét %(d)s.") % {
            "d": format_date(case.cell_meeting_on)
        }
    if strike_off and not (decision or "").strip():
        errors["decision"] = _("Hãy ghi số quyết định xóa tên.")
    if errors:
        raise ValidationError(errors)
    with audited(user):
        if strike_off:
            change = member_change_status(
                user=user,
                member=case.member,
                kind=StatusChangeKind.STRUCK_OFF,
                on=decided_on,
                decision=decision.strip(),
                note="; ".join(case.ground_labels),
            )
            case.status_change = change
        case.stage = Stage.STRUCK_OFF if strike_off else Stage.KEPT
        case.decided_on = decided_on
        case.decision = (decision or "").strip()
        case.decided_by_org = committee
        case.note = (note or "").strip() or case.note
        case.save()
    return case
