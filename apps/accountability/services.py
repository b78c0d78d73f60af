"""Writes of the accountability area. Each checks reach, validates, saves and is audited."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.access import record_read
from apps.core.files import attach
from apps.core.locking import allow_change, approve
from apps.core.scoping import CHANGE, INSPECT, VIEW, scope_for
from apps.core.services import audited, require_org
from apps.core.versioning import check_version
from apps.members.models import CURRENT_STATUSES, Status

from . import selectors
from .models import (
    Commitment,
    Degree,
    ExamStatus,
    LogbookEntry,
    Opening,
    PlanAttachment,
    RemediationAction,
    RemediationPlan,
    ReviewGroup,
    ReviewTarget,
    RotatingReview,
    SelfExamination,
    SelfExaminationItem,
    TargetMode,
)

MIN_YEAR, MAX_YEAR = 2016, 2100


def _check_year(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": _("Năm không hợp lệ.")})
    if not MIN_YEAR <= year <= timezone.localdate().year + 1:
        raise ValidationError({"year": _("Năm phải từ 2016 đến năm sau năm hiện tại.")})
    return year


def _require_self_or_cell(user: User, member) -> None:
    """The member themself, or someone who may change their cell's records."""
    if selectors.is_own(user, member):
        return
    require_org(user, member.organization)


# --- Self-examination ---------------------------------------------------------------------------


def self_examination_start(*, user: User, member, year) -> SelfExamination:
    year = _check_year(year)
    _require_self_or_cell(user, member)
    if member.status not in CURRENT_STATUSES:
        raise ValidationError(_("Đảng viên không còn sinh hoạt, không lập sổ tự soi."))
    existing = SelfExamination.objects.filter(member=member, year=year).first()
    if existing:
        return existing
    with audited(user):
        exam = SelfExamination.objects.create(
            member=member, organization=member.organization, org_path=member.organization.path, year=year
        )
        SelfExaminationItem.objects.bulk_create(
            SelfExaminationItem(examination=exam, manifestation=m) for m in selectors.manifestations()
        )
    return exam


def self_examination_save(
    *,
    user: User,
    examination,
    degrees: dict,
    notes: dict | None = None,
    self_assessment: str = "",
    complete: bool = False,
    expected_version=None,
) -> SelfExamination:
    """Only the member writes their own handbook. `degrees` maps manifestation number -> Degree."""
    if not selectors.is_own(user, examination.member):
        raise PermissionDenied(_("Chỉ đảng viên tự ghi sổ tự soi của mình."))
    if examination.status == ExamStatus.COMPLETED:
        raise ValidationError(
            _("Sổ tự soi đã hoàn thành ngày %(day)s, không sửa được.")
            % {"day": examination.completed_on.strftime("%d/%m/%Y") if examination.completed_on else "—"}
        )
    notes = notes or {}
    items = {i.manifestation.number: i for i in examination.items.select_related("manifestation")}
    errors = []
    for number, degree in degrees.items():
        if int(number) not in items:
            errors.append(_("Không có biểu hiện số %(n)s.") % {"n": number})
        elif degree not in Degree.values:
            errors.append(_("Mức độ ở biểu hiện số %(n)s không hợp lệ.") % {"n": number})
    if complete:
        given = {int(k): v for k, v in degrees.items()}
        missing = [n for n, item in items.items() if not given.get(n, item.degree)]
        if missing:
            errors.append(
                _("Chưa tự đánh giá các biểu hiện số: %(list)s.") % {"list": ", ".join(str(n) for n in sorted(missing))}
            )
    if errors:
        raise ValidationError(errors)
    with audited(user):
        check_version(examination, expected_version)
        for number, degree in degrees.items():
            item = items[int(number)]
            item.degree = degree
            item.note = (notes.get(number) or notes.get(str(number)) or "").strip()
            item.save()
        examination.self_assessment = (self_assessment or "").strip()
        if complete:
            examination.status = ExamStatus.COMPLETED
            examination.completed_on = timezone.localdate()
        examination.save()
    return examination


