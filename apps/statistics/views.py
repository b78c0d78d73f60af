"""The statistics page of an organization, its charts and its exports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.core.documents import file_response
from apps.core.periods import Period
from apps.core.templatetags.vn import format_date, format_int, format_percent
from apps.core.views import get_scoped
from apps.meetings.selectors import rates as meeting_rates
from apps.organizations.models import Organization

from . import charts, exports, selectors
from .forms import StatisticsForm
from .routers import replica_reads


@login_required
def index(request):
    """The menu's entry: the statistics of the highest organization the user may view."""
    org = Organization.objects.restrict(request.user).current().order_by("depth", "path").first()
    if org is not None:
        return redirect("statistics:organization", org.pk)
    return render(request, "statistics/index.html")


def _rate_text(rate) -> str:
    if not rate.base:
        return "–"
    return f"{format_percent(rate.value)} ({format_int(rate.present)}/{format_int(rate.base)})"


def _charts(org: Organization, choice: dict, figures, compare, table) -> list[charts.Chart]:
    on = choice["on"]
    out = []
    growth = selectors.member_totals(org, selectors.year_ends(on))
    out.append(
        charts.bar_chart(
            "growth",
            _("Số đảng viên qua các năm"),
            [str(day.year) if day.month == 12 and day.day == 31 else format_date(day) for day, _n in growth],
            [(_("Đảng viên"), [n for _d, n in growth])],
        )
    )
    out.append(
        charts.split_bar(
            "gender",
            _("Đảng viên theo giới tính ngày %(day)s") % {"day": format_date(on)},
            [(str(label), n) for _k, label, n in figures.gender_rows()],
        )
    )
    rows = figures.age_rows()
    out.append(
        charts.pyramid(
            "age",
            _("Tháp tuổi đảng viên ngày %(day)s") % {"day": format_date(on)},
            [str(label) for _k, label, _n in rows],
            (_("Nam"), [figures.by_age_gender[k]["male"] for k, _l, _n in rows]),
            (_("Nữ"), [figures.by_age_gender[k]["female"] for k, _l, _n in rows]),
        )
    )
    theory = figures.theory_rows()
    series = [(format_date(on), [n for _k, _l, n in theory])]
    if compare is not None:
        series.append((format_date(compare.day), [compare.by_theory_level[k] for k, _l, _n in theory]))
    out.append(
        charts.bar_chart("theory", _("Trình độ lý luận chính trị"), [str(label) for _k, label, _n in theory], series)
    )
    year = choice["period"][1].year
    quarters = selectors.attendance_by_quarter(org, year)
    chart = charts.bar_chart(
        "attendance",
        _("Tỷ lệ đảng viên dự sinh hoạt theo quý, năm %(year)s so với năm %(previous)s")
        % {"year": year, "previous": year - 1},
        [_("Quý %(q)s") % {"q": q["quarter"]} for q in quarters],
        [
            (str(year - 1), [round(q["previous"].value or 0) for q in quarters]),
            (str(year), [round(q["rate"].value or 0) for q in quarters]),
        ],
        percent=True,
    )
    chart.rows = [
        [_("Quý %(q)s") % {"q": q["quarter"]}, _rate_text(q["previous"]), _rate_text(q["rate"])] for q in quarters
    ]
    out.append(chart)
    if table is not None:
        columns = table.members.columns
        levels = [(code, label) for code, label, _cells in table.members.rows]
        out.append(
            charts.bar_chart(
                "classification",
                _("Xếp loại đảng viên qua các năm"),
                [str(c.year) for c in columns],
                [(str(label) or str(code), [c.counts.get(code, 0) for c in columns]) for code, label in levels],
            )
        )
    return out


def _page(org: Organization, choice: dict) -> dict:
    on, compare_on = choice["on"], choice["compare_on"]
    start, end = choice["period"]
    figures = selectors.member_figures(org, on)
    compare = selectors.member_figures(org, compare_on) if compare_on else None
    moves = selectors.movement(org, start, end)
    compare_moves = selectors.movement(org, *choice["compare_period"]) if choice["compare_period"] else None
    meetings = selectors.meeting_figures(org, start, end)
    compare_meetings = selectors.meeting_figures(org, *choice["compare_period"]) if choice["compare_period"] else None
    table = selectors.classification(org, end.year)
    return {
        "figures": figures,
        "compare": compare,
        "orgs": selectors.organization_figures(org, on),
        "compare_orgs": selectors.organization_figures(org, compare_on) if compare_on else None,
        "movement": moves,
        "compare_movement": compare_moves,
        "meetings": meetings,
        "compare_meetings": compare_meetings,
        "training": selectors.training(org, start, end),
        "awards": selectors.awards(org, start, end),
        "table": table,
        "charts": _charts(org, choice, figures, compare, table),
        "start": start,
        "end": end,
    }


