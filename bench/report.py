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


if __name__ == "__main__":
    main(sys.argv[1:])
