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
    THEORY_ORDER,
    Award,
    AwardKind,
    Exemption,
    ExemptionReason,
    LifecycleRuleSet,
    Member,
    MemberNameKey,
    Status,
    StatusChange,
    StatusChangeKind,
    TrainingKind,
    TrainingRecord,
    TrainingResult,
    theory_level_from,
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
    if "political_theory" in fields and _has_theory_records(member):
        fields.pop("political_theory")  # derived from the training records, never typed twice
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


# --- Training ----------------------------------------------------------------------------------

TRAINING_FIELDS = ("kind", "title", "institution", "starts_on", "ends_on", "result", "grade", "certificate", "note")


def _has_theory_records(member: Member) -> bool:
    return member.training_records.filter(kind__in=THEORY_ORDER, result=TrainingResult.PASSED).exists()


def _sync_theory(member: Member) -> None:
    """The member's political theory level, derived from the passed records when there are any."""
    records = list(member.training_records.filter(kind__in=THEORY_ORDER))
    level = theory_level_from(records)
    if level and member.political_theory != level:
        member.political_theory = level
        member.save(update_fields=["political_theory"])


def sync_theory_levels(member_ids) -> None:
    """`_sync_theory` for many members: one read of their theory records, one update per level."""
    records: dict[int, list[TrainingRecord]] = {}
    for record in TrainingRecord.objects.filter(member__in=list(member_ids), kind__in=THEORY_ORDER):
        records.setdefault(record.member_id, []).append(record)
    by_level: dict[str, list[int]] = {}
    for member_id, rows in records.items():
        level = theory_level_from(rows)
        if level:
            by_level.setdefault(level, []).append(member_id)
    for level, ids in by_level.items():
        for member in Member.objects.filter(pk__in=ids).exclude(political_theory=level):
            member.political_theory = level
            member.save(update_fields=["political_theory"])  # audited, one row each


def validate_training(record: TrainingRecord, today: date | None = None) -> None:
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    record.institution = " ".join((record.institution or "").split())
    record.title = " ".join((record.title or "").split())
    if record.kind not in TrainingKind.values:
        errors["kind"] = _("Hãy chọn loại đào tạo.")
    if record.result not in TrainingResult.values:
        errors["result"] = _("Hãy chọn kết quả.")
    if not record.institution:
        errors["institution"] = _("Hãy ghi cơ sở đào tạo.")
    if record.kind == TrainingKind.REFRESHER and not record.title:
        errors["title"] = _("Hãy ghi tên lớp bồi dưỡng (ví dụ: Bồi dưỡng bí thư chi bộ).")
    if record.starts_on is None:
        errors["starts_on"] = _("Hãy nhập ngày bắt đầu.")
    else:
        if record.starts_on > today:
            errors["starts_on"] = _("Ngày bắt đầu ở tương lai.")
        elif record.member.birth_date and record.starts_on < record.member.birth_date:
            errors["starts_on"] = _("Ngày bắt đầu trước ngày sinh của đảng viên.")
        if record.ends_on and record.ends_on < record.starts_on:
            errors["ends_on"] = _("Ngày kết thúc trước ngày bắt đầu.")
    if record.result != TrainingResult.STUDYING:
        if record.ends_on is None:
            errors["ends_on"] = _("Khóa học đã có kết quả: hãy nhập ngày kết thúc.")
        elif record.ends_on > today:
            errors["ends_on"] = _("Khóa học kết thúc ở tương lai thì kết quả là “Đang học”.")
    if errors:
        raise ValidationError(errors)


def training_create(*, user: AbstractUser, member: Member, **fields) -> TrainingRecord:
    """Record a course, degree or refresher training; the theory level follows the records."""
    require_org(user, member.organization)
    record = TrainingRecord(member=member, **{k: v for k, v in fields.items() if k in TRAINING_FIELDS})
    record.grade = (record.grade or "").strip()
    record.certificate = (record.certificate or "").strip()
    validate_training(record)
    with audited(user):
        record.save()
        _sync_theory(member)
    return record