def examination_read(*, user: User, examination) -> selectors.Access:
    """Check that the user may read the content and record the reading. Raises PermissionDenied."""
    access = selectors.content_access(user, examination)
    if not access.allowed:
        raise PermissionDenied(_("Sổ tự soi là riêng tư; cấp trên chỉ xem số liệu tổng hợp."))
    record_read(user, examination, basis=access.basis, opening=access.opening, where="exam_page")
    return access


def opening_create(
    *,
    user: User,
    examination,
    reason: str,
    review_target=None,
    inspection=None,
    organization=None,
    ends_on=None,
) -> Opening:
    """An organization above opens a private self-examination for a review or an inspection."""
    if not selectors.can_open(user, examination):
        raise PermissionDenied(_("Bạn không có quyền mở sổ tự soi này."))
    reason = (reason or "").strip()
    errors = {}
    if len(reason) < 10:
        errors["reason"] = _("Hãy ghi rõ lý do mở sổ (ít nhất 10 ký tự).")
    if review_target is None and inspection is None:
        errors["review_target"] = _(
            "Việc mở sổ phải gắn với một đợt dự, gợi ý kiểm điểm hoặc một cuộc kiểm tra, giám sát."
        )
    scope = scope_for(user)
    if review_target is not None:
        if review_target.member_id != examination.member_id:
            errors["review_target"] = _("Đợt kiểm điểm được chọn không phải của đảng viên này.")
        organization = organization or review_target.group.organization
    if inspection is not None:
        if inspection.subject_member_id and inspection.subject_member_id != examination.member_id:
            errors["inspection"] = _("Cuộc kiểm tra được chọn không phải về đảng viên này.")
        elif inspection.subject_organization_id and not examination.org_path.startswith(inspection.subject_path):
            errors["inspection"] = _("Cuộc kiểm tra được chọn không liên quan đến chi bộ của đảng viên này.")
        organization = organization or inspection.organization
    if organization is not None and not (
        scope.reaches_org(organization, VIEW) or scope.reaches_org(organization, INSPECT)
    ):
        errors["organization"] = _("Bạn không có quyền ở tổ chức đảng này.")
    if ends_on is not None and ends_on < timezone.localdate():
        errors["ends_on"] = _("Ngày hết hạn xem đã qua.")
    if errors:
        raise ValidationError(errors)
    with audited(user):
        return Opening.objects.create(
            examination=examination,
            organization=organization,
            review_target=review_target,
            inspection=inspection,
            reason=reason,
            opened_by=user,
            ends_on=ends_on,
        )


# --- Commitments --------------------------------------------------------------------------------


def commitment_register(*, user: User, member, year, kind, content, registered_on=None) -> Commitment:
    year = _check_year(year)
    _require_self_or_cell(user, member)
    content = (content or "").strip()
    errors = {}
    if not content:
        errors["content"] = _("Hãy ghi nội dung đăng ký.")
    if Commitment.objects.filter(member=member, year=year, kind=kind).exists():
        errors["kind"] = _("Đảng viên đã đăng ký loại này trong năm %(year)s.") % {"year": year}
    if errors:
        raise ValidationError(errors)
    c = Commitment(
        member=member,
        organization=member.organization,
        org_path=member.organization.path,
        year=year,
        kind=kind,
        content=content,
        registered_on=registered_on or timezone.localdate(),
    )
    c.full_clean()
    with audited(user):
        c.save()
    return c


def commitment_review(*, user: User, commitment, result, note="", reviewed_on=None) -> Commitment:
    require_org(user, commitment.organization)
    if not result:
        raise ValidationError({"result": _("Hãy chọn kết quả.")})
    commitment.result = result
    commitment.review_note = (note or "").strip()
    commitment.reviewed_on = reviewed_on or timezone.localdate()
    commitment.full_clean()
    with audited(user):
        commitment.save()
    return commitment


# --- Subjects -----------------------------------------------------------------------------------


