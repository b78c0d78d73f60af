"""Writes of the yearly review. Each checks reach, validates, applies the rule set, is audited."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.scoping import CHANGE, scope_for
from apps.core.services import audited, require_org
from apps.core.versioning import check_version
from apps.members.models import Member
from apps.organizations.models import GRASSROOTS_KINDS, Kind, Organization
from apps.organizations.selectors import parents_on

from . import rules
from .models import (
    OPEN_STATES,
    Campaign,
    CapGrouping,
    Decider,
    Evaluation,
    EvaluationRevision,
    Level,
    NotClassifiedReason,
    RuleSet,
    State,
    Subject,
    Target,
    TargetSubject,
)

MIN_YEAR = 1990


class RulesRefused(ValidationError):
    """A decision the rules refuse unless the decider records the reason for an exception."""

    def __init__(self, warnings: list[str]):
        super().__init__(warnings)
        self.warnings = warnings


def rule_set_for(subject: str, year: int) -> RuleSet:
    found = list(RuleSet.objects.for_year(subject, year).prefetch_related("levels")[:2])
    if not found:
        raise ValidationError(
            _("Chưa có bộ quy tắc xếp loại %(subject)s áp dụng cho năm %(year)s.")
            % {"subject": Subject(subject).label.lower(), "year": year}
        )
    if len(found) > 1:
        raise ValidationError(
            _("Có nhiều bộ quy tắc xếp loại %(subject)s cùng áp dụng cho năm %(year)s; hãy sửa ngày hiệu lực.")
            % {"subject": Subject(subject).label.lower(), "year": year}
        )
    return found[0]


def _grassroots_of(org: Organization, fallback: Organization) -> Organization:
    if org.kind in GRASSROOTS_KINDS:
        return org
    for ancestor in reversed(list(org.ancestors())):
        if ancestor.kind in GRASSROOTS_KINDS:
            return ancestor
    return fallback


def _active_in(org: Organization, year: int) -> bool:
    end = date(year, 12, 31)
    return (org.founded_on is None or org.founded_on <= end) and (org.ended_on is None or org.ended_on > end)


def campaign_open(
    *,
    user: User,
    organization: Organization,
    year: int,
    self_review_due: date,
    review_due: date,
    decision_due: date,
) -> Campaign:
    """Open the year's review for `organization` and its subtree: one evaluation per member and
    per organization, the not-classified ones marked with their reason."""
    require_org(user, organization)
    errors: dict[str, str] = {}
    this_year = timezone.localdate().year
    if not isinstance(year, int) or year < MIN_YEAR or year > this_year:
        errors["year"] = _("Năm đánh giá phải từ %(min)s đến %(max)s.") % {"min": MIN_YEAR, "max": this_year}
    for field, value in (
        ("self_review_due", self_review_due),
        ("review_due", review_due),
        ("decision_due", decision_due),
    ):
        if value is None:
            errors[field] = _("Hãy nhập hạn.")
    if not errors and not (self_review_due <= review_due <= decision_due):
        errors["review_due"] = _("Các hạn phải theo thứ tự: tự kiểm điểm, chi bộ kiểm điểm, cấp ủy quyết định.")
    if organization.kind == Kind.PARTY_GROUP:
        errors["organization"] = _("Tổ đảng không tổ chức đánh giá, xếp loại riêng.")
    if errors:
        raise ValidationError(errors)
    member_set = rule_set_for(Subject.MEMBER, year)
    org_set = rule_set_for(Subject.ORGANIZATION, year)
    related = Campaign.objects.filter(year=year).select_related("organization")
    for other in related:
        if other.organization.path.startswith(organization.path) or organization.path.startswith(
            other.organization.path
        ):
            raise ValidationError(
                _("Năm %(year)s đã có đợt đánh giá của %(org)s bao trùm hoặc nằm trong tổ chức này.")
                % {"year": year, "org": other.organization.name}
            )
    end = date(year, 12, 31)
    with audited(user):
        campaign = Campaign.objects.create(
            organization=organization,
            year=year,
            member_rule_set=member_set,
            organization_rule_set=org_set,
            self_review_due=self_review_due,
            review_due=review_due,
            decision_due=decision_due,
            opened_by=user,
        )
        orgs = [o for o in organization.descendants(include_self=True) if o.kind != Kind.PARTY_GROUP]
        by_id = {o.pk: o for o in orgs}
        grassroots_cache: dict[int, Organization] = {}

        def grassroots(org):
            if org.pk not in grassroots_cache:
                grassroots_cache[org.pk] = _grassroots_of(org, organization)
            return grassroots_cache[org.pk]

        # The deciding committee is the parent as the tree stood at the year's end.
        parents_then = parents_on(end)
        parent_ids = {parents_then.get(o.pk) or o.parent_id for o in orgs} - {None}
        parents = Organization.objects.in_bulk(parent_ids)
        rows = []
        for org in orgs:
            if not _active_in(org, year):
                continue
            parent = parents.get(parents_then.get(org.pk) or org.parent_id) or org
            rows.append(
                Evaluation(
                    campaign=campaign,
                    year=year,
                    rule_set=org_set,
                    subject=Subject.ORGANIZATION,
                    organization=org,
                    org_path=org.path,
                    group=parent,
                    decider=parent,
                )
            )
        members = (
            Member.objects.in_subtree(organization)
            .filter(admission_date__lte=end)
            .select_related("organization")
            .prefetch_related("status_changes")
        )
        for member in members:
            if not member.state_on(end).is_current:
                continue
            cell = by_id.get(member.organization_id, member.organization)
            group = grassroots(cell)
            decider = group if member_set.decider == Decider.GRASSROOTS else (cell.parent or cell)
            if member_set.cap_grouping == CapGrouping.DECIDER:
                group = decider
            reason = rules.not_classified_reason(member_set, member, year)
            rows.append(
                Evaluation(
                    campaign=campaign,
                    year=year,
                    rule_set=member_set,
                    subject=Subject.MEMBER,
                    member=member,
                    organization=cell,
                    org_path=cell.path,
                    group=group,
                    decider=decider,
                    state=State.NOT_CLASSIFIED if reason else State.PENDING,
                    not_classified_reason=reason,
                )
            )
        taken_members = set(
            Evaluation.objects.filter(year=year, member__isnull=False).values_list("member_id", flat=True)
        )
        taken_orgs = set(
            Evaluation.objects.filter(year=year, subject=Subject.ORGANIZATION).values_list("organization_id", flat=True)
        )
        rows = [
            r
            for r in rows
            if not (r.member_id and r.member_id in taken_members)
            and not (r.subject == Subject.ORGANIZATION and r.organization_id in taken_orgs)
        ]
        Evaluation.objects.bulk_create(rows, batch_size=500)
    return campaign


def _may_self_review(user: User, evaluation: Evaluation) -> bool:
    member = getattr(user, "member", None) if user.is_authenticated else None
    if evaluation.member_id and member is not None and member.pk == evaluation.member_id:
        return True
    return scope_for(user).reaches_org(evaluation.organization, CHANGE)


def _check_open(evaluation: Evaluation, states=OPEN_STATES) -> None:
    if evaluation.state == State.DECIDED:
        raise ValidationError(_("Kết quả đã được quyết định và khóa; muốn thay đổi hãy lập điều chỉnh có lý do."))
    if evaluation.state not in states:
        raise ValidationError(_("Không thể thực hiện ở bước “%(state)s”.") % {"state": State(evaluation.state).label})


def _level(rule_set: RuleSet, code, field: str) -> Level:
    try:
        code = int(code)
    except (TypeError, ValueError):
        raise ValidationError({field: _("Hãy chọn mức xếp loại.")})
    level = rule_set.level(code)
    if level is None:
        raise ValidationError({field: _("Mức xếp loại không có trong bộ quy tắc %(rule)s.") % {"rule": rule_set.name}})
    return level


def _decimal(value, field: str) -> Decimal | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ValidationError({field: _("“%(value)s” không phải là số.") % {"value": value}})
    if not number.is_finite():
        raise ValidationError({field: _("“%(value)s” không phải là số.") % {"value": value}})
    return number


def evaluation_self_review(
    *,
    user: User,
    evaluation: Evaluation,
    strengths: str,
    shortcomings: str,
    remediation: str = "",
    proposed_level: int | str | None,
    frame_code: str = "",
    scores: dict | None = None,
    expected_version=None,
) -> Evaluation:
    """The member's (or the collective's) self-review, by its frame."""
    if not _may_self_review(user, evaluation):
        raise PermissionDenied(_("Bạn không có quyền tự kiểm điểm thay cho người này."))
    _check_open(evaluation, (State.PENDING, State.SELF_REVIEWED))
    rule_set = evaluation.rule_set
    errors: dict[str, str] = {}
    if not (strengths or "").strip():
        errors["strengths"] = _("Hãy ghi ưu điểm.")
    if not (shortcomings or "").strip():
        errors["shortcomings"] = _("Hãy ghi hạn chế, khuyết điểm (hoặc ghi “Không”).")
    if errors:
        raise ValidationError(errors)
    level = _level(rule_set, proposed_level, "proposed_level")
    _check_proposal(evaluation, level)
    frame = None
    clean_scores: dict[str, str] = {}
    total = None
    frames = [f for f in rule_set.frames.prefetch_related("criteria") if f.active or f.pk == evaluation.frame_id]
    if frames:
        frame = next((f for f in frames if f.code == frame_code), None)
        if frame is None:
            raise ValidationError({"frame": _("Hãy chọn khung tiêu chí.")})
    if rule_set.uses_points and frame is not None:
        scores = scores or {}
        total = Decimal(0)
        for criterion in frame.criteria.all():
            value = _decimal(scores.get(criterion.code), f"score_{criterion.code}")
            if value is None:
                errors[f"score_{criterion.code}"] = _("Hãy chấm điểm “%(name)s”.") % {"name": criterion.name}
            elif value < 0 or value > criterion.max_points:
                errors[f"score_{criterion.code}"] = _("Điểm “%(name)s” phải từ 0 đến %(max)s.") % {
                    "name": criterion.name,
                    "max": rules.format_decimal(criterion.max_points, 0),
                }
            else:
                clean_scores[criterion.code] = str(value)
                total += value
        if errors:
            raise ValidationError(errors)
        allowed = rules.level_for_points(rule_set, total)
        if allowed is not None and level.code < allowed:
            raise ValidationError(
                {
                    "proposed_level": _("Tổng điểm %(points)s chỉ đạt mức “%(label)s” theo ngưỡng điểm của %(rule)s.")
                    % {
                        "points": rules.format_decimal(total, 0 if total == int(total) else 2),
                        "label": rule_set.level(allowed).label,
                        "rule": rule_set.citation,
                    }
                }
            )
    with audited(user):
        check_version(evaluation, expected_version)
        evaluation.frame = frame
        evaluation.strengths = strengths.strip()
        evaluation.shortcomings = shortcomings.strip()
        evaluation.remediation = (remediation or "").strip()
        evaluation.scores = clean_scores
        evaluation.self_points = total
        evaluation.proposed_level = level
        evaluation.self_reviewed_at = timezone.now()
        evaluation.self_reviewed_by = user
        evaluation.state = State.SELF_REVIEWED
        evaluation.save(
            update_fields=[
                "frame",
                "strengths",
                "shortcomings",
                "remediation",
                "scores",
                "self_points",
                "proposed_level",
                "self_reviewed_at",
                "self_reviewed_by",
                "state",
            ]
        )
    return evaluation


def voters_of(evaluation: Evaluation) -> int:
    """Members who may vote on a member's level: the cell's classifiable members."""
    return (
        Evaluation.objects.filter(year=evaluation.year, subject=Subject.MEMBER, organization=evaluation.organization)
        .exclude(state=State.NOT_CLASSIFIED)
        .count()
    )


def evaluation_review(
    *,
    user: User,
    evaluation: Evaluation,
    comments: str,
    votes: dict,
    proposed_level: int | str | None,
    points=None,
    expected_version=None,
) -> Evaluation:
    """The cell's review: its comments, the votes per level, the level it proposes."""
    require_org(user, evaluation.organization)
    _check_open(evaluation)
    rule_set = evaluation.rule_set
    errors: dict[str, str] = {}
    if not (comments or "").strip():
        errors["comments"] = _("Hãy ghi ý kiến nhận xét.")
    clean_votes: dict[str, int] = {}
    for lv in rule_set.levels.all():
        raw = (votes or {}).get(str(lv.code), (votes or {}).get(lv.code, 0))
        raw = 0 if raw in (None, "") else raw
        try:
            count = int(str(raw).strip())
        except ValueError:
            errors[f"votes_{lv.code}"] = _("Số phiếu phải là số nguyên.")
            continue
        if count < 0:
            errors[f"votes_{lv.code}"] = _("Số phiếu không được âm.")
            continue
        clean_votes[str(lv.code)] = count
    if errors:
        raise ValidationError(errors)
    total_votes = sum(clean_votes.values())
    if total_votes == 0:
        raise ValidationError({"votes": _("Hãy nhập kết quả biểu quyết.")})
    if evaluation.subject == Subject.MEMBER:
        voters = voters_of(evaluation)
        if total_votes > voters:
            raise ValidationError(
                {
                    "votes": _("Tổng số phiếu (%(votes)s) vượt quá số đảng viên được xếp loại của chi bộ (%(voters)s).")
                    % {"votes": total_votes, "voters": voters}
                }
            )
    level = _level(rule_set, proposed_level, "proposed_level")
    _check_proposal(evaluation, level)
    review_points = _decimal(points, "points")
    if review_points is not None:
        if not rule_set.uses_points:
            raise ValidationError({"points": _("Bộ quy tắc %(rule)s không chấm điểm.") % {"rule": rule_set.name}})
        if review_points < 0 or review_points > (rule_set.max_points or 100):
            raise ValidationError({"points": _("Điểm phải từ 0 đến %(max)s.") % {"max": rule_set.max_points or 100}})
        allowed = rules.level_for_points(rule_set, review_points)
        if allowed is not None and level.code < allowed:
            raise ValidationError(
                {
                    "proposed_level": _("%(points)s điểm chỉ đạt mức “%(label)s” theo ngưỡng điểm của %(rule)s.")
                    % {
                        "points": rules.format_decimal(review_points, 0),
                        "label": rule_set.level(allowed).label,
                        "rule": rule_set.citation,
                    }
                }
            )
    with audited(user):
        check_version(evaluation, expected_version)
        evaluation.review_comments = comments.strip()
        evaluation.votes = clean_votes
        evaluation.review_points = review_points
        evaluation.review_level = level
        evaluation.reviewed_at = timezone.now()
        evaluation.reviewed_by = user
        evaluation.state = State.REVIEWED
        evaluation.save(
            update_fields=[
                "review_comments",
                "votes",
                "review_points",
                "review_level",
                "reviewed_at",
                "reviewed_by",
                "state",
            ]
        )
    return evaluation


