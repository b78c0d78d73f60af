import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.core.roles import Role
from apps.meetings import services
from apps.meetings.models import (
    Kind,
    Meeting,
    MeetingDocument,
    MeetingStatus,
    Minutes,
    Notification,
    PeriodClosure,
    Presence,
    QualityAssessment,
    Theme,
)
from apps.meetings.rules import document_is_late
from apps.organizations.models import OversightAssignment

FULL_MINUTES = {
    "conclusions": "Chi bộ thống nhất các nội dung.",
    "results": "Hoàn thành các chỉ tiêu tháng.",
    "direction": "Vận động giải phóng mặt bằng.",
    "assignments": "Đồng chí An phụ trách tổ 1.",
    "self_assessment": "Buổi sinh hoạt đạt chất lượng.",
}


def hold(user, meeting, present, *, minutes=100, excused=(), unexcused=()):
    services.meeting_start(user=user, meeting=meeting)
    for m in present:
        services.attendance_mark(user=user, meeting=meeting, member=m, presence=Presence.PRESENT)
    for m in excused:
        services.attendance_mark(user=user, meeting=meeting, member=m, presence=Presence.EXCUSED, reason="Ốm")
    for m in unexcused:
        services.attendance_mark(user=user, meeting=meeting, member=m, presence=Presence.UNEXCUSED)
    meeting.refresh_from_db()
    services.meeting_finish(user=user, meeting=meeting, ended_at=meeting.started_at + dt.timedelta(minutes=minutes))
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def members(tree, make_member):
    return [make_member(tree["cell_a"], n) for n in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung")]


@pytest.mark.django_db
def test_plan_quarter_creates_a_regular_meeting_each_month_and_the_thematic_one(tree, secretary_a, rule_set, today):
    quarter = (today.month - 1) // 3 + 1
    months = [3 * (quarter - 1) + i for i in (1, 2, 3)]
    created = services.plan_quarter(
        user=secretary_a,
        organization=tree["cell_a"],
        year=today.year,
        quarter=quarter,
        day=31,
        place="Nhà văn hóa khu phố",
        thematic_month=months[2],
        thematic_theme="Học tập và làm theo tư tưởng Hồ Chí Minh",
    )
    assert [(m.date.month, m.kind) for m in created] == [
        (months[0], Kind.REGULAR),
        (months[1], Kind.REGULAR),
        (months[2], Kind.COMBINED),
    ]
    assert created[2].theme == "Học tập và làm theo tư tưởng Hồ Chí Minh"
    # Planning again adds nothing: every month already has its meeting.
    assert (
        services.plan_quarter(user=secretary_a, organization=tree["cell_a"], year=today.year, quarter=quarter, day=5)
        == []
    )


@pytest.mark.django_db
def test_parent_sets_theme_for_all_its_cells(tree, ward_staff, secretary_a, rule_set, today):
    planned = services.meeting_create(user=secretary_a, organization=tree["cell_a"], kind=Kind.REGULAR, date=today)
    theme = Theme.objects.get(title__startswith="Vận động nhân dân thực hiện giải phóng mặt bằng")
    n = services.theme_set_for_cells(
        user=ward_staff, parent=tree["ward"], on=today, kind=Kind.REGULAR, theme="", theme_ref=theme
    )
    assert n == 2
    planned.refresh_from_db()
    assert (planned.theme, planned.theme_set_by) == (theme.title, tree["ward"])
    created_b = Meeting.objects.get(organization=tree["cell_b"])
    assert (created_b.date, created_b.theme) == (today, theme.title)
    assert not Meeting.objects.filter(organization=tree["cell_c"]).exists()
    # A cell secretary cannot set themes for the ward.
    with pytest.raises(PermissionDenied):
        services.theme_set_for_cells(user=secretary_a, parent=tree["ward"], on=today, kind=Kind.REGULAR, theme="X")


@pytest.mark.django_db
def test_notifications_reach_members_and_the_overseeing_committee_member(
    tree, make_member, make_user, secretary_a, admin_user, members, rule_set, today
):
    overseer = make_member(tree["ward"], "Lê Anh Tuấn")
    OversightAssignment.objects.create(
        organization=tree["cell_a"], member=overseer, assigned_by=tree["ward"], starts_on=today - dt.timedelta(days=30)
    )
    member_user = make_user("dv_an", Role.MEMBER, tree["cell_a"], include_subtree=False, member=members[0])
    overseer_user = make_user("uv_tuan", Role.MEMBER, tree["ward"], include_subtree=False, member=overseer)
    meeting = services.meeting_create(
        user=secretary_a,
        organization=tree["cell_a"],
        kind=Kind.REGULAR,
        date=today,
        start_time=dt.time(19, 30),
        place="Nhà văn hóa",
        theme="Chỉnh trang đô thị",
    )
    assert services.meeting_notify(user=secretary_a, meeting=meeting) == 5
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.NOTIFIED
    mine = Notification.objects.get(recipient=member_user)
    assert mine.text.startswith("Mời đồng chí dự sinh hoạt thường kỳ của Chi bộ khu phố 1 lúc 19:30")
    assert "Nhà văn hóa" in mine.text and "Chỉnh trang đô thị" in mine.text
    assert Notification.objects.get(recipient=overseer_user).as_overseer is True
    # The overseer (a ward committee member without a role there) sees the cell's meeting.
    assert list(Meeting.objects.restrict(overseer_user)) == [meeting]


@pytest.mark.django_db
def test_documents_posted_less_than_a_day_before_are_late(tree, secretary_a, rule_set, today):
    tomorrow = today + dt.timedelta(days=1)
    early = services.meeting_create(
        user=secretary_a, organization=tree["cell_a"], kind=Kind.REGULAR, date=tomorrow + dt.timedelta(days=1)
    )
    late = services.meeting_create(user=secretary_a, organization=tree["cell_a"], kind=Kind.THEMATIC, date=today)
    for meeting in (early, late):
        services.document_add(
            user=secretary_a,
            meeting=meeting,
            title="Dự thảo nghị quyết",
            file=SimpleUploadedFile("du-thao.txt", b"noi dung"),
        )
    assert document_is_late(MeetingDocument.objects.get(meeting=early), early, rule_set) is False
    assert document_is_late(MeetingDocument.objects.get(meeting=late), late, rule_set) is True


@pytest.mark.django_db
def test_approval_locks_minutes_and_a_correction_is_a_new_version(tree, secretary_a, members, rule_set, today):
    meeting = services.meeting_create(user=secretary_a, organization=tree["cell_a"], kind=Kind.REGULAR, date=today)
    meeting = hold(secretary_a, meeting, members)
    services.meeting_conduct_update(user=secretary_a, meeting=meeting, chair=members[0], minute_taker=members[1])
    services.minutes_save(user=secretary_a, meeting=meeting, **FULL_MINUTES)
    services.vote_record(
        user=secretary_a, meeting=meeting, kind="ordinary", subject="Thông qua nghị quyết", votes_for=len(members)
    )
    services.minutes_approve(user=secretary_a, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.APPROVED
    with pytest.raises(ValidationError) as exc:
        services.minutes_save(user=secretary_a, meeting=meeting, conclusions="Sửa lén")
    assert "đã được thông qua và khóa" in str(exc.value)
    with pytest.raises(ValidationError):
        services.attendance_mark(user=secretary_a, meeting=meeting, member=members[0], presence=Presence.EXCUSED)
    assert Minutes.objects.get(meeting=meeting).conclusions == FULL_MINUTES["conclusions"]
    with pytest.raises(ValidationError):
        services.minutes_correct(user=secretary_a, meeting=meeting, reason="", conclusions="Bản mới")
    corrected = services.minutes_correct(
        user=secretary_a,
        meeting=meeting,
        reason="Ghi sai tên người phụ trách",
        assignments="Đồng chí Bình phụ trách tổ 1.",
    )
    versions = list(
        Minutes.objects.filter(meeting=meeting)
        .order_by("version")
        .values_list("version", "assignments", "correction_reason")
    )
    assert versions == [
        (1, "Đồng chí An phụ trách tổ 1.", ""),
        (2, "Đồng chí Bình phụ trách tổ 1.", "Ghi sai tên người phụ trách"),
    ]
    assert corrected.is_approved
    assert LogEntry.objects.get_for_object(corrected).filter(actor=secretary_a).exists()


@pytest.mark.django_db
def test_approval_needs_chair_minute_taker_and_conclusions(tree, secretary_a, members, rule_set, today):
    meeting = services.meeting_create(user=secretary_a, organization=tree["cell_a"], kind=Kind.REGULAR, date=today)
    meeting = hold(secretary_a, meeting, members)
    services.minutes_save(user=secretary_a, meeting=meeting, discussion="…")
    with pytest.raises(ValidationError) as exc:
        services.minutes_approve(user=secretary_a, meeting=meeting)
    assert exc.value.messages == [
        "Biên bản chưa có kết luận.",
        "Chưa ghi người chủ trì.",
        "Chưa ghi thư ký.",
        "Chưa có biểu quyết hợp lệ thông qua nghị quyết, kết luận (quá một nửa cơ số biểu quyết).",
    ]
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD


@pytest.mark.django_db
def test_quality_meets_all_criteria(tree, secretary_a, members, rule_set, today):
    meeting = services.meeting_create(
        user=secretary_a, organization=tree["cell_a"], kind=Kind.REGULAR, date=today + dt.timedelta(days=2)
    )
    services.meeting_notify(user=secretary_a, meeting=meeting)
    services.document_add(user=secretary_a, meeting=meeting, title="Dự thảo", file=SimpleUploadedFile("a.txt", b"x"))
    Meeting.objects.filter(pk=meeting.pk).update(date=today)  # the meeting day has come
    meeting.refresh_from_db()
    MeetingDocument.objects.filter(meeting=meeting).update(posted_at=timezone.now() - dt.timedelta(days=2))
    Meeting.objects.filter(pk=meeting.pk).update(notified_at=timezone.now() - dt.timedelta(days=2))
    meeting.refresh_from_db()
    meeting = hold(secretary_a, meeting, members, minutes=95)
    services.contribution_record(
        user=secretary_a, meeting=meeting, member=members[0], summary="Đề nghị tăng cường tuyên truyền."
    )
    services.contribution_record(user=secretary_a, meeting=meeting, member=members[1], summary="Nhất trí.")
    services.minutes_save(user=secretary_a, meeting=meeting, **FULL_MINUTES)
    assessment = services.quality_self_assess(user=secretary_a, meeting=meeting)
    assert {r["key"]: r["ok"] for r in assessment.results} == {
        "attendance": True,
        "no_unexcused": True,
        "excused_streak": True,
        "duration": True,
        "prepared": True,
        "speakers": True,
        "minutes_complete": True,
    }
    assert (assessment.points, assessment.self_level, assessment.meets_quality) == (100, "Tốt", True)


@pytest.mark.django_db
def test_quality_fails_on_attendance_unexcused_absence_and_duration(
    tree, make_member, secretary_a, members, rule_set, today
):
    extra = [make_member(tree["cell_a"], n) for n in ("Hoàng Văn Em", "Võ Thị Giang", "Đặng Văn Hải")]
    meeting = services.meeting_create(user=secretary_a, organization=tree["cell_a"], kind=Kind.COMBINED, date=today)
    # 7 members: 5 present (71,43 % — not above 85 %), 1 excused, 1 unexcused; 100 minutes < 120 for a combined meeting.
    meeting = hold(secretary_a, meeting, [*members, extra[0]], excused=[extra[1]], unexcused=[extra[2]], minutes=100)
    assessment = services.quality_self_assess(user=secretary_a, meeting=meeting)
    results = {r["key"]: (r["ok"], r["detail"]) for r in assessment.results}
    assert results["attendance"] == (False, "71,43% (5/7)")
    assert results["no_unexcused"] == (False, "1")
    assert results["duration"] == (False, "100/120")
    assert results["prepared"][0] is False and results["minutes_complete"][0] is False
    # Only "excused streak" (5 points) passes: level Kém, not up to quality.
    assert (assessment.points, assessment.self_level, assessment.meets_quality) == (5, "Kém", False)


@pytest.mark.django_db
def test_quality_flags_excused_absence_more_than_three_times_running(tree, make_member, secretary_a, rule_set, today):
    from .conftest import held_meeting

    cell = tree["cell_a"]
    a, b = make_member(cell, "Nguyễn Văn An"), make_member(cell, "Trần Thị Bình")
    year_start = dt.date(today.year, 1, 10)
    for i in range(4):
        held_meeting(cell, year_start + dt.timedelta(days=30 * i), present=[a], excused=[b], rule_set=rule_set)
    last = held_meeting(cell, year_start + dt.timedelta(days=150), present=[a, b], rule_set=rule_set)
    assessment = services.quality_self_assess(user=secretary_a, meeting=last)
    assert {r["key"]: (r["ok"], r["detail"]) for r in assessment.results}["excused_streak"] == (False, "4")


@pytest.mark.django_db
def test_parent_confirms_or_changes_the_level_with_a_reason(tree, secretary_a, ward_staff, members, rule_set, today):
    meeting = services.meeting_create(user=secretary_a, organization=tree["cell_a"], kind=Kind.REGULAR, date=today)
    meeting = hold(secretary_a, meeting, members)
    assessment = services.quality_self_assess(user=secretary_a, meeting=meeting)
    with pytest.raises(PermissionDenied):
        services.quality_confirm(
            user=secretary_a, assessment=assessment, level="Tốt", meets_quality=True, reason="Tự nâng"
        )
    with pytest.raises(ValidationError) as exc:
        services.quality_confirm(user=ward_staff, assessment=assessment, level="Khá", meets_quality=False)
    assert "phải ghi lý do" in str(exc.value)
    assessment.refresh_from_db()
    assert assessment.confirmed_at is None
    services.quality_confirm(
        user=ward_staff, assessment=assessment, level="Khá", meets_quality=False, reason="Nội dung còn chung chung"
    )
    assessment.refresh_from_db()
    assert (assessment.final_level, assessment.final_meets_quality, assessment.confirmed_by_org) == (
        "Khá",
        False,
        tree["ward"],
    )
    with pytest.raises(ValidationError):
        services.quality_self_assess(user=secretary_a, meeting=meeting)
    assert QualityAssessment.objects.get().confirm_reason == "Nội dung còn chung chung"


@pytest.mark.django_db
def test_bad_input_meeting_in_a_month_closed_by_the_parent_changes_nothing(
    tree, secretary_a, ward_staff, rule_set, today
):
    services.period_close(user=ward_staff, organization=tree["ward"], year=today.year, month=today.month)
    with pytest.raises(ValidationError) as exc:
        services.meeting_create(user=secretary_a, organization=tree["cell_a"], kind=Kind.REGULAR, date=today)
    assert exc.value.message_dict["date"] == [
        f"Tháng {today.month}/{today.year} đã được Đảng bộ phường Bình Thắng chốt số liệu sinh hoạt; không thể ghi thêm hay sửa."
    ]
    assert Meeting.objects.count() == 0
    # The closure covers only the ward's subtree.
    services.meeting_create(
        user=ward_staff, organization=tree["cell_a"], kind=Kind.REGULAR, date=today + dt.timedelta(days=40)
    )
    assert PeriodClosure.objects.count() == 1


@pytest.mark.django_db
def test_bad_input_meeting_dated_after_the_entry_window_changes_nothing(tree, secretary_a, rule_set, today):
    old = dt.date(today.year - 1, 1, 15)
    with pytest.raises(ValidationError) as exc:
        services.meeting_create(user=secretary_a, organization=tree["cell_a"], kind=Kind.REGULAR, date=old)
    assert "đã khóa sổ: chỉ được ghi sinh hoạt trong 60 ngày sau khi hết tháng" in exc.value.message_dict["date"][0]
    assert Meeting.objects.count() == 0


@pytest.mark.django_db
def test_bad_input_moving_a_meeting_into_a_closed_month_changes_nothing(tree, secretary_a, ward_staff, rule_set, today):
    meeting = services.meeting_create(
        user=secretary_a, organization=tree["cell_a"], kind=Kind.REGULAR, date=today + dt.timedelta(days=40)
    )
    services.period_close(user=ward_staff, organization=tree["ward"], year=today.year, month=today.month)
    with pytest.raises(ValidationError):
        services.meeting_update(user=secretary_a, meeting=meeting, date=today)
    meeting.refresh_from_db()
    assert meeting.date == today + dt.timedelta(days=40)


@pytest.mark.django_db
def test_bad_input_presenter_from_another_cell_changes_nothing(tree, make_member, secretary_a, rule_set, today):
    outsider = make_member(tree["cell_b"], "Mai Văn Quang")
    with pytest.raises(ValidationError) as exc:
        services.meeting_create(
            user=secretary_a,
            organization=tree["cell_a"],
            kind=Kind.REGULAR,
            date=today,
            presenters=[(outsider, "Tham luận")],
        )
    assert (
        f"Đồng chí Mai Văn Quang không sinh hoạt tại Chi bộ khu phố 1 vào ngày {today:%d/%m/%Y}."
        in exc.value.message_dict["presenters"]
    )
    assert Meeting.objects.count() == 0


@pytest.mark.django_db
def test_only_cells_hold_cell_meetings(tree, ward_staff, rule_set, today):
    with pytest.raises(ValidationError) as exc:
        services.meeting_create(user=ward_staff, organization=tree["ward"], kind=Kind.REGULAR, date=today)
    assert "không phải chi bộ" in str(exc.value)


@pytest.mark.django_db
def test_qr_checkin_marks_the_member_present(tree, make_user, secretary_a, members, rule_set, today):
    member_user = make_user("dv_an", Role.MEMBER, tree["cell_a"], include_subtree=False, member=members[0])
    meeting = services.meeting_create(user=secretary_a, organization=tree["cell_a"], kind=Kind.REGULAR, date=today)
    with pytest.raises(ValidationError):
        services.attendance_checkin(user=member_user, token=meeting.checkin_token)  # not started yet
    services.meeting_start(user=secretary_a, meeting=meeting)
    row = services.attendance_checkin(user=member_user, token=meeting.checkin_token)
    assert (row.member, row.presence, row.via_qr) == (members[0], Presence.PRESENT, True)
    assert LogEntry.objects.get_for_object(row).filter(actor=member_user).exists()


@pytest.mark.django_db
def test_every_change_is_audited_with_its_actor(tree, secretary_a, members, rule_set, today):
    meeting = services.meeting_create(user=secretary_a, organization=tree["cell_a"], kind=Kind.REGULAR, date=today)
    services.meeting_update(user=secretary_a, meeting=meeting, place="Hội trường khu phố")
    entries = LogEntry.objects.get_for_object(meeting).order_by("pk")
    assert [(e.action, e.actor) for e in entries] == [
        (LogEntry.Action.CREATE, secretary_a),
        (LogEntry.Action.UPDATE, secretary_a),
    ]


@pytest.mark.django_db
def test_cell_committee_meeting_summons_the_committee_only(tree, secretary_a, members, rule_set, today):
    from apps.organizations.models import CommitteePost, Post

    for member, post in ((members[0], Post.SECRETARY), (members[1], Post.DEPUTY)):
        CommitteePost.objects.create(
            organization=tree["cell_a"], member=member, post=post, starts_on=today - dt.timedelta(days=300)
        )
    meeting = services.meeting_create(user=secretary_a, organization=tree["cell_a"], kind=Kind.COMMITTEE, date=today)
    services.meeting_start(user=secretary_a, meeting=meeting)
    assert sorted(meeting.roll.values_list("member__given_name", flat=True)) == ["An", "Bình"]


@pytest.mark.django_db
def test_bad_input_roll_change_after_the_month_is_closed_changes_nothing(
    tree, secretary_a, ward_staff, members, rule_set, today
):
    meeting = services.meeting_create(user=secretary_a, organization=tree["cell_a"], kind=Kind.REGULAR, date=today)
    services.meeting_start(user=secretary_a, meeting=meeting)
    services.period_close(user=ward_staff, organization=tree["ward"], year=today.year, month=today.month)
    with pytest.raises(ValidationError) as exc:
        services.attendance_mark(user=secretary_a, meeting=meeting, member=members[0], presence=Presence.PRESENT)
    assert "chốt số liệu" in str(exc.value)
    with pytest.raises(ValidationError):
        services.attendance_all_present(user=secretary_a, meeting=meeting)
    assert set(meeting.roll.values_list("presence", flat=True)) == {Presence.UNMARKED}


@pytest.mark.django_db
def test_finish_needs_everyone_ticked_but_exempted_members(cell_roll, secretary_a, today):
    meeting = services.meeting_create(user=secretary_a, organization=cell_roll.cell, kind=Kind.REGULAR, date=today)
    services.meeting_start(user=secretary_a, meeting=meeting)
    services.attendance_mark(user=secretary_a, meeting=meeting, member=cell_roll.full[0], presence=Presence.PRESENT)
    with pytest.raises(ValidationError) as exc:
        services.meeting_finish(user=secretary_a, meeting=meeting)
    assert "Còn đảng viên chưa điểm danh" in str(exc.value)
    services.attendance_all_present(user=secretary_a, meeting=meeting)
    meeting.refresh_from_db()
    services.meeting_finish(user=secretary_a, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD


@pytest.mark.django_db
def test_finish_keeps_the_end_time_the_secretary_typed(cell_roll, secretary_a, today):
    meeting = services.meeting_create(user=secretary_a, organization=cell_roll.cell, kind=Kind.REGULAR, date=today)
    services.meeting_start(user=secretary_a, meeting=meeting)
    services.attendance_all_present(user=secretary_a, meeting=meeting)
    meeting.refresh_from_db()
    started = meeting.started_at
    typed = started + dt.timedelta(minutes=95)
    services.meeting_set_times(user=secretary_a, meeting=meeting, started_at=started, ended_at=typed)
    meeting.refresh_from_db()
    services.meeting_finish(user=secretary_a, meeting=meeting)  # clicked the next day
    meeting.refresh_from_db()
    assert (meeting.status, meeting.ended_at) == (MeetingStatus.HELD, typed)


@pytest.mark.django_db
def test_a_meeting_cannot_start_before_its_date(tree, secretary_a, rule_set, today):
    meeting = services.meeting_create(
        user=secretary_a, organization=tree["cell_a"], kind=Kind.REGULAR, date=today + dt.timedelta(days=3)
    )
    with pytest.raises(ValidationError) as exc:
        services.meeting_start(user=secretary_a, meeting=meeting)
    assert "Chưa đến ngày sinh hoạt" in str(exc.value)
    meeting.refresh_from_db()
    assert (meeting.status, meeting.roll.count()) == (MeetingStatus.PLANNED, 0)
