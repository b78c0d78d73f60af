"""Prototypes of name search, measured as raw SQL against the same data (first page of 51 rows).

- contains (current): `search_name LIKE '% nguyen van hung%'` — no index can serve it; the
  engine walks the name-order index and tests every row until 51 match.
- name start: `search_name LIKE ' nguyen van hung%'` — one range of the existing
  `member_search` index (on SQLite only with PRAGMA case_sensitive_like=ON), then a small sort.
  Finds names that START with the words typed; "van hung" no longer finds Nguyễn Văn Hùng.
- word start (proposed): a table of name keys, one row per word of the name holding the name
  from that word on (" nguyen van hung" → "nguyen van hung", "van hung", "hung"), with the
  member's sort key and org path copied; `key LIKE 'van hung%'` is one index range whatever word
  the user starts from. Same results as `contains` whenever the typed text starts at a word.
"""

import time

from django.db import connection

from apps.members.models import CURRENT_STATUSES

TERMS = ["nguyen van hung", "van hung", "hung"]
TABLE = "bench_member_name_key"
SELECT = "SELECT m.id, m.family_name, m.middle_name, m.given_name, m.birth_date, o.name, m.status "


def _in_statuses():
    return "(" + ", ".join(f"'{s}'" for s in CURRENT_STATUSES) + ")"


def _sql_contains(path, term):
    return (
        SELECT + "FROM members_member m JOIN organizations_organization o ON o.id = m.organization_id "
        f"WHERE m.org_path LIKE '{path}%' AND m.status IN {_in_statuses()} AND m.search_name LIKE '% {term}%' "
        "ORDER BY m.sort_key, m.id LIMIT 51"
    )


def _sql_prefix(path, term):
    return (
        SELECT + "FROM members_member m JOIN organizations_organization o ON o.id = m.organization_id "
        f"WHERE m.search_name LIKE ' {term}%' AND m.org_path LIKE '{path}%' AND m.status IN {_in_statuses()} "
        "ORDER BY m.sort_key, m.id LIMIT 51"
    )


def _sql_prefix_fenced(path, term):
    """The same, with the filter evaluated first (OFFSET 0 fences PostgreSQL's LIMIT planning)."""
    return (
        "SELECT id, family_name, middle_name, given_name, birth_date, name, status FROM ("
        + SELECT
        + ", m.sort_key FROM members_member m JOIN organizations_organization o ON o.id = m.organization_id "
        f"WHERE m.search_name LIKE ' {term}%' AND m.org_path LIKE '{path}%' AND m.status IN {_in_statuses()} "
        "OFFSET 0) hits ORDER BY sort_key, id LIMIT 51"
    )


def _sql_keys(path, term):
    return (
        SELECT + f"FROM {TABLE} k JOIN members_member m ON m.id = k.member_id "
        "JOIN organizations_organization o ON o.id = m.organization_id "
        f"WHERE k.key LIKE '{term}%' AND k.org_path LIKE '{path}%' AND m.status IN {_in_statuses()} "
        "ORDER BY k.sort_key, k.member_id LIMIT 51"
    )


def build_keys():
    """(Re)build the prototype key table from members; returns (rows, seconds)."""
    started = time.perf_counter()
    pg = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
        cursor.execute(
            f"CREATE TABLE {TABLE} (member_id bigint NOT NULL, key varchar(255) NOT NULL, "
            "sort_key varchar(200) NOT NULL, org_path varchar(255) NOT NULL, status varchar(20) NOT NULL)"
        )
        cursor.execute("SELECT id, search_name, sort_key, org_path, status FROM members_member")
        members = cursor.fetchall()
        rows = []
        for pk, name, sort_key, path, status in members:
            words = name.split()
            for i in range(len(words)):
                rows.append((pk, " ".join(words[i:]), sort_key, path, status))
        rows.sort(key=lambda r: (r[1], r[3]))  # stored in key order, as after CLUSTER
        if pg:
            with cursor.cursor.copy(f"COPY {TABLE} (member_id, key, sort_key, org_path, status) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(
                f"CREATE INDEX {TABLE}_key ON {TABLE} (key varchar_pattern_ops, org_path varchar_pattern_ops) "
                "INCLUDE (sort_key, member_id, status)"
            )
            cursor.execute(f"VACUUM ANALYZE {TABLE}")
            cursor.execute(f"ANALYZE {TABLE}")
        else:
            cursor.executemany(f"INSERT INTO {TABLE} VALUES (%s, %s, %s, %s, %s)", rows)
            cursor.execute(f"CREATE INDEX {TABLE}_key ON {TABLE} (key, org_path, sort_key, member_id, status)")
            cursor.execute(f"ANALYZE {TABLE}")
    return len(rows), time.perf_counter() - started


