"""Writes to the member registry. Each checks reach, validates, saves and is audited."""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.plausibility import MIN_ADMISSION_AGE, event_date_error, member_date_errors  # noqa: F401 (used by imports)
from apps.core.services import audited, require_org
from apps.core.templatetags.vn import format_date
from apps.core.versioning import check_version
from apps.organizations.models import Departure, DepartureKind, Organization

from .identifiers import identifier_clashes
from .models import (
    CURRENT_STATUSES,
    ENDED_STATUSES,
    PROBATION_MONTHS,
    Award,
    Member,
    MemberNameKey,
    Status,
    StatusChange,
    StatusChangeKind,
)

# Fields of the member sheet a user edits directly; status and organization change only through
# dated status changes.
EDITABLE_FIELDS = (
    "family_name",
    "middle_name",
    "given_name",
    "gender",
    "birth_date",
    "ethnicity",
    "religion",
    "hometown",
    "residence",
    "citizen_id",
    "phone",
    "email",
    "education",
    "general_education",
    "political_theory",
    "occupation",
    "position",
    "admission_date",
    "full_membership_date",
    "card_number",
)


def validate_member(member: Member) -> None:
    """Rules of the member sheet beyond field types. Raises ValidationError naming each field."""
    # Dates that cannot be true (shared with the API and the Excel import, see apps.core.plausibility).
    errors: dict[str, str] = member_date_errors(
        birth=member.birth_date, admission=member.admission_date, recognized=member.full_membership_date
    )
    if member.full_membership_date and member.admission_date and "full_membership_date" not in errors:
        earliest = member.admission_date + relativedelta(months=PROBATION_MONTHS)
        if member.full_membership_date < earliest:
            errors["full_membership_date"] = _(
                "Ngày chính thức %(full)s chưa đủ 12 tháng dự bị kể từ ngày vào Đảng %(admission)s: "
                "sớm nhất là %(earliest)s."
            ) % {
                "full": format_date(member.full_membership_date),
                "admission": format_date(member.admission_date),
                "earliest": format_date(earliest),
            }
    if member.citizen_id and (not member.citizen_id.isdigit() or len(member.citizen_id) not in (9, 12)):
        errors["citizen_id"] = _("Số CCCD phải gồm 12 chữ số (hoặc 9 chữ số với CMND cũ).")
    if member.card_number and not member.card_number.replace("-", "").isalnum():
        errors["card_number"] = _("Số thẻ đảng viên chỉ gồm chữ số.")
    if errors:
        raise ValidationError(errors)


IDENTIFIER_FIELDS = ("citizen_id", "card_number")


def _validate(member: Member, user: AbstractUser, fields=IDENTIFIER_FIELDS) -> None:
    """`validate_member`, then the citizen ID and card number among `fields` against the registry,
    through the one check that names a holder only inside the user's reach."""
    errors: dict[str, list[str]] = {}
    try:
        validate_member(member)
    except ValidationError as exc:
        errors = exc.message_dict
    pending = [(f, getattr(member, f)) for f in fields if getattr(member, f) and f not in errors]
    for position, message in identifier_clashes(user, pending, exclude_pk=member.pk).items():
        errors[pending[position][0]] = [message]
    if errors:
        raise ValidationError(errors)


def _normalize(member: Member) -> None:
    for field in ("family_name", "middle_name", "given_name", "hometown", "residence", "occupation", "position"):
        setattr(member, field, " ".join((getattr(member, field) or "").split()))
    member.citizen_id = (member.citizen_id or "").strip() or None
    member.card_number = (member.card_number or "").strip() or None
    member.phone = (member.phone or "").replace(" ", "").replace(".", "")


