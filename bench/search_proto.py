"""Name search as raw SQL against the same data (first page of 51 rows): the scan the list used
before the name keys, against the two-step search over `members_membernamekey` that
`apps.members.selectors.member_page` now runs.

- contains (before): `search_name LIKE '% nguyen van hung%'` — no index can serve it; the engine
  walks the name-order index and tests every row until 51 match. Kept as the reference.
- name keys, two steps (as built): one row per word of the name holding the name from that word
  on ("nguyen van hung", "van hung", "hung") with the member's sort key, org path and status
  copied; step 1 reads 51 member ids in name order from the covering index `member_name_key`
  (`key LIKE 'van hung%'` on PostgreSQL, the range [x, x + U+FFFF) on SQLite, whose LIKE never
  uses an index), step 2 loads those members.
Also: counts by status over the province, `org_path LIKE 'p%'` against an explicit range.
"""

from django.db import connection

from apps.members.models import CURRENT_STATUSES

TERMS = ["nguyen van hung", "van hung", "hung"]
TABLE = "members_membernamekey"
SELECT = "SELECT m.id, m.family_name, m.middle_name, m.given_name, m.birth_date, o.name, m.status "


def _in_statuses():
    return "(" + ", ".join(f"'{s}'" for s in CURRENT_STATUSES) + ")"


def _sql_contains(path, term):
    return (
        SELECT + "FROM members_member m JOIN organizations_organization o ON o.id = m.organization_id "
        f"WHERE m.org_path LIKE '{path}%' AND m.status IN {_in_statuses()} AND m.search_name LIKE '% {term}%' "
        "ORDER BY m.sort_key, m.id LIMIT 51"
    )


def _sql_keys_step1(path, term):
    if connection.vendor == "postgresql":
        match = f"key LIKE '{term}%'"
    else:
        match = f"key >= '{term}' AND key < '{term}\uffff'"
    return (
        f"SELECT member_id FROM {TABLE} WHERE {match} AND org_path LIKE '{path}%' "
        f"AND status IN {_in_statuses()} ORDER BY sort_key, member_id LIMIT 51"
    )


def two_step(raw, path, term):
    """Step 1: 51 ids in name order from the key index alone; step 2: those members' rows."""
    ids = [r[0] for r in raw(_sql_keys_step1(path, term))[0]]
    if not ids:
        return [], []
    return raw(
        SELECT + "FROM members_member m JOIN organizations_organization o ON o.id = m.organization_id "
        f"WHERE m.id IN ({', '.join(str(i) for i in ids)}) ORDER BY m.sort_key, m.id"
    )


def run(province, median_ms, raw, explain):
    results = []
    for term in TERMS:
        sql = _sql_contains(province.path, term)
        rows, _names = raw(sql)
        t = median_ms(lambda sql=sql: raw(sql), budget=1.0, min_runs=5)
        results.append(
            {
                "variant": f"contains (before) “{term}”",
                "term": term,
                "ms": t,
                "rows": len(rows),
                "sql": sql,
                "plan": explain(sql),
            }
        )
        print(f"  search {'contains (before)':<26} “{term}”: {t:8.2f} ms ({len(rows)} rows)", flush=True)
        rows, _n = two_step(raw, province.path, term)
        t = median_ms(lambda term=term: two_step(raw, province.path, term), budget=1.0, min_runs=5)
        sql = _sql_keys_step1(province.path, term)
        results.append(
            {
                "variant": f"name keys, two steps “{term}”",
                "term": term,
                "ms": t,
                "rows": len(rows),
                "sql": sql,
                "plan": explain(sql),
            }
        )
        print(f"  search {'name keys, two steps':<26} “{term}”: {t:8.2f} ms ({len(rows)} rows)", flush=True)
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
        print(f"  {variant:<33}: {t:8.2f} ms ({sum(r[1] for r in rows)} members)", flush=True)
    return results
