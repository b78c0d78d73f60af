"""Writes: resolutions, targets (with their dated revisions), breakdowns, results, closures,
tasks and their reviews. Each checks reach (`require_org`), refuses bad input with a Vietnamese
message before anything is written, and runs inside `audited(user)`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.files import original_name, validate_upload
from apps.core.periods import Period
from apps.core.scoping import CHANGE, VIEW, scope_for
from apps.core.services import audited, require_org
from apps.core.templatetags.vn import format_date
from apps.core.versioning import check_version
from apps.meetings.models import Meeting
from apps.members.models import CURRENT_STATUSES, Member
from apps.organizations.models import CommitteePost, Organization, Term

from . import selectors
from .models import (
    Direction,
    Frequency,
    Level,
    Resolution,
    Result,
    ResultClosure,
    Rollup,
    Target,
    TargetRevision,
    Task,
    TaskReview,
    TaskStatus,
    WorkingArea,
    WorkingRules,
)

PROMISE_FIELDS = ("indicator", "unit", "direction", "baseline", "term_value", "yearly")


# --- Resolutions ----------------------------------------------------------------------------------
def _check_resolution(r: Resolution) -> None:
    errors: dict[str, str] = {}
    if r.level == Level.CONGRESS:
        if r.term_id is None:
            errors["term"] = _("Nghị quyết đại hội phải gắn với một nhiệm kỳ.")
        elif r.term is None or r.term.organization_id != r.organization_id:
            errors["term"] = _("Nhiệm kỳ phải là nhiệm kỳ của tổ chức ban hành.")
        r.year = r.quarter = r.month = None
    else:
        if not r.year:
            errors["year"] = _("Hãy nhập năm của nghị quyết.")
        if r.level == Level.QUARTER and r.quarter not in (1, 2, 3, 4):
            errors["quarter"] = _("Hãy chọn quý của nghị quyết.")
        if r.level == Level.MONTH and r.month not in range(1, 13):
            errors["month"] = _("Hãy chọn tháng của nghị quyết.")
        if r.level == Level.YEAR:
            r.quarter = r.month = None
        if r.level == Level.QUARTER:
            r.month = None
        if r.level == Level.MONTH and r.month:
            r.quarter = (r.month - 1) // 3 + 1
    if r.meeting_id is not None:
        meeting = r.meeting
        if meeting is None or r.level != Level.MONTH or meeting.organization_id != r.organization_id:
            errors["meeting"] = _("Chỉ nghị quyết tháng của chi bộ mới gắn với cuộc sinh hoạt của chính chi bộ đó.")
    if r.implements_id is not None:
        above = r.implements
        assert above is not None
        if above.pk == r.pk or not r.org_path.startswith(above.org_path):
            errors["implements"] = _(
                "Nghị quyết được thực hiện phải là nghị quyết của cấp trên hoặc của chính tổ chức ban hành."
            )
    if r.issued_on and r.issued_on > timezone.localdate():
        errors["issued_on"] = _("Ngày ban hành không được sau hôm nay.")
    if r.plan_due and r.issued_on and r.plan_due < r.issued_on:
        errors["plan_due"] = _("Hạn xây dựng kế hoạch thực hiện phải sau ngày ban hành.")
    if not (r.number or "").strip():
        errors["number"] = _("Hãy nhập số nghị quyết.")
    if errors:
        raise ValidationError(errors)


def _take_upload(r, upload) -> None:
    if upload:
        try:
            validate_upload(upload)
        except ValidationError as exc:
            raise ValidationError({"upload": exc.messages}) from None
        r.file = upload
        r.file_name = original_name(upload.name)


def resolution_create(
    *,
    user: User,
    organization: Organization,
    level: str,
    number: str,
    title: str,
    issued_on: dt.date,
    issuer: str = "",
    term: Term | None = None,
    year: int | None = None,
    quarter: int | None = None,
    month: int | None = None,
    summary: str = "",
    upload=None,
    meeting: Meeting | None = None,
    implements: Resolution | None = None,
    plan_due: dt.date | None = None,
) -> Resolution:
    require_org(user, organization)
    if implements is not None and not Resolution.objects.restrict(user, VIEW).filter(pk=implements.pk).exists():
        raise ValidationError({"implements": _("Không tìm thấy nghị quyết cấp trên này.")})
    r = Resolution(
        organization=organization,
        org_path=organization.path,
        level=level,
        term=term,
        year=year,
        quarter=quarter,
        month=month,
        number=(number or "").strip(),
        title=title,
        issued_on=issued_on,
        issuer=issuer or organization.name,
        summary=summary,
        meeting=meeting,
        implements=implements,
        plan_due=plan_due,
        created_by=user,
    )
    _check_resolution(r)
    _take_upload(r, upload)
    with audited(user):
        r.save()
    return r


def resolution_update(
    *, user: User, resolution: Resolution, expected_version=None, upload=None, **fields
) -> Resolution:
    require_org(user, resolution.organization)
    for name, value in fields.items():
        setattr(resolution, name, value)
    _check_resolution(resolution)
    _take_upload(resolution, upload)
    with audited(user):
        check_version(resolution, expected_version)
        resolution.save()
    return resolution


# --- Targets --------------------------------------------------------------------------------------
def _decimal(value, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        raise ValidationError({field: _("Giá trị không phải là một số.")}) from None
    if not number.is_finite() or abs(number) >= Decimal("1e12"):
        raise ValidationError({field: _("Giá trị không phải là một số.")})
    return number.quantize(Decimal("0.01"))


def _yearly(resolution: Resolution, yearly: dict | None) -> dict[str, str]:
    years = set(resolution.years)
    out = {}
    for year, value in (yearly or {}).items():
        number = _decimal(value, "yearly")
        if number is None:
            continue
        if int(year) not in years:
            raise ValidationError({"yearly": _("Năm %(year)s không thuộc thời gian của nghị quyết.") % {"year": year}})
        out[str(int(year))] = str(number)
    return out


def _check_owner(user: User, organization: Organization, owner: Member | None) -> None:
    if owner is None:
        return
    reached = Member.objects.restrict(user, CHANGE).filter(pk=owner.pk).exists()
    if not reached or not owner.org_path.startswith(organization.path) or owner.status not in CURRENT_STATUSES:
        raise ValidationError(
            {"owner": _("Người phụ trách phải là đảng viên đang sinh hoạt trong %(org)s.") % {"org": organization}}
        )


def _check_target(t: Target) -> None:
    errors = {}
    if not (t.indicator or "").strip():
        errors["indicator"] = _("Hãy nhập tên chỉ tiêu.")
    if not (t.unit or "").strip():
        errors["unit"] = _("Chỉ tiêu phải có đơn vị tính.")
    if t.frequency not in Frequency.values:
        errors["frequency"] = _("Chỉ tiêu phải có kỳ báo cáo kết quả (tháng, quý hoặc năm).")
    if t.direction not in Direction.values:
        errors["direction"] = _("Hãy chọn chiều đánh giá của chỉ tiêu.")
    if t.rollup not in Rollup.values:
        errors["rollup"] = _("Hãy chọn cách tổng hợp của chỉ tiêu.")
    if t.term_value is None and not t.yearly:
        errors["term_value"] = _("Hãy đặt chỉ tiêu cho nhiệm kỳ hoặc ít nhất một năm.")
    if errors:
        raise ValidationError(errors)


def _revise(user: User, target: Target, reason: str = "") -> TargetRevision:
    return TargetRevision.objects.create(
        target=target,
        recorded_by=user,
        recorded_at=timezone.now(),
        reason=reason,
        **{f: getattr(target, f) for f in PROMISE_FIELDS},
    )


def target_create(
    *,
    user: User,
    resolution: Resolution,
    indicator: str,
    unit: str,
    frequency: str,
    direction: str = Direction.HIGHER,
    rollup: str = Rollup.SUM,
    baseline=None,
    term_value=None,
    yearly: dict | None = None,
    owner: Member | None = None,
    position: int | None = None,
) -> Target:
    organization = resolution.organization
    require_org(user, organization)
    t = Target(
        resolution=resolution,
        organization=organization,
        org_path=organization.path,
        indicator=(indicator or "").strip(),
        unit=(unit or "").strip(),
        frequency=frequency or "",
        direction=direction,
        rollup=rollup,
        baseline=_decimal(baseline, "baseline"),
        term_value=_decimal(term_value, "term_value"),
        yearly=_yearly(resolution, yearly),
        owner=owner,
        position=position or resolution.targets.filter(parent__isnull=True).count() + 1,
    )
    _check_target(t)
    _check_owner(user, organization, owner)
    with audited(user):
        t.save()
        t.root = t
        t.save(update_fields=["root"])
        _revise(user, t)
    return t


def target_update(
    *, user: User, target: Target, expected_version=None, reason: str = "", owner: Member | None = None, **fields
) -> Target:
    """Change a target. A change of what it promises is kept as a new dated revision (the older
    ones stay); once results are entered, it needs its reason."""
    require_org(user, target.organization)
    before = {f: getattr(target, f) for f in PROMISE_FIELDS}
    frequency_before = target.frequency
    for name in ("indicator", "unit", "frequency", "direction", "rollup"):
        if name in fields:
            setattr(target, name, (fields[name] or "").strip())
    for name in ("baseline", "term_value"):
        if name in fields:
            setattr(target, name, _decimal(fields[name], name))
    if "yearly" in fields:
        target.yearly = _yearly(target.resolution, fields["yearly"])
    target.owner = owner
    _check_target(target)
    _check_owner(user, target.organization, owner)
    changed = any(before[f] != getattr(target, f) for f in PROMISE_FIELDS)
    has_results = (
        Result.objects.vouched("the results of a target loaded through the door")
        .filter(target__root_id=target.root_id)
        .exists()
    )
    if has_results and target.frequency != frequency_before:
        raise ValidationError({"frequency": _("Chỉ tiêu đã có kết quả thực hiện: không đổi kỳ báo cáo được.")})
    if changed and has_results and not (reason or "").strip():
        raise ValidationError({"reason": _("Chỉ tiêu đã có kết quả thực hiện: hãy ghi lý do điều chỉnh.")})
    with audited(user):
        check_version(target, expected_version)
        target.save()
        if changed:
            _revise(user, target, (reason or "").strip())
    return target


def target_break_down(*, user: User, target: Target, parts: list[dict]) -> list[Target]:
    """Give parts of a target to organizations below its own: each `{"organization", "yearly",
    "term_value", "owner"}`. The target's figures then come from them."""
    require_org(user, target.organization)
    if not parts:
        raise ValidationError(_("Hãy chọn ít nhất một tổ chức cấp dưới."))
    if Result.objects.vouched("a target loaded through the door").filter(target=target).exists():
        raise ValidationError(_("Chỉ tiêu đã có kết quả của chính cấp này, không giao xuống cấp dưới được."))
    taken = set(target.parts.values_list("organization_id", flat=True))
    created = []
    scope = scope_for(user)
    seen: set[int] = set()
    for part in parts:
        org = part["organization"]
        if (
            not org.path.startswith(target.org_path)
            or org.path == target.org_path
            or not scope.reaches_org(org, CHANGE)
            or org.ended_on is not None
        ):
            raise ValidationError(
                {"organization": _("%(org)s không phải là tổ chức cấp dưới trong phạm vi của đồng chí.") % {"org": org}}
            )
        if org.pk in taken or org.pk in seen:
            raise ValidationError({"organization": _("%(org)s đã được giao chỉ tiêu này.") % {"org": org}})
        seen.add(org.pk)
        child = Target(
            resolution=target.resolution,
            organization=org,
            org_path=org.path,
            parent=target,
            root_id=target.root_id,
            position=target.position,
            indicator=target.indicator,
            unit=target.unit,
            frequency=target.frequency,
            direction=target.direction,
            rollup=target.rollup,
            baseline=_decimal(part.get("baseline"), "baseline"),
            term_value=_decimal(part.get("term_value"), "term_value"),
            yearly=_yearly(target.resolution, part.get("yearly")),
            owner=part.get("owner"),
        )
        _check_target(child)
        _check_owner(user, org, child.owner)
        created.append(child)
    with audited(user):
        for child in created:
            child.save()
            _revise(user, child)
    return created