def first_steps(member: Member, transferred_in_on: date | None = None) -> list[tuple[StatusChangeKind, date, Status]]:
    """A new record's first history steps (kind, date, status) in its cell: the admission and the
    recognition; or, for a member who came by transfer, the transfer on its day with the status
    then, and the recognition if it came later. Before a transfer the member counts in no cell here."""
    full = member.full_membership_date
    if transferred_in_on is None:
        steps = [(StatusChangeKind.ADMITTED, member.admission_date, Status.PROBATIONARY)]
        return steps + ([(StatusChangeKind.RECOGNIZED, full, Status.FULL)] if full else [])
    status_then = Status.FULL if full and full <= transferred_in_on else Status.PROBATIONARY
    steps = [(StatusChangeKind.TRANSFER_IN, transferred_in_on, status_then)]
    return steps + ([(StatusChangeKind.RECOGNIZED, full, Status.FULL)] if full and full > transferred_in_on else [])


def transfer_in_problem(member: Member, transferred_in_on: date, today: date) -> str | None:
    """Why a transfer-in date cannot be true for this record, or None."""
    day = format_date(transferred_in_on)
    if transferred_in_on > today:
        return _("Ngày chuyển sinh hoạt đến %(day)s ở tương lai.") % {"day": day}
    if member.admission_date and transferred_in_on < member.admission_date:
        return _("Ngày chuyển sinh hoạt đến %(day)s trước ngày vào Đảng %(admission)s.") % {
            "day": day,
            "admission": format_date(member.admission_date),
        }
    founded = member.organization.founded_on
    if founded and transferred_in_on < founded:
        return _("%(org)s thành lập ngày %(founded)s: không thể chuyển đến ngày %(day)s.") % {
            "org": member.organization.name,
            "founded": format_date(founded),
            "day": day,
        }
    return None


def member_create(
    *,
    user: AbstractUser,
    organization: Organization,
    transferred_in_on: date | None = None,
    transferred_from: str = "",
    **fields,
) -> Member:
    """Register a member in a cell, with the first history steps: the admission (and recognition),
    or, for a member who came from elsewhere, the transfer in (when, and from where)."""
    require_org(user, organization)
    if organization.ended_on:
        raise ValidationError(_("Tổ chức đảng này đã kết thúc hoạt động."))
    member = Member(organization=organization, **{k: v for k, v in fields.items() if k in EDITABLE_FIELDS})
    _normalize(member)
    member.status = Status.FULL if member.full_membership_date else Status.PROBATIONARY
    member.status_since = member.full_membership_date or member.admission_date
    member.refresh_derived()
    member.full_clean(exclude=["user", "citizen_id", "card_number"])
    _validate(member, user)
    if transferred_in_on:
        problem = transfer_in_problem(member, transferred_in_on, timezone.localdate())
        if problem:
            raise ValidationError({"transferred_in_on": problem})
    source = " ".join((transferred_from or "").split())
    with audited(user):
        member.save()
        name_keys_sync([member])
        for kind, on, status in first_steps(member, transferred_in_on):
            _record(member, kind, on, status, other_name=source if kind == StatusChangeKind.TRANSFER_IN else "")
    return member


def member_update(*, user: AbstractUser, member: Member, expected_version=None, **fields) -> Member:
    """Edit the member sheet. `expected_version`: the version the editor saw (stale = refused)."""
    require_org(user, member.organization)
    changed = [k for k, v in fields.items() if k in EDITABLE_FIELDS and getattr(member, k) != v]
    for field in changed:
        setattr(member, field, fields[field])
    _normalize(member)
    member.refresh_derived()
    member.full_clean(exclude=["user", "citizen_id", "card_number"])
    # An unchanged number is the member's own: only a new one is checked (and may count as a probe).
    _validate(member, user, [f for f in IDENTIFIER_FIELDS if f in changed])
    with audited(user):
        check_version(member, expected_version)
        member.save(update_fields=[*changed, "search_name", "sort_key", "org_path"] if changed else None)
        name_keys_sync([member])
    return member


def name_key_rows(member: Member) -> list[MemberNameKey]:
    return [
        MemberNameKey(member=member, key=key, sort_key=member.sort_key, org_path=member.org_path, status=member.status)
        for key in member.name_keys()
    ]


def name_keys_sync(members: list[Member]) -> None:
    """Rebuild the search keys of members whose name (or anything copied into the keys) changed."""
    MemberNameKey.objects.filter(member__in=members).delete()
    MemberNameKey.objects.bulk_create([row for member in members for row in name_key_rows(member)])


