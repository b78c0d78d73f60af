"""Demo rows of a member's life (issue 8: training, badges, file checks, screening) for Bình Thắng.

- Training: political theory courses for a dozen members of Trung Thắng (the level follows
  them), the cell secretaries' training of 2025 for every cell secretary of the ward.
- Badges: members due on the next presentation occasion (one is made due if the draw left none),
  one proposed for it, one decided and presented on the last occasion.
- Files with gaps: home towns and a citizen ID missing, a level stated with no training record.
- Screening: the members the rolls and the dues ledger propose, one case opened before its cell.
"""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.db.models import F

from apps.members import selectors as member_selectors
from apps.members import services as member_services
from apps.members.models import CURRENT_STATUSES, LifecycleRuleSet, Member, Status, StatusChange, StatusChangeKind
from apps.screening import selectors as screening_selectors
from apps.screening import services as screening_services
from apps.screening.models import Ground


def seed(context) -> None:
    admin = context["admin"]
    ward = context["ward"]
    today = context["today"]
    log = context.get("log", print)
    rules = LifecycleRuleSet.in_force_on(today)
    cells = context.get("cells_by_key", {})
    trung_thang = cells.get("trung-thang")
    if trung_thang is None:
        return
    members = list(
        Member.objects.filter(organization=trung_thang, status__in=CURRENT_STATUSES).order_by("sort_key", "pk")
    )
    secretary = context["named"].get("secretary:trung-thang")
    hung = context["named"].get("nguyen_van_hung")

    # --- Training --------------------------------------------------------------------------
    n = 0
    for i, member in enumerate(m for m in members if m.pk not in {getattr(secretary, "pk", None)}):
        if i >= 12:
            break
        start = max(member.admission_date, date(2008, 3, 1)) + relativedelta(months=2 + i)
        if start > today - relativedelta(months=4):
            continue
        member_services.training_create(
            user=admin,
            member=member,
            kind="elementary",
            institution="Trung tâm Chính trị thành phố Dĩ An",
            starts_on=start,
            ends_on=start + relativedelta(months=2),
            result="passed",
            grade="Khá" if i % 2 else "Giỏi",
            certificate=f"SC-{start.year}-{100 + i}",
        )
        n += 1
        if i < 3 and start + relativedelta(years=6) < today - relativedelta(years=1):
            later = start + relativedelta(years=5)
            member_services.training_create(
                user=admin,
                member=member,
                kind="intermediate",
                institution="Trường Chính trị tỉnh Bình Dương",
                starts_on=later,
                ends_on=later + relativedelta(months=8),
                result="passed",
                grade="Khá",
            )
            n += 1
    refresher_start = date(2025, 8, 4)
    for key in cells:
        cell_secretary = context["named"].get(f"secretary:{key}")
        if cell_secretary is None or not cell_secretary.is_current:
            continue
        member_services.training_create(
            user=admin,
            member=cell_secretary,
            kind="refresher",
            title="Bồi dưỡng nghiệp vụ công tác đảng cho bí thư chi bộ",
            institution="Đảng ủy phường Bình Thắng",
            starts_on=refresher_start,
            ends_on=refresher_start + relativedelta(days=4),
            result="passed",
        )
        n += 1

    # --- Files with gaps -------------------------------------------------------------------
    plain = [m for m in members if m.pk not in {getattr(secretary, "pk", None), getattr(hung, "pk", None)}]
    untrained = [m for m in plain if not m.training_records.exists()]
    for member in untrained[:2]:
        member_services.member_update(user=admin, member=member, hometown="")
    if len(untrained) > 2:
        member_services.member_update(user=admin, member=untrained[2], citizen_id=None)
    for member in untrained[3:5]:
        member_services.member_update(user=admin, member=member, political_theory="intermediate")

    # --- Badges ----------------------------------------------------------------------------
    occasion = rules.occasions_after(today, 1)[0]
    in_ward = Member.objects.in_subtree(ward)
    due = member_selectors.badges_due(in_ward, occasion, rules)
    if not due:
        _make_due(in_ward, occasion, rules)
        due = member_selectors.badges_due(in_ward, occasion, rules)
    if due:
        first = due[0]
        member_services.badge_propose(
            user=admin,
            member=first["member"],
            years=first["years"],
            occasion=occasion,
            proposed_on=min(today, occasion),
            issued_by="Đảng ủy phường Bình Thắng",
        )
    last = member_selectors.previous_occasion(rules, occasion)
    given = member_selectors.badges_due(in_ward, last, rules)
    if given:
        row = given[0]
        award = member_services.badge_propose(
            user=admin,
            member=row["member"],
            years=row["years"],
            occasion=last,
            proposed_on=last - relativedelta(months=2),
        )
        member_services.badge_decide(
            user=admin,
            award=award,
            decided_on=last - relativedelta(months=1),
            decision=f"{row['years']}-QĐ/TU",
            issued_by="Tỉnh ủy Bình Đông",
        )
        member_services.badge_present(user=admin, award=award, presented_on=last)

    # --- Screening -------------------------------------------------------------------------
    year = today.year
    proposals = screening_selectors.proposals(admin, ward, year)
    opened = 0
    if proposals:
        row = proposals[0]
        screening_services.case_open(
            user=admin,
            member=row["member"],
            year=year,
            grounds=[g for g, _text in row["grounds"]],
            detail="; ".join(text for _g, text in row["grounds"]),
            on=today,
        )
        opened = 1
    elif plain:
        screening_services.case_open(
            user=admin,
            member=plain[-1],
            year=year,
            grounds=[Ground.ABSENT],
            detail="Vắng sinh hoạt không lý do 3 tháng (dữ liệu mẫu)",
            on=today,
        )
        opened = 1
    log(
        f"  quá trình đảng viên: {n} khóa đào tạo, {len(due)} đến hạn Huy hiệu dịp {occasion:%d/%m/%Y}, "
        f"{len(proposals)} đề xuất xem xét xóa tên, {opened} hồ sơ mở"
    )


def _make_due(members, occasion: date, rules: LifecycleRuleSet) -> None:
    """The draw left nobody due on the occasion: move one long-standing full member's admission
    (and its history) so that a milestone falls on it, keeping them 18 or older when admitted."""
    for years in sorted(rules.badge_years):
        admitted = occasion - relativedelta(years=years)
        candidate = (
            members.filter(
                status=Status.FULL, admission_date__lt=admitted, birth_date__lte=admitted - relativedelta(years=19)
            )
            .exclude(status_changes__kind=StatusChangeKind.READMITTED)
            .order_by("-admission_date", "pk")
            .first()
        )
        if candidate is None:
            continue
        shift = admitted - candidate.admission_date
        Member.objects.filter(pk=candidate.pk).update(
            admission_date=F("admission_date") + shift, full_membership_date=F("full_membership_date") + shift
        )
        StatusChange.objects.filter(
            member=candidate, kind__in=(StatusChangeKind.ADMITTED, StatusChangeKind.RECOGNIZED)
        ).update(date=F("date") + shift)
        return