# --- Results --------------------------------------------------------------------------------------
def _period_error(target: Target, period: Period, today: dt.date) -> str | None:
    wanted = {"month": "month", "quarter": "quarter", "year": "year"}[target.frequency]
    kind = "month" if period.month else "quarter" if period.quarter else "year"
    if kind != wanted:
        return _("Chỉ tiêu này báo cáo kết quả %(freq)s.") % {"freq": Frequency(target.frequency).label.lower()}
    if period.year not in target.resolution.years:
        return _("%(period)s không thuộc thời gian của nghị quyết.") % {"period": period}
    if period.start > today:
        return _("%(period)s chưa bắt đầu: chưa nhập kết quả được.") % {"period": period}
    closure = selectors.closed(target, period)
    if closure is not None:
        return _("Số liệu %(period)s đã được %(org)s chốt ngày %(day)s: không nhập, sửa kết quả được nữa.") % {
            "period": period,
            "org": closure.organization,
            "day": format_date(timezone.localtime(closure.closed_at).date()),
        }
    return None


def result_enter(*, user: User, target: Target, period: Period, value, note: str = "", expected_version=None) -> Result:
    require_org(user, target.organization)
    if target.parts.exists():
        raise ValidationError(_("Chỉ tiêu đã giao xuống cấp dưới: kết quả được tổng hợp từ cấp dưới."))
    error = _period_error(target, period, timezone.localdate())
    if error:
        raise ValidationError({"period": error})
    number = _decimal(value, "value")
    if number is None:
        raise ValidationError({"value": _("Hãy nhập kết quả.")})
    with audited(user):
        result = (
            Result.objects.select_for_update()
            .filter(target=target, year=period.year, quarter=period.quarter, month=period.month)
            .first()
        )
        if result is None:
            return Result.objects.create(
                target=target,
                year=period.year,
                quarter=period.quarter,
                month=period.month,
                value=number,
                note=note,
                entered_by=user,
            )
        check_version(result, expected_version)
        result.value, result.note, result.entered_by, result.entered_at = number, note, user, timezone.now()
        result.save()
        return result