def _pair(rows_a, rows_b):
    """Rows (label, a, b) from two lists of (key, label, n) with the same keys (b may be None)."""
    b = {k: n for k, _l, n in rows_b} if rows_b is not None else None
    return [(label, n, b.get(k, 0) if b is not None else None) for k, label, n in rows_a]


def _merged(rows_a, rows_b):
    """Like `_pair` for free-text dimensions whose keys differ between the two dates."""
    if rows_b is None:
        return [(label, n, None) for _k, label, n in rows_a]
    a = {k: n for k, _l, n in rows_a}
    b = {k: n for k, _l, n in rows_b}
    keys = list(a) + [k for k in b if k not in a]
    return [(k, a.get(k, 0), b.get(k, 0)) for k in keys]


@login_required
@replica_reads()
def organization_statistics(request, pk):
    org = get_scoped(Organization, request.user, pk)
    form = StatisticsForm(request.GET or None)
    choice = form.choice()
    context = {"org": org, "form": form, **choice, **_page(org, choice)}
    f, c = context["figures"], context["compare"]
    context["member_tables"] = [
        ("status", _("Theo tình trạng"), _pair(f.status_rows(), c.status_rows() if c else None)),
        ("gender", _("Theo giới tính"), _pair(f.gender_rows(), c.gender_rows() if c else None)),
        ("age", _("Theo độ tuổi"), _pair(f.age_rows(), c.age_rows() if c else None)),
        ("seniority", _("Theo tuổi Đảng"), _pair(f.seniority_rows(), c.seniority_rows() if c else None)),
        ("ethnicity", _("Theo dân tộc"), _merged(f.ethnicity_rows(), c.ethnicity_rows() if c else None)),
        ("religion", _("Theo tôn giáo"), _merged(f.religion_rows(), c.religion_rows() if c else None)),
        ("education", _("Theo trình độ chuyên môn"), _pair(f.education_rows(), c.education_rows() if c else None)),
        ("theory", _("Theo trình độ lý luận chính trị"), _pair(f.theory_rows(), c.theory_rows() if c else None)),
    ]
    cm = context["compare_movement"]
    context["movement_rows"] = _pair(context["movement"].rows(), cm.rows() if cm else None)
    cmt = context["compare_meetings"]
    context["meeting_rows"] = _pair(context["meetings"].kind_rows(), cmt.kind_rows() if cmt else None)
    co = context["compare_orgs"]
    context["kind_rows"] = _pair(
        [(k.value, k.label, context["orgs"].by_kind[k.value]) for k in selectors.Kind],
        [(k.value, k.label, co.by_kind[k.value]) for k in selectors.Kind] if co else None,
    )
    context["sector_rows"] = _pair(
        [(s.value, s.label, context["orgs"].grassroots_by_sector[s.value]) for s in selectors.Sector],
        [(s.value, s.label, co.grassroots_by_sector[s.value]) for s in selectors.Sector] if co else None,
    )
    context["a_period"] = f"{format_date(context['start'])} – {format_date(context['end'])}"
    if choice["compare_period"]:
        first, last = choice["compare_period"]
        context["b_period"] = f"{format_date(first)} – {format_date(last)}"
    if not org.is_cell:
        # By directly subordinate organization (cells or committees), over the calendar year of
        # the period's end: the meeting rates page's own figures.
        year = context["end"].year
        context["per_child_year"] = year
        context["per_child"] = [
            (row["organization"], row["count"], _rate_text(row["rate"]), _rate_text(row["thematic"]))
            for row in meeting_rates(request.user, org, Period(year))["per_child"]
        ]
    context["query"] = request.GET.urlencode()
    return render(request, "statistics/organization.html", context)


def _export_choice(request, pk):
    org = get_scoped(Organization, request.user, pk)
    form = StatisticsForm(request.GET or None)
    choice = form.choice()
    start, end = choice["period"]
    figures = selectors.member_figures(org, choice["on"])
    period = (
        selectors.movement(org, start, end),
        selectors.training(org, start, end),
        selectors.awards(org, start, end),
    )
    return org, figures, period


@login_required
@replica_reads()
def export_xlsx(request, pk):
    org, figures, period = _export_choice(request, pk)
    return exports.member_table_xlsx(org, figures, *period)


@login_required
@replica_reads()
def export_pdf(request, pk):
    org, figures, period = _export_choice(request, pk)
    return file_response(
        exports.member_table_pdf(org, figures, *period),
        f"thong-ke-dang-vien-{org.code}-{figures.day:%Y%m%d}.pdf",
        "pdf",
    )
