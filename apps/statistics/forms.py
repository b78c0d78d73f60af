"""The statistics page's choice: a date (and one to compare), a period (and one to compare)."""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.forms import VNDateField


class StatisticsForm(forms.Form):
    on = VNDateField(label=_("Số liệu tại ngày"), required=False)
    compare_on = VNDateField(label=_("So sánh với ngày"), required=False)
    start = VNDateField(label=_("Kỳ từ ngày"), required=False)
    end = VNDateField(label=_("đến ngày"), required=False)
    compare_start = VNDateField(label=_("Kỳ so sánh từ ngày"), required=False)
    compare_end = VNDateField(label=_("đến ngày"), required=False)

    def clean(self):
        data = super().clean() or {}
        today = timezone.localdate()
        for name in ("on", "compare_on", "start", "end", "compare_start", "compare_end"):
            day = data.get(name)
            if day and day > today:
                self.add_error(name, _("Ngày không được sau hôm nay."))
            if day and day < date(1930, 2, 3):
                self.add_error(name, _("Ngày không được trước ngày thành lập Đảng (03/02/1930)."))
        for first, last in (("start", "end"), ("compare_start", "compare_end")):
            if bool(data.get(first)) != bool(data.get(last)) and not self.has_error(first) and not self.has_error(last):
                self.add_error(last if data.get(first) else first, _("Hãy nhập cả ngày đầu và ngày cuối của kỳ."))
            elif data.get(first) and data.get(last) and data[first] > data[last]:
                self.add_error(last, _("Ngày cuối kỳ phải từ ngày đầu kỳ trở đi."))
        return data

    def choice(self) -> dict:
        """The dates to show: what was typed, or today and this year so far."""
        today = timezone.localdate()
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        on = data.get("on") or today
        start, end = data.get("start"), data.get("end")
        if not (start and end):
            start, end = date(on.year, 1, 1), on
        compare = None
        if data.get("compare_start") and data.get("compare_end"):
            compare = (data["compare_start"], data["compare_end"])
        return {"on": on, "compare_on": data.get("compare_on"), "period": (start, end), "compare_period": compare}