def _subject(obj, member, organization):
    if (member is None) == (organization is None):
        raise ValidationError(_("Hãy chọn một đối tượng: một đảng viên hoặc một tổ chức đảng."))
    obj.member = member
    obj.organization = organization
    obj.set_subject()


def logbook_add(
    *,
    user: User,
    member=None,
    organization=None,
    date,
    kind,
    source,
    content,
    source_detail="",
    inspection=None,
    remediation_plan=None,
) -> LogbookEntry:
    entry = LogbookEntry(
        date=date,
        kind=kind,
        source=source,
        content=(content or "").strip(),
        source_detail=source_detail,
        inspection=inspection,
        remediation_plan=remediation_plan,
        recorded_by=user,
    )
    _subject(entry, member, organization)
    require_org(user, entry.subject_org)
    if date and date > timezone.localdate():
        raise ValidationError({"date": _("Ngày ghi sổ ở tương lai.")})
    entry.full_clean()
    with audited(user):
        entry.save()
    return entry


LOGBOOK_FIELDS = ("date", "kind", "source", "source_detail", "content")


def logbook_update(*, user: User, entry, expected_version=None, correction_reason="", **fields) -> LogbookEntry:
    """Correct a log entry; once confirmed, only with the reason (the earlier text stays in the history)."""
    require_org(user, entry.subject_org)
    allow_change(entry, correction_reason)
    for key in LOGBOOK_FIELDS:
        if key in fields:
            value = fields[key]
            setattr(entry, key, value.strip() if isinstance(value, str) else value)
    if entry.date and entry.date > timezone.localdate():
        raise ValidationError({"date": _("Ngày ghi sổ ở tương lai.")})
    entry.full_clean()
    with audited(user):
        check_version(entry, expected_version)
        entry.save()
    return entry


def logbook_confirm(*, user: User, entry) -> LogbookEntry:
    """The cell or committee confirms an entry: locked from now on (corrections need a reason)."""
    require_org(user, entry.subject_org)
    with audited(user):
        approve(entry, user)
    return entry


def remediation_plan_create(
    *,
    user: User,
    year,
    title,
    owner_name,
    member=None,
    organization=None,
    shortcomings="",
    examination=None,
    inspection=None,
    review_target=None,
    actions=(),
) -> RemediationPlan:
    """`actions` is a list of (text, deadline) pairs. A plan made after a review names the review
    target; its subject is the target's."""
    year = _check_year(year)
    plan = RemediationPlan(
        year=year,
        title=(title or "").strip(),
        owner_name=(owner_name or "").strip(),
        shortcomings=(shortcomings or "").strip(),
        examination=examination,
        inspection=inspection,
        review_target=review_target,
        created_by=user,
    )
    _subject(plan, member, organization)
    if review_target is not None:
        if (review_target.member_id, review_target.organization_id) != (
            getattr(member, "pk", None),
            getattr(organization, "pk", None),
        ):
            raise ValidationError({"review_target": _("Kế hoạch phải của đúng đối tượng đã được kiểm điểm.")})
        if review_target.withdrawn_on is not None:
            raise ValidationError({"review_target": _("Đối tượng này đã rút khỏi danh sách của đoàn.")})
    if member is not None:
        _require_self_or_cell(user, member)
    else:
        require_org(user, organization)
    if examination is not None and examination.member_id != getattr(member, "pk", None):
        raise ValidationError({"examination": _("Sổ tự soi không phải của đảng viên này.")})
    errors: dict[str, str | list[str]] = {}
    cleaned = []
    for i, (text, deadline) in enumerate(actions, start=1):
        text = (text or "").strip()
        if not text and not deadline:
            continue
        if not text:
            errors[f"action_{i}"] = _("Việc %(i)s: hãy ghi nội dung.") % {"i": i}
        elif not deadline:
            errors[f"action_{i}"] = _("Việc %(i)s: hãy ghi thời hạn.") % {"i": i}
        else:
            cleaned.append((text, deadline))
    if not errors and not cleaned:
        errors["actions"] = _("Kế hoạch phải có ít nhất một việc khắc phục có thời hạn.")
    try:
        plan.full_clean()
    except ValidationError as e:
        errors.update(e.message_dict)
    if errors:
        raise ValidationError(errors)
    with audited(user):
        plan.save()
        for text, deadline in cleaned:
            RemediationAction.objects.create(plan=plan, action=text, deadline=deadline)
    return plan


