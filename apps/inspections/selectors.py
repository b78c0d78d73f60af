"""Figures of inspection, supervision and discipline for a period, within the user's reach."""

from __future__ import annotations

from django.db.models import Count, Q

from apps.accounts.models import User
from apps.core.scoping import INSPECT, VIEW, scope_for
from apps.organizations.models import Organization

from .models import (
    Complaint,
    ComplaintKind,
    ComplaintStatus,
    Conclusion,
    DisciplineBasis,
    Inspection,
    InspectionPlan,
    Kind,
    Remedy,
)


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
        "complaints": complaint_figures(user, start=start, end=end, organization=organization),
    }


def complaint_figures(user: User, *, start, end, organization=None) -> dict:
    """Complaints and denunciations received in [start, end] within the user's reach: by kind, how
    many are being handled or answered, and how many led to an inspection and to a discipline."""
    qs = complaints_for(user).filter(received_on__gte=start, received_on__lte=end)
    if organization is not None:
        qs = qs.filter(org_path__startswith=organization.path)
    rows = list(
        Complaint.objects.filter(pk__in=qs.values("pk"))
        .values("kind")
        .annotate(
            total=Count("pk", distinct=True),
            answered=Count("pk", filter=Q(status=ComplaintStatus.ANSWERED), distinct=True),
            inspected=Count("pk", filter=Q(inspection__isnull=False), distinct=True),
            disciplined=Count(
                "pk",
                filter=Q(discipline_bases__isnull=False) | Q(inspection__discipline_bases__isnull=False),
                distinct=True,
            ),
        )
        .order_by("kind")
    )
    found = {r["kind"]: r for r in rows}
    kinds = []
    for kind in ComplaintKind.values:
        r = found.get(kind, {"total": 0, "answered": 0, "inspected": 0, "disciplined": 0})
        kinds.append(
            {"label": ComplaintKind(kind).label, **{k: r[k] for k in ("total", "answered", "inspected", "disciplined")}}
        )
    totals = {k: sum(row[k] for row in kinds) for k in ("total", "answered", "inspected", "disciplined")}
    return {"kinds": kinds, "totals": totals}


def discipline_page_section(user: User, discipline) -> dict:
    """A discipline decision's page: the conclusion and the complaint it started from, when the user reaches them."""
    basis = DisciplineBasis.objects.filter(discipline=discipline).first()
    if basis is None:
        return {"basis_inspection": None, "basis_complaint": None}
    return {
        "basis_inspection": inspections_for(user).filter(pk=basis.inspection_id).first()
        if basis.inspection_id
        else None,
        "basis_complaint": complaints_for(user).filter(pk=basis.complaint_id).first() if basis.complaint_id else None,
    }


def disciplines_from(user: User, *, inspection=None, complaint=None):
    """The discipline decisions started from an inspection (or its complaints) or from a complaint,
    within the user's reach (a sensitive read: the caller logs it)."""
    from apps.discipline.models import Discipline

    qs = (Discipline.objects.restrict(user, VIEW) | Discipline.objects.restrict(user, INSPECT)).distinct()
    if inspection is not None:
        qs = qs.filter(basis__inspection=inspection)
    else:
        qs = qs.filter(basis__complaint=complaint)
    return qs.select_related("member", "organization").order_by("-decided_on", "-pk")