def training_update(*, user: AbstractUser, record: TrainingRecord, expected_version=None, **fields) -> TrainingRecord:
    require_org(user, record.member.organization)
    for key, value in fields.items():
        if key in TRAINING_FIELDS:
            setattr(record, key, value)
    validate_training(record)
    with audited(user):
        check_version(record, expected_version)
        record.save()
        _sync_theory(record.member)
    return record


# --- Party badges ------------------------------------------------------------------------------


def badge_problem(member: Member, years: int, occasion: date, rules: LifecycleRuleSet, *, early: bool) -> str | None:
    """Why `member` cannot be proposed the `years` badge on `occasion`, or None (HD 01/2021 §18)."""
    from .selectors import seniority_start

    if years not in rules.badge_years:
        return _("%(n)s năm không phải mốc Huy hiệu Đảng theo %(rule)s.") % {"n": years, "rule": rules.regulation}
    start = seniority_start(member, rules)
    if start is None:
        return _("Đảng viên chưa có ngày vào Đảng.")
    due = start + relativedelta(years=years)
    if due <= occasion:
        return None
    age = relativedelta(occasion, member.birth_date).years
    months = rules.early_months_for(age)
    if not early:
        return _("Đến %(occasion)s chưa đủ %(n)s năm tuổi Đảng (đủ ngày %(due)s).") % {
            "occasion": format_date(occasion),
            "n": years,
            "due": format_date(due),
        }
    if due - relativedelta(months=months) > occasion:
        return _(
            "Trao sớm cho đảng viên ốm nặng tối đa %(months)s tháng (đảng viên %(age)s tuổi, %(rule)s): "
            "đủ %(n)s năm tuổi Đảng ngày %(due)s, sớm nhất dịp %(earliest)s."
        ) % {
            "months": months,
            "age": age,
            "rule": rules.regulation,
            "n": years,
            "due": format_date(due),
            "earliest": format_date(due - relativedelta(months=months)),
        }
    return None


def badge_propose(
    *,
    user: AbstractUser,
    member: Member,
    years: int,
    occasion: date,
    proposed_on: date,
    early: bool = False,
    early_reason: str = "",
    issued_by: str = "",
) -> Award:
    """Propose a party badge for a presentation occasion (early for the gravely ill, with its reason)."""
    require_org(user, member.organization)
    rules = LifecycleRuleSet.in_force_on(occasion or timezone.localdate())
    errors: dict[str, str] = {}
    if not member.is_current:
        errors["years"] = _("Đảng viên không còn sinh hoạt.")
    if occasion is None:
        errors["occasion"] = _("Hãy chọn dịp trao.")
    if proposed_on is None:
        errors["proposed_on"] = _("Hãy nhập ngày đề nghị.")
    elif event_date_error(proposed_on):
        errors["proposed_on"] = event_date_error(proposed_on) or ""
    early_reason = (early_reason or "").strip()
    if early and not early_reason:
        errors["early_reason"] = _("Trao sớm: hãy ghi tình trạng bệnh của đảng viên.")
    if not errors:
        problem = badge_problem(member, years, occasion, rules, early=early)
        if problem:
            errors["years"] = problem
        elif member.awards.filter(kind=AwardKind.BADGE, badge_years=years).exists():
            errors["years"] = _("Đảng viên đã được đề nghị hoặc trao Huy hiệu %(n)s năm tuổi Đảng.") % {"n": years}
    if errors:
        raise ValidationError(errors)
    with audited(user):
        return Award.objects.create(
            member=member,
            kind=AwardKind.BADGE,
            badge_years=years,
            name=_("Huy hiệu %(n)s năm tuổi Đảng") % {"n": years},
            occasion=occasion,
            proposed_on=proposed_on,
            early=early,
            early_reason=early_reason,
            issued_by=" ".join((issued_by or "").split()),
        )