def _require_plan_change(user: User, plan) -> None:
    if plan.member_id and selectors.is_own(user, plan.member):
        return
    require_org(user, plan.subject_org)


def remediation_action_add(*, user: User, plan, action, deadline, correction_reason="") -> RemediationAction:
    """Add an action to a plan later; to an approved plan only as a correction with its reason."""
    _require_plan_change(user, plan)
    if not (action or "").strip() or not deadline:
        raise ValidationError(_("Hãy ghi nội dung và thời hạn của việc khắc phục."))
    allow_change(plan, correction_reason)
    with audited(user):
        if plan.is_locked:
            plan.save()
        return RemediationAction.objects.create(plan=plan, action=action.strip(), deadline=deadline)


def remediation_action_correct(
    *, user: User, action, text, deadline, correction_reason="", expected_version=None
) -> RemediationAction:
    """Correct an action's text or deadline; on an approved plan only with the reason, kept on the plan."""
    plan = action.plan
    _require_plan_change(user, plan)
    if not (text or "").strip() or not deadline:
        raise ValidationError(_("Hãy ghi nội dung và thời hạn của việc khắc phục."))
    allow_change(plan, correction_reason)
    action.action, action.deadline = text.strip(), deadline
    with audited(user):
        check_version(action, expected_version)
        action.save()
        if plan.is_locked:
            plan.save()
    return action


PLAN_FIELDS = ("title", "owner_name", "shortcomings")


def remediation_plan_update(
    *, user: User, plan, expected_version=None, correction_reason="", **fields
) -> RemediationPlan:
    """Correct a plan's title, owner or shortcomings; after approval only with the reason."""
    _require_plan_change(user, plan)
    allow_change(plan, correction_reason)
    for key in PLAN_FIELDS:
        if key in fields:
            setattr(plan, key, (fields[key] or "").strip())
    errors = {}
    if not plan.title:
        errors["title"] = _("Hãy ghi tên kế hoạch.")
    if not plan.owner_name:
        errors["owner_name"] = _("Hãy ghi người chịu trách nhiệm.")
    if errors:
        raise ValidationError(errors)
    with audited(user):
        check_version(plan, expected_version)
        plan.save()
    return plan


def remediation_plan_approve(*, user: User, plan) -> RemediationPlan:
    """The cell or committee approves the plan: locked from now on (corrections need a reason)."""
    require_org(user, plan.subject_org)
    if plan.member_id and selectors.is_own(user, plan.member):
        raise PermissionDenied(_("Đảng viên không tự duyệt kế hoạch khắc phục của mình."))
    with audited(user):
        approve(plan, user)
    return plan


def remediation_action_done(*, user: User, action, done_on=None, expected_version=None) -> RemediationAction:
    _require_plan_change(user, action.plan)
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("Ngày hoàn thành ở tương lai.")})
    action.done_on = done_on
    with audited(user):
        check_version(action, expected_version)
        action.save()
    return action


