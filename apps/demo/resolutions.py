"""Demo rows of the resolutions app: Bình Thắng's congress resolution for the current term with its
targets (one broken down to two cells), results for the quarters of last year and this year so far,
the ward's yearly resolution with the cells' implementing plans, a cell's monthly resolution linked
to its meeting, and tasks in every cell (some overdue, one of them the `dangvien` login's)."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from apps.core.documents import PartyDocument
from apps.core.periods import Period
from apps.members.models import CURRENT_STATUSES
from apps.organizations.models import Term
from apps.resolutions import services
from apps.resolutions.models import Level, Rating


def _document(ward, number: str, title: str, day: dt.date) -> ContentFile:
    doc = PartyDocument(title="Nghị quyết", organization=ward.name, number=number, day=day, subtitle=title)
    doc.paragraph("Văn bản mẫu của dữ liệu thử nghiệm.")
    file = ContentFile(doc.to_pdf(), name=f"{number.replace('/', '-')}.pdf")
    return file


def _quarters(today: dt.date) -> list[Period]:
    """Every quarter of last year and the quarters of this year already ended."""
    this = (today.month - 1) // 3 + 1
    return [Period(today.year - 1, q) for q in (1, 2, 3, 4)] + [Period(today.year, q) for q in range(1, this)]


def seed(context) -> None:
    admin = context["admin"]
    ward = context["ward"]
    cells = context["cells_by_key"]
    members = context["members"]
    named = context["named"]
    rng = context["random"]
    today = context.get("today") or timezone.localdate()
    log = context.get("log") or (lambda text: None)

    term = Term.objects.filter(organization=ward, starts_on__lte=today).order_by("-starts_on").first()
    if term is None:
        return
    issued = term.starts_on + dt.timedelta(days=5)
    congress = services.resolution_create(
        user=admin,
        organization=ward,
        level=Level.CONGRESS,
        term=term,
        number="01-NQ/ĐH",
        title=f"Nghị quyết Đại hội đại biểu Đảng bộ phường Bình Thắng lần thứ {term.congress_number or ''}, "
        f"nhiệm kỳ {term.name}",
        issued_on=issued,
        issuer="Đại hội đại biểu Đảng bộ phường Bình Thắng",
        summary="Xây dựng Đảng bộ trong sạch, vững mạnh; phát triển kinh tế – xã hội; giữ vững an ninh, trật tự.",
        upload=_document(ward, "01-NQ/ĐH", "Nghị quyết Đại hội", issued),
        plan_due=issued + dt.timedelta(days=60),
    )
    years = congress.years
    yearly = lambda value: {y: value for y in years}  # noqa: E731

    admitted = services.target_create(
        user=admin,
        resolution=congress,
        indicator="Kết nạp đảng viên mới",
        unit="đảng viên",
        frequency="quarter",
        direction="higher",
        rollup="sum",
        baseline=9,
        term_value=60,
        yearly=yearly(12),
    )
    trung, ngai = services.target_break_down(
        user=admin,
        target=admitted,
        parts=[
            {"organization": cells["trung-thang"], "yearly": yearly(5), "term_value": 25},
            {"organization": cells["ngai-thang"], "yearly": yearly(4), "term_value": 20},
        ],
    )
    revenue = services.target_create(
        user=admin,
        resolution=congress,
        indicator="Thu ngân sách nhà nước trên địa bàn",
        unit="tỷ đồng",
        frequency="quarter",
        direction="higher",
        rollup="sum",
        baseline=41,
        term_value=270,
        yearly=yearly(50),
    )
    violations = services.target_create(
        user=admin,
        resolution=congress,
        indicator="Số vụ phạm pháp hình sự trên địa bàn",
        unit="vụ",
        frequency="quarter",
        direction="lower",
        rollup="sum",
        baseline=14,
        yearly=yearly(10),
    )
    poor = services.target_create(
        user=admin,
        resolution=congress,
        indicator="Tỷ lệ hộ nghèo theo chuẩn của tỉnh",
        unit="%",
        frequency="year",
        direction="lower",
        rollup="mean",
        baseline="1.2",
        term_value="0.5",
        yearly={y: "1" for y in years},
    )
    cells_good = services.target_create(
        user=admin,
        resolution=congress,
        indicator="Tỷ lệ chi bộ hoàn thành tốt nhiệm vụ trở lên",
        unit="%",
        frequency="year",
        direction="higher",
        rollup="mean",
        term_value=100,
        yearly=yearly(100),
    )
    quarters = [p for p in _quarters(today) if p.year in years]
    for p in quarters:
        services.result_enter(user=admin, target=trung, period=p, value=rng.choice([1, 1, 2]))
        services.result_enter(user=admin, target=ngai, period=p, value=rng.choice([0, 1, 1]))
        services.result_enter(user=admin, target=revenue, period=p, value=rng.choice([11, 12, 13, 14]))
        services.result_enter(user=admin, target=violations, period=p, value=rng.choice([1, 2, 3, 4]))
    if today.year - 1 in years:
        services.result_enter(user=admin, target=poor, period=Period(today.year - 1), value="0.9")
        services.result_enter(user=admin, target=cells_good, period=Period(today.year - 1), value=100)
    if quarters and today.year - 1 in years:
        services.results_close(user=admin, organization=ward, period=Period(today.year - 1, 1))

    # The ward's yearly resolution; two cells adopted their plans (one late), the others not yet.
    year_issued = dt.date(today.year, 1, 10)
    if year_issued <= today:
        yearly_resolution = services.resolution_create(
            user=admin,
            organization=ward,
            level=Level.YEAR,
            year=today.year,
            number="05-NQ/ĐU",
            title=f"Nghị quyết về nhiệm vụ năm {today.year}",
            issued_on=year_issued,
            issuer="Ban Chấp hành Đảng bộ phường",
            implements=congress,
            plan_due=dt.date(today.year, 2, 15),
        )
        for key, day in (("trung-thang", dt.date(today.year, 2, 1)), ("ngai-thang", dt.date(today.year, 3, 2))):
            if day <= today:
                services.resolution_create(
                    user=admin,
                    organization=cells[key],
                    level=Level.YEAR,
                    year=today.year,
                    number="01-KH/CB",
                    title=f"Kế hoạch thực hiện Nghị quyết số 05-NQ/ĐU năm {today.year}",
                    issued_on=day,
                    issuer="Chi ủy",
                    implements=yearly_resolution,
                )

    # A cell's monthly resolution is its meeting's: linked, not copied.
    from apps.meetings.models import Meeting, MeetingStatus

    meeting = (
        Meeting.objects.filter(organization=cells["trung-thang"], status=MeetingStatus.APPROVED, date__lte=today)
        .order_by("-date")
        .first()
    )
    if meeting is not None:
        services.resolution_create(
            user=admin,
            organization=meeting.organization,
            level=Level.MONTH,
            year=meeting.date.year,
            month=meeting.date.month,
            number=f"{meeting.date.month:02d}-NQ/CB",
            title=f"Nghị quyết sinh hoạt chi bộ tháng {meeting.date.month}/{meeting.date.year}",
            issued_on=meeting.date,
            issuer="Chi bộ khu phố Trung Thắng",
            meeting=meeting,
        )

    # Tasks in every cell: one for the cell, one overdue for a member, one done on time.
    hung = named.get("nguyen_van_hung")
    count = 0
    for key, cell in cells.items():
        people = [m for m in members[key] if m.status in CURRENT_STATUSES and m.organization_id == cell.pk]
        if not people:
            continue
        owner = hung if key == "trung-thang" and hung is not None else rng.choice(people)
        services.task_create(
            user=admin,
            owner_organization=cell,
            content=f"Xây dựng kế hoạch thực hiện Nghị quyết Đại hội của {cell.name}",
            deadline=today + dt.timedelta(days=20),
            resolution=congress,
        )
        services.task_create(
            user=admin,
            owner_member=owner,
            content="Vận động các hộ gia đình hoàn thành đóng góp quỹ vì người nghèo",
            deadline=today - dt.timedelta(days=rng.choice([3, 10, 25])),
            resolution=congress,
        )
        done = services.task_create(
            user=admin,
            owner_member=rng.choice(people),
            content="Rà soát, cập nhật danh sách hộ nghèo, cận nghèo trên địa bàn",
            deadline=today - dt.timedelta(days=40),
        )
        services.task_update(
            user=admin,
            task=done,
            status="done",
            result="Đã rà soát, báo cáo Ủy ban nhân dân phường",
            done_on=today - dt.timedelta(days=42),
        )
        count += 3
    last_quarter = Period(today.year, (today.month - 1) // 3 + 1).previous
    services.task_review_create(
        user=admin,
        organization=cells["trung-thang"],
        period=last_quarter,
        rating=Rating.GOOD,
        comment="Hoàn thành các nhiệm vụ được giao đúng tiến độ.",
    )
    # The committee's working rules for the term, with each post's area.
    from apps.organizations.models import CommitteePost

    posts = list(CommitteePost.objects.filter(organization=ward, term=term).order_by("post", "pk")[:6])
    areas = [
        "Phụ trách chung",
        "Công tác tổ chức, xây dựng Đảng",
        "Khối dân vận, Mặt trận",
        "Kinh tế – xã hội",
        "Công tác kiểm tra, giám sát",
        "Quốc phòng, an ninh",
    ]
    services.working_rules_adopt(
        user=admin,
        organization=ward,
        term=term,
        number="01-QC/ĐU",
        title=f"Quy chế làm việc của Ban Chấp hành Đảng bộ phường nhiệm kỳ {term.name}",
        adopted_on=issued + dt.timedelta(days=10),
        upload=_document(ward, "01-QC/ĐU", "Quy chế làm việc", issued),
        areas=list(zip(posts, areas, strict=False)),
    )
    log(f"  nghị quyết, chỉ tiêu, nhiệm vụ: 5 chỉ tiêu, {len(quarters)} quý kết quả, {count} nhiệm vụ")
