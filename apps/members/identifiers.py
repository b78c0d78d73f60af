"""The one check that a citizen ID or party card number is not already another member's.

Both numbers are unique across the whole registry, so the check searches every member. What it
tells the user must not: naming the holder of any number typed would let a cell secretary learn
whether any citizen is a party member anywhere, and who (issue 18, finding 1). So:

- a holder inside the user's reach (`Member.objects.restrict(user)`, the scoping door) is named;
- a holder outside it is not: "… đã có ở một đảng viên khác (ngoài phạm vi quản lý của đồng chí)";
- each such out-of-reach hit is recorded like a failed login (`IdentityProbe`: who, when, which
  field, a keyed hash of the number, the address), and after `IDENTITY_PROBE_LIMIT` hits within
  `IDENTITY_PROBE_WINDOW_MINUTES` every further check is refused, whether or not the number is
  taken (so the refusal itself tells nothing), until the window has passed. A refused check
  leaves the record unsaved and is recorded too.

The member form, the API (both through apps.members.services) and the Excel import
(apps.imports.checking.check_rows) call `identifier_clashes`, and nothing else searches members by
these numbers to write.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.safeguards.context import remote_addr
from apps.safeguards.models import IdentityProbe

from .models import Member

LABELS = {"citizen_id": gettext_lazy("Số CCCD"), "card_number": gettext_lazy("Số thẻ đảng viên")}
QUERY_CHUNK = 500
DEFAULT_LIMIT = 5
DEFAULT_WINDOW_MINUTES = 60


def probe_limit() -> tuple[int, int]:
    """(hits allowed, window in minutes), from settings."""
    limit = getattr(settings, "IDENTITY_PROBE_LIMIT", DEFAULT_LIMIT)
    minutes = getattr(settings, "IDENTITY_PROBE_WINDOW_MINUTES", DEFAULT_WINDOW_MINUTES)
    return limit, minutes


def value_hash(field: str, value: str) -> str:
    """A keyed hash of the number: equal numbers match, the number cannot be read back."""
    return salted_hmac("apps.members.identifiers", f"{field}:{value}", algorithm="sha256").hexdigest()


def _holders(field: str, values: set[str], exclude_pk) -> dict[str, tuple[int, str]]:
    found: dict[str, tuple[int, str]] = {}
    ordered = sorted(values)
    for start in range(0, len(ordered), QUERY_CHUNK):
        qs = Member.objects.filter(**{f"{field}__in": ordered[start : start + QUERY_CHUNK]})
        if exclude_pk is not None:
            qs = qs.exclude(pk=exclude_pk)
        for value, pk, *names in qs.values_list(field, "pk", "family_name", "middle_name", "given_name"):
            found[value] = (pk, " ".join(n for n in names if n))
    return found


def _in_reach(user, pks: set[int]) -> set[int]:
    reached: set[int] = set()
    ordered = sorted(pks)
    for start in range(0, len(ordered), QUERY_CHUNK):
        chunk = ordered[start : start + QUERY_CHUNK]
        reached.update(Member.objects.restrict(user).filter(pk__in=chunk).values_list("pk", flat=True))
    return reached


def identifier_clashes(user, items: Sequence[tuple[str, str]], *, exclude_pk=None) -> dict[int, str]:
    """Check numbers against the registry, in order: {position in `items`: message} for each
    number already held by another member (or refused). `items` are (field, value) pairs, field
    "citizen_id" or "card_number"; `exclude_pk` is the member being edited."""
    items = [(field, value) for field, value in items]
    if not items:
        return {}
    limit, minutes = probe_limit()
    recorded = getattr(user, "pk", None) is not None  # a system run (no user) is neither recorded nor throttled
    used = 0
    if recorded:
        since = timezone.now() - timedelta(minutes=minutes)
        used = IdentityProbe.objects.filter(user=user, refused=False, at__gte=since).count()
    remaining = limit - used if recorded else len(items) + 1
    holders: dict[str, dict[str, tuple[int, str]]] = {}
    reached: set[int] = set()
    if remaining > 0:
        for field in LABELS:
            values = {value for f, value in items if f == field}
            holders[field] = _holders(field, values, exclude_pk) if values else {}
        pks = {pk for found in holders.values() for pk, _name in found.values()}
        reached = _in_reach(user, pks) if pks else set()

    refused_message = _(
        "Đồng chí đã tra quá nhiều số CCCD, số thẻ đảng viên đã có ở đảng viên ngoài phạm vi quản lý "
        "(%(limit)s lần trong %(minutes)s phút), nên việc kiểm tra tạm dừng và chưa lưu gì. Hãy thử lại sau "
        "%(minutes)s phút hoặc liên hệ quản trị hệ thống."
    ) % {"limit": limit, "minutes": minutes}
    address = remote_addr()
    messages: dict[int, str] = {}
    probes: list[IdentityProbe] = []
    for position, (field, value) in enumerate(items):
        if remaining <= 0:
            # Refused from here on, taken or not; one record for the refused check.
            for later in range(position, len(items)):
                messages[later] = refused_message
            probes.append(
                IdentityProbe(
                    user=user, field=field, value_hash=value_hash(field, value), remote_addr=address, refused=True
                )
            )
            break
        holder = holders[field].get(value)
        if holder is None:
            continue
        pk, name = holder
        label = LABELS[field]
        if pk in reached:
            messages[position] = _("%(label)s %(value)s đã có ở đảng viên %(name)s.") % {
                "label": label,
                "value": value,
                "name": name,
            }
            continue
        remaining -= 1
        messages[position] = _(
            "%(label)s %(value)s đã có ở một đảng viên khác (ngoài phạm vi quản lý của đồng chí)."
        ) % {"label": label, "value": value}
        probes.append(IdentityProbe(user=user, field=field, value_hash=value_hash(field, value), remote_addr=address))
    if probes and recorded:
        IdentityProbe.objects.bulk_create(probes)
    return messages
