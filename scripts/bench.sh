#!/usr/bin/env bash
# `make bench`: build the benchmark province (150.000 members in 3.000 cells) on SQLite and on a
# throwaway PostgreSQL cluster, measure every page against its floor, print the tables.
#   BENCH_SIZE=150000   members in the synthetic province
#   BENCH_REBUILD=1     rebuild the SQLite data set (it is kept in var/bench/ between runs; a kept one is
#                       migrated first, which fills new tables such as the name keys)
#   BENCH_PG=0          skip PostgreSQL;  BENCH_SQLITE=0  skip SQLite
#   BENCH_IMPORT=0      skip the 100.000-row Excel import (synchronous and through the background job)
#   BENCH_JOB=0         skip only the import through the background job (a worker process)
#   BENCH_NATIONAL=1    also build and measure the national register (5,6 million members and their
#                       17 million name keys) on PostgreSQL: about 9 min more (7½ min to build)
#   BENCH_DATABASE_URL  measure on an existing PostgreSQL database instead of a throwaway cluster
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
SIZE=${BENCH_SIZE:-150000}
export DJANGO_SETTINGS_MODULE=config.settings.base
mkdir -p var/bench bench/out
extra=()
[ "${BENCH_IMPORT:-1}" = 0 ] && extra+=(--skip-import --skip-job)
[ "${BENCH_JOB:-1}" = 0 ] && extra+=(--skip-job)

if [ "${BENCH_SQLITE:-1}" = 1 ]; then
  db=$PWD/var/bench/bench-$SIZE.sqlite3
  [ "${BENCH_REBUILD:-0}" = 1 ] && rm -f "$db" "$db-wal" "$db-shm"
  echo "== SQLite ($db)"
  DATABASE_URL=sqlite:///$db $PY bench/run.py --size "$SIZE" --out bench/out/sqlite.json "${extra[@]}"
fi

if [ "${BENCH_PG:-1}" = 1 ]; then
  if [ -n "${BENCH_DATABASE_URL:-}" ]; then
    url=$BENCH_DATABASE_URL
  else
    read -r dir url < <(bash scripts/pg.sh)
    trap 'bash scripts/pg.sh stop "$dir"' EXIT
    $PY - "$url" <<'PY'
import sys, psycopg
url = sys.argv[1]
with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as c:
    c.execute("CREATE DATABASE " + url.rsplit("/", 1)[1])
PY
  fi
  echo "== PostgreSQL ($url)"
  DATABASE_URL=$url $PY bench/run.py --size "$SIZE" --out bench/out/postgresql.json "${extra[@]}"
  if [ "${BENCH_NATIONAL:-0}" = 1 ]; then
    echo "== PostgreSQL, national register"
    DATABASE_URL=$url $PY bench/national.py --out bench/out/national.json
  fi
fi

$PY bench/report.py bench/out/*.json
