"""The changes proposed for apps/members and config, applied in-process for `run.py --proposed`.

Nothing here is imported by the product. Each item is the prototype of a change the owners of
those apps can make (the exact code is in bench/RESULTS.md):

1. Name search through a table of name keys (one row per word: the name from that word on, with
   the member's sort key, org path and status copied), in two steps: 51 ids in name order from the
   key table's covering index alone, then those members. Replaces `search_name LIKE '% term%'`,
   which no index serves.
   On SQLite the key prefix is written as a range (`key >= 'van hung' AND key < 'van hunh'`):
   SQLite's LIKE never uses an index unless `PRAGMA case_sensitive_like=ON`, and that pragma
   makes whole-province lists slower (SQLite then reads the province by path and sorts 150.000
   rows), so it is measured in search_proto but not proposed.
2. PostgreSQL: no parallel workers for these short queries (`max_parallel_workers_per_gather=0`):
   starting workers costs more than the query on a small server.
"""

from django.db import connection

from apps.core.scoping import VIEW, scope_for
from apps.core.text import fold
from apps.members import selectors, views
from apps.members.models import CURRENT_STATUSES

from .search_proto import TABLE

_original_member_page = selectors.member_page


def session_settings():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET max_parallel_workers_per_gather = 0")


def _scope_paths(user, organization):
    if organization is not None:
        return [organization.path]
    scope = scope_for(user)
    if scope.is_admin:
        return [""]
    return list(scope.subtrees.get(VIEW, ()))


def member_page(user, params, size=None):
    """member_page with the name search served by the key table (prototype of proposal 1)."""
    q = (params.get("q") or "").strip()
    digits = q.replace(" ", "").replace(".", "")
    if not q or (digits.isdigit() and len(digits) >= 3):
        return _original_member_page(user, params, size)
    size = size or selectors.PAGE_SIZE
    rest = {k: v for k, v in params.items() if k not in ("q", "after")}
    qs, organization = selectors.member_queryset(user, rest)
    paths = _scope_paths(user, organization)
    status = params.get("status")
    statuses = list(CURRENT_STATUSES) if not status else ([] if status == "all" else [status])
    prefix = fold(q)
    if connection.vendor == "postgresql":  # LIKE 'x%' is a range of the varchar_pattern_ops index
        where, args = ["key LIKE %s"], [prefix + "%"]
    else:  # SQLite: the same range, written out
        where, args = ["key >= %s AND key < %s"], [prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)]
    where.append("(" + " OR ".join(["org_path LIKE %s"] * len(paths)) + ")")
    args += [p + "%" for p in paths]
    if statuses:
        where.append(f"status IN ({', '.join(['%s'] * len(statuses))})")
        args += statuses
    key, _, pk = (params.get("after") or "").rpartition("~")
    if key and pk.isdigit():
        where.append("sort_key >= %s AND (sort_key > %s OR member_id > %s)")
        args += [key, key, int(pk)]
    sql = f"SELECT member_id FROM {TABLE} WHERE {' AND '.join(where)} ORDER BY sort_key, member_id LIMIT {size + 1}"
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        ids = [r[0] for r in cursor.fetchall()]
    rows = list(qs.filter(pk__in=ids).select_related("organization").order_by("sort_key", "pk")) if ids else []
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        next_cursor = f"{rows[-1].sort_key}~{rows[-1].pk}"
    return selectors.Page(rows=rows, next_cursor=next_cursor, organization=organization)


def apply():
    session_settings()
    views.member_page = member_page


def revert():
    views.member_page = _original_member_page
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("RESET max_parallel_workers_per_gather")
