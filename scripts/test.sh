#!/usr/bin/env bash
# The whole suite, as `make test` and CI run it: lint and checks, every test on SQLite,
# every test again on a real PostgreSQL, browser tests (required: a missing browser fails).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DJANGO_SETTINGS_MODULE=config.settings.test

echo "== lint and checks"
$BIN/ruff check .
$BIN/ruff format --check .
$BIN/lint-imports --no-cache  # the apps' layers (.importlinter)
$BIN/mypy  # services and selectors (pyproject.toml [tool.mypy])
$BIN/python manage.py check --fail-level WARNING
$BIN/python manage.py makemigrations --check --dry-run >/dev/null
# The production settings pass Django's deployment checks, with realistic values.
DJANGO_SETTINGS_MODULE=config.settings.prod ALLOWED_HOSTS=dangbo.example.vn BEHIND_TLS_PROXY=1 \
  CSRF_TRUSTED_ORIGINS=https://dangbo.example.vn \
  SECRET_KEY="$($BIN/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
  $BIN/python manage.py check --deploy --fail-level WARNING

echo "== production start behind nginx (TLS, loopback)"
bash scripts/deploy_check.sh

echo "== SQLite (with browser tests)"
DATABASE_URL= DATABASE_REPLICA_URL= $BIN/python -m pytest -q -p no:randomly "$@"

echo "== PostgreSQL, statistics read through a streaming replica"
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  url=$TEST_DATABASE_URL; dir=""; replica=${TEST_DATABASE_REPLICA_URL:-}
else
  read -r dir url < <(bash scripts/pg.sh)
  trap 'bash scripts/pg.sh stop "$dir"' EXIT
  replica=$(bash scripts/pg.sh replica "$dir")
fi
# With a replica the real-replica test must run: REPLICA_REQUIRED turns its skip into a failure.
DATABASE_URL=$url DATABASE_REPLICA_URL=$replica REPLICA_REQUIRED=${replica:+1} \
  $BIN/python -m pytest -q -m "not e2e" "$@"