def results_close(*, user: User, organization: Organization, period: Period) -> ResultClosure:
    require_org(user, organization)
    if period.end >= timezone.localdate():
        raise ValidationError(_("%(period)s chưa kết thúc: chưa chốt số liệu được.") % {"period": period})
    if (
        ResultClosure.objects.vouched("the organization loaded through the door")
        .filter(organization=organization, year=period.year, quarter=period.quarter, month=period.month)
        .exists()
    ):
        raise ValidationError(_("Số liệu %(period)s đã được chốt.") % {"period": period})
    with audited(user):
        return ResultClosure.objects.create(
            organization=organization,
            org_path=organization.path,
            year=period.year,
            quarter=period.quarter,
            month=period.month,
            closed_by=user,
        )


# --- Tasks ----------------------------------------------------------------------------------------
def _task_owner(user: User, owner_member: Member | None, owner_organization: Organization | None) -> Organization:
    if (owner_member is None) == (owner_organization is None):
        raise ValidationError({"owner_member": _("Hãy chọn người phụ trách (một đảng viên hoặc một tổ chức đảng).")})
    scope = scope_for(user)
    if owner_member is not None:
        if not Member.objects.restrict(user, CHANGE).filter(pk=owner_member.pk).exists():
            raise ValidationError({"owner_member": _("Đảng viên này không thuộc phạm vi của đồng chí.")})
        if owner_member.status not in CURRENT_STATUSES:
            raise ValidationError({"owner_member": _("Đảng viên này không còn sinh hoạt.")})
        return owner_member.organization
    assert owner_organization is not None
    if not scope.reaches_org(owner_organization, CHANGE) or owner_organization.ended_on is not None:
        raise ValidationError({"owner_organization": _("Tổ chức này không thuộc phạm vi của đồng chí.")})
    return owner_organization


