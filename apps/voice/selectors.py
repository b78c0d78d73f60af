"""Reads of petitions and dialogues (the rows come from the views, through the door)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.utils import timezone

from .models import DialogueIssue, PetitionStatus


@dataclass
class PetitionCounts:
    organization_id: int
    name: str
    received: int
    answered: int
    open: int
    overdue: int


def petition_counts(rows, day: date | None = None) -> list[PetitionCounts]:
    """Received, answered, open and overdue (open past the deadline) per receiving organization,
    over `rows` (petitions the user reaches: counts, never content)."""
    day = day or timezone.localdate()
    answered = Q(status=PetitionStatus.ANSWERED)
    grouped = (
        rows.order_by()
        .values("organization_id", "organization__name", "organization__path")
        .annotate(
            received=Count("pk"),
            answered=Count("pk", filter=answered),
            overdue=Count("pk", filter=~answered & Q(due_on__lt=day)),
        )
        .order_by("organization__path")
    )
    return [
        PetitionCounts(
            organization_id=g["organization_id"],
            name=g["organization__name"],
            received=g["received"],
            answered=g["answered"],
            open=g["received"] - g["answered"],
            overdue=g["overdue"],
        )
        for g in grouped
    ]


def overdue_issues(rows, day: date | None = None) -> list[DialogueIssue]:
    """Issues raised in dialogues still unanswered past their deadline, oldest deadline first."""
    return list(rows.overdue(day).select_related("dialogue").order_by("due_on", "pk")[:20])


def home_figures(user, organization=None, day: date | None = None) -> dict:
    """What the home page shows of petitions and dialogues: the petitions the user handles or
    receives still open (and how many are overdue), and, for a committee's home, its dialogue
    issues overdue."""
    from .models import Petition

    day = day or timezone.localdate()
    open_rows = Petition.objects.visible_to(user).exclude(member__user=user).exclude(status=PetitionStatus.ANSWERED)
    figures: dict = {
        "petitions_open": open_rows.count(),
        "petitions_overdue": open_rows.filter(due_on__lt=day).count(),
        "unread_notices": user.notices.filter(read_at__isnull=True).count(),
    }
    if organization is not None:
        figures["dialogue_overdue"] = overdue_issues(DialogueIssue.objects.restrict_within(user, organization), day)
    return figures
