"""Charts drawn by the server as inline SVG: no script, no external asset, no style attribute
(the Content-Security-Policy forbids inline styles; colours are classes in static/css/app.css
with `fill=` presentation attributes as the fallback, so a chart also prints and goes into a PDF).

Every chart carries a <title> (and the page puts the table behind it one tap away).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import count
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe

from apps.core.templatetags.vn import format_int

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 36, 56
# Series colours in the party theme (red, gold, then greys), by series index.
FILLS = ("#c8102e", "#e0a800", "#6b7280", "#1f6f8b", "#9ca3af", "#7c2d12")
_ids = count(1)


@dataclass
class Chart:
    """An SVG chart and the table behind it (header, rows of cells already formatted)."""

    key: str
    title: str
    svg: SafeString
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)


def _attr(text) -> str:
    return escape(str(text), {'"': "&quot;"})


def _open(title: str, key: str, width: int = WIDTH, height: int = HEIGHT) -> tuple[str, str]:
    ident = f"chart-{key}-{next(_ids)}"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{ident}" preserveAspectRatio="xMidYMid meet">'
        f'<title id="{ident}">{escape(title)}</title>'
    )
    return head, ident


def _legend(series: list[tuple[str, list[int]]], y: int, width: int = WIDTH) -> tuple[str, int]:
    """The series' colour keys, wrapped to the chart's width; returns (svg, height used)."""
    parts, x, row = [], LEFT, 0
    for i, (name, _values) in enumerate(series):
        item = 28 + 7 * len(name)
        if x > LEFT and x + item > width - RIGHT:
            x, row = LEFT, row + 1
        top = y + 18 * row
        parts.append(
            f'<rect x="{x}" y="{top - 10}" width="12" height="12" class="series-{i}" fill="{FILLS[i % len(FILLS)]}"/>'
            f'<text x="{x + 16}" y="{top}" font-size="12" class="chart-label">{escape(name)}</text>'
        )
        x += item
    return "".join(parts), 18 * row


def _nice_max(value: int) -> int:
    if value <= 0:
        return 1
    step = 1
    while step * 10 < value:
        step *= 10
    for m in (1, 2, 3, 4, 5, 6, 8, 10):
        if m * step >= value:
            return m * step
    return 10 * step


def bar_chart(
    key: str, title: str, labels: list[str], series: list[tuple[str, list[int]]], *, percent: bool = False
) -> Chart:
    """Grouped vertical bars: one group per label, one bar per series."""
    legend, extra = _legend(series, 18)
    height = HEIGHT + extra
    head, _ident = _open(title, key, height=height)
    top_value = max([v for _n, values in series for v in values] + [0])
    scale_max = 100 if percent else _nice_max(top_value)
    top = TOP + extra
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    group_w = plot_w / max(len(labels), 1)
    bar_w = max(2.0, (group_w * 0.8) / max(len(series), 1))
    parts = [head, legend]
    for tick in range(5):
        value = scale_max * tick / 4
        y = top + plot_h - plot_h * tick / 4
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" class="chart-grid" stroke="#e5e7eb"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" class="chart-label">'
            f"{format_int(int(value))}{'%' if percent else ''}</text>"
        )
    for g, label in enumerate(labels):
        x0 = LEFT + g * group_w + group_w * 0.1
        for s, (name, values) in enumerate(series):
            value = values[g] if g < len(values) else 0
            h = plot_h * (value / scale_max) if scale_max else 0
            x, y = x0 + s * bar_w, top + plot_h - h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w * 0.92:.1f}" height="{h:.1f}" '
                f'class="series-{s}" fill="{FILLS[s % len(FILLS)]}">'
                f"<title>{escape(f'{label} – {name}: {format_int(value)}')}{'%' if percent else ''}</title></rect>"
            )
        parts.append(
            f'<text x="{LEFT + g * group_w + group_w / 2:.1f}" y="{height - BOTTOM + 16}" font-size="11" '
            f'text-anchor="middle" class="chart-label">{escape(label)}</text>'
        )
    parts.append("</svg>")
    header = ["", *[name for name, _v in series]]
    rows = [[label, *[format_int(v[g]) for _n, v in series]] for g, label in enumerate(labels)]
    return Chart(key, title, mark_safe("".join(parts)), header, rows)  # noqa: S308 (every text escaped above)


def pyramid(
    key: str, title: str, labels: list[str], left: tuple[str, list[int]], right: tuple[str, list[int]]
) -> Chart:
    """An age pyramid: bands from the youngest (bottom) up, `left` and `right` series outwards."""
    height = TOP + 26 * len(labels) + 30
    head, _ident = _open(title, key, height=height)
    middle, half = WIDTH / 2, (WIDTH - 2 * 90) / 2
    top = _nice_max(max(left[1] + right[1] + [0]))
    parts = [head, _legend([left, right], 18)[0]]
    for i, label in enumerate(labels):
        y = TOP + 26 * (len(labels) - 1 - i)
        for side, (name, values), cls, sign in ((0, left, "series-0", -1), (1, right, "series-1", 1)):
            value = values[i]
            w = half * value / top
            x = middle - w if sign < 0 else middle
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="20" class="{cls}" fill="{FILLS[side]}">'
                f"<title>{escape(f'{label} – {name}: {format_int(value)}')}</title></rect>"
            )
            tx = middle - w - 4 if sign < 0 else middle + w + 4
            anchor = "end" if sign < 0 else "start"
            parts.append(
                f'<text x="{tx:.1f}" y="{y + 14}" font-size="11" text-anchor="{anchor}" class="chart-label">'
                f"{format_int(value)}</text>"
            )
        parts.append(f'<text x="8" y="{y + 14}" font-size="11" class="chart-label">{escape(label)}</text>')
    parts.append("</svg>")
    header = ["", left[0], right[0]]
    rows = [[label, format_int(left[1][i]), format_int(right[1][i])] for i, label in enumerate(labels)]
    return Chart(key, title, mark_safe("".join(parts)), header, rows)  # noqa: S308


def split_bar(key: str, title: str, parts_in: list[tuple[str, int]]) -> Chart:
    """One bar split in shares (the gender split)."""
    height = 110
    head, _ident = _open(title, key, height=height)
    total = sum(v for _l, v in parts_in)
    plot_w = WIDTH - LEFT - RIGHT
    parts = [head, _legend([(label, [v]) for label, v in parts_in], 18)[0]]
    x = float(LEFT)
    for i, (label, value) in enumerate(parts_in):
        w = plot_w * value / total if total else 0
        share = f"{100 * value / total:.1f}".replace(".", ",") + "%" if total else "–"
        parts.append(
            f'<rect x="{x:.1f}" y="36" width="{w:.1f}" height="36" class="series-{i}" fill="{FILLS[i % len(FILLS)]}">'
            f"<title>{escape(f'{label}: {format_int(value)} ({share})')}</title></rect>"
        )
        if w > 40:
            parts.append(
                f'<text x="{x + w / 2:.1f}" y="59" font-size="13" text-anchor="middle" class="chart-on-bar" '
                f'fill="#ffffff">{escape(share)}</text>'
            )
        x += w
    parts.append("</svg>")
    rows = [[label, format_int(value)] for label, value in parts_in]
    return Chart(key, title, mark_safe("".join(parts)), ["", ""], rows)  # noqa: S308