def _record(member, kind, on, status, *, other=None, other_name="", decision="", note="") -> StatusChange:
    return StatusChange.objects.create(
        member=member,
        kind=kind,
        date=on,
        status=status,
        organization=member.organization,
        other_organization=other,
        other_organization_name=other_name,
        decision=decision,
        note=note,
    )


def _base_status(member: Member) -> str:
    return Status.FULL if member.full_membership_date else Status.PROBATIONARY


# kind -> (statuses it may start from, the status it leads to; None = the member's base status)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    StatusChangeKind.RECOGNIZED: ((Status.PROBATIONARY,), Status.FULL),
    StatusChangeKind.TEMP_OUT: ((Status.PROBATIONARY, Status.FULL), Status.TEMP_OUT),
    StatusChangeKind.TEMP_OUT_END: ((Status.TEMP_OUT,), None),
    StatusChangeKind.TEMP_IN_END: ((Status.TEMP_IN,), Status.TRANSFERRED_OUT),
    StatusChangeKind.EXEMPTED: ((Status.PROBATIONARY, Status.FULL), Status.EXEMPTED),
    StatusChangeKind.EXEMPTION_END: ((Status.EXEMPTED,), None),
    StatusChangeKind.SUSPENDED: ((Status.PROBATIONARY, Status.FULL, Status.EXEMPTED), Status.SUSPENDED),
    StatusChangeKind.SUSPENSION_END: ((Status.SUSPENDED,), None),
    StatusChangeKind.TRANSFER_OUT: (CURRENT_STATUSES, Status.TRANSFERRED_OUT),
    StatusChangeKind.STRUCK_OFF: (CURRENT_STATUSES, Status.STRUCK_OFF),
    StatusChangeKind.DISMISSED: (CURRENT_STATUSES, Status.DISMISSED),
    StatusChangeKind.EXPELLED: (CURRENT_STATUSES, Status.EXPELLED),
    StatusChangeKind.DECEASED: (CURRENT_STATUSES, Status.DECEASED),
}
# Kinds that must name the organization the member goes to or comes from.
NEEDS_OTHER_ORG = (StatusChangeKind.TRANSFER_OUT, StatusChangeKind.TEMP_OUT)


def allowed_changes(member: Member) -> list[str]:
    return [kind for kind, (sources, _target) in TRANSITIONS.items() if member.status in sources]


def member_change_status(
    *,
    user: AbstractUser,
    member: Member,
    kind: str,
    on: date,
    other_organization: Organization | None = None,
    other_organization_name: str = "",
    decision: str = "",
    note: str = "",
) -> StatusChange:
    """Apply a dated status change. End states keep the record; nothing is deleted."""
    require_org(user, member.organization)
    if kind not in TRANSITIONS:
        raise ValidationError({"kind": _("Loại thay đổi không hợp lệ.")})
    sources, target = TRANSITIONS[kind]
    if member.status not in sources:
        raise ValidationError(
            {
                "kind": _("Không thể “%(change)s” khi đảng viên đang ở tình trạng “%(status)s”.")
                % {"change": StatusChangeKind(kind).label, "status": member.get_status_display()}
            }
        )
    if on is None:
        raise ValidationError({"date": _("Hãy nhập ngày.")})
    if on > timezone.localdate():
        raise ValidationError({"date": _("Ngày thay đổi không được ở tương lai.")})
    if event_date_error(on):
        raise ValidationError({"date": event_date_error(on)})
    last = member.status_changes.order_by("-date", "-pk").first()
    if last and on < last.date:
        raise ValidationError(
            {
                "date": _("Ngày thay đổi phải từ %(day)s trở đi (sau thay đổi gần nhất).")
                % {"day": last.date.strftime("%d/%m/%Y")}
            }
        )
    if kind in NEEDS_OTHER_ORG and not (other_organization or other_organization_name.strip()):
        raise ValidationError({"other_organization_name": _("Hãy ghi tổ chức đảng nơi đảng viên chuyển đến.")})
    if other_organization is not None and other_organization.pk == member.organization_id:
        raise ValidationError({"other_organization": _("Tổ chức đi/đến phải khác tổ chức đảng viên đang sinh hoạt.")})
    if kind == StatusChangeKind.RECOGNIZED:
        # Full membership dates from the end of the 12 months, even when the decision is late.
        probation_end = member.admission_date + relativedelta(months=PROBATION_MONTHS)
        if on < probation_end:
            raise ValidationError(
                {"date": _("Chưa hết 12 tháng dự bị (đến %(day)s).") % {"day": probation_end.strftime("%d/%m/%Y")}}
            )
    with audited(user):
        if kind == StatusChangeKind.RECOGNIZED:
            member.full_membership_date = probation_end
        member.status = target or _base_status(member)
        member.status_since = on
        member.save(update_fields=["status", "status_since", "full_membership_date"])
        member.name_key_rows.update(status=member.status)
        return _record(
            member,
            kind,
            on,
            member.status,
            other=other_organization,
            other_name=other_organization_name.strip(),
            decision=decision,
            note=note,
        )