def task_create(
    *,
    user: User,
    content: str,
    deadline: dt.date | None,
    owner_member: Member | None = None,
    owner_organization: Organization | None = None,
    resolution: Resolution | None = None,
) -> Task:
    organization = _task_owner(user, owner_member, owner_organization)
    require_org(user, organization)
    errors = {}
    if not (content or "").strip():
        errors["content"] = _("Hãy nhập nội dung công việc.")
    if deadline is None:
        errors["deadline"] = _("Nhiệm vụ phải có thời hạn.")
    if resolution is not None and not Resolution.objects.restrict(user, VIEW).filter(pk=resolution.pk).exists():
        errors["resolution"] = _("Không tìm thấy nghị quyết này.")
    if errors:
        raise ValidationError(errors)
    assert deadline is not None
    with audited(user):
        return Task.objects.create(
            organization=organization,
            org_path=organization.path,
            owner_member=owner_member,
            owner_organization=owner_organization,
            content=content.strip(),
            deadline=deadline,
            resolution=resolution,
            assigned_by=user,
        )


def task_update(
    *,
    user: User,
    task: Task,
    status: str,
    result: str = "",
    done_on: dt.date | None = None,
    deadline: dt.date | None = None,
    expected_version=None,
) -> Task:
    """The owner's report (status, result, day done), or a new deadline set by the organization."""
    scope = scope_for(user)
    own = scope.member_id is not None and task.owner_member_id == scope.member_id
    if not own:
        require_org(user, task.organization)
    if status not in TaskStatus.values:
        raise ValidationError({"status": _("Tình trạng không hợp lệ.")})
    today = timezone.localdate()
    if status == TaskStatus.DONE:
        done_on = done_on or today
        if done_on > today:
            raise ValidationError({"done_on": _("Ngày hoàn thành không được sau hôm nay.")})
    else:
        done_on = None
    if deadline is not None and deadline != task.deadline:
        if own and not scope.reaches_org(task.organization, CHANGE):
            raise PermissionDenied(_("Chỉ tổ chức giao nhiệm vụ mới đổi được thời hạn."))
        task.deadline = deadline
    task.status, task.result, task.done_on = status, result, done_on
    with audited(user):
        check_version(task, expected_version)
        task.save()
    return task


