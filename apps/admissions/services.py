"""Writes of admission cases: each step checked against its order and the rule set in force on
its date; a refusal names the rule and changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.plausibility import event_date_error
from apps.core.services import audited, require_org
from apps.core.templatetags.vn import format_date
from apps.members.models import Member, Status, StatusChangeKind
from apps.members.services import member_change_status, member_create
from apps.organizations.models import Organization

from .models import (
    ADMISSION_ORDER,
    COMMITTEE_STEPS,
    AdmissionCase,
    AdmissionStep,
    CaseState,
    IntroducedBy,
    LifecycleRuleSet,
    Sponsor,
    SponsorRole,
    StepKind,
    age_in_months,
)
from .workdays import Deadline, add_working_days

CASE_FIELDS = (
    "family_name",
    "middle_name",
    "given_name",
    "gender",
    "birth_date",
    "ethnicity",
    "religion",
    "hometown",
    "residence",
    "occupation",
    "general_education",
    "education_exception",
)


def committee_of(case: AdmissionCase) -> Organization:
    """The committee above the cell that proposes and decides (the cell itself for a grassroots cell
    with no parent in this deployment)."""
    return case.organization.parent or case.organization


def _clean(value: Any) -> Any:
    return " ".join(value.split()) if isinstance(value, str) else value


def case_create(*, user: User, organization: Organization, **fields) -> AdmissionCase:
    require_org(user, organization)
    errors: dict[str, str] = {}
    if not organization.is_cell:
        errors["organization"] = _("Hồ sơ kết nạp thuộc một chi bộ: hãy chọn chi bộ xem xét kết nạp.")
    elif organization.ended_on:
        errors["organization"] = _("Tổ chức đảng này đã kết thúc hoạt động.")
    case = AdmissionCase(organization=organization, **{k: _clean(v) for k, v in fields.items() if k in CASE_FIELDS})
    if not case.family_name or not case.given_name:
        errors["given_name"] = _("Hãy ghi họ và tên người được xem xét kết nạp.")
    if case.gender not in ("male", "female"):
        errors["gender"] = _("Hãy chọn giới tính.")
    today = timezone.localdate()
    if case.birth_date is None:
        errors["birth_date"] = _("Hãy nhập ngày sinh.")
    elif case.birth_date > today or case.birth_date.year < 1900:
        errors["birth_date"] = _("Ngày sinh không hợp lệ.")
    if errors:
        raise ValidationError(errors)
    with audited(user):
        case.save()
    return case


def _steps(case: AdmissionCase) -> dict[str, AdmissionStep]:
    return {s.kind: s for s in case.steps.all()}


def expected_next(case: AdmissionCase, steps: dict[str, AdmissionStep] | None = None) -> str | None:
    """The kind of the next step the case waits for, or None when it is closed."""
    steps = _steps(case) if steps is None else steps
    if case.state == CaseState.OPEN:
        return next((k for k in ADMISSION_ORDER if k not in steps), None)
    if case.state == CaseState.PROBATION:
        if StepKind.CEREMONY not in steps:
            return StepKind.CEREMONY
        return StepKind.REVIEW_VOTE if StepKind.REVIEW_VOTE not in steps else StepKind.RECOGNITION
    return None


def probation_end(case: AdmissionCase, steps: dict[str, AdmissionStep] | None = None) -> dt.date | None:
    steps = _steps(case) if steps is None else steps
    decision = steps.get(StepKind.DECISION)
    if decision is None:
        return None
    return decision.date + relativedelta(months=decision.rule_set.probation_months)


def ceremony_deadline(decision: AdmissionStep) -> Deadline:
    rs = decision.rule_set
    return add_working_days(
        decision.date,
        rs.ceremony_working_days,
        rule=_("hạn lễ kết nạp: %(n)s ngày làm việc sau quyết định, theo %(rules)s")
        % {"n": rs.ceremony_working_days, "rules": rs.label},
    )


def review_deadline(end: dt.date, rs: LifecycleRuleSet) -> Deadline:
    return add_working_days(
        end,
        rs.review_working_days,
        rule=_("hạn chi bộ xét công nhận: %(n)s ngày làm việc sau khi hết %(m)s tháng dự bị, theo %(rules)s")
        % {"n": rs.review_working_days, "m": rs.probation_months, "rules": rs.label},
    )


def age_problem(case: AdmissionCase, on: dt.date, rs: LifecycleRuleSet) -> str | None:
    months = age_in_months(case.birth_date, on)
    if months < rs.min_age_months or months > rs.max_age_months:
        return _(
            "Ngày %(day)s người được xem xét %(years)s tuổi %(months)s tháng (%(total)s tháng): "
            "tuổi đời khi chi bộ xét kết nạp phải từ %(lo)s đến %(hi)s tháng (%(rules)s)."
        ) % {
            "day": format_date(on),
            "years": months // 12,
            "months": months % 12,
            "total": months,
            "lo": rs.min_age_months,
            "hi": rs.max_age_months,
            "rules": rs.label,
        }
    return None


def certificate_problem(steps: dict[str, AdmissionStep], on: dt.date) -> str | None:
    cls = steps.get(StepKind.CLASS)
    if cls is not None and cls.valid_until and on > cls.valid_until:
        return _(
            "Giấy chứng nhận lớp bồi dưỡng nhận thức về Đảng cấp ngày %(issued)s chỉ có giá trị đến %(until)s "
            "(%(years)s năm, %(rules)s): hãy học lại trước khi xét."
        ) % {
            "issued": format_date(cls.date),
            "until": format_date(cls.valid_until),
            "years": cls.rule_set.certificate_years,
            "rules": cls.rule_set.label,
        }
    return None


def full_members_on(cell: Organization, on: dt.date) -> int:
    """The cell's full members on the day, from the registry's dated history."""
    return Member.objects.in_organizations_on([cell.pk], on).filter(status_on=Status.FULL).count()


def sponsor_problem(member: Member, worked_since: dt.date | None, case: AdmissionCase, on: dt.date, rs) -> str | None:
    """Why this member cannot sponsor the candidate on the day, naming the rule, or None."""
    name = member.full_name
    state = member.state_on(on)
    if state.organization_id != case.organization_id:
        return _(
            "Đồng chí %(name)s không sinh hoạt tại %(cell)s ngày %(day)s: người giới thiệu phải là đảng viên của chi bộ."
        ) % {
            "name": name,
            "cell": case.organization.name,
            "day": format_date(on),
        }
    if state.status != Status.FULL:
        return _(
            "Đồng chí %(name)s chưa là đảng viên chính thức ngày %(day)s: người giới thiệu phải là đảng viên chính thức (%(rules)s)."
        ) % {
            "name": name,
            "day": format_date(on),
            "rules": rs.label,
        }
    if worked_since is None:
        return _("Hãy ghi đồng chí %(name)s công tác cùng người được giới thiệu từ ngày nào.") % {"name": name}
    if worked_since + relativedelta(months=rs.sponsor_months) > on:
        return _(
            "Đồng chí %(name)s công tác cùng người được giới thiệu từ %(since)s, đến %(day)s chưa đủ %(months)s tháng "
            "(%(rules)s)."
        ) % {
            "name": name,
            "since": format_date(worked_since),
            "day": format_date(on),
            "months": rs.sponsor_months,
            "rules": rs.label,
        }
    return None


def _vote_numbers(case, kind, fields, on, rs, errors, vote_kind) -> None:
    vote = fields.get("meeting_vote")
    if vote is not None:
        meeting = vote.meeting
        if meeting.organization_id != case.organization_id:
            errors["meeting_vote"] = _("Biểu quyết này không thuộc cuộc sinh hoạt của chi bộ.")
            return
        if vote.kind != vote_kind:
            errors["meeting_vote"] = _("Biểu quyết này không phải loại “%(kind)s”.") % {"kind": vote.get_kind_display()}
            return
        fields["votes_for"], fields["votes_against"], fields["full_members"] = (
            vote.votes_for,
            vote.votes_against,
            vote.base,
        )
        if meeting.date != on:
            errors["date"] = _("Ngày xét phải là ngày của cuộc sinh hoạt (%(day)s).") % {
                "day": format_date(meeting.date)
            }
            return
    if fields.get("full_members") in (None, ""):
        fields["full_members"] = full_members_on(case.organization, on)
    votes_for, against, base = fields.get("votes_for"), fields.get("votes_against") or 0, fields["full_members"]
    fields["votes_against"] = against
    if votes_for is None:
        errors["votes_for"] = _("Hãy ghi số đảng viên tán thành.")
        return
    if votes_for < 0 or against < 0 or not base or base < 0:
        errors["votes_for"] = _("Số phiếu, số đảng viên chính thức phải là số dương.")
        return
    if votes_for + against > base:
        errors["votes_for"] = _("Tổng số phiếu (%(total)s) vượt quá số đảng viên chính thức của chi bộ (%(base)s).") % {
            "total": votes_for + against,
            "base": base,
        }
        return
    if fields.get("approved", True) and not rs.share_met(votes_for, base):
        errors["votes_for"] = _(
            "%(n)s/%(base)s đảng viên chính thức tán thành: chưa đủ %(num)s/%(den)s số đảng viên chính thức của chi bộ "
            "(%(rules)s)."
        ) % {
            "n": votes_for,
            "base": base,
            "num": rs.vote_share_numerator,
            "den": rs.vote_share_denominator,
            "rules": rs.label,
        }


STEP_FIELDS = (
    "introduced_by",
    "body",
    "number",
    "person",
    "votes_for",
    "votes_against",
    "full_members",
    "meeting_vote",
    "approved",
    "late_reason",
    "note",
)


def step_record(
    *,
    user: User,
    case: AdmissionCase,
    kind: str,
    on: dt.date | None,
    sponsors: Sequence[tuple[Member, dt.date | None]] | None = None,
    youth_union_committee: str = "",
    **fields,
) -> AdmissionStep:
    """Record one stage of the case (see StepKind); refused out of order or when its rule fails."""
    require_org(user, case.organization)
    if kind in COMMITTEE_STEPS:
        committee = committee_of(case)
        require_org(user, committee)
    fields = {k: _clean(v) for k, v in fields.items() if k in STEP_FIELDS}
    steps = _steps(case)
    if kind not in StepKind.values:
        raise ValidationError({"kind": _("Bước không hợp lệ.")})
    if kind == StepKind.STOPPED:
        if case.state != CaseState.OPEN:
            raise ValidationError(_("Chỉ dừng xem xét một hồ sơ đang xem xét kết nạp."))
    else:
        wanted = expected_next(case, steps)
        if wanted is None:
            raise ValidationError(_("Hồ sơ đã kết thúc: không ghi thêm bước."))
        if kind != wanted:
            raise ValidationError(
                {
                    "kind": _("Chưa thể ghi “%(kind)s”: bước tiếp theo của hồ sơ là “%(next)s”.")
                    % {"kind": StepKind(kind).label, "next": StepKind(wanted).label}
                }
            )
    today = timezone.localdate()
    if on is None:
        raise ValidationError({"date": _("Hãy nhập ngày.")})
    if on > today:
        raise ValidationError({"date": _("Ngày không được ở tương lai.")})
    if event_date_error(on):
        raise ValidationError({"date": event_date_error(on)})
    last = max((s.date for s in steps.values()), default=None)
    if last and on < last:
        raise ValidationError(
            {"date": _("Ngày phải từ %(day)s trở đi (sau bước đã ghi gần nhất).") % {"day": format_date(last)}}
        )
    rs = LifecycleRuleSet.in_force_on(on)
    step = AdmissionStep(case=case, kind=kind, date=on, rule_set=rs, recorded_by=user)
    errors: dict[str, str] = {}
    sponsor_rows: list[Sponsor] = []
    if kind == StepKind.INTRODUCTION:
        if fields.get("introduced_by") not in IntroducedBy.values:
            errors["introduced_by"] = _("Hãy chọn tổ chức giới thiệu.")
        elif fields["introduced_by"] != IntroducedBy.CELL and not fields.get("body"):
            errors["body"] = _("Hãy ghi tên tổ chức đoàn thể giới thiệu.")
    elif kind == StepKind.CLASS:
        step.valid_until = on + relativedelta(years=rs.certificate_years) - dt.timedelta(days=1)
    elif kind == StepKind.SPONSORS:
        youth = " ".join((youth_union_committee or "").split())
        chosen = sponsors or []
        needed = rs.sponsors_needed - (1 if youth else 0)
        if len({m.pk for m, _w in chosen}) != needed or len(chosen) != needed:
            errors["sponsors"] = (
                _("Cần %(n)s đảng viên chính thức giới thiệu cùng Ban Chấp hành Đoàn cơ sở (%(rules)s).")
                if youth
                else _("Cần %(n)s đảng viên chính thức giới thiệu, khác nhau (%(rules)s).")
            ) % {"n": needed, "rules": rs.label}
        for member, since in chosen:
            problem = sponsor_problem(member, since, case, on, rs)
            if problem:
                errors["sponsors"] = problem
                break
            sponsor_rows.append(Sponsor(case=case, member=member, worked_since=since, assigned_on=on))
        if youth:
            sponsor_rows.append(Sponsor(case=case, youth_union_committee=youth, assigned_on=on))
    elif kind == StepKind.BIOGRAPHY:
        if not fields.get("person"):
            errors["person"] = _("Hãy ghi người, cơ quan thẩm tra lý lịch.")
    elif kind == StepKind.CELL_VOTE:
        problem = age_problem(case, on, rs)
        if problem:
            errors["date"] = problem
        problem = certificate_problem(steps, on)
        if problem:
            errors["date"] = problem
        if not case.general_education and not case.education_exception:
            errors["note"] = _(
                "Chưa ghi trình độ giáo dục phổ thông của người được xem xét (tối thiểu trung học cơ sở, trừ trường hợp "
                "ngoại lệ có căn cứ): hãy bổ sung vào hồ sơ."
            )
        fields["approved"] = True
        from apps.meetings.models import VoteKind

        _vote_numbers(case, kind, fields, on, rs, errors, VoteKind.ADMISSION)
    elif kind in (StepKind.PROPOSAL, StepKind.DECISION, StepKind.RECOGNITION):
        if not fields.get("number"):
            errors["number"] = _("Hãy ghi số văn bản.")
        if not fields.get("body"):
            fields["body"] = committee_of(case).name
        if kind == StepKind.DECISION:
            problem = certificate_problem(steps, on)
            if problem:
                errors["date"] = problem
    elif kind == StepKind.CEREMONY:
        deadline = ceremony_deadline(steps[StepKind.DECISION])
        if on > deadline.date and not fields.get("late_reason"):
            errors["late_reason"] = _(
                "Lễ kết nạp quá hạn %(n)s ngày làm việc sau quyết định (hạn %(day)s, %(rules)s): hãy ghi lý do chậm."
            ) % {"n": rs.ceremony_working_days, "day": format_date(deadline.date), "rules": deadline.rule}
    elif kind == StepKind.REVIEW_VOTE:
        end = probation_end(case, steps)
        assert end is not None
        if on < end:
            errors["date"] = _("Chưa hết %(m)s tháng dự bị (đến %(day)s): chi bộ chưa xét công nhận được.") % {
                "m": steps[StepKind.DECISION].rule_set.probation_months,
                "day": format_date(end),
            }
        else:
            deadline = review_deadline(end, rs)
            if on > deadline.date and not fields.get("late_reason"):
                errors["late_reason"] = _("Chi bộ xét quá hạn (hạn %(day)s; %(why)s): hãy ghi lý do chậm.") % {
                    "day": format_date(deadline.date),
                    "why": deadline.rule,
                }
        from apps.meetings.models import VoteKind

        _vote_numbers(case, kind, fields, on, rs, errors, VoteKind.RECOGNITION)
    elif kind == StepKind.STOPPED:
        if not fields.get("note"):
            errors["note"] = _("Hãy ghi lý do dừng xem xét.")
    if errors:
        raise ValidationError(errors)
    for name, value in fields.items():
        setattr(step, name, value if value is not None else getattr(step, name))
    with audited(user):
        if kind == StepKind.DECISION:
            member = member_create(
                user=user,
                organization=case.organization,
                **{k: getattr(case, k) for k in CASE_FIELDS if k in MEMBER_FIELDS},
                admission_date=on,
            )
            case.member = member
            case.state = CaseState.PROBATION
            case.save(update_fields=["member", "state"])
        elif kind == StepKind.RECOGNITION:
            probationer = case.member
            end = probation_end(case, steps)
            assert probationer is not None and end is not None
            if step.approved:
                # Full membership dates from the end of the probation, even when the decision is late.
                member_change_status(
                    user=user, member=probationer, kind=StatusChangeKind.RECOGNIZED, on=end, decision=step.number
                )
                case.state = CaseState.RECOGNIZED
            else:
                member_change_status(
                    user=user,
                    member=probationer,
                    kind=StatusChangeKind.STRUCK_OFF,
                    on=on,
                    decision=step.number,
                    note=_("Không được công nhận đảng viên chính thức"),
                )
                case.state = CaseState.NOT_RECOGNIZED
            case.save(update_fields=["state"])
        elif kind == StepKind.STOPPED:
            case.state = CaseState.STOPPED
            case.save(update_fields=["state"])
        step.save()
        for row in sponsor_rows:
            row.save()
    return step


MEMBER_FIELDS = (
    "family_name",
    "middle_name",
    "given_name",
    "gender",
    "birth_date",
    "ethnicity",
    "religion",
    "hometown",
    "residence",
    "occupation",
)


def helper_assign(*, user: User, case: AdmissionCase, member: Member, on: dt.date | None) -> Sponsor:
    """Assign a full member of the cell to help the probationary member (replacing a sponsor who left)."""
    require_org(user, case.organization)
    if case.state != CaseState.PROBATION:
        raise ValidationError(_("Chỉ phân công người giúp đỡ khi đảng viên đang dự bị."))
    if on is None:
        raise ValidationError({"date": _("Hãy nhập ngày.")})
    if on > timezone.localdate():
        raise ValidationError({"date": _("Ngày không được ở tương lai.")})
    if member.pk == case.member_id:
        raise ValidationError({"member": _("Người giúp đỡ phải là đảng viên khác.")})
    state = member.state_on(on)
    if state.organization_id != case.organization_id or state.status != Status.FULL:
        raise ValidationError(
            {
                "member": _("Người giúp đỡ phải là đảng viên chính thức của chi bộ ngày %(day)s.")
                % {"day": format_date(on)}
            }
        )
    with audited(user):
        return Sponsor.objects.create(case=case, member=member, role=SponsorRole.HELPER, assigned_on=on)
