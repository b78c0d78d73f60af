#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster and print "DIR DATABASE_URL".
# `scripts/pg.sh replica DIR` starts a streaming replica of it (pg_basebackup -R, hot standby on
# another port) and prints its URL; `scripts/pg.sh stop DIR` ends both and removes DIR.
# The server refuses to run as root, so as root the clusters belong to the `postgres` user.
set -euo pipefail
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
export PATH="${bindir:+$bindir:}$PATH"
as=()
if [ "$(id -u)" = 0 ]; then as=(runuser -u postgres --); fi
opts="-k DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"

if [ "${1:-}" = "stop" ]; then
  dir=$2
  for data in "$dir/replica" "$dir/data"; do
    if [ -d "$data" ]; then "${as[@]}" pg_ctl -D "$data" -m immediate -w stop >/dev/null 2>&1 || true; fi
  done
  rm -rf "$dir"
  exit 0
fi

if [ "${1:-}" = "replica" ]; then
  dir=$2
  # The primary's port is the 4th line of its postmaster.pid.
  primary=$(sed -n 4p "$dir/data/postmaster.pid" 2>/dev/null) || true
  [ -n "$primary" ] || { echo "pg.sh replica: no running cluster in $dir" >&2; exit 1; }
  [ ! -e "$dir/replica" ] || { echo "pg.sh replica: $dir/replica exists already" >&2; exit 1; }
  port=$((20000 + RANDOM % 20000))
  [ "$port" != "$primary" ] || port=$((port + 1))
  # -R writes standby.signal and primary_conninfo; -X stream copies the WAL made meanwhile.
  timeout 120 "${as[@]}" pg_basebackup -h 127.0.0.1 -p "$primary" -U postgres -D "$dir/replica" -R -X stream -c fast \
    >"$dir/basebackup.log" 2>&1 || { echo "pg.sh replica: pg_basebackup failed:" >&2; cat "$dir/basebackup.log" >&2; exit 1; }
  "${as[@]}" pg_ctl -D "$dir/replica" -l "$dir/replica.log" -w -t 60 \
    -o "-p $port ${opts//DIR/$dir} -c hot_standby=on" start >/dev/null \
    || { echo "pg.sh replica: the standby did not start:" >&2; tail -n 20 "$dir/replica.log" >&2; exit 1; }
  echo "postgres://postgres@127.0.0.1:$port/chibo"
  exit 0
fi

command -v initdb >/dev/null || { echo "PostgreSQL server binaries (initdb) not found" >&2; exit 1; }
dir=$(mktemp -d /tmp/chibo-pg.XXXXXX)
chmod 755 "$dir"
port=${PGPORT_TEST:-$((20000 + RANDOM % 20000))}
if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
"${as[@]}" initdb -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
# A replica may stream from it (`pg.sh replica`): initdb's pg_hba trusts replication from 127.0.0.1
# already; say so explicitly in case a packaged template does not.
grep -Eq '^host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32' "$dir/data/pg_hba.conf" \
  || echo "host replication all 127.0.0.1/32 trust" >>"$dir/data/pg_hba.conf"
"${as[@]}" pg_ctl -D "$dir/data" -l "$dir/log" -w \
  -o "-p $port ${opts//DIR/$dir} -c wal_level=replica -c max_wal_senders=5" start >/dev/null
echo "$dir postgres://postgres@127.0.0.1:$port/chibo"