def _sql_keys_step1(path, term):
    if connection.vendor == "postgresql":
        match = f"key LIKE '{term}%'"
    else:
        match = f"key >= '{term}' AND key < '{term[:-1] + chr(ord(term[-1]) + 1)}'"
    return (
        f"SELECT member_id FROM {TABLE} WHERE {match} AND org_path LIKE '{path}%' "
        f"AND status IN {_in_statuses()} ORDER BY sort_key, member_id LIMIT 51"
    )


def two_step(raw, path, term):
    """Step 1: 51 ids in name order from the key table alone; step 2: those members' rows."""
    ids = [r[0] for r in raw(_sql_keys_step1(path, term))[0]]
    if not ids:
        return [], []
    return raw(
        SELECT + "FROM members_member m JOIN organizations_organization o ON o.id = m.organization_id "
        f"WHERE m.id IN ({', '.join(str(i) for i in ids)}) ORDER BY m.sort_key, m.id"
    )


def _set_like(on: bool):
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA case_sensitive_like={'ON' if on else 'OFF'}")


def run(province, median_ms, raw, explain):
    n_keys, t_build = build_keys()
    print(f"  name-key prototype table: {n_keys} rows built in {t_build:.1f} s", flush=True)
    results = []
    variants = [
        ("contains (hiện tại)", _sql_contains, False),
        ("name start", _sql_prefix, True),
        ("word start (keys)", _sql_keys, True),
    ]
    if connection.vendor == "sqlite":
        variants.insert(2, ("name start, no pragma", _sql_prefix, False))
    else:
        variants.insert(2, ("name start, fenced", _sql_prefix_fenced, False))
    for term in TERMS:
        for variant, make, pragma in variants:
            sql = make(province.path, term)
            _set_like(pragma)
            try:
                rows, _names = raw(sql)
                t = median_ms(lambda sql=sql: raw(sql), budget=1.0, min_runs=5)
                plan = explain(sql)
            finally:
                _set_like(False)
            results.append(
                {"variant": f"{variant} “{term}”", "term": term, "ms": t, "rows": len(rows), "sql": sql, "plan": plan}
            )
            print(f"  search {variant:<24} “{term}”: {t:8.2f} ms ({len(rows)} rows)", flush=True)
    for term in TERMS:
        try:
            rows, _n = two_step(raw, province.path, term)
            t = median_ms(lambda term=term: two_step(raw, province.path, term), budget=1.0, min_runs=5)
            sql = _sql_keys_step1(province.path, term)
            plan = explain(sql)
        finally:
            _set_like(False)
        results.append(
            {
                "variant": f"word start (keys, two steps) “{term}”",
                "term": term,
                "ms": t,
                "rows": len(rows),
                "sql": sql,
                "plan": plan,
            }
        )
        print(f"  search {'word start, two steps':<24} “{term}”: {t:8.2f} ms ({len(rows)} rows)", flush=True)
    # Counts by status over the subtree: LIKE (as built) against an explicit range of the path.
    nxt = province.path[:-1] + chr(ord(province.path[-1]) + 1)
    for variant, cond in (
        ("counts, LIKE", f"org_path LIKE '{province.path}%'"),
        ("counts, range", f"org_path >= '{province.path}' AND org_path < '{nxt}'"),
    ):
        sql = f"SELECT status, COUNT(*) FROM members_member WHERE {cond} GROUP BY status"
        rows, _n = raw(sql)
        t = median_ms(lambda sql=sql: raw(sql), budget=1.0, min_runs=5)
        results.append(
            {"variant": variant, "term": "", "ms": t, "rows": sum(r[1] for r in rows), "sql": sql, "plan": explain(sql)}
        )
        print(f"  {variant:<31}: {t:8.2f} ms ({sum(r[1] for r in rows)} members)", flush=True)
    return results
