"""The floor of each page: a bare Django view that renders the same rows with a minimal template.

No base template, no scoping, no ORM: the rows come from one raw SQL statement. A page cannot be
faster than its SQL plus this; the benchmark divides each page's time by that floor.
"""

from pathlib import Path

from django.http import HttpResponse
from django.template import engines

from apps.core.templatetags.vn import format_int

_DIR = Path(__file__).resolve().parent / "templates"
_TEMPLATES = {}


def _template(name):
    if name not in _TEMPLATES:
        _TEMPLATES[name] = engines["django"].from_string((_DIR / name).read_text())
    return _TEMPLATES[name]


def bare_rows(request, rows):
    """Member rows: (id, family, middle, given, birth date, cell name, status label)."""
    return HttpResponse(_template("bare_rows.html").render({"rows": rows}))


def bare_counts(request, rows):
    """(status label, count) rows."""
    return HttpResponse(_template("bare_counts.html").render({"rows": rows}))


def bare_table(request, rows):
    """Any rows of values (a dues page's main statement): one cell each, numbers as 1.985."""
    cells = [[format_int(v) if isinstance(v, int) else v for v in r] for r in rows]
    return HttpResponse(_template("bare_table.html").render({"rows": cells}))
