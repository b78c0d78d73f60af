"""Writes of inspection and supervision work, by committees, commissions and cells."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.files import attach
from apps.core.locking import allow_change, approve
from apps.core.scoping import CHANGE, INSPECT, scope_for
from apps.core.services import audited
from apps.core.versioning import check_version
from apps.discipline.services import discipline_create

from .models import (
    Complaint,
    ComplaintAttachment,
    ComplaintStatus,
    Conclusion,
    DisciplineBasis,
    Inspection,
    InspectionAttachment,
    InspectionPlan,
    Remedy,
    Status,
)


def require_inspect(user: User, organization) -> None:
    """Inspection work needs CHANGE (committee) or INSPECT (inspection commission) reach."""
    scope = scope_for(user)
    if not (scope.reaches_org(organization, CHANGE) or scope.reaches_org(organization, INSPECT)):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này ở tổ chức đảng này."))


def _year(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": _("Năm không hợp lệ.")})
    if not 2000 <= year <= timezone.localdate().year + 1:
        raise ValidationError({"year": _("Năm không hợp lệ.")})
    return year


def plan_create(
    *, user: User, organization, year, title, body="committee", number="", content="", issued_on=None
) -> InspectionPlan:
    require_inspect(user, organization)
    plan = InspectionPlan(
        organization=organization,
        org_path=organization.path,
        year=_year(year),
        title=(title or "").strip(),
        body=body,
        number=number,
        content=content,
        issued_on=issued_on,
    )
    plan.full_clean()
    with audited(user):
        plan.save()
    return plan


def inspection_create(
    *,
    user: User,
    organization,
    kind,
    title,
    subject_member=None,
    subject_organization=None,
    plan=None,
    body="committee",
    team="",
    period_start=None,
    period_end=None,
    complaint=None,
) -> Inspection:
    """An inspection or supervision; started from a complaint (`complaint`), it is linked to it."""
    require_inspect(user, organization)
    errors = {}
    if (subject_member is None) == (subject_organization is None):
        errors["subject_member"] = _("Hãy chọn một đối tượng: một đảng viên hoặc một tổ chức đảng.")
    subject_org = subject_member.organization if subject_member is not None else subject_organization
    if subject_org is not None and not subject_org.path.startswith(organization.path):
        errors["subject_organization"] = _("Đối tượng kiểm tra phải thuộc tổ chức đảng tiến hành kiểm tra.")
    if plan is not None and plan.organization_id != organization.pk:
        errors["plan"] = _("Kế hoạch được chọn không phải của tổ chức đảng này.")
    if period_start and period_end and period_end < period_start:
        errors["period_end"] = _("Ngày kết thúc trước ngày bắt đầu.")
    if complaint is not None and complaint.organization_id != organization.pk:
        errors["organization"] = _("Cuộc kiểm tra giải quyết đơn phải do nơi tiếp nhận đơn tiến hành.")
    if errors:
        raise ValidationError(errors)
    insp = Inspection(
        organization=organization,
        org_path=organization.path,
        kind=kind,
        title=(title or "").strip(),
        subject_member=subject_member,
        subject_organization=subject_organization,
        subject_path=subject_org.path,
        plan=plan,
        body=body,
        team=team,
        period_start=period_start,
        period_end=period_end,
    )
    insp.full_clean()
    with audited(user):
        insp.save()
        if complaint is not None:
            complaint.inspection = insp
            if complaint.status == ComplaintStatus.RECEIVED:
                complaint.status = ComplaintStatus.HANDLING
            complaint.save()
    return insp


def inspection_start(*, user: User, inspection, period_start=None) -> Inspection:
    require_inspect(user, inspection.organization)
    if inspection.status != Status.PLANNED:
        raise ValidationError(_("Cuộc kiểm tra đã bắt đầu."))
    inspection.status = Status.IN_PROGRESS
    inspection.period_start = inspection.period_start or period_start or timezone.localdate()
    with audited(user):
        inspection.save()
    return inspection


def inspection_conclude(
    *,
    user: User,
    inspection,
    findings,
    conclusion,
    conclusion_text,
    concluded_on=None,
    remedies=(),
    expected_version=None,
) -> Inspection:
    """Record findings and the conclusion, with the remedies it requires: (requirement, deadline)."""
    require_inspect(user, inspection.organization)
    with transaction.atomic():  # a stale page is told what changed before anything else
        check_version(inspection, expected_version)
    errors = {}
    if inspection.status in (Status.CONCLUDED, Status.CLOSED):
        errors["conclusion"] = _("Cuộc kiểm tra đã có kết luận.")
    if conclusion not in Conclusion.values:
        errors["conclusion"] = _("Hãy chọn kết luận.")
    if not (conclusion_text or "").strip():
        errors["conclusion_text"] = _("Hãy ghi nội dung kết luận.")
    concluded_on = concluded_on or timezone.localdate()
    if concluded_on > timezone.localdate():
        errors["concluded_on"] = _("Ngày kết luận ở tương lai.")
    elif inspection.period_start and concluded_on < inspection.period_start:
        errors["concluded_on"] = _("Ngày kết luận trước ngày bắt đầu kiểm tra.")
    cleaned = []
    for i, (text, deadline) in enumerate(remedies, start=1):
        text = (text or "").strip()
        if not text and not deadline:
            continue
        if not text or not deadline:
            errors[f"remedy_{i}"] = _("Yêu cầu khắc phục %(i)s: hãy ghi nội dung và thời hạn.") % {"i": i}
        elif deadline < concluded_on:
            errors[f"remedy_{i}"] = _("Yêu cầu khắc phục %(i)s: thời hạn trước ngày kết luận.") % {"i": i}
        else:
            cleaned.append((text, deadline))
    if (
        conclusion in (Conclusion.SHORTCOMINGS, Conclusion.VIOLATION, Conclusion.DISCIPLINE)
        and not cleaned
        and not errors
    ):
        errors["remedy_1"] = _("Kết luận có hạn chế hoặc vi phạm phải nêu ít nhất một yêu cầu khắc phục.")
    if errors:
        raise ValidationError(errors)
    inspection.findings = (findings or "").strip()
    inspection.conclusion = conclusion
    inspection.conclusion_text = conclusion_text.strip()
    inspection.concluded_on = concluded_on
    inspection.status = Status.CONCLUDED if cleaned else Status.CLOSED
    with audited(user):
        check_version(inspection, expected_version)
        inspection.save()
        for text, deadline in cleaned:
            Remedy.objects.create(inspection=inspection, requirement=text, deadline=deadline)
    return inspection


def remedy_done(*, user: User, remedy, done_on=None, expected_version=None) -> Remedy:
    """The subject reports the remedy done (the subject's cell, or the conducting organization)."""
    scope = scope_for(user)
    subject_org = (
        remedy.inspection.subject_member.organization
        if remedy.inspection.subject_member_id
        else remedy.inspection.subject_organization
    )
    if not (
        scope.reaches_org(subject_org, CHANGE)
        or scope.reaches_org(remedy.inspection.organization, INSPECT)
        or scope.reaches_org(remedy.inspection.organization, CHANGE)
    ):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này ở tổ chức đảng này."))
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("Ngày hoàn thành ở tương lai.")})
    remedy.done_on = done_on
    with audited(user):
        check_version(remedy, expected_version)
        remedy.save()
    return remedy