def task_figures(tasks, period: Period) -> dict[str, int]:
    """Tasks due in the period: done on time, done late, not done (cancelled ones are not counted)."""
    due = [t for t in tasks if period.start <= t.deadline <= period.end and t.status != TaskStatus.CANCELLED]
    on_time = sum(1 for t in due if t.status == TaskStatus.DONE and t.done_on and t.done_on <= t.deadline)
    late = sum(1 for t in due if t.status == TaskStatus.DONE and t.done_on and t.done_on > t.deadline)
    return {"tasks_due": len(due), "done_on_time": on_time, "done_late": late, "not_done": len(due) - on_time - late}


def task_review_create(
    *,
    user: User,
    organization: Organization,
    period: Period,
    rating: str,
    comment: str = "",
    member: Member | None = None,
) -> TaskReview:
    """A month's or quarter's evaluation of task results: of a member by their cell, or of an
    organization itself (member empty) by itself or the committee above."""
    require_org(user, organization)
    if not period.month and not period.quarter:
        raise ValidationError({"period": _("Đánh giá kết quả thực hiện nhiệm vụ theo tháng hoặc theo quý.")})
    if member is not None and member.organization_id != organization.pk:
        raise ValidationError({"member": _("Đảng viên này không sinh hoạt ở %(org)s.") % {"org": organization}})
    if period.start > timezone.localdate():
        raise ValidationError({"period": _("%(period)s chưa bắt đầu.") % {"period": period}})
    tasks = Task.objects.vouched("the tasks of an organization or member loaded through the door")
    tasks = tasks.filter(owner_member=member) if member else tasks.filter(owner_organization=organization)
    figures = task_figures(list(tasks.filter(deadline__range=(period.start, period.end))), period)
    with audited(user):
        return TaskReview.objects.create(
            organization=organization,
            org_path=organization.path,
            member=member,
            year=period.year,
            quarter=period.quarter,
            month=period.month,
            rating=rating,
            comment=comment,
            reviewed_by=user,
            **figures,
        )


# --- Working rules --------------------------------------------------------------------------------
def working_rules_adopt(
    *,
    user: User,
    organization: Organization,
    term: Term,
    number: str,
    title: str,
    adopted_on: dt.date,
    upload=None,
    areas: list[tuple[CommitteePost, str]] | None = None,
) -> WorkingRules:
    """A new edition of a committee's working rules for its term (the earlier ones stay), with the
    area each committee post of that term is assigned."""
    require_org(user, organization)
    errors = {}
    if term.organization_id != organization.pk:
        errors["term"] = _("Nhiệm kỳ phải là nhiệm kỳ của cấp ủy này.")
    if not (number or "").strip():
        errors["number"] = _("Hãy nhập số văn bản.")
    if adopted_on > timezone.localdate():
        errors["adopted_on"] = _("Ngày ban hành không được sau hôm nay.")
    for post, area in areas or []:
        if post.organization_id != organization.pk or post.term_id != term.pk:
            errors["areas"] = _("Chỉ phân công lĩnh vực cho chức vụ cấp ủy của chính nhiệm kỳ này.")
        if not (area or "").strip():
            errors["areas"] = _("Hãy ghi lĩnh vực được phân công.")
    if errors:
        raise ValidationError(errors)
    rules = WorkingRules(
        organization=organization,
        org_path=organization.path,
        term=term,
        number=number.strip(),
        title=title,
        adopted_on=adopted_on,
        created_by=user,
        edition=WorkingRules.objects.vouched("the organization loaded through the door")
        .filter(organization=organization, term=term)
        .count()
        + 1,
    )
    _take_upload(rules, upload)
    with audited(user):
        rules.save()
        for post, area in areas or []:
            WorkingArea.objects.create(rules=rules, post=post, area=area.strip())
    return rules
