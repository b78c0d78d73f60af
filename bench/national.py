"""The national register on PostgreSQL: 5,6 million members (BENCH_NATIONAL=1 in scripts/bench.sh).

    DATABASE_URL=postgres://... python bench/national.py [--members 5600000] [--out bench/out/national.json]

Builds 34 synthetic provincial committees, each with grassroots committees and cells of about
50 members, next to whatever the database already holds. Organizations are written with
apps.demo.bulk (paths computed in Python); members with one INSERT … SELECT over generate_series
per chunk, drawing names (with their stored search and sort keys computed in Python) from a
table of 20.000 realistic names, so the server does the heavy lifting. The status history is not
written for these members (no page below reads it); their name keys are filled into the real
members_membernamekey with one INSERT … SELECT (string_to_array over the stored search name), then
VACUUM ANALYZE. Then the same pages as bench/run.py, as the administrator (national scope) and
as a province's organization board, and the raw SQL of the name-key search.
"""

import argparse
import json
import random
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import run as bench  # noqa: E402  (sets Django up)

# isort: split
from django.db import connection  # noqa: E402

from apps.accounts.models import RoleAssignment, User  # noqa: E402
from apps.core.roles import Role  # noqa: E402
from apps.demo.bulk import OrganizationWriter, name_keys, reset_sequences  # noqa: E402
from apps.demo.names import person_name, place_names  # noqa: E402
from apps.members.models import Member  # noqa: E402
from apps.organizations.models import Kind, Organization, Sector  # noqa: E402

PROVINCES = 34
CHUNK = 400_000


