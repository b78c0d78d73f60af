"""Print the tables of one or more bench/out/*.json files (written by bench/run.py)."""

import json
import sys

GOAL_RATIO, GOAL_MS, GOAL_IMPORT = 3.0, 50.0, 2.0


def yes(flag):
    return "yes" if flag else "NO"


def table(rows, title):
    print(f"\n{title}")
    print(
        f"| {'page':<34} | {'page ms':>8} | {'SQL ms':>8} | {'bare view ms':>12} | {'floor ms':>8} | {'ratio':>5} "
        f"| ≤ 3× | ≤ 50 ms | {'queries':>7} | fastest page / floor ms |"
    )
    print(
        f"|{'-' * 36}|{'-' * 9}:|{'-' * 9}:|{'-' * 13}:|{'-' * 9}:|{'-' * 6}:|------|---------|{'-' * 8}:|{'-' * 25}|"
    )
    for r in rows:
        print(
            f"| {r['page']:<34} | {r['page_ms']:8.2f} | {r['sql_ms']:8.2f} | {r['bare_ms']:12.2f} | "
            f"{r['floor_ms']:8.2f} | {r['ratio']:5.1f} | {yes(r['ratio'] <= GOAL_RATIO):<4} | "
            f"{yes(r['page_ms'] <= GOAL_MS):<7} | {r['queries']:7d} | "
            f"{r.get('page_min_ms', 0):8.2f} / {r.get('floor_min_ms', 0):6.2f} ×{r.get('ratio_min', 0):.1f} |"
        )


def main(paths):
    for path in paths:
        data = json.load(open(path))
        if data.get("kind") == "national":
            print(f"\n## national register on PostgreSQL: {data['members']} members")
            table(data["pages"], "Pages:")
            for r in data["queries"]:
                print(f"| {r['query']:<50} | {r['ms']:8.2f} ms | {r['rows']} rows |")
            continue
        load = data.get("load")
        print(
            f"\n## {data['engine']}: {data['members']} current members in {data['cells']} cells"
            + (f", built in {data['build_s']:.0f} s" if data.get("build_s") else "")
            + (f" (load average {load[0]:.1f})" if load else "")
        )
        if data["pages"]:
            table(data["pages"], "Pages:")
        if data.get("search"):
            print("\nRaw SQL, first page of 51:")
            for s in data["search"]:
                print(f"| {s['variant']:<44} | {s['ms']:8.2f} ms | {s['rows']:>6} rows |")
        imp = data.get("import")
        if imp:
            if "parse_s" in imp:
                verdict = "ok" if imp.get("ratio", 99) <= GOAL_IMPORT and "error" not in imp else "NO"
                print(
                    f"\nImport of {imp['rows']} members from .xlsx: parse {imp['parse_s']:.1f} s, "
                    f"import {imp.get('import_s', 0):.1f} s, ratio {imp.get('ratio', 0):.2f} (goal ≤ {GOAL_IMPORT}) {verdict}"
                    + (f" — {imp['error']}" if imp.get("error") else "")
                )
            else:
                print(f"\nImport: {imp.get('error')}")
        if data.get("job"):
            job_table(data["job"])
        if data.get("dues"):
            dues_table(data["dues"])


def dues_table(rows):
    """Party dues at 24 months of payments: the two pages against their floor, and "all paid"."""
    pages = [r for r in rows if "floor_ms" in r]
    if pages:
        table(pages, "Party dues (pages):")
    for r in rows:
        if "floor_ms" not in r:
            print(
                f"| {r['page']} | {r['page_ms']:.2f} ms (fastest {r['page_min_ms']:.2f}) | ≤ 100 ms: {yes(r['page_ms'] <= 100)} |"
            )


def job_table(job):
    """The import through the background job: its phases against the parse, pages meanwhile."""
    ok = job.get("ratio", 99) <= GOAL_IMPORT and "error" not in job
    load = job.get("load", {})
    if "total_s" not in job:
        print(f"\nImport of {job['rows']} members through the background job: ERROR {job.get('error')}")
    else:
        print(
            f"\nImport of {job['rows']} members through the background job (`{job.get('worker_command', '')}`): "
            f"parse {job['parse_s']:.1f} s; upload call (batch_create) {job.get('upload_s', 0):.1f} s, "
            f"to READY {job.get('check_s', 0):.1f} s, confirm → IMPORTED {job.get('import_s', 0):.1f} s; "
            f"total {job.get('total_s', 0):.1f} s, ratio {job.get('ratio', 0):.2f} (goal ≤ {GOAL_IMPORT}) "
            + ("ok" if ok else "NO")
            + (f" — ERROR {job['error']}" if job.get("error") else "")
            + (" (load average " + ", ".join(f"{k} {v[0]:.1f}" for k, v in load.items()) + ")" if load else "")
        )
    if job.get("tasks"):
        print(
            "Worker: "
            + "; ".join(
                f"{name} queued {t['queued_s'] or 0:.2f} s, ran {t['run_s'] or 0:.1f} s"
                for name, t in job["tasks"].items()
            )
        )
    pages = job.get("pages") or {}
    if pages:
        print(f"\nPages while the job runs (goal < {GOAL_MS:.0f} ms; idle = before the worker starts):")
        print(f"| {'phase':<10} | {'page':<26} | calls | median ms | p95 ms | max ms | over 50 ms | all < 50 ms |")
        print(f"|{'-' * 12}|{'-' * 28}|------:|----------:|-------:|-------:|-----------:|-------------|")
        for phase, data in pages.items():
            for label, st in [("(all)", data["all"]), *data["pages"].items()]:
                if not st.get("count"):
                    continue
                print(
                    f"| {phase:<10} | {label:<26} | {st['count']:5d} | {st['median_ms']:9.2f} | {st['p95_ms']:6.2f} "
                    f"| {st['max_ms']:6.1f} | {st['over_goal']:10d} | {yes(st['max_ms'] < GOAL_MS):<11} |"
                )
    b = job.get("breakdown") or {}
    if "insert_s" in b:
        parts = b["parts"]
        writes = ", ".join(f"{k.split()[1]} {v:.2f}" for k, v in parts.items() if k.startswith("write "))
        print(
            f"\nThe import's steps in one process (rolled back): parse {b['parse_s']:.2f} s, check_rows "
            f"{b['check_s']:.2f} s, insert {b['insert_s']:.2f} s = rows ({writes}) + audit entries "
            f"{b['audit_s']:.2f} s (built {b['audit_build_s']:.2f}, written {b['audit_write_s']:.2f}; "
            f"{b['rows'].get('LogEntry', 0)} entries) + Python {b['python_s']:.2f}"
        )
    elif b.get("error"):
        print(f"\nThe import's steps: {b['error']}")


if __name__ == "__main__":
    main(sys.argv[1:])