def remedy_check(*, user: User, remedy, passed: bool, result: str, checked_on=None, expected_version=None) -> Remedy:
    """The conducting organization checks that the remedy was done; closes the inspection when all pass."""
    require_inspect(user, remedy.inspection.organization)
    errors = {}
    if remedy.done_on is None and passed:
        errors["check_passed"] = _("Yêu cầu chưa báo cáo hoàn thành, không thể kết luận là đạt.")
    if not (result or "").strip():
        errors["check_result"] = _("Hãy ghi kết quả kiểm tra lại.")
    checked_on = checked_on or timezone.localdate()
    if checked_on > timezone.localdate():
        errors["checked_on"] = _("Ngày kiểm tra lại ở tương lai.")
    if errors:
        raise ValidationError(errors)
    remedy.checked_on = checked_on
    remedy.check_passed = passed
    remedy.check_result = result.strip()
    with audited(user):
        check_version(remedy, expected_version)
        remedy.save()
        inspection = remedy.inspection
        if not inspection.remedies.exclude(check_passed=True).exists():
            inspection.status = Status.CLOSED
            inspection.save()
    return remedy


def complaint_receive(
    *, user: User, organization, kind, received_on, content, sender="", about_member=None, about=""
) -> Complaint:
    require_inspect(user, organization)
    errors = {}
    if not (content or "").strip():
        errors["content"] = _("Hãy ghi nội dung đơn.")
    if received_on and received_on > timezone.localdate():
        errors["received_on"] = _("Ngày nhận ở tương lai.")
    if about_member is not None and not about_member.org_path.startswith(organization.path):
        errors["about_member"] = _("Đảng viên bị khiếu nại, tố cáo không thuộc tổ chức đảng tiếp nhận.")
    if errors:
        raise ValidationError(errors)
    c = Complaint(
        organization=organization,
        org_path=organization.path,
        kind=kind,
        received_on=received_on,
        content=content.strip(),
        sender=sender,
        about_member=about_member,
        about=about,
    )
    c.full_clean()
    with audited(user):
        c.save()
    return c


