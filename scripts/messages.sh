#!/usr/bin/env bash
# Refresh the translation catalogs. Interface strings are written in Vietnamese (the msgids), so
# the vi catalog maps each to itself (msgen) and is always complete; the en catalog is translated.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
$PY manage.py makemessages -l vi -l en --no-obsolete --no-location --ignore=.venv --ignore=var --ignore=e2e --ignore=bench
msgen --no-wrap locale/vi/LC_MESSAGES/django.po -o locale/vi/LC_MESSAGES/django.po
msgattrib --no-fuzzy --no-wrap -o locale/vi/LC_MESSAGES/django.po locale/vi/LC_MESSAGES/django.po
$PY manage.py compilemessages --ignore=.venv
msgfmt --statistics -o /dev/null locale/en/LC_MESSAGES/django.po
