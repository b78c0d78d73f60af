import datetime as dt

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from apps.accountability.selectors import completion_counts, remediation_figures, review_counts
from apps.core.periods import Period
from apps.discipline.models import Form as DisciplineForm
from apps.discipline.selectors import figures_by_form
from apps.inspections.forms import PeriodForm
from apps.inspections.selectors import inspection_figures as inspection_counts


@login_required
def inspection_figures(request):
    """The inspection commission's figures: inspections, discipline, self-examination and remediation."""
    today = timezone.localdate()
    form = PeriodForm(request.GET or None, initial={"start": dt.date(today.year, 1, 1), "end": today})
    start, end = dt.date(today.year, 1, 1), today
    if request.GET and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    counts = completion_counts(request.user, end.year)
    discipline_rows = figures_by_form(request.user, year=end.year)
    labels = dict(DisciplineForm.choices)
    for r in discipline_rows:
        r["label"] = labels.get(r["form"], r["form"])
    return render(
        request,
        "reports/inspection_figures.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "insp": inspection_counts(request.user, start=start, end=end),
            "disciplines": discipline_rows,
            "remediation": remediation_figures(request.user, end.year),
            "review": review_counts(request.user, Period(end.year)),
            "exam_base": sum(c.members for c in counts),
            "exam_done": sum(c.completed for c in counts),
        },
    )