def build(total, rng, log):
    root_code = "VN"
    if Organization.objects.filter(code__startswith=f"{root_code}-P").exists():
        log("  national data already present")
        return None
    started = time.perf_counter()
    n_cells = total // 50
    per_province = n_cells // PROVINCES
    ow = OrganizationWriter()
    provinces, cells = [], []
    names = place_names(rng, PROVINCES + 400)
    # Top-level provinces are created with the writer too: give them a fake parent path of "".
    fake_root = Organization(pk=0, path="", depth=-1)
    for p in range(PROVINCES):
        province = ow.add(
            parent=fake_root,
            name=f"Đảng bộ tỉnh {names[p]}",
            code=f"{root_code}-P{p + 1:02d}",
            kind=Kind.PROVINCIAL_COMMITTEE,
            sector=Sector.OTHER,
            founded_on=date(1976, 1, 1),
        )
        province.parent_id = None
        provinces.append(province)
        n_g = max(1, per_province // 12)
        for g in range(n_g):
            grassroots = ow.add(
                parent=province,
                name=f"Đảng bộ xã {names[PROVINCES + (g % 400)]} {g // 400 + 1}",
                code=f"{province.code}-G{g + 1:04d}",
                kind=Kind.GRASSROOTS_COMMITTEE,
                sector=Sector.COMMUNE,
                founded_on=date(1980, 1, 1),
            )
            for c in range(per_province // n_g + (1 if g < per_province % n_g else 0)):
                cell = ow.add(
                    parent=grassroots,
                    name=f"Chi bộ ấp {c + 1}",
                    code=f"{grassroots.code}-{c + 1:03d}",
                    kind=Kind.CELL,
                    sector=Sector.RESIDENTIAL,
                    founded_on=date(1980, 1, 1),
                )
                cells.append(cell)
    for v in ow.versions:
        if v.parent_id == 0:
            v.parent_id = None
    ow.flush()
    reset_sequences(Organization)
    log(f"  {len(provinces)} provinces, {len(cells)} cells written in {time.perf_counter() - started:.0f} s")

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_names; DROP TABLE IF EXISTS bench_cells")
        cursor.execute(
            "CREATE UNLOGGED TABLE bench_names (i int PRIMARY KEY, family varchar(50), middle varchar(100), "
            "given varchar(50), gender varchar(8), search_name varchar(255), sort_key varchar(200))"
        )
        cursor.execute("CREATE UNLOGGED TABLE bench_cells (i int PRIMARY KEY, id bigint, path varchar(255))")
        with cursor.cursor.copy("COPY bench_names FROM STDIN") as copy:
            for i in range(20_000):
                gender = "female" if rng.random() < 0.38 else "male"
                family, middle, given = person_name(rng, gender)
                search_name, sort_key = name_keys(family, middle, given)
                copy.write_row((i, family, middle, given, gender, search_name, sort_key))
        with cursor.cursor.copy("COPY bench_cells FROM STDIN") as copy:
            for i, cell in enumerate(cells):
                copy.write_row((i, cell.pk, cell.path))
        first = Member.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        n_names = 20_000
        done = 0
        while done < total:
            n = min(CHUNK, total - done)
            t = time.perf_counter()
            cursor.execute(
                f"""
                INSERT INTO members_member (id, family_name, middle_name, given_name, gender, birth_date, ethnicity,
                    religion, hometown, residence, citizen_id, phone, email, education, general_education,
                    political_theory, occupation, position, admission_date, full_membership_date, card_number,
                    organization_id, status, status_since, search_name, sort_key, org_path)
                SELECT {first} + g, n.family, n.middle, n.given, n.gender, d.birth, 'Kinh', 'Không', '', '',
                    '9' || lpad(g::text, 11, '0'), '09' || lpad((g % 100000000)::text, 8, '0'), '', 'university', '12/12',
                    'elementary', '', '', d.admitted, d.admitted + interval '1 year', 'N' || g::text,
                    c.id, CASE WHEN g % 97 = 0 THEN 'exempted' WHEN g % 89 = 0 THEN 'deceased' ELSE 'full' END,
                    d.admitted + interval '1 year', n.search_name, n.sort_key, c.path
                FROM generate_series({done + 1}, {done + n}) g
                JOIN bench_names n ON n.i = (hashint4(g) & 2147483647) % {n_names}
                JOIN bench_cells c ON c.i = (g - 1) / 50 % {len(cells)}
                CROSS JOIN LATERAL (SELECT date '1945-01-01' + (hashint4(g * 7) & 2147483647) % 20000 AS birth) b
                CROSS JOIN LATERAL (SELECT LEAST(b.birth + interval '18 years' + ((hashint4(g * 13) & 2147483647) % 9000) * interval '1 day',
                                                 date '2024-12-31')::date AS admitted, b.birth) d
                """
            )
            done += n
            log(f"  … {done} members ({time.perf_counter() - t:.0f} s)")
        reset_sequences(Member)
        log("  filling the name keys (members_membernamekey) …")
        t = time.perf_counter()
        # The indexes (member_name_key and the foreign key's) are built once after the load, faster
        # than maintaining them row by row: drop them, insert, recreate them from their definitions.
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'members_membernamekey' "
            "AND indexname <> 'members_membernamekey_pkey'"
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute(
            f"""
            INSERT INTO members_membernamekey (member_id, key, sort_key, org_path, status)
            SELECT m.id, array_to_string(w.words[k:], ' '), m.sort_key, m.org_path, m.status
            FROM members_member m
            CROSS JOIN LATERAL (SELECT string_to_array(btrim(m.search_name), ' ') AS words) w
            CROSS JOIN LATERAL generate_series(1, array_length(w.words, 1)) k
            WHERE m.id > {first}
            ORDER BY 2, 4
            """
        )
        n_keys = cursor.rowcount
        for _name, definition in indexes:
            cursor.execute(definition)
        log(f"  {n_keys} name keys in {time.perf_counter() - t:.0f} s")
        cursor.execute("DROP TABLE bench_names; DROP TABLE bench_cells")
    bench.analyze()  # statistics and the visibility map (index-only scans of member_name_key)
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=5_600_000)
    parser.add_argument("--out", default="bench/out/national.json")
    args = parser.parse_args()
    assert connection.vendor == "postgresql", "the national register is measured on PostgreSQL only"
    from django.utils import translation

    translation.activate("vi")
    built = build(args.members, random.Random(56), lambda s: print(s, flush=True))
    if built is None:
        bench.analyze()
    total = Member.objects.count()
    admin = User.objects.get(username="admin")
    province = Organization.objects.filter(code="VN-P17").first()
    board, _ = User.objects.get_or_create(username="bench.vn.p17")
    if not board.role_assignments.exists():
        RoleAssignment.objects.create(user=board, organization=province, role=Role.ORGANIZATION_BOARD)
    cells = Organization.objects.filter(kind=Kind.CELL, path__startswith=province.path).order_by("pk")
    cell = cells[cells.count() // 2]
    cursor = bench.page2000_cursor(province)
    print(f"\n== national: {total} members; {province.name}: {Member.objects.in_subtree(province).count()}", flush=True)
    plans = []
    results = []
    for label, user, path, params, kind, *headers in [
        ("Tìm “nguyen van hung” (toàn quốc, quản trị)", admin, "/dang-vien/", {"q": "nguyen van hung"}, "rows"),
        ("Tìm “nguyen van hung” (một tỉnh)", board, "/dang-vien/", {"q": "nguyen van hung"}, "rows"),
        ("Danh sách một chi bộ", board, "/dang-vien/", {"org": cell.pk}, "rows"),
        ("Danh sách tỉnh, trang 1", board, "/dang-vien/", {"org": province.pk}, "rows"),
        (
            "Danh sách tỉnh, trang 2.000 (htmx)",
            board,
            "/dang-vien/",
            {"org": province.pk, "after": cursor},
            "rows",
            bench.HTMX_MORE,
        ),
        ("Đếm theo tình trạng (một tỉnh)", board, f"/to-chuc/{province.pk}/", {}, "counts"),
    ]:
        r = bench.measure_page(label, path, params, user, kind, plans, headers[0] if headers else None)
        results.append(r)
        print(f"  {label:<44} page {r['page_ms']:9.2f} ms  floor {r['floor_ms']:9.2f}  ×{r['ratio']:.1f}", flush=True)
    from bench import search_proto

    queries = []
    for term in ("nguyen van hung", "van hung", "hung"):
        for scope, path in (("toàn quốc", ""), ("một tỉnh", province.path)):
            t = bench.median_ms(
                lambda term=term, path=path: search_proto.two_step(bench.raw, path, term), budget=1.0, min_runs=5
            )
            rows, _ = search_proto.two_step(bench.raw, path, term)
            queries.append({"query": f"name keys, two steps “{term}” ({scope})", "ms": t, "rows": len(rows)})
            print(f"  name keys “{term}” ({scope}): {t:.2f} ms", flush=True)
    out = {"kind": "national", "members": total, "build_s": built, "pages": results, "queries": queries, "plans": plans}
    Path(args.out).write_text(json.dumps(out, ensure_ascii=False, indent=1, default=str))
    with Path(args.out).with_suffix(".plans.txt").open("w") as f:
        for p in plans:
            f.write(f"### {p['page']}\n{p['main_sql']};\n-- plan:\n{p['plan']}\n\n")


if __name__ == "__main__":
    main()
