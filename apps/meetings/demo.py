"""Demo rows: fifteen months of cell meetings for the Bình Thắng cells, and the coming ones.

Each cell holds a regular meeting every month, combined with the quarter's thematic meeting in
the middle month; attendance rises from about 75 % last year to about 88 % this year (the figures
the Cẩm Giàng article quotes); the overseeing committee member attends most meetings. A few rows
make the alerts worth looking at: the enterprise cell skips its thematic meeting this quarter, one
member of Ngãi Thắng is absent without reason three months running, one meeting is short.
Rows are written directly (seed data, not user changes); quality is judged by the rule set in force.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from . import rules
from .models import (
    Attendance,
    Contribution,
    Kind,
    Meeting,
    MeetingRuleSet,
    MeetingStatus,
    Minutes,
    Notification,
    Presence,
    QualityAssessment,
    Theme,
    Vote,
    VoteKind,
)

MONTHS_BACK = 15
REASONS = ["Ốm", "Đi công tác", "Việc gia đình", "Điều trị tại bệnh viện", "Trực cơ quan"]
SAYINGS = [
    "Đề nghị chi bộ tăng cường tuyên truyền để người dân đồng thuận.",
    "Nhất trí với dự thảo nghị quyết, đề nghị phân công rõ người, rõ việc.",
    "Cần kiểm tra việc thực hiện nghị quyết tháng trước ở tổ dân phố.",
    "Đề xuất ra quân vệ sinh môi trường vào sáng chủ nhật.",
    "Đề nghị quan tâm gia đình chính sách dịp lễ, Tết.",
]


def _month_start(day: dt.date, back: int) -> dt.date:
    y, m = day.year, day.month - back
    while m < 1:
        y, m = y - 1, m + 12
    return dt.date(y, m, 1)


def seed(context) -> None:
    cells = list(context.get("cells") or [])
    if not cells:
        return
    rng: random.Random = context.get("random") or context.get("rng") or random.Random(2019)
    today: dt.date = context.get("today") or timezone.localdate()
    admin = context.get("admin") or (context.get("users") or {}).get("admin")
    log = context.get("log", print)
    by_key = {v.pk: k for k, v in (context.get("cells_by_key") or {}).items()}
    themes = list(Theme.objects.filter(organization__isnull=True, is_active=True))
    thematic_titles = [t.title for t in themes if t.category in ("study", "manifestations", "local_task")] or [
        "Học tập và làm theo tư tưởng Hồ Chí Minh"
    ]
    by_month = {t.month: t for t in themes if t.month}
    regular_titles = [t.title for t in themes if t.category in ("local_task", "party_building") and not t.month]
    regular_titles = regular_titles or thematic_titles
    count = 0
    for cell in cells:
        key = by_key.get(cell.pk, "")
        oversight = list(cell.oversight_assignments.select_related("member"))
        streak_member = None
        for back in range(MONTHS_BACK, -2, -1):  # ... this month (0) and next month (-1)
            first = (
                _month_start(today, back)
                if back >= 0
                else (_month_start(today, 0) + dt.timedelta(days=32)).replace(day=1)
            )
            day = first.replace(day=rng.randint(3, 12))
            quarter_middle = day.month % 3 == 2
            skip_thematic = key == "doanh-nghiep" and back <= 2
            kind = Kind.COMBINED if quarter_middle and not skip_thematic else Kind.REGULAR
            rule_set = MeetingRuleSet.in_force_on(day)
            meeting = Meeting.objects.create(
                organization=cell,
                kind=kind,
                date=day,
                start_time=dt.time(19, 0) if cell.sector == "residential" else dt.time(16, 0),
                place="Nhà văn hóa khu phố" if cell.sector == "residential" else "Phòng họp cơ quan",
                theme=rng.choice(thematic_titles)
                if kind == Kind.COMBINED
                else (by_month[day.month].title if day.month in by_month else rng.choice(regular_titles)),
                rule_set=rule_set if rule_set.pk else None,
            )
            count += 1
            roll = rules.roll_for(cell, min(day, today))
            # The secretary assigns one or two members to prepare contributions, and the draft resolution.
            active = [e.member for e in roll if e.status in ("full", "probationary", "temp_in")]
            for member in rng.sample(active, min(len(active), rng.randint(1, 2))):
                Contribution.objects.create(meeting=meeting, member=member, topic=meeting.theme, assigned=True)
            if active:
                meeting.resolution_drafter = active[0]
                meeting.save(update_fields=["resolution_drafter"])
            if day > today:
                if (day - today).days <= 14:
                    _notify(meeting, roll, oversight, day)
                continue
            start = timezone.make_aware(dt.datetime.combine(day, meeting.start_time))
            need = rules.required_minutes(kind, rule_set)
            minutes = rng.randint(need, need + 30)
            if key == "quan-su" and back == 1:
                minutes = need - 20  # one short meeting for the alerts
            overseer = next(
                (a.member for a in oversight if a.starts_on <= day and (a.ends_on is None or a.ends_on >= day)), None
            )
            meeting.status = MeetingStatus.APPROVED
            meeting.started_at, meeting.ended_at = start, start + dt.timedelta(minutes=minutes)
            meeting.notified_at = start - dt.timedelta(days=3)
            for field in (
                "purpose_announced",
                "minute_taker_appointed",
                "attendance_reported",
                "agenda_adopted",
                "minutes_read_back",
            ):
                setattr(meeting, field, True)
            markable = [e for e in roll if e.status not in rules.OUTSIDE_STATUSES]
            if markable:
                meeting.chair = markable[0].member
                meeting.minute_taker = markable[-1].member if len(markable) > 1 else markable[0].member
            if overseer is not None and rng.random() < 0.8:
                meeting.higher_representative = overseer
            meeting.save()
            present_rate = 0.88 if day.year == today.year else 0.75
            if key == "ngai-thang" and streak_member is None and markable:
                streak_member = markable[len(markable) // 2].member
            rows = []
            for entry in roll:
                presence, reason = Presence.UNMARKED, ""
                if entry.status == "exempted":
                    presence = Presence.PRESENT if rng.random() < 0.15 else Presence.EXCUSED
                    reason = "" if presence == Presence.PRESENT else "Tuổi cao, sức yếu"
                elif entry.status not in rules.OUTSIDE_STATUSES:
                    r = rng.random()
                    if streak_member is not None and entry.member.pk == streak_member.pk and 1 <= back <= 3:
                        presence = Presence.UNEXCUSED
                    elif r < present_rate:
                        presence = Presence.PRESENT
                    elif r < present_rate + (1 - present_rate) * 0.85:
                        presence, reason = Presence.EXCUSED, rng.choice(REASONS)
                    else:
                        presence = Presence.UNEXCUSED
                rows.append(
                    Attendance(
                        meeting=meeting,
                        member=entry.member,
                        member_status=entry.status,
                        is_full_member=entry.is_full,
                        presence=presence,
                        reason=reason,
                        marked_at=start,
                    )
                )
            Attendance.objects.bulk_create(rows)
            # The resolution is adopted by the full members present (approval needs that vote).
            counts = rules.count_roll(rows, rule_set)
            Vote.objects.create(
                meeting=meeting,
                kind=VoteKind.ORDINARY,
                subject="Thông qua nghị quyết chi bộ tháng",
                votes_for=counts.voters_present,
                base=counts.vote_base,
                is_valid=rules.vote_is_valid(VoteKind.ORDINARY, counts.voters_present, counts.vote_base),
            )
            present = [r.member for r in rows if r.presence == Presence.PRESENT]
            for member in rng.sample(present, min(len(present), rng.randint(2, 5))):
                assigned = meeting.contributions.filter(member=member, spoke=False).first()
                if assigned:
                    assigned.spoke, assigned.summary = True, rng.choice(SAYINGS)
                    assigned.save(update_fields=["spoke", "summary"])
                else:
                    Contribution.objects.create(meeting=meeting, member=member, spoke=True, summary=rng.choice(SAYINGS))
            Minutes.objects.create(
                meeting=meeting,
                number=f"{day.month:02d}-NQ/CB",
                discussion="Chi bộ nghe báo cáo kết quả tháng, thảo luận phương hướng tháng tới.",
                conclusions="Chi bộ thống nhất đánh giá kết quả và phương hướng nhiệm vụ tháng tới.",
                results="Hoàn thành các nhiệm vụ trọng tâm của tháng.",
                direction=meeting.theme or "Tiếp tục thực hiện nhiệm vụ chính trị của địa phương, đơn vị.",
                assignments="Bí thư chi bộ chỉ đạo chung; các đảng viên thực hiện theo phân công.",
                self_assessment="Buổi sinh hoạt đảm bảo nội dung, đúng quy định.",
                created_by=admin,
                approved_at=meeting.ended_at,
                approved_by=admin,
            )
            if rule_set.pk:
                result = rules.evaluate_quality(meeting, rule_set)
                QualityAssessment.objects.create(
                    meeting=meeting,
                    rule_set=rule_set,
                    results=result["results"],
                    points=result["points"],
                    meets_quality=result["meets_quality"],
                    self_level=result["level"],
                    assessed_by=admin,
                    assessed_at=meeting.ended_at,
                )
    log(f"    {count} cuộc sinh hoạt chi bộ")


def _notify(meeting, roll, oversight, day):
    from .services import notification_text

    text = notification_text(meeting)
    for entry in roll:
        Notification.objects.create(
            organization=meeting.organization,
            meeting=meeting,
            member=entry.member,
            recipient=entry.member.user,
            text=text,
        )
    for a in oversight:
        if a.starts_on <= day and (a.ends_on is None or a.ends_on >= day):
            Notification.objects.create(
                organization=meeting.organization,
                meeting=meeting,
                member=a.member,
                recipient=a.member.user,
                as_overseer=True,
                text=text,
            )
    meeting.status = MeetingStatus.NOTIFIED
    meeting.notified_at = timezone.now()
    meeting.save(update_fields=["status", "notified_at"])