def remediation_action_check(
    *, user: User, action, passed: bool, result: str, check_on=None, new_deadline=None, expected_version=None
) -> RemediationAction:
    """The follow-up check (hậu kiểm tra) by the cell or the committee; not by the member.

    A failed check reopens the action with a new deadline: it is not done, it counts as open (and
    overdue once the new deadline passes) until it is reported done again and a check passes."""
    scope = scope_for(user)
    org = action.plan.subject_org
    if not (scope.reaches_org(org, CHANGE) or scope.reaches_org(org, INSPECT)):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này ở tổ chức đảng này."))
    if action.plan.member_id and selectors.is_own(user, action.plan.member):
        raise PermissionDenied(_("Đảng viên không tự hậu kiểm tra việc khắc phục của mình."))
    check_on = check_on or timezone.localdate()
    errors = {}
    if action.done_on is None and passed:
        errors["check_passed"] = _("Việc chưa báo cáo hoàn thành, không thể kết luận là đạt.")
    if not (result or "").strip():
        errors["check_result"] = _("Hãy ghi kết quả hậu kiểm tra.")
    if check_on > timezone.localdate():
        errors["check_on"] = _("Ngày hậu kiểm tra ở tương lai.")
    if not passed:
        if new_deadline is None:
            errors["new_deadline"] = _("Hậu kiểm tra chưa đạt: hãy ghi thời hạn mới để tiếp tục khắc phục.")
        elif new_deadline <= check_on:
            errors["new_deadline"] = _("Thời hạn mới phải sau ngày hậu kiểm tra.")
    if errors:
        raise ValidationError(errors)
    action.check_on = check_on
    action.check_passed = passed
    action.check_result = result.strip()
    action.checked_by = user
    if not passed:
        action.done_on = None
        action.deadline = new_deadline
        action.failed_checks += 1
    with audited(user):
        check_version(action, expected_version)
        action.save()
    return action


# --- Review groups and rotating reviews --------------------------------------------------------


def review_group_create(*, user: User, organization, year, name, decision="", composition="") -> ReviewGroup:
    require_org(user, organization)
    year = _check_year(year)
    group = ReviewGroup(
        organization=organization, year=year, name=(name or "").strip(), decision=decision, composition=composition
    )
    group.full_clean()
    with audited(user):
        group.save()
    return group


def review_target_add(
    *, user: User, group, member=None, organization=None, mode, reason="", review_on=None
) -> ReviewTarget:
    require_org(user, group.organization)
    target = ReviewTarget(group=group, mode=mode, reason=(reason or "").strip(), review_on=review_on)
    _subject(target, member, organization)
    if not target.subject_path.startswith(group.organization.path):
        raise ValidationError(_("Đối tượng kiểm điểm phải thuộc tổ chức đảng của đoàn."))
    if mode not in TargetMode.values:
        raise ValidationError({"mode": _("Hãy chọn hình thức: kiểm điểm sâu hoặc dự kiểm điểm.")})
    same = (
        group.targets.active().filter(member=member)
        if member
        else group.targets.active().filter(organization=organization)
    )
    existing = same.first()
    if existing is not None:
        raise ValidationError(
            {
                ("member" if member else "organization"): _("%(subject)s đã có trong danh sách của đoàn (%(mode)s).")
                % {"subject": existing.subject, "mode": existing.get_mode_display()}
            }
        )
    if review_on and review_on.year != group.year:
        raise ValidationError(
            {"review_on": _("Ngày kiểm điểm phải trong năm %(year)s của đoàn.") % {"year": group.year}}
        )
    target.full_clean()
    with audited(user):
        target.save()
    return target


def review_target_record(
    *, user: User, target, suggestions=None, follow_up=None, follow_up_done=None, review_on=None
) -> ReviewTarget:
    """The group records its suggestions and the follow-up. A value not given (None) keeps what
    was recorded: saving the follow-up never erases the suggestions."""
    require_org(user, target.group.organization)
    if review_on is not None and review_on.year != target.group.year:
        raise ValidationError(
            {"review_on": _("Ngày kiểm điểm phải trong năm %(year)s của đoàn.") % {"year": target.group.year}}
        )
    if suggestions is not None:
        target.suggestions = suggestions.strip()
    if follow_up is not None:
        target.follow_up = follow_up.strip()
    if follow_up_done is not None:
        target.follow_up_done = bool(follow_up_done)
    if review_on is not None:
        target.review_on = review_on
    with audited(user):
        target.save()
    return target