def _group_label(evaluation: Evaluation) -> str:
    return evaluation.group.name


def check_discipline(changes: list[tuple[Evaluation, Level]]) -> None:
    """Refuse any level the year's disciplines forbid. Never waived by an exception reason."""
    refusals = [text for e, level in changes if (text := rules.discipline_refusal(e, level.code))]
    if refusals:
        raise ValidationError(refusals)


def _check_proposal(evaluation: Evaluation, level: Level) -> None:
    text = rules.discipline_refusal(evaluation, level.code)
    if text:
        raise ValidationError({"proposed_level": text})


def check_rules(changes: list[tuple[Evaluation, Level]]) -> list[str]:
    """Warnings an exception reason may pass, for a set of (evaluation, new level): points and the
    cap per group. (Discipline is not among them: `check_discipline` refuses.)"""
    warnings: list[str] = []
    for evaluation, level in changes:
        text = rules.points_warning(evaluation, level.code)
        if text:
            warnings.append(text)
    groups: dict[tuple, list[tuple[Evaluation, Level]]] = defaultdict(list)
    for evaluation, level in changes:
        groups[(evaluation.year, evaluation.subject, evaluation.group_id, evaluation.rule_set_id)].append(
            (evaluation, level)
        )
    for (year, subject, group_id, _rs), items in groups.items():
        if not any(level.code == 1 for _e, level in items):
            continue
        rule_set = items[0][0].rule_set
        changed_ids = [e.pk for e, _l in items]
        codes = list(
            Evaluation.objects.filter(year=year, subject=subject, group_id=group_id, state=State.DECIDED)
            .exclude(pk__in=changed_ids)
            .values_list("level__code", flat=True)
        )
        codes += [level.code for _e, level in items]
        result = rules.cap_check(rule_set, codes)
        if result and result.over:
            top = rule_set.level(1)
            warnings.append(rules.cap_warning(rule_set, result, _group_label(items[0][0]), top.label if top else "1"))
    return warnings


