"""Discipline decisions: the form must be one the Charter allows for the subject (art. 35)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.files import attach
from apps.core.scoping import CHANGE, INSPECT, scope_for
from apps.core.services import audited
from apps.core.versioning import check_version
from apps.members.models import Status

from .models import (
    FORMS_FOR_FULL_MEMBER,
    FORMS_FOR_ORGANIZATION,
    FORMS_FOR_PROBATIONARY,
    Discipline,
    DisciplineAttachment,
    Form,
)


def allowed_forms(*, member=None, organization=None, on=None) -> tuple[str, ...]:
    if organization is not None:
        return tuple(FORMS_FOR_ORGANIZATION)
    if member is not None and is_probationary(member):
        return tuple(FORMS_FOR_PROBATIONARY)
    if member is not None and not holds_post(member, on):
        # "Cách chức" removes someone from a post: not for a member who holds none.
        return tuple(f for f in FORMS_FOR_FULL_MEMBER if f != Form.REMOVAL)
    return tuple(FORMS_FOR_FULL_MEMBER)


def holds_post(member, on=None) -> bool:
    """A committee post on the day (today by default), or a post in the state or a mass organization."""
    if (member.position or "").strip():
        return True
    return member.committee_posts.active_on(on or timezone.localdate()).exists()


def is_probationary(member) -> bool:
    return member.status == Status.PROBATIONARY or not member.full_membership_date


def _require(user: User, organization) -> None:
    """Discipline is decided by committees and inspection commissions: CHANGE or INSPECT reach."""
    scope = scope_for(user)
    if not (scope.reaches_org(organization, CHANGE) or scope.reaches_org(organization, INSPECT)):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này ở tổ chức đảng này."))


def validate(d: Discipline) -> None:
    errors: dict[str, str] = {}
    today = timezone.localdate()
    subject_member = d.member if d.member_id else None
    subject_org = d.organization if d.organization_id else None
    if (subject_member is None) == (subject_org is None):
        raise ValidationError(_("Hãy chọn một đối tượng bị kỷ luật: một đảng viên hoặc một tổ chức đảng."))
    allowed = allowed_forms(member=subject_member, organization=subject_org, on=d.decided_on)
    if d.form not in Form.values:
        errors["form"] = _("Hình thức kỷ luật không hợp lệ.")
    elif d.form not in allowed:
        labels = ", ".join(str(Form(f).label).lower() for f in allowed)
        if subject_org is not None:
            who = _("tổ chức đảng")
        elif is_probationary(subject_member):
            who = _("đảng viên dự bị")
        elif Form.REMOVAL not in allowed:
            who = _("đảng viên không giữ chức vụ")
        else:
            who = _("đảng viên chính thức")
        errors["form"] = _("Hình thức “%(form)s” không áp dụng cho %(who)s; chỉ được: %(allowed)s.") % {
            "form": Form(d.form).label,
            "who": who,
            "allowed": labels,
        }
    if not (d.deciding_body or "").strip():
        errors["deciding_body"] = _("Hãy ghi cấp quyết định kỷ luật.")
    if not (d.reason or "").strip():
        errors["reason"] = _("Hãy ghi nội dung vi phạm.")
    if d.decided_on is None:
        errors["decided_on"] = _("Hãy ghi ngày quyết định.")
    elif d.decided_on > today:
        errors["decided_on"] = _("Ngày quyết định ở tương lai.")
    else:
        if d.effective_on and d.effective_on < d.decided_on:
            errors["effective_on"] = _("Ngày có hiệu lực trước ngày quyết định.")
        if d.appealed_on and d.appealed_on < d.decided_on:
            errors["appealed_on"] = _("Ngày khiếu nại trước ngày quyết định.")
        if d.revoked_on and d.revoked_on < d.decided_on:
            errors["revoked_on"] = _("Ngày xóa bỏ/thay đổi quyết định trước ngày quyết định.")
    if errors:
        raise ValidationError(errors)


EDITABLE = (
    "deciding_body",
    "decision",
    "decided_on",
    "effective_on",
    "reason",
    "appealed_on",
    "appeal_result",
    "revoked_on",
)


def discipline_create(
    *, user: User, member=None, organization=None, form, deciding_body, decided_on, reason, **fields
) -> Discipline:
    d = Discipline(
        member=member,
        organization=organization,
        form=form,
        deciding_body=(deciding_body or "").strip(),
        decided_on=decided_on,
        reason=(reason or "").strip(),
        **{k: v for k, v in fields.items() if k in EDITABLE},
    )
    validate(d)
    d.set_subject()
    _require(user, d.subject_org)
    with audited(user):
        d.save()
    return d


def discipline_update(*, user: User, discipline: Discipline, expected_version=None, **fields) -> Discipline:
    """Record the appeal, its result, or a later revocation/change. Subject and form do not change."""
    _require(user, discipline.subject_org)
    for k, v in fields.items():
        if k in EDITABLE:
            setattr(discipline, k, v.strip() if isinstance(v, str) else v)
    validate(discipline)
    with audited(user):
        check_version(discipline, expected_version)
        discipline.save()
    return discipline


def discipline_attach(*, user: User, discipline: Discipline, file, title: str = "") -> DisciplineAttachment:
    """Attach a document to the decision (the signed decision, the appeal and its answer)."""
    _require(user, discipline.subject_org)
    return attach(DisciplineAttachment, user=user, upload=file, title=title, discipline=discipline)