def complaint_update(
    *,
    user: User,
    complaint,
    status,
    handling="",
    answer="",
    answered_on=None,
    inspection=None,
    expected_version=None,
) -> Complaint:
    require_inspect(user, complaint.organization)
    errors = {}
    if status not in ComplaintStatus.values:
        errors["status"] = _("Tình trạng không hợp lệ.")
    if status == ComplaintStatus.ANSWERED:
        if not (answer or "").strip():
            errors["answer"] = _("Hãy ghi nội dung trả lời.")
        if not answered_on:
            errors["answered_on"] = _("Hãy ghi ngày trả lời.")
    if answered_on and answered_on < complaint.received_on:
        errors["answered_on"] = _("Ngày trả lời trước ngày nhận đơn.")
    if inspection is not None and inspection.organization_id != complaint.organization_id:
        errors["inspection"] = _("Cuộc kiểm tra không phải của tổ chức đảng tiếp nhận.")
    if errors:
        raise ValidationError(errors)
    complaint.status = status
    complaint.handling = (handling or "").strip()
    complaint.answer = (answer or "").strip()
    complaint.answered_on = answered_on
    complaint.inspection = inspection
    with audited(user):
        check_version(complaint, expected_version)
        complaint.save()
    return complaint


# --- Discipline started from a conclusion or a complaint ------------------------------------------


def discipline_subject(*, inspection=None, complaint=None) -> dict:
    """Who a discipline started here is about, and what the form opens with; ValidationError (in
    Vietnamese) when the record does not call for one."""
    if inspection is not None:
        if inspection.conclusion != Conclusion.DISCIPLINE:
            raise ValidationError(
                _("Kết luận của cuộc kiểm tra này không đề nghị xem xét kỷ luật; không thể ghi kỷ luật từ đây.")
            )
        return {
            "member": inspection.subject_member,
            "organization": inspection.subject_organization,
            "initial": {
                "deciding_body": inspection.organization.name,
                "reason": inspection.conclusion_text,
            },
        }
    if complaint is None:
        raise ValueError("give an inspection or a complaint")
    if complaint.about_member_id is None:
        raise ValidationError(
            _("Đơn này không nêu đảng viên bị khiếu nại, tố cáo trong hệ thống; không thể ghi kỷ luật từ đơn.")
        )
    source = complaint.inspection if complaint.inspection_id else None
    reason = source.conclusion_text if source is not None and source.conclusion_text else complaint.content
    return {
        "member": complaint.about_member,
        "organization": None,
        "initial": {"deciding_body": complaint.organization.name, "reason": reason},
    }


def discipline_from(*, user: User, inspection=None, complaint=None, **fields):
    """Record a discipline decision started from an inspection conclusion or a complaint, and keep
    the link both ways (the complaint's inspection is linked too)."""
    origin = inspection if inspection is not None else complaint
    require_inspect(user, origin.organization)
    subject = discipline_subject(inspection=inspection, complaint=complaint)
    if complaint is not None and inspection is None and complaint.inspection_id:
        inspection = complaint.inspection
    with audited(user):
        decision = discipline_create(
            user=user, member=subject["member"], organization=subject["organization"], **fields
        )
        DisciplineBasis.objects.create(discipline=decision, inspection=inspection, complaint=complaint)
    return decision


def inspection_attach(*, user: User, inspection, file, title: str = "") -> InspectionAttachment:
    """Attach a document to an inspection (its conclusion as signed, the report, the subject's answer)."""
    require_inspect(user, inspection.organization)
    return attach(InspectionAttachment, user=user, upload=file, title=title, inspection=inspection)


def complaint_attach(*, user: User, complaint, file, title: str = "") -> ComplaintAttachment:
    """Attach a document to a complaint (the letter received, the answer sent)."""
    require_inspect(user, complaint.organization)
    return attach(ComplaintAttachment, user=user, upload=file, title=title, complaint=complaint)


# --- Corrections and additions; the conclusion issued (locked) -----------------------------------

CONCLUDED = (Status.CONCLUDED, Status.CLOSED)