def badge_decide(*, user: AbstractUser, award: Award, decided_on: date, decision: str, issued_by: str = "") -> Award:
    require_org(user, award.member.organization)
    errors: dict[str, str] = {}
    if award.kind != AwardKind.BADGE or award.date:
        errors["decision"] = _("Huy hiệu này đã có quyết định.")
    if not (decision or "").strip():
        errors["decision"] = _("Hãy ghi số quyết định.")
    if decided_on is None:
        errors["decided_on"] = _("Hãy nhập ngày quyết định.")
    elif event_date_error(decided_on):
        errors["decided_on"] = event_date_error(decided_on) or ""
    elif award.proposed_on and decided_on < award.proposed_on:
        errors["decided_on"] = _("Ngày quyết định trước ngày đề nghị %(day)s.") % {
            "day": format_date(award.proposed_on)
        }
    if errors:
        raise ValidationError(errors)
    with audited(user):
        award.date = decided_on
        award.decision = decision.strip()
        if issued_by:
            award.issued_by = " ".join(issued_by.split())
        award.save(update_fields=["date", "decision", "issued_by"])
    return award


def badge_present(*, user: AbstractUser, award: Award, presented_on: date) -> Award:
    require_org(user, award.member.organization)
    errors: dict[str, str] = {}
    if award.kind != AwardKind.BADGE or not award.date:
        errors["presented_on"] = _("Huy hiệu chưa có quyết định: chưa trao được.")
    elif award.presented_on:
        errors["presented_on"] = _("Huy hiệu đã trao ngày %(day)s.") % {"day": format_date(award.presented_on)}
    elif presented_on is None:
        errors["presented_on"] = _("Hãy nhập ngày trao.")
    elif event_date_error(presented_on):
        errors["presented_on"] = event_date_error(presented_on) or ""
    elif presented_on < award.date:
        errors["presented_on"] = _("Ngày trao trước ngày quyết định %(day)s.") % {"day": format_date(award.date)}
    if errors:
        raise ValidationError(errors)
    with audited(user):
        award.presented_on = presented_on
        award.save(update_fields=["presented_on"])
    return award


# --- Readmission -------------------------------------------------------------------------------

# The ends from which a former member may be readmitted.
READMITTABLE = (Status.STRUCK_OFF, Status.DISMISSED)


def readmission_problem(member: Member, on: date, rules: LifecycleRuleSet) -> str | None:
    """Why `member` cannot be readmitted on `on`, naming the rule (QĐ 294 §3.5), or None."""
    if member.status not in READMITTABLE:
        return _("Chỉ kết nạp lại người đã bị xóa tên hoặc cho ra khỏi Đảng (tình trạng hiện tại: “%(s)s”).") % {
            "s": member.get_status_display()
        }
    steps = list(member.status_changes.order_by("date", "pk"))
    readmissions = sum(1 for c in steps if c.kind == StatusChangeKind.READMITTED)
    if readmissions >= rules.readmission_max:
        return _("Chỉ được kết nạp lại %(n)s lần (%(rule)s): đảng viên đã được kết nạp lại.") % {
            "n": rules.readmission_max,
            "rule": rules.regulation,
        }
    left = next((c.date for c in reversed(steps) if c.status == member.status), member.status_since)
    if left is None:
        return _("Chưa rõ ngày ra khỏi Đảng.")
    earliest = left + relativedelta(months=rules.readmission_wait_months)
    if on < earliest:
        return _(
            "Kết nạp lại phải sau khi ra khỏi Đảng ít nhất %(months)s tháng (%(rule)s): "
            "ra khỏi Đảng ngày %(left)s, sớm nhất ngày %(earliest)s."
        ) % {
            "months": rules.readmission_wait_months,
            "rule": rules.regulation,
            "left": format_date(left),
            "earliest": format_date(earliest),
        }
    return None


