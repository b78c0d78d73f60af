"""`make bench`: each page against its floor, in one process, on the database of DATABASE_URL.

    DATABASE_URL=... python bench/run.py [--size 150000] [--out bench/out/sqlite.json]

For every page: the view is called in-process (RequestFactory, the real URL's view function, a
province organization-board user whose scope is recomputed on every call), many times; the median
is reported. Its floor is the raw SQL behind it (every statement the view ran, re-executed with
`cursor.execute` on the same connection) plus a bare Django view rendering the same rows with a
minimal template (bench/views.py). Goal: page ≤ 3× floor and ≤ 50 ms; import ≤ 2× parse.

The import through the background job (bench/jobs.py): a real worker in its own process, the
upload (`batch_create`) and the confirmation (`batch_confirm`) from this one, which waits for
READY then IMPORTED and meanwhile keeps answering pages. Goal: upload to IMPORTED ≤ 2× the parse
of the same file, and every page under 50 ms while the job runs (checking and importing). What
the job wrote is deleted afterwards. `--skip-job` leaves it out; `--skip-pages` (development)
leaves out the pages, dues and search and measures only the imports.
"""

import argparse
import gc
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

import django  # noqa: E402

django.setup()

from django.contrib.sessions.backends.signed_cookies import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import resolve  # noqa: E402
from django.utils import translation  # noqa: E402
from django_htmx.middleware import HtmxDetails  # noqa: E402

from apps.accounts.models import User  # noqa: E402
from apps.members.models import CURRENT_STATUSES, Member, MemberNameKey, Status  # noqa: E402
from apps.organizations.models import Kind, Organization  # noqa: E402
from bench import views as bare  # noqa: E402

ENGINE = "postgresql" if connection.vendor == "postgresql" else "sqlite"
STATUS_LABELS = {s.value: str(s.label) for s in Status}
rf = RequestFactory()


def stats_ms(fn, *, budget=1.5, min_runs=15, max_runs=3000) -> tuple[float, float]:
    """(median, fastest) wall time of fn() in ms: at least min_runs, until `budget` seconds are
    spent. On a shared, loaded machine the fastest run is the better estimate of the work."""
    fn()  # warm
    times, start = [], time.perf_counter()
    while len(times) < min_runs or (time.perf_counter() - start < budget and len(times) < max_runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), min(times)


def median_ms(fn, **kwargs) -> float:
    return stats_ms(fn, **kwargs)[0]


HTMX_MORE = {"HX-Request": "true", "HX-Target": "more"}
HTMX_ROWS = {"HX-Request": "true", "HX-Target": "member-rows"}


def request(path, params, user, headers=None):
    req = rf.get(path, params, headers=headers or {})
    user.__dict__.pop("_scope_cache", None)  # scope recomputed, as on a fresh request
    req.user = user
    req.session = SessionStore()
    req.htmx = HtmxDetails(req)
    req.LANGUAGE_CODE = "vi"
    return req


def call_view(path, params, user, headers=None):
    match = resolve(path)
    response = match.func(request(path, params, user, headers), *match.args, **match.kwargs)
    if hasattr(response, "render"):
        response.render()
    assert response.status_code == 200, (path, params, response.status_code)
    return response


