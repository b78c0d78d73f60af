"""Writes of members' petitions and of dialogues with citizens."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import RoleAssignment, User
from apps.core.roles import ROLE_ACTIONS
from apps.core.scoping import CHANGE, scope_for
from apps.core.services import audited, require_org
from apps.core.templatetags.vn import format_date
from apps.core.versioning import check_version
from apps.members.models import CURRENT_STATUSES, Member
from apps.notices.models import Topic
from apps.notices.services import notify
from apps.organizations.models import Organization, line_paths

from .deadlines import add_days
from .models import (
    Dialogue,
    DialogueIssue,
    FollowUp,
    Petition,
    PetitionKind,
    PetitionRuleSet,
    PetitionStatus,
    is_officer,
)


def _today() -> date:
    return timezone.localdate()


CHANGE_ROLES = tuple(role for role, actions in ROLE_ACTIONS.items() if CHANGE in actions)


# --- Petitions ----------------------------------------------------------------------------------


def petitioner(user: User) -> Member:
    """The member a user files petitions as: their own record, while they are a member."""
    member = Member.objects.filter(user=user).select_related("organization").first() if user.is_authenticated else None
    if member is None:
        raise ValidationError(
            _("Tài khoản của đồng chí chưa gắn với hồ sơ đảng viên nên chưa gửi được ý kiến, kiến nghị.")
        )
    if member.status not in CURRENT_STATUSES:
        raise ValidationError(_("Chỉ đảng viên đang sinh hoạt mới gửi được ý kiến, kiến nghị."))
    return member


def petition_targets(member: Member) -> list[Organization]:
    """Where a member may send a petition: their cell and the committees above it in their line."""
    today = timezone.localdate()
    rows = Organization.objects.filter(path__in=line_paths(member.org_path)).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=today)
    )
    return sorted(rows, key=lambda o: -len(o.path))


def due_date(rule_set: PetitionRuleSet, submitted_on: date) -> date:
    return add_days(submitted_on, rule_set.answer_days, rule_set.working_days)


def rule_set_on(day: date) -> PetitionRuleSet:
    rule_set = PetitionRuleSet.objects.in_force(day).first()
    if rule_set is None:
        raise ValidationError(_("Chưa có bộ quy tắc về thời hạn trả lời ý kiến, kiến nghị áp dụng cho ngày này."))
    return rule_set


def handler_candidates(organization: Organization) -> list[User]:
    """Accounts that may handle a petition sent to `organization`: a role that changes it, held now
    (on it, or with the subtree on a committee above it)."""
    assignments = (
        RoleAssignment.objects.active_at()
        .filter(role__in=CHANGE_ROLES, user__is_active=True)
        .filter(
            Q(organization=organization) | Q(include_subtree=True, organization__path__in=line_paths(organization.path))
        )
        .select_related("user")
    )
    users = {a.user_id: a.user for a in assignments}
    return sorted(users.values(), key=lambda u: (u.get_full_name() or u.username).lower())


def officers_of(organization: Organization) -> list[User]:
    """Accounts holding a role that changes this very organization (told of a new petition)."""
    assignments = (
        RoleAssignment.objects.active_at()
        .filter(role__in=CHANGE_ROLES, user__is_active=True, organization=organization)
        .select_related("user")
    )
    return list({a.user_id: a.user for a in assignments}.values())


def may_read(user: User, petition: Petition) -> bool:
    """The same answer as `Petition.objects.visible_to(user)`, for one row."""
    if not user.is_authenticated:
        return False
    if petition.handler_id == user.pk or scope_for(user).may_read_private(petition).allowed:
        return True
    return is_officer(user, petition.organization)


def petition_submit(
    *, user: User, organization: Organization | None, kind: str, title: str, content: str, meeting=None
) -> Petition:
    member = petitioner(user)
    errors: dict[str, str] = {}
    if organization is None:
        errors["organization"] = _("Hãy chọn nơi nhận.")
    elif organization.pk not in {o.pk for o in petition_targets(member)}:
        errors["organization"] = _(
            "Đồng chí chỉ gửi được ý kiến, kiến nghị đến chi bộ của mình hoặc cấp ủy cấp trên của chi bộ."
        )
    if kind not in PetitionKind.values:
        errors["kind"] = _("Loại ý kiến không hợp lệ.")
    if not (title or "").strip():
        errors["title"] = _("Hãy ghi tiêu đề.")
    if not (content or "").strip():
        errors["content"] = _("Hãy ghi nội dung ý kiến, kiến nghị.")
    if meeting is not None and meeting.organization_id != member.organization_id:
        errors["meeting"] = _("Chỉ chọn được cuộc sinh hoạt của chi bộ mình.")
    if errors:
        raise ValidationError(errors)
    assert organization is not None
    today = _today()
    rule_set = rule_set_on(today)
    with audited(user):
        petition = Petition.objects.create(
            organization=organization,
            member=member,
            kind=kind,
            title=title.strip(),
            content=content.strip(),
            meeting=meeting,
            submitted_on=today,
            due_on=due_date(rule_set, today),
            rule_set=rule_set,
        )
        url = reverse("voice:detail", args=[petition.pk])
        for officer in officers_of(organization):
            if officer.pk != user.pk:
                notify(
                    officer,
                    Topic.ASSIGNED,
                    _("Ý kiến, kiến nghị mới gửi %(org)s: %(title)s")
                    % {"org": organization.name, "title": petition.title},
                    _("Hạn trả lời: %(due)s.") % {"due": format_date(petition.due_on)},
                    url,
                )
    return petition


def petition_assign(*, user: User, petition: Petition, handler: User | None) -> Petition:
    """An officer of the receiving organization gives the petition to someone who may change it."""
    if not may_read(user, petition):
        raise PermissionDenied
    require_org(user, petition.organization)
    if not is_officer(user, petition.organization):
        raise PermissionDenied(_("Chỉ cấp ủy nơi nhận mới giao xử lý ý kiến, kiến nghị."))
    if petition.status == PetitionStatus.ANSWERED:
        raise ValidationError(_("Ý kiến, kiến nghị này đã được trả lời."))
    if handler is None or handler.pk not in {u.pk for u in handler_candidates(petition.organization)}:
        raise ValidationError({"handler": _("Người xử lý phải là người có quyền quản lý tổ chức nhận ý kiến.")})
    with audited(user):
        petition.handler = handler
        petition.assigned_by = user
        petition.assigned_at = timezone.now()
        petition.status = PetitionStatus.ASSIGNED
        petition.save()
        if handler.pk != user.pk:
            notify(
                handler,
                Topic.ASSIGNED,
                _("Đồng chí được giao trả lời: %(title)s") % {"title": petition.title},
                _("Hạn trả lời: %(due)s.") % {"due": format_date(petition.due_on)},
                reverse("voice:detail", args=[petition.pk]),
            )
    return petition


def petition_answer(*, user: User, petition: Petition, answer: str, expected_version: int | None = None) -> Petition:
    """The assigned handler answers; the member is told (in the product, and by e-mail if chosen)."""
    if not may_read(user, petition):
        raise PermissionDenied
    if petition.handler_id != user.pk:
        raise PermissionDenied(_("Chỉ người được giao xử lý mới trả lời được ý kiến, kiến nghị này."))
    require_org(user, petition.organization)
    if petition.status == PetitionStatus.ANSWERED:
        raise ValidationError(_("Ý kiến, kiến nghị này đã được trả lời."))
    if not (answer or "").strip():
        raise ValidationError({"answer": _("Hãy ghi nội dung trả lời.")})
    with audited(user):
        if expected_version is not None:
            check_version(petition, expected_version)
        petition.answer = answer.strip()
        petition.answered_at = timezone.now()
        petition.answered_by = user
        petition.status = PetitionStatus.ANSWERED
        petition.save()
        notify(
            petition.member.user,
            Topic.ANSWER,
            _("%(org)s đã trả lời: %(title)s") % {"org": petition.organization.name, "title": petition.title},
            petition.answer,
            reverse("voice:detail", args=[petition.pk]),
        )
    return petition


def overdue_remind(*, day: date | None = None) -> int:
    """Tell each handler (or, unassigned, the officers) of petitions past their deadline; run daily
    by `manage.py voice_overdue`. Returns the number of notices."""
    day = day or timezone.localdate()
    sent = 0
    for petition in Petition.objects.overdue(day).select_related("organization", "handler"):
        people = [petition.handler] if petition.handler else officers_of(petition.organization)
        for person in people:
            notify(
                person,
                Topic.OVERDUE,
                _("Quá hạn trả lời: %(title)s") % {"title": petition.title},
                _("Hạn trả lời là %(due)s.") % {"due": format_date(petition.due_on)},
                reverse("voice:detail", args=[petition.pk]),
            )
            sent += 1
    return sent


# --- Dialogues with citizens -------------------------------------------------------------------


def dialogue_create(
    *,
    user: User,
    organization: Organization,
    held_on: date | None,
    place: str,
    chair: str,
    participants: str = "",
    participant_count: int | None = None,
    summary: str = "",
) -> Dialogue:
    require_org(user, organization)
    errors: dict[str, str] = {}
    if held_on is None:
        errors["held_on"] = _("Hãy nhập ngày đối thoại.")
    elif held_on > timezone.localdate():
        errors["held_on"] = _("Ngày đối thoại không được sau hôm nay.")
    if not (place or "").strip():
        errors["place"] = _("Hãy ghi địa điểm.")
    if not (chair or "").strip():
        errors["chair"] = _("Hãy ghi người chủ trì.")
    if errors:
        raise ValidationError(errors)
    assert held_on is not None
    with audited(user):
        return Dialogue.objects.create(
            organization=organization,
            held_on=held_on,
            place=place.strip(),
            chair=chair.strip(),
            participants=(participants or "").strip(),
            participant_count=participant_count,
            summary=(summary or "").strip(),
            created_by=user,
        )


def issue_add(
    *, user: User, dialogue: Dialogue, raised_by: str, content: str, responsible: str, due_on: date | None
) -> DialogueIssue:
    require_org(user, dialogue.organization)
    errors: dict[str, str] = {}
    if not (content or "").strip():
        errors["content"] = _("Hãy ghi nội dung người dân nêu.")
    if not (responsible or "").strip():
        errors["responsible"] = _("Hãy ghi đơn vị, người phải trả lời.")
    if due_on is None:
        errors["due_on"] = _("Hãy nhập hạn trả lời.")
    elif due_on < dialogue.held_on:
        errors["due_on"] = _("Hạn trả lời không được trước ngày đối thoại.")
    if errors:
        raise ValidationError(errors)
    assert due_on is not None
    with audited(user):
        return DialogueIssue.objects.create(
            dialogue=dialogue,
            raised_by=(raised_by or "").strip(),
            content=content.strip(),
            responsible=responsible.strip(),
            due_on=due_on,
        )


def issue_answer(
    *, user: User, issue: DialogueIssue, answer: str, answered_on: date | None, resolved: bool = False
) -> DialogueIssue:
    require_org(user, issue.dialogue.organization)
    errors: dict[str, str] = {}
    if not (answer or "").strip():
        errors["answer"] = _("Hãy ghi nội dung trả lời.")
    if answered_on is None:
        errors["answered_on"] = _("Hãy nhập ngày trả lời.")
    elif answered_on < issue.dialogue.held_on or answered_on > timezone.localdate():
        errors["answered_on"] = _("Ngày trả lời phải từ ngày đối thoại đến hôm nay.")
    if errors:
        raise ValidationError(errors)
    with audited(user):
        issue.answer = answer.strip()
        issue.answered_on = answered_on
        issue.resolved = bool(resolved)
        issue.save()
    return issue


def follow_up_add(*, user: User, issue: DialogueIssue, on: date | None, note: str) -> FollowUp:
    require_org(user, issue.dialogue.organization)
    errors: dict[str, str] = {}
    if on is None:
        errors["on"] = _("Hãy nhập ngày.")
    elif on > timezone.localdate() or on < issue.dialogue.held_on:
        errors["on"] = _("Ngày theo dõi phải từ ngày đối thoại đến hôm nay.")
    if not (note or "").strip():
        errors["note"] = _("Hãy ghi nội dung theo dõi.")
    if errors:
        raise ValidationError(errors)
    assert on is not None
    with audited(user):
        return FollowUp.objects.create(issue=issue, on=on, note=note.strip(), recorded_by=user)