def evaluations_decide(
    *,
    user: User,
    decisions: list[tuple[Evaluation, int | str, bool]],
    note: str = "",
    exception_reason: str = "",
) -> list[Evaluation]:
    """The deciding committee decides levels, in one batch so the cap is counted on the result.

    Refused with the warnings (which rule, by how much) unless `exception_reason` is recorded.
    """
    if not decisions:
        raise ValidationError(_("Chưa chọn kết quả nào để quyết định."))
    changes: list[tuple[Evaluation, Level, bool]] = []
    rule_sets: dict[int, RuleSet] = {}
    for evaluation, code, distinguished in decisions:
        # One prefetched copy of each rule set, so a batch of hundreds looks its levels up once.
        if evaluation.rule_set_id not in rule_sets:
            rule_sets[evaluation.rule_set_id] = RuleSet.objects.prefetch_related("levels").get(
                pk=evaluation.rule_set_id
            )
        evaluation.rule_set = rule_sets[evaluation.rule_set_id]
        require_org(user, evaluation.decider)
        _check_open(evaluation)
        level = _level(evaluation.rule_set, code, "level")
        if distinguished and not (level.code == 1 and evaluation.rule_set.distinction_label):
            raise ValidationError(
                {
                    "distinguished": _(
                        "Chỉ mức cao nhất của bộ quy tắc có danh hiệu tiêu biểu mới được đánh dấu tiêu biểu."
                    )
                }
            )
        changes.append((evaluation, level, bool(distinguished)))
    check_discipline([(e, lv) for e, lv, _d in changes])
    warnings = check_rules([(e, lv) for e, lv, _d in changes])
    exception_reason = (exception_reason or "").strip()
    if warnings and not exception_reason:
        raise RulesRefused(warnings)
    now = timezone.now()
    with audited(user):
        for evaluation, level, distinguished in changes:
            evaluation.level = level
            evaluation.distinguished = distinguished
            evaluation.decision_note = (note or "").strip()
            evaluation.exception_reason = exception_reason if warnings else ""
            evaluation.warnings = "\n".join(warnings)
            evaluation.decided_at = now
            evaluation.decided_by = user
            evaluation.state = State.DECIDED
            evaluation.save(
                update_fields=[
                    "level",
                    "distinguished",
                    "decision_note",
                    "exception_reason",
                    "warnings",
                    "decided_at",
                    "decided_by",
                    "state",
                ]
            )
    return [e for e, _l, _d in changes]