# Members who do not take part in meetings are not brought round (RULES.md §2, §4).
NOT_IN_ROTATION = (Status.EXEMPTED, Status.SUSPENDED)


def _cell_meetings(organization):
    from apps.meetings.models import CELL_MEETING_KINDS, Meeting, MeetingStatus

    return Meeting.objects.filter(organization=organization, kind__in=CELL_MEETING_KINDS).exclude(
        status=MeetingStatus.CANCELLED
    )


def rotating_schedule(*, user: User, organization, start: dt.date, every_months: int = 1) -> list[RotatingReview]:
    """Bring each member of the cell who takes part in meetings round in turn, one a meeting,
    from `start` on, continuing after whoever was last scheduled (given-name order). Exempted
    and suspended members are left out. A turn is tied to the cell's meeting of that month
    when one is planned."""
    require_org(user, organization)
    if not organization.is_cell:
        raise ValidationError(_("Lịch kiểm điểm xoay vòng lập cho chi bộ."))
    if every_months < 1:
        raise ValidationError(_("Khoảng cách giữa hai lượt phải từ 1 tháng."))
    members = list(
        organization.members.filter(status__in=CURRENT_STATUSES)
        .exclude(status__in=NOT_IN_ROTATION)
        .order_by("sort_key", "pk")
    )
    if not members:
        raise ValidationError(_("Chi bộ chưa có đảng viên đang sinh hoạt."))
    already = set(
        RotatingReview.objects.filter(organization=organization, done_on__isnull=True).values_list(
            "member_id", flat=True
        )
    )
    todo = [m for m in members if m.pk not in already]
    months = [(start + relativedelta(months=i * every_months)).replace(day=1) for i in range(len(todo))]
    meetings: dict = {}
    if months:
        for meeting in (
            _cell_meetings(organization)
            .filter(date__gte=months[0], date__lt=months[-1] + relativedelta(months=1))
            .order_by("date", "pk")
        ):
            meetings.setdefault(meeting.date.replace(day=1), meeting)
    rows = []
    with audited(user):
        for m, month in zip(todo, months, strict=True):
            rows.append(
                RotatingReview.objects.create(
                    organization=organization,
                    org_path=organization.path,
                    member=m,
                    scheduled_on=month,
                    meeting=meetings.get(month),
                )
            )
    return rows


def rotating_meetings(organization, today=None):
    """The cell's meetings a turn may be recorded at: held or under way, up to today."""
    today = today or timezone.localdate()
    return _cell_meetings(organization).filter(date__lte=today).order_by("-date", "-pk")


def rotating_done(*, user: User, review, meeting=None, note="") -> RotatingReview:
    """Record that the member was reviewed, at the cell meeting where it happened."""
    require_org(user, review.organization)
    errors = {}
    if review.done_on is not None:
        errors["meeting"] = _("Lượt kiểm điểm này đã được ghi.")
    meeting = meeting or review.meeting
    if meeting is None:
        errors["meeting"] = _("Hãy chọn cuộc sinh hoạt chi bộ đã kiểm điểm đảng viên này.")
    elif not rotating_meetings(review.organization).filter(pk=meeting.pk).exists():
        errors["meeting"] = _("Cuộc sinh hoạt được chọn không phải của chi bộ này hoặc chưa diễn ra.")
    if review.member.status in NOT_IN_ROTATION:
        errors["member"] = _("%(name)s đang %(status)s, không kiểm điểm xoay vòng.") % {
            "name": review.member.full_name,
            "status": review.member.get_status_display().lower(),
        }
    if errors:
        raise ValidationError(errors)
    review.meeting = meeting
    review.done_on = meeting.date
    review.note = (note or "").strip()
    with audited(user):
        review.save()
    return review


def plan_attach(*, user: User, plan, file, title: str = "") -> PlanAttachment:
    """Attach a document to a remediation plan: by its member, or the cell or committee."""
    _require_plan_change(user, plan)
    return attach(PlanAttachment, user=user, upload=file, title=title, plan=plan)