def member_readmit(
    *, user: AbstractUser, member: Member, organization: Organization, on: date, decision: str, note: str = ""
) -> StatusChange:
    """Readmit a former member (once only, after the wait): probationary again from `on`, the
    first admission kept in the history (party seniority counts it, minus the time out)."""
    require_org(user, organization)
    require_org(user, member.organization)
    errors: dict[str, str] = {}
    if on is None:
        errors["date"] = _("Hãy nhập ngày.")
    elif event_date_error(on):
        errors["date"] = event_date_error(on) or ""
    if not (decision or "").strip():
        errors["decision"] = _("Hãy ghi số quyết định kết nạp lại.")
    if organization.ended_on:
        errors["organization"] = _("Tổ chức đảng này đã kết thúc hoạt động.")
    if not errors:
        problem = readmission_problem(member, on, LifecycleRuleSet.in_force_on(on))
        if problem:
            errors["date"] = problem
    if errors:
        raise ValidationError(errors)
    with audited(user):
        member.organization = organization
        member.org_path = organization.path
        member.admission_date = on
        member.full_membership_date = None
        member.status = Status.PROBATIONARY
        member.status_since = on
        member.save(
            update_fields=[
                "organization",
                "org_path",
                "admission_date",
                "full_membership_date",
                "status",
                "status_since",
            ]
        )
        name_keys_sync([member])
        return _record(
            member, StatusChangeKind.READMITTED, on, Status.PROBATIONARY, decision=decision.strip(), note=note
        )


# --- Exemption from work and meetings ----------------------------------------------------------


def member_exempt(
    *,
    user: AbstractUser,
    member: Member,
    on: date,
    reason: str,
    resolution: str,
    illness_since: date | None = None,
    reported_on: date | None = None,
    until: date | None = None,
    note: str = "",
) -> Exemption:
    """The cell's resolution exempting a member (HD 27/2009): age, or an illness treated for the
    rule set's months or more. The state is the EXEMPTED step the meeting base and classification read."""
    require_org(user, member.organization)
    rules = LifecycleRuleSet.in_force_on(on or timezone.localdate())
    errors: dict[str, str] = {}
    if reason not in ExemptionReason.values:
        errors["reason"] = _("Hãy chọn lý do miễn sinh hoạt.")
    if not (resolution or "").strip():
        errors["resolution"] = _("Hãy ghi số nghị quyết của chi bộ.")
    if on is not None and reason == ExemptionReason.ILLNESS:
        months = rules.exemption_illness_months
        if illness_since is None:
            errors["illness_since"] = _("Hãy nhập ngày bắt đầu điều trị bệnh.")
        elif illness_since + relativedelta(months=months) > on:
            errors["illness_since"] = _(
                "Miễn sinh hoạt vì bệnh khi đã điều trị từ %(months)s tháng trở lên (%(rule)s): điều trị từ "
                "%(since)s, đủ %(months)s tháng ngày %(enough)s."
            ) % {
                "months": months,
                "rule": "HD 27-HD/BTCTW 2009",
                "since": format_date(illness_since),
                "enough": format_date(illness_since + relativedelta(months=months)),
            }
    if on is not None and reported_on is not None and reported_on < on:
        errors["reported_on"] = _("Ngày báo cáo trước ngày nghị quyết.")
    if on is not None and until is not None and until <= on:
        errors["until"] = _("Ngày hết miễn phải sau ngày nghị quyết.")
    if errors:
        raise ValidationError(errors)
    label = ExemptionReason(reason).label
    with audited(user):
        change = member_change_status(
            user=user,
            member=member,
            kind=StatusChangeKind.EXEMPTED,
            on=on,
            decision=resolution.strip(),
            note="; ".join(p for p in (str(label), (note or "").strip()) if p),
        )
        return Exemption.objects.create(
            member=member,
            started=change,
            reason=reason,
            illness_since=illness_since if reason == ExemptionReason.ILLNESS else None,
            resolution=resolution.strip(),
            reported_on=reported_on,
            until=until,
        )


def member_exemption_end(*, user: AbstractUser, member: Member, on: date, resolution: str = "") -> StatusChange:
    """End an exemption (the member returns to work and meetings), closing its record."""
    with audited(user):
        change = member_change_status(
            user=user, member=member, kind=StatusChangeKind.EXEMPTION_END, on=on, decision=(resolution or "").strip()
        )
        Exemption.objects.filter(member=member, ended__isnull=True).update(ended=change)
        return change