def member_transfer_internal(
    *, user: AbstractUser, member: Member, target: Organization, on: date, decision: str = ""
) -> StatusChange:
    """Move a member to another organization inside the system (their state is unchanged)."""
    require_org(user, member.organization)
    require_org(user, target)
    if member.status in ENDED_STATUSES:
        raise ValidationError(_("Đảng viên này không còn sinh hoạt."))
    if target.ended_on:
        raise ValidationError(_("Tổ chức đảng nơi đến đã kết thúc hoạt động."))
    if target.pk == member.organization_id:
        raise ValidationError(_("Đảng viên đang sinh hoạt tại tổ chức này."))
    if on is None:
        raise ValidationError({"date": _("Hãy nhập ngày.")})
    last = member.status_changes.order_by("-date", "-pk").first()
    if last and on < last.date:
        raise ValidationError(
            {
                "date": _("Ngày thay đổi phải từ %(day)s trở đi (sau thay đổi gần nhất).")
                % {"day": last.date.strftime("%d/%m/%Y")}
            }
        )
    source = member.organization
    with audited(user):
        Departure.objects.create(
            kind=DepartureKind.MEMBER,
            object_id=member.pk,
            old_organization_id=source.pk,
            old_path=member.org_path,
            at=timezone.now(),
        )
        member.organization = target
        member.org_path = target.path
        member.save(update_fields=["organization", "org_path"])
        member.name_key_rows.update(org_path=member.org_path)
        return _record(member, StatusChangeKind.TRANSFER_INTERNAL, on, member.status, other=source, decision=decision)


def member_move_all(
    *, user: AbstractUser, source: Organization, target: Organization, on: date, decision: str = ""
) -> int:
    """Move every current member of `source` to `target` (merges)."""
    moved = 0
    for member in Member.objects.filter(organization=source).current():
        member_transfer_internal(user=user, member=member, target=target, on=on, decision=decision)
        moved += 1
    return moved


def member_link_user(*, user: AbstractUser, member: Member, account) -> None:
    require_org(user, member.organization)
    with audited(user):
        member.user = account
        member.save(update_fields=["user"])


def award_create(
    *,
    user: AbstractUser,
    member: Member,
    name: str,
    date: date,
    issued_by: str = "",
    decision: str = "",
    reason: str = "",
) -> Award:
    require_org(user, member.organization)
    name = " ".join((name or "").split())
    errors = {}
    if not name:
        errors["name"] = _("Hãy ghi hình thức khen thưởng.")
    if date is None:
        errors["date"] = _("Hãy nhập ngày.")
    elif date > timezone.localdate():
        errors["date"] = _("Ngày khen thưởng không được ở tương lai.")
    if errors:
        raise ValidationError(errors)
    with audited(user):
        return Award.objects.create(
            member=member,
            name=name,
            date=date,
            issued_by=" ".join((issued_by or "").split()),
            decision=(decision or "").strip(),
            reason=(reason or "").strip(),
        )
