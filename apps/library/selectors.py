"""Reads of the library: the documents a user reads (searched), a member's library, and how far a
document reached, per cell."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from apps.accounts.models import User
from apps.core.scoping import VIEW, scope_for
from apps.organizations.models import Organization

from .models import Bookmark, Document, Receipt


def documents_for(user: User, *, text: str = "", kind: str = "", validity: str = "", origin: str = "") -> QuerySet:
    qs = Document.objects.restrict(user, VIEW)
    if kind:
        qs = qs.filter(kind=kind)
    if validity:
        qs = qs.filter(validity=validity)
    if origin:
        qs = qs.filter(origin=origin)
    if text:
        qs = qs.search(text)
    return qs.select_related("organization").order_by("-issued_on", "-pk")


def own_receipt(user: User, document: Document) -> Receipt | None:
    scope = scope_for(user)
    if not scope.member_id:
        return None
    return (
        Receipt.objects.vouched("the user's own receipt")
        .filter(document=document, member_id=scope.member_id)
        .select_related("member")
        .first()
    )


def is_bookmarked(user: User, document: Document) -> bool:
    scope = scope_for(user)
    return bool(scope.member_id) and (
        Bookmark.objects.vouched("the user's own bookmark")
        .filter(document=document, member_id=scope.member_id, active=True)
        .exists()
    )


def my_library(user: User) -> dict:
    """A member's received documents (newest first) and bookmarks."""
    scope = scope_for(user)
    if not scope.member_id:
        return {"receipts": [], "bookmarks": []}
    receipts = (
        Receipt.objects.vouched("the user's own receipts")
        .filter(member_id=scope.member_id)
        .select_related("document")
        .order_by("-received_at", "-pk")[:200]
    )
    bookmarks = (
        Bookmark.objects.vouched("the user's own bookmarks")
        .filter(member_id=scope.member_id, active=True)
        .select_related("document")
        .order_by("-created_at", "-pk")[:200]
    )
    return {"receipts": list(receipts), "bookmarks": list(bookmarks)}


@dataclass
class Reach:
    organization: Organization
    received: int
    opened: int
    studied: int

    @property
    def opened_share(self) -> float:
        return 100 * self.opened / self.received if self.received else 0.0

    @property
    def studied_share(self) -> float:
        return 100 * self.studied / self.received if self.received else 0.0


def progress(user: User, document: Document, within: Organization | None = None) -> dict:
    """How far a document reached, per cell (the member's cell when it reached them), within the
    user's reach (and `within`'s subtree): two queries whatever the number of cells."""
    receipts = Receipt.objects.restrict(user, VIEW).filter(document=document)
    if within is not None:
        receipts = receipts.filter(org_path__startswith=within.path)
    rows = list(
        receipts.values("organization_id")
        .annotate(received=Count("pk"), opened=Count("opened_at"), studied=Count("studied_at"))
        .order_by()
    )
    orgs = Organization.objects.vouched("the cells of the receipts read through the door").in_bulk(
        [r["organization_id"] for r in rows]
    )
    cells = [
        Reach(orgs[r["organization_id"]], r["received"], r["opened"], r["studied"])
        for r in rows
        if r["organization_id"] in orgs
    ]
    cells.sort(key=lambda c: (c.organization.sort_key, c.organization.pk))
    total = Reach(
        within or document.organization,
        sum(c.received for c in cells),
        sum(c.opened for c in cells),
        sum(c.studied for c in cells),
    )
    return {"cells": cells, "total": total}