def evaluation_revise(
    *,
    user: User,
    evaluation: Evaluation,
    level: int | str,
    reason: str,
    distinguished: bool = False,
    decision: str = "",
    exception_reason: str = "",
) -> EvaluationRevision:
    """Change a decided result: a recorded revision with its reason; the old level stays on record."""
    require_org(user, evaluation.decider)
    old_level = evaluation.level
    if evaluation.state != State.DECIDED or old_level is None:
        raise ValidationError(_("Chỉ điều chỉnh được kết quả đã quyết định."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Hãy ghi lý do điều chỉnh.")})
    new_level = _level(evaluation.rule_set, level, "level")
    if distinguished and not (new_level.code == 1 and evaluation.rule_set.distinction_label):
        raise ValidationError({"distinguished": _("Chỉ mức cao nhất có danh hiệu tiêu biểu.")})
    if new_level.pk == evaluation.level_id and bool(distinguished) == evaluation.distinguished:
        raise ValidationError({"level": _("Mức mới giống mức đã quyết định.")})
    check_discipline([(evaluation, new_level)])
    warnings = check_rules([(evaluation, new_level)]) if new_level.code < old_level.code else []
    exception_reason = (exception_reason or "").strip()
    if warnings and not exception_reason:
        raise RulesRefused(warnings)
    with audited(user):
        revision = EvaluationRevision.objects.create(
            evaluation=evaluation,
            old_level=old_level,
            old_distinguished=evaluation.distinguished,
            new_level=new_level,
            new_distinguished=bool(distinguished),
            reason=reason.strip(),
            decision=(decision or "").strip(),
            exception_reason=exception_reason if warnings else "",
            warnings="\n".join(warnings),
            revised_by=user,
        )
        evaluation.level = new_level
        evaluation.distinguished = bool(distinguished)
        evaluation.save(update_fields=["level", "distinguished"])
    return revision


def evaluation_mark_not_classified(*, user: User, evaluation: Evaluation, reason: str, note: str = "") -> Evaluation:
    """Take a member out of the classification, with the reason (listed in the report)."""
    require_org(user, evaluation.organization)
    _check_open(evaluation, (*OPEN_STATES, State.NOT_CLASSIFIED))
    if evaluation.subject != Subject.MEMBER:
        raise ValidationError(_("Chỉ đảng viên mới có trường hợp không xếp loại."))
    if reason not in NotClassifiedReason.values:
        raise ValidationError({"reason": _("Hãy chọn lý do không xếp loại.")})
    note = (note or "").strip()
    if (reason == NotClassifiedReason.OTHER or reason not in (evaluation.rule_set.not_classified or [])) and not note:
        raise ValidationError(
            {
                "note": _("Lý do này không có sẵn trong bộ quy tắc %(rule)s; hãy ghi rõ căn cứ.")
                % {"rule": evaluation.rule_set.name}
            }
        )
    with audited(user):
        evaluation.state = State.NOT_CLASSIFIED
        evaluation.not_classified_reason = reason
        evaluation.not_classified_note = note
        evaluation.save(update_fields=["state", "not_classified_reason", "not_classified_note"])
    return evaluation


def evaluation_include(*, user: User, evaluation: Evaluation) -> Evaluation:
    """Bring a not-classified member back into the classification."""
    require_org(user, evaluation.organization)
    if evaluation.state != State.NOT_CLASSIFIED:
        raise ValidationError(_("Đảng viên này đang trong danh sách xếp loại."))
    with audited(user):
        evaluation.state = State.SELF_REVIEWED if evaluation.self_reviewed_at else State.PENDING
        evaluation.not_classified_reason = ""
        evaluation.not_classified_note = ""
        evaluation.save(update_fields=["state", "not_classified_reason", "not_classified_note"])
    return evaluation


def target_set(
    *, user: User, organization: Organization, year: int, subject: str, level_code, percent, text: str = ""
) -> Target:
    """Set (or replace) the target for a year, e.g. 100% of cells satisfactory or better."""
    require_org(user, organization)
    errors: dict[str, str] = {}
    if subject not in TargetSubject.values:
        errors["subject"] = _("Hãy chọn đối tượng.")
    try:
        level_code = int(level_code)
        if level_code not in (1, 2, 3, 4):
            raise ValueError
    except (TypeError, ValueError):
        errors["level_code"] = _("Hãy chọn mức (1–4).")
    try:
        percent = Decimal(str(percent).replace(",", "."))
        if not (0 <= percent <= 100):
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["percent"] = _("Tỷ lệ phải từ 0 đến 100.")
    if not isinstance(year, int) or year < MIN_YEAR or year > timezone.localdate().year + 5:
        errors["year"] = _("Năm không hợp lệ.")
    if errors:
        raise ValidationError(errors)
    with audited(user):
        target = Target.objects.filter(organization=organization, year=year, subject=subject).first()
        if target is None:
            target = Target(organization=organization, year=year, subject=subject, created_by=user)
        target.level_code = level_code
        target.percent = percent
        target.text = (text or "").strip()
        target.save()
    return target


def rule_set_copy(
    *, user: User, source: RuleSet, name: str, regulation: str, guidance: str = "", effective_from: date
) -> RuleSet:
    """Start the next rule set from the one in force: same levels, frames and parameters, new
    regulation and dates. The source ends the day before. Only system administrators."""
    from datetime import timedelta

    if not user.is_superuser:
        raise PermissionDenied(_("Chỉ quản trị hệ thống được thêm bộ quy tắc."))
    errors: dict[str, str] = {}
    if not (name or "").strip():
        errors["name"] = _("Hãy đặt tên bộ quy tắc.")
    elif RuleSet.objects.filter(name=name.strip()).exists():
        errors["name"] = _("Đã có bộ quy tắc tên này.")
    if not (regulation or "").strip():
        errors["regulation"] = _("Hãy ghi số quy định.")
    if effective_from is None:
        errors["effective_from"] = _("Hãy nhập ngày áp dụng.")
    elif source.effective_from and effective_from <= source.effective_from:
        errors["effective_from"] = _("Ngày áp dụng phải sau ngày áp dụng của bộ quy tắc gốc (%(day)s).") % {
            "day": source.effective_from.strftime("%d/%m/%Y")
        }
    if errors:
        raise ValidationError(errors)
    with audited(user):
        levels = list(source.levels.all())
        frames = [(f, list(f.criteria.all())) for f in source.frames.all()]
        old_to = source.effective_to
        if old_to is None or old_to >= effective_from:
            source.effective_to = effective_from - timedelta(days=1)
            source.save(update_fields=["effective_to"])
        copy = RuleSet.objects.get(pk=source.pk)
        copy.pk = None
        copy.name = name.strip()
        copy.regulation = regulation.strip()
        copy.guidance = (guidance or "").strip()
        copy.regulation_date = copy.guidance_date = None
        copy.effective_from = effective_from
        copy.effective_to = old_to if old_to and old_to >= effective_from else None
        copy.unconfirmed = sorted({*(source.unconfirmed or []), "regulation_date", "guidance_date"})
        copy.notes = _("Sao chép từ “%(name)s”; hãy rà soát từng thông số.") % {"name": source.name}
        copy.save()
        for lv in levels:
            lv.pk = None
            lv.rule_set = copy
            lv.save()
        for frame, criteria in frames:
            frame.pk = None
            frame.rule_set = copy
            frame.save()
            for c in criteria:
                c.pk = None
                c.frame = frame
                c.save()
    return copy