def raw(sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall() if cursor.description else [], [d[0] for d in cursor.description or ()]


def explain(sql) -> str:
    if ENGINE == "postgresql":
        rows, _ = raw("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql)
        return "\n".join(r[0] for r in rows)
    rows, _ = raw("EXPLAIN QUERY PLAN " + sql)
    return "\n".join(str(r[-1]) for r in rows)


def member_tuples(rows, names):
    """(id, family, middle, given, birth, cell name, status label) from a raw member query."""
    idx = {}
    for i, n in enumerate(names):
        idx.setdefault(n, i)
    cell = idx.get("name")
    out = []
    for r in rows:
        out.append(
            (
                r[idx["id"]],
                r[idx["family_name"]],
                r[idx["middle_name"]],
                r[idx["given_name"]],
                r[idx["birth_date"]],
                r[cell] if cell is not None else "",
                STATUS_LABELS.get(r[idx["status"]], r[idx["status"]]),
            )
        )
    return out


def main_query(queries, kind):
    """The statement that fetches the page's rows (members) or the counts."""
    for q in queries:
        sql = q["sql"]
        if kind == "counts" and "COUNT(" in sql.upper() and "members_member" in sql and "GROUP BY" in sql.upper():
            return sql
        if (
            kind == "rows"
            and sql.lstrip().upper().startswith("SELECT")
            and '"members_member"."family_name"' in sql
            and "LIMIT" in sql.upper()
        ):
            return sql
    for q in queries:
        if kind == "rows" and '"members_member"."family_name"' in q["sql"] and "ORDER BY" in q["sql"]:
            return q["sql"]
    raise RuntimeError(f"main {kind} query not found")


def measure_page(label, path, params, user, kind, plans, headers=None):
    call_view(path, params, user, headers)
    with CaptureQueriesContext(connection) as ctx:
        response = call_view(path, params, user, headers)
    queries = list(ctx.captured_queries)
    t_page, min_page = stats_ms(lambda: call_view(path, params, user, headers))

    def run_all_sql():
        for q in queries:
            raw(q["sql"])

    t_sql, min_sql = stats_ms(run_all_sql)
    main = main_query(queries, kind)
    rows, names = raw(main)
    req = request(path, params, user)
    if kind == "rows":
        t_bare, min_bare = stats_ms(lambda: bare.bare_rows(req, member_tuples(rows, names)))
        n_rows = len(rows)
    else:
        t_bare, min_bare = stats_ms(lambda: bare.bare_counts(req, [(STATUS_LABELS.get(s, s), n) for s, n in rows]))
        n_rows = sum(n for _s, n in rows)
    t_main = median_ms(lambda: raw(main))
    plans.append({"page": label, "main_sql": main, "plan": explain(main), "all_sql": [q["sql"] for q in queries]})
    floor = t_sql + t_bare
    return {
        "page": label,
        "page_ms": t_page,
        "sql_ms": t_sql,
        "main_sql_ms": t_main,
        "bare_ms": t_bare,
        "floor_ms": floor,
        "ratio": t_page / floor,
        "page_min_ms": min_page,
        "floor_min_ms": min_sql + min_bare,
        "ratio_min": min_page / (min_sql + min_bare),
        "queries": len(queries),
        "rows": n_rows,
        "bytes": len(response.content),
    }


def measure_pages(pages, user, title):
    print(f"  -- {title}", flush=True)
    results, plans = [], []
    for label, path, params, kind, *headers in pages:
        r = measure_page(label, path, params, user, kind, plans, headers[0] if headers else None)
        results.append(r)
        print(
            f"  {label:<34} page {r['page_ms']:8.2f} ms  sql {r['sql_ms']:7.2f}  bare {r['bare_ms']:5.2f}  "
            f"floor {r['floor_ms']:7.2f}  ×{r['ratio']:.1f}  | fastest: page {r['page_min_ms']:.2f} floor {r['floor_min_ms']:.2f} "
            f"×{r['ratio_min']:.1f}  ({r['queries']} queries, {r['rows']} rows)",
            flush=True,
        )
    return results, plans


def page2000_cursor(province, size=50, page=2000):
    """The cursor that the 'more' link of page 1.999 carries: the key of row (page-1)*size."""
    offset = (page - 1) * size - 1
    sql = (
        "SELECT sort_key, id FROM members_member WHERE org_path LIKE %s AND status IN ({}) "
        "ORDER BY sort_key, id LIMIT 1 OFFSET %s"
    ).format(", ".join(["%s"] * len(CURRENT_STATUSES)))
    with connection.cursor() as cursor:
        cursor.execute(sql, [province.path + "%", *CURRENT_STATUSES, offset])
        row = cursor.fetchone()
    return f"{row[0]}~{row[1]}" if row else ""


def build_if_needed(size):
    """Migrate (a data set kept from an older run gets the new tables, e.g. the name keys filled by
    members.0003), then seed the province unless it is there."""
    call_command("migrate", verbosity=0)
    if Organization.objects.exists():
        members, keys = Member.objects.count(), MemberNameKey.objects.count()
        assert not members or keys >= members, f"{members} members but {keys} name keys: rebuild (BENCH_REBUILD=1)"
        return None
    t = time.perf_counter()
    call_command("seed_demo", size=size, no_hooks=True)
    return time.perf_counter() - t


def analyze():
    """After bulk loads: statistics, and on PostgreSQL the visibility map too (VACUUM), without
    which the covering name-key index cannot be read index-only."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if ENGINE == "postgresql" else "ANALYZE")


def search_variants(province, user):
    """Raw SQL of three ways to find 'nguyen van hung' in the province, first page of 51."""
    from bench import search_proto

    return search_proto.run(province, median_ms, raw, explain)


SAMPLE_FIRST_CARD = 90_000_000  # card numbers of the sample workbook: first_card … first_card + n - 1


def import_target(province):
    """The cell the imports go to: the first cell of the province's first grassroots committee."""
    grassroots = Organization.objects.filter(kind=Kind.GRASSROOTS_COMMITTEE, parent=province).order_by("pk").first()
    return Organization.objects.filter(parent=grassroots, kind=Kind.CELL).order_by("pk").first()


def sample_workbook(n) -> Path:
    """The n-row sample .xlsx (written once, kept in the temporary directory)."""
    from apps.imports.testing import write_sample_workbook

    path = Path(tempfile.gettempdir()) / f"bench-import-{n}.xlsx"
    if not path.exists():
        t = time.perf_counter()
        write_sample_workbook(path, n, cells=("",), first_card=SAMPLE_FIRST_CARD)
        print(f"  wrote {path} ({n} rows) in {time.perf_counter() - t:.1f} s", flush=True)
    return path


def timed_parse(province, n):
    """The import's target cell, the n-row sample file, its parsed sheet and the parse's seconds."""
    from apps.imports.parsing import parse_workbook

    cell = import_target(province)
    path = sample_workbook(n)
    t = time.perf_counter()
    sheet = parse_workbook(str(path))
    t_parse = time.perf_counter() - t
    print(f"  parse_workbook: {t_parse:.2f} s ({len(sheet.rows)} rows)", flush=True)
    return cell, path, sheet, t_parse


def import_bench(province, admin, n):
    """Time parse_workbook against import_members on an n-row .xlsx; the import is rolled back."""
    from apps.imports.services import import_members

    cell, path, sheet, t_parse = timed_parse(province, n)
    result = {"rows": len(sheet.rows), "parse_s": t_parse}
    try:
        with transaction.atomic():
            t = time.perf_counter()
            created = import_members(user=admin, organization=cell, file=str(path))
            result["import_s"] = time.perf_counter() - t
            result["created"] = created
            raise _Rollback
    except _Rollback:
        pass
    except Exception as exc:  # a rejected file is a finding too
        result["import_s"] = time.perf_counter() - t
        result["error"] = f"{type(exc).__name__}: {exc}"
        check = getattr(exc, "check", None)
        if check is not None:
            result["error"] += f" ({sum(1 for r in check.rows if getattr(r, 'errors', None))} bad rows)"
    result["ratio"] = result["import_s"] / t_parse
    print(f"  import_members: {result['import_s']:.2f} s, ratio {result['ratio']:.2f}", flush=True)
    return result


class _Rollback(Exception):
    pass


def job_bench(province, user, admin, probe_cell, n, out):
    """The n-row import through the background job (bench/jobs.py), against a parse of the same
    file in this run; first the import's steps, timed separately in this process (rolled back)."""
    from bench import jobs

    cell, path, sheet, t_parse = timed_parse(province, n)
    steps = jobs.breakdown(sheet, admin, cell)
    rows = len(sheet.rows)
    # This process stands for the web process: it should not hold 100.000 rows for its collector to walk.
    del sheet
    gc.collect()
    result = jobs.run(
        province,
        cell,
        user,
        admin,
        call_view,
        path=path,
        rows=rows,
        first_card=SAMPLE_FIRST_CARD,
        parse_s=t_parse,
        probe_cell=probe_cell,
        root=ROOT,
        log_path=Path(out).with_suffix(".worker.log"),
    )
    result["breakdown"] = {"parse_s": t_parse, **steps}
    if "insert_s" in steps:
        print(
            f"  steps, in this process: parse {t_parse:.2f} s, check_rows {steps['check_s']:.2f} s, insert "
            f"{steps['insert_s']:.2f} s (audit entries {steps['audit_s']:.2f} s: build {steps['audit_build_s']:.2f}, "
            f"write {steps['audit_write_s']:.2f})",
            flush=True,
        )
    else:
        print(f"  steps: {steps}", flush=True)
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=150_000)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--out", default=str(ROOT / "bench" / "out" / f"{ENGINE}.json"))
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--skip-job", action="store_true", help="leave out the import through the background job")
    parser.add_argument("--skip-pages", action="store_true", help="development: only the imports")
    args = parser.parse_args()
    translation.activate("vi")
    built = build_if_needed(args.size)
    analyze()
    province = Organization.objects.get(code="BDG")
    user = User.objects.get(username="bantochuc")
    admin = User.objects.get(username="admin")
    members = Member.objects.in_subtree(province).current().count()
    cells = Organization.objects.filter(path__startswith=province.path, kind=Kind.CELL).count()
    # A typical synthetic cell: the first cell of a grassroots committee in the middle of the tree.
    cell = Organization.objects.filter(kind=Kind.CELL, code__contains="-G0125-").order_by("pk").first()
    if cell is None:  # a smaller data set (--size): a cell in the middle of the tree
        in_province = Organization.objects.filter(kind=Kind.CELL, path__startswith=province.path).order_by("path")
        cell = in_province[cells // 2]
    cursor = page2000_cursor(province)
    print(f"\n== {ENGINE}: {members} current members, {cells} cells in {province.name}", flush=True)
    pages = [
        ("Tìm “nguyen van hung” (cả tỉnh)", "/dang-vien/", {"q": "nguyen van hung"}, "rows"),
        ("  … gõ tìm (htmx, chỉ các dòng)", "/dang-vien/", {"q": "nguyen van hung"}, "rows", HTMX_ROWS),
        ("Danh sách một chi bộ", "/dang-vien/", {"org": cell.pk}, "rows"),
        ("Danh sách tỉnh, trang 1", "/dang-vien/", {"org": province.pk}, "rows"),
        ("Danh sách tỉnh, trang 2.000", "/dang-vien/", {"org": province.pk, "after": cursor}, "rows"),
        (
            "  … “Xem thêm” (htmx, chỉ các dòng)",
            "/dang-vien/",
            {"org": province.pk, "after": cursor},
            "rows",
            HTMX_MORE,
        ),
        ("Đếm theo tình trạng (tỉnh)", f"/to-chuc/{province.pk}/", {}, "counts"),
    ]
    results, plans, dues, search = [], [], None, []
    if not args.skip_pages:
        results, plans = measure_pages(pages, user, "pages")
        from bench import dues as dues_bench

        dues = dues_bench.run(province, user, admin, call_view, stats_ms, raw)
        search = search_variants(province, user)
    imp = None if args.skip_import else import_bench(province, admin, args.import_rows)
    job = None
    if not args.skip_job:
        print("  -- import through the background job", flush=True)
        job = job_bench(province, user, admin, cell, args.import_rows, args.out)
    out = {
        "engine": ENGINE,
        "members": members,
        "cells": cells,
        "build_s": built,
        "load": os.getloadavg(),
        "pages": results,
        "search": search,
        "import": imp,
        "job": job,
        "dues": dues,
        "plans": plans,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(out, ensure_ascii=False, indent=1, default=str))
    plan_file = Path(args.out).with_suffix(".plans.txt")
    with plan_file.open("w") as f:
        for p in plans:
            f.write(f"### {p['page']}\n-- every statement:\n")
            for s in p["all_sql"]:
                f.write(s + ";\n")
            f.write(f"-- main:\n{p['main_sql']};\n-- plan:\n{p['plan']}\n\n")
        for s in search:
            f.write(f"### search: {s['variant']}\n{s['sql']};\n-- plan:\n{s['plan']}\n\n")
    print(f"  results: {args.out}, plans: {plan_file}")


if __name__ == "__main__":
    main()
