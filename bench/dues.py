"""Party dues at the issue's scale: 24 months of payments for every member of the benchmark
province (150.000 members → 3,6 million ledger entries), built once with bulk inserts, then:
a cell's book, the province's monthly report (from the maintained totals) and "all paid" for
the largest cell (rolled back after each run). Goal: each under 50 ms, the report within 3× its floor
(its SQL plus a bare view rendering the same rows), all paid under 100 ms."""

import random
import time
from datetime import date

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.dues import bulk, services
from apps.dues.models import Category, DuesBasis, DuesEntry
from apps.dues.rules import add_months, first_of, months_between
from apps.members.models import CURRENT_STATUSES, Member
from apps.organizations.models import CELL_KINDS, Organization
from bench import views as bare


class _Rollback(Exception):
    pass


def build(province, admin, n_months=24):
    """Bases and 24 months of dues for every current member of the province (skipped when present)."""
    if DuesEntry.objects.exists():
        return None
    t = time.perf_counter()
    rng = random.Random(9)
    last = add_months(first_of(timezone.localdate()), -1)
    months = months_between(add_months(last, -(n_months - 1)), last)
    cells = {
        c.pk: c
        for c in Organization.objects.filter(path__startswith=province.path, kind__in=CELL_KINDS, ended_on__isnull=True)
    }
    members = list(Member.objects.filter(organization_id__in=cells, status__in=CURRENT_STATUSES).order_by("pk"))
    DuesBasis.objects.bulk_create(
        [
            DuesBasis(
                member=m, category=Category.INSURED, amount=rng.randrange(4_500, 15_000) * 1000, since=date(2020, 1, 1)
            )
            for m in members
        ],
        batch_size=5000,
    )
    by_cell = {}
    for m in members:
        by_cell.setdefault(cells[m.organization_id], []).append(m)
    skip = {(m.pk, months[-1]) for m in members[::40]}  # 2,5 % behind last month
    bulk.generate(user=admin, cells=by_cell, months=months, skip=skip, close_before=last)
    with connection.cursor() as cursor:  # the planner's statistics of 3,6 million new rows
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return time.perf_counter() - t


def run(province, user, admin, call_view, stats_ms, raw):
    built = build(province, admin)
    if built is not None:
        print(f"  dues: built {DuesEntry.objects.count()} entries in {built:.0f} s", flush=True)
    last = add_months(first_of(timezone.localdate()), -1)
    cell = (
        Organization.objects.filter(path__startswith=province.path, kind__in=CELL_KINDS, code__contains="-G0125-")
        .order_by("pk")
        .first()
    ) or Organization.objects.filter(path__startswith=province.path, kind__in=CELL_KINDS).order_by("-pk").first()
    results = []
    pages = [
        # (…, the statement whose rows the page shows, the columns it shows of them)
        (
            "Sổ thu đảng phí một chi bộ",
            f"/dang-phi/so/{cell.pk}/",
            {"thang": f"{last:%Y-%m}"},
            'FROM "members_member"',
            ("id", "family_name", "middle_name", "given_name"),
        ),
        (
            "Báo cáo đảng phí tháng (cả tỉnh)",
            f"/dang-phi/bao-cao/{province.pk}/",
            {"thang": f"{last:%Y-%m}"},
            'AS "prefix"',
            None,
        ),
    ]
    for label, path, params, marker, columns in pages:
        call_view(path, params, user)
        with CaptureQueriesContext(connection) as ctx:
            call_view(path, params, user)
        queries = [q["sql"] for q in ctx.captured_queries]
        t_page, min_page = stats_ms(lambda path=path, params=params: call_view(path, params, user))
        t_sql, min_sql = stats_ms(lambda queries=queries: [raw(q) for q in queries])
        # The floor's view renders the rows the page shows, from the statement that reads them.
        rows, names = raw(next(q for q in queries if marker in q))
        if columns:
            keep = [names.index(c) for c in columns]
            rows = [[r[i] for i in keep] for r in rows]
        t_bare, min_bare = stats_ms(lambda rows=rows: bare.bare_table(None, rows))
        floor, floor_min = t_sql + t_bare, min_sql + min_bare
        results.append(
            {
                "page": label,
                "page_ms": t_page,
                "sql_ms": t_sql,
                "bare_ms": t_bare,
                "floor_ms": floor,
                "ratio": t_page / floor,
                "page_min_ms": min_page,
                "floor_min_ms": floor_min,
                "ratio_min": min_page / floor_min,
                "queries": len(queries),
                "rows": len(rows),
            }
        )
        print(
            f"  {label:40s} page {t_page:7.2f} ms  sql {t_sql:7.2f}  bare {t_bare:5.2f}  floor {floor:7.2f}"
            f"  ×{t_page / floor:.1f}  | fastest ×{min_page / floor_min:.1f}  ({len(queries)} q, {len(rows)} rows)",
            flush=True,
        )
    # "All paid" for the largest cell, for the current month (not yet paid), rolled back each time.
    from django.db.models import Count

    big = (
        Member.objects.filter(org_path__startswith=province.path, status__in=CURRENT_STATUSES)
        .values("organization")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    big_cell = Organization.objects.get(pk=big["organization"])
    month = first_of(timezone.localdate())

    def pay_all():
        try:
            with transaction.atomic():
                services.pay_all(user=admin, organization=big_cell, month=month)
                raise _Rollback
        except _Rollback:
            pass

    t_all, min_all = stats_ms(pay_all, min_runs=5, max_runs=50)
    results.append({"page": f"Tất cả đã đóng ({big['n']} đảng viên)", "page_ms": t_all, "page_min_ms": min_all})
    print(f"  all paid for {big['n']} members: {t_all:.1f} ms (fastest {min_all:.1f})", flush=True)
    return results
