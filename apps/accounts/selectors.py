"""Reads about role assignments."""

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from apps.core.roles import PRIVATE_READING_ROLES
from apps.core.scoping import VIEW, scope_for

from .models import RoleAssignment, User

# Ended grants stay on the secretary's page this long.
RECENT_GRANT_DAYS = 90


def private_reach_grants(user: User):
    """Every grant of a role that reads members' private records in the cells where the user is
    the secretary: those held now and those ended in the last RECENT_GRANT_DAYS days."""
    scope = scope_for(user)
    if not scope.secretary_orgs:
        return []
    cutoff = timezone.now() - dt.timedelta(days=RECENT_GRANT_DAYS)
    return list(
        RoleAssignment.objects.restrict(user, VIEW)
        .filter(organization_id__in=scope.secretary_orgs, role__in=PRIVATE_READING_ROLES)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=cutoff))
        .select_related("user", "granted_by", "organization")
        .order_by("organization__path", "-granted_at", "-pk")
    )