def inspection_update(*, user: User, inspection, expected_version=None, correction_reason="", **fields) -> Inspection:
    """Correct an inspection (title, team, period) and, once concluded, its findings and conclusion.
    After the conclusion is issued, only with the reason; the audit log keeps what it said before."""
    require_inspect(user, inspection.organization)
    allow_change(inspection, correction_reason)
    editable = ["title", "team", "period_start", "period_end"]
    if inspection.status in CONCLUDED:
        editable += ["findings", "conclusion", "conclusion_text", "concluded_on"]
    for key in editable:
        if key in fields:
            value = fields[key]
            setattr(inspection, key, value.strip() if isinstance(value, str) else value)
    errors = {}
    if not inspection.title:
        errors["title"] = _("Hãy ghi nội dung kiểm tra, giám sát.")
    if inspection.period_start and inspection.period_end and inspection.period_end < inspection.period_start:
        errors["period_end"] = _("Ngày kết thúc trước ngày bắt đầu.")
    if inspection.status in CONCLUDED:
        if inspection.conclusion not in Conclusion.values:
            errors["conclusion"] = _("Hãy chọn kết luận.")
        if not inspection.conclusion_text:
            errors["conclusion_text"] = _("Hãy ghi nội dung kết luận.")
        if not inspection.concluded_on:
            errors["concluded_on"] = _("Hãy ghi ngày kết luận.")
        elif inspection.concluded_on > timezone.localdate():
            errors["concluded_on"] = _("Ngày kết luận ở tương lai.")
        elif inspection.period_start and inspection.concluded_on < inspection.period_start:
            errors["concluded_on"] = _("Ngày kết luận trước ngày bắt đầu kiểm tra.")
        if (
            inspection.conclusion in (Conclusion.SHORTCOMINGS, Conclusion.VIOLATION, Conclusion.DISCIPLINE)
            and not inspection.remedies.exists()
        ):
            errors["conclusion"] = _("Kết luận có hạn chế hoặc vi phạm phải nêu ít nhất một yêu cầu khắc phục.")
    if errors:
        raise ValidationError(errors)
    with audited(user):
        check_version(inspection, expected_version)
        inspection.save()
    return inspection


def remedy_add(*, user: User, inspection, requirement, deadline, correction_reason="") -> Remedy:
    """Add a remedy to a conclusion later; to an issued one only with the reason. An inspection
    whose remedies were all checked is open again until the new one is."""
    require_inspect(user, inspection.organization)
    if inspection.status not in CONCLUDED:
        raise ValidationError(_("Cuộc kiểm tra chưa có kết luận; yêu cầu khắc phục ghi cùng kết luận."))
    requirement = (requirement or "").strip()
    if not requirement or not deadline:
        raise ValidationError({"requirement": _("Hãy ghi nội dung và thời hạn của yêu cầu khắc phục.")})
    if inspection.concluded_on and deadline < inspection.concluded_on:
        raise ValidationError({"deadline": _("Thời hạn trước ngày kết luận.")})
    allow_change(inspection, correction_reason)
    with audited(user):
        remedy = Remedy.objects.create(inspection=inspection, requirement=requirement, deadline=deadline)
        inspection.status = Status.CONCLUDED
        inspection.save()
    return remedy


def remedy_correct(*, user: User, remedy, requirement, deadline, correction_reason="", expected_version=None) -> Remedy:
    """Correct a remedy's text or deadline; on an issued conclusion only with the reason."""
    inspection = remedy.inspection
    require_inspect(user, inspection.organization)
    requirement = (requirement or "").strip()
    if not requirement or not deadline:
        raise ValidationError({"requirement": _("Hãy ghi nội dung và thời hạn của yêu cầu khắc phục.")})
    if inspection.concluded_on and deadline < inspection.concluded_on:
        raise ValidationError({"deadline": _("Thời hạn trước ngày kết luận.")})
    allow_change(inspection, correction_reason)
    remedy.requirement, remedy.deadline = requirement, deadline
    with audited(user):
        check_version(remedy, expected_version)
        remedy.save()
        if inspection.is_locked:
            inspection.save()
    return remedy


def conclusion_issue(*, user: User, inspection) -> Inspection:
    """Issue (approve) the conclusion: it and its remedies are locked from now on."""
    require_inspect(user, inspection.organization)
    if inspection.status not in CONCLUDED:
        raise ValidationError(_("Cuộc kiểm tra chưa có kết luận."))
    with audited(user):
        approve(inspection, user)
    return inspection
