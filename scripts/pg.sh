#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster and print its DATABASE_URL. `scripts/pg.sh stop DIR` ends it.
# The server refuses to run as root, so as root the cluster belongs to the `postgres` user.
set -euo pipefail
if [ "${1:-}" = "stop" ]; then
  dir=$2
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- pg_ctl -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  else pg_ctl -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; fi
  rm -rf "$dir"
  exit 0
fi
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
export PATH="${bindir:+$bindir:}$PATH"
command -v initdb >/dev/null || { echo "PostgreSQL server binaries (initdb) not found" >&2; exit 1; }
dir=$(mktemp -d /tmp/chibo-pg.XXXXXX)
chmod 755 "$dir"
port=${PGPORT_TEST:-$((20000 + RANDOM % 20000))}
as=()
if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; as=(runuser -u postgres --); fi
"${as[@]}" initdb -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${as[@]}" pg_ctl -D "$dir/data" -l "$dir/log" -w -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
echo "$dir postgres://postgres@127.0.0.1:$port/chibo"
