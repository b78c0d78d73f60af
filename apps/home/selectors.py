"""Each role's day on its home page, every figure counted within the user's reach.

A member sees their next meeting, unread notices, their own open remediation items and the
self-examination due; a cell secretary sees this month's meeting and what it still lacks, members
whose probation ends soon and overdue items; a committee sees the cells that missed last month's
meeting; every officer sees the counts of their reach.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accountability.models import ExamStatus, RemediationAction, RemediationPlan, SelfExamination
from apps.accountability.selectors import overdue_summary
from apps.accounts.models import User
from apps.accounts.selectors import private_reach_grants
from apps.admissions.selectors import admissions_summary
from apps.core.periods import Period
from apps.core.scoping import CHANGE, scope_for
from apps.meetings.models import REGULAR_KINDS, Meeting, MeetingStatus
from apps.meetings.selectors import cells_under, compliance, default_organization, upcoming_for
from apps.members.models import CURRENT_STATUSES, Member, Status
from apps.organizations.models import Organization
from apps.quizzes.selectors import open_work
from apps.resolutions.models import Task
from apps.voice.selectors import home_figures

PROBATION_NOTICE_DAYS = 30  # a recognition is prepared a month ahead
MISSED_LIST_CELLS = 200  # above this, the home page links to the compliance page instead of listing


@dataclass
class CellDay:
    """A cell's month as its secretary sees it on the home page."""

    cell: Organization
    meeting: Meeting | None
    lacks: list[str] = field(default_factory=list)
    probation_due: list[Member] = field(default_factory=list)


def _month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def member_day(user: User, member: Member, today: dt.date) -> dict:
    plans = RemediationPlan.objects.restrict(user).filter(member=member)
    exam = SelfExamination.objects.restrict(user).filter(member=member, year=today.year).first()
    return {
        "next_meeting": upcoming_for(user, member, today).first(),
        "unread_notices": user.meeting_notifications.filter(read_at__isnull=True).count(),
        "open_actions": list(
            RemediationAction.objects.filter(plan__in=plans, done_on__isnull=True).order_by("deadline", "pk")[:10]
        ),
        "exam_due": exam is None or exam.status != ExamStatus.COMPLETED,
        "exam_year": today.year,
        "my_overdue_tasks": list(
            Task.objects.restrict(user).filter(owner_member=member).overdue(today).order_by("deadline", "pk")[:10]
        ),
    }


def _lacks(meeting: Meeting | None, today: dt.date) -> list[str]:
    """What this month's regular meeting still lacks, in the order the work is done."""
    if meeting is None:
        return [_("Chưa có kế hoạch sinh hoạt tháng này.")]
    if meeting.status == MeetingStatus.APPROVED:
        return []
    lacks = []
    if meeting.status == MeetingStatus.PLANNED:
        lacks.append(_("Chưa gửi thông báo cho đảng viên."))
    if not meeting.documents.all() and meeting.date - today <= dt.timedelta(days=1):
        lacks.append(_("Chưa gửi tài liệu trước ngày sinh hoạt."))
    if meeting.status in (MeetingStatus.PLANNED, MeetingStatus.NOTIFIED) and meeting.date < today:
        lacks.append(_("Đã qua ngày sinh hoạt mà chưa điểm danh."))
    if meeting.status in (MeetingStatus.IN_PROGRESS, MeetingStatus.HELD):
        lacks.append(_("Biên bản, nghị quyết chưa được thông qua."))
    return lacks


def cell_days(user: User, cells, today: dt.date) -> list[CellDay]:
    first, last = _month_bounds(today)
    meetings = (
        Meeting.objects.restrict(user)
        .filter(organization__in=cells, date__range=(first, last), kind__in=REGULAR_KINDS)
        .exclude(status=MeetingStatus.CANCELLED)
        .prefetch_related("documents")
        .order_by("date", "pk")
    )
    by_cell: dict[int, Meeting] = {}
    for meeting in meetings:
        by_cell.setdefault(meeting.organization_id, meeting)
    soon = today + dt.timedelta(days=PROBATION_NOTICE_DAYS)
    probationary = Member.objects.restrict(user).filter(organization__in=cells, status=Status.PROBATIONARY)
    due: dict[int, list[Member]] = {}
    for member in probationary.order_by("sort_key", "pk"):
        end = member.probation_end_date
        if end and end <= soon:
            due.setdefault(member.organization_id, []).append(member)
    days = []
    for cell in cells:
        meeting = by_cell.get(cell.pk)
        days.append(CellDay(cell, meeting, _lacks(meeting, today), due.get(cell.pk, [])))
    return days


def missed_last_month(user: User, organization: Organization, today: dt.date) -> dict | None:
    """The cells under `organization` with no regular meeting held last month (None: too many to list)."""
    last_month = today.replace(day=1) - dt.timedelta(days=1)
    if cells_under(organization).count() > MISSED_LIST_CELLS:
        return None
    return {"month": last_month, "cells": compliance(user, organization, Period.month_of(last_month), today).no_regular}


def dashboard(user: User) -> dict:
    scope = scope_for(user)
    today = timezone.localdate()
    context: dict = {"scope": scope, "today": today}
    member = getattr(user, "member", None) if hasattr(user, "member") else None
    if member is not None:
        context["my_member"] = member
        context.update(member_day(user, member, today))
        context.update(open_work(user))  # open tests and surveys
    if scope.has_any_org:
        members = Member.objects.restrict(user).filter(status__in=CURRENT_STATUSES)
        context["member_count"] = members.count()
        context["status_counts"] = members.values("status").annotate(n=Count("pk")).order_by("status")
        context["cell_count"] = Organization.objects.restrict(user).current().cells().count()
        context["overdue"] = overdue_summary(user, today)["total"]
        context["overdue_tasks"] = Task.objects.restrict(user).overdue(today).count()
        if scope.is_admin or scope.subtrees.get(CHANGE) or scope.orgs.get(CHANGE):
            context["admissions"] = admissions_summary(user, today)
    if scope.secretary_orgs:
        cells = Organization.objects.restrict(user).filter(pk__in=scope.secretary_orgs).current().order_by("path")
        context["cell_days"] = cell_days(user, list(cells), today)
        context["private_grants"] = private_reach_grants(user)
    home = default_organization(user) if scope.has_any_org else None
    if home is not None and not home.is_cell and scope.reaches_org(home, CHANGE):
        context["home_organization"] = home
        context["missed"] = missed_last_month(user, home, today)
    context["voice"] = home_figures(user, context.get("home_organization"), today)
    return context
