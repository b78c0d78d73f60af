"""Figures of inspection, supervision and discipline for a period, within the user's reach."""

from __future__ import annotations

from django.db.models import Count, Q

from apps.accounts.models import User
from apps.core.scoping import INSPECT, VIEW, scope_for
from apps.organizations.models import Organization

from .models import Complaint, Conclusion, Inspection, InspectionPlan, Kind, Remedy


def subject_reach(user: User, field: str = "subject_path") -> Q:
    """Rows whose subject (a member's cell, or an organization) the user views: the subject's
    cell sees the inspections of itself and of its members, and the remedies required of it."""
    scope = scope_for(user)
    if scope.is_admin:
        return Q()
    cond = Q(pk__in=[])
    for path in scope.subtrees.get(VIEW, ()):
        cond |= Q(**{f"{field}__startswith": path})
    ids = scope.orgs.get(VIEW)
    if ids:
        cond |= Q(**{f"{field}__in": list(Organization.objects.filter(pk__in=ids).values_list("path", flat=True))})
    return cond


def inspections_for(user: User):
    """Everything the user reaches to view or to inspect, as conductor or as subject."""
    return (
        Inspection.objects.restrict(user, VIEW)
        | Inspection.objects.restrict(user, INSPECT)
        | Inspection.objects.filter(subject_reach(user))
    ).distinct()


def plans_for(user: User):
    return (InspectionPlan.objects.restrict(user, VIEW) | InspectionPlan.objects.restrict(user, INSPECT)).distinct()


def complaints_for(user: User):
    return (Complaint.objects.restrict(user, VIEW) | Complaint.objects.restrict(user, INSPECT)).distinct()


def remedies_for(user: User):
    return (
        Remedy.objects.restrict(user, VIEW)
        | Remedy.objects.restrict(user, INSPECT)
        | Remedy.objects.filter(subject_reach(user, "inspection__subject_path"))
    ).distinct()


def inspection_figures(user: User, *, start, end, organization=None) -> dict:
    """Inspections and supervisions concluded (or, if not yet, started) in [start, end], by kind and conclusion."""
    qs = inspections_for(user).filter(period_start__gte=start, period_start__lte=end)
    if organization is not None:
        qs = qs.filter(org_path__startswith=organization.path)
    ids = list(qs.values_list("pk", flat=True))
    rows = Inspection.objects.filter(pk__in=ids).values("kind", "conclusion").annotate(n=Count("pk")).order_by("kind")
    table = {k: {c: 0 for c in [*Conclusion.values, ""]} for k in Kind.values}
    for r in rows:
        table[r["kind"]][r["conclusion"]] = r["n"]
    kinds = [
        {
            "kind": k,
            "label": Kind(k).label,
            # (conclusion, count): each cell names its column, for the table stacked on a phone.
            "by_conclusion": [(Conclusion(c).label, table[k][c]) for c in Conclusion.values],
            "pending": table[k][""],
            "total": sum(table[k].values()),
        }
        for k in Kind.values
    ]
    remedies = Remedy.objects.filter(inspection_id__in=ids)
    return {
        "kinds": kinds,
        "conclusions": [Conclusion(c).label for c in Conclusion.values],
        "total": len(ids),
        "remedies_total": remedies.count(),
        "remedies_checked": remedies.filter(check_passed=True).count(),
        "complaints": complaints_for(user)
        .filter(received_on__gte=start, received_on__lte=end)
        .values("kind", "status")
        .annotate(n=Count("pk"))
        .order_by("kind", "status"),
    }
