from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import VNDateInput

from .models import Category, Channel, ExemptionKind, ImportKind

MONTH_HELP = _("Ghi theo dạng mm/yyyy, ví dụ 03/2026.")


class MonthField(forms.CharField):
    """A month typed as mm/yyyy (or yyyy-mm); cleaned to the month's first day."""

    def to_python(self, value):
        import re
        from datetime import date

        value = (value or "").strip()
        if not value:
            return None
        m = re.fullmatch(r"(\d{1,2})[/.-](\d{4})", value) or None
        if m:
            month, year = int(m.group(1)), int(m.group(2))
        else:
            m = re.fullmatch(r"(\d{4})-(\d{1,2})", value)
            if not m:
                raise forms.ValidationError(_("Tháng không hợp lệ: ghi theo dạng mm/yyyy."))
            year, month = int(m.group(1)), int(m.group(2))
        if not (1 <= month <= 12 and 1990 <= year <= 2100):
            raise forms.ValidationError(_("Tháng không hợp lệ: ghi theo dạng mm/yyyy."))
        return date(year, month, 1)


class MoneyField(forms.IntegerField):
    default_error_messages = {"invalid": _("Số tiền phải là số nguyên đồng (không có phần lẻ).")}

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace(".", "").replace(" ", "").replace("đ", "")
        return super().to_python(value)


class BasisForm(forms.Form):
    category = forms.ChoiceField(label=_("Đối tượng"), choices=Category.choices)
    amount = MoneyField(label=_("Số tiền làm căn cứ (đồng)"), required=False)
    declared_amount = MoneyField(label=_("Tự nguyện đóng mỗi tháng (đồng)"), required=False)
    since = MonthField(label=_("Từ tháng"), help_text=MONTH_HELP)
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=255)


class ExemptionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Hình thức"), choices=ExemptionKind.choices)
    percent = forms.IntegerField(label=_("Giảm (%)"), required=False)
    start_month = MonthField(label=_("Từ tháng"), help_text=MONTH_HELP)
    end_month = MonthField(label=_("Đến tháng"), required=False, help_text=MONTH_HELP)
    reason = forms.CharField(label=_("Lý do"), max_length=255)
    decision = forms.CharField(label=_("Số quyết định"), max_length=100)


class PaymentForm(forms.Form):
    start = MonthField(label=_("Từ tháng"), help_text=MONTH_HELP)
    count = forms.IntegerField(label=_("Số tháng"), min_value=1, max_value=24, initial=1)
    amount = MoneyField(
        label=_("Số tiền nộp (đồng)"), required=False, help_text=_("Để trống: nộp đủ các tháng đã chọn.")
    )
    channel = forms.ChoiceField(label=_("Hình thức"), choices=Channel.choices, initial=Channel.CASH)
    reference = forms.CharField(label=_("Mã giao dịch"), required=False, max_length=100)
    paid_on = forms.DateField(label=_("Ngày nộp"), required=False, widget=VNDateInput(), input_formats=["%d/%m/%Y"])


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("Lý do điều chỉnh"), max_length=255)


class RemittanceForm(forms.Form):
    amount = MoneyField(label=_("Số tiền nộp lên (đồng)"))
    channel = forms.ChoiceField(label=_("Hình thức"), choices=Channel.choices, initial=Channel.TRANSFER)
    reference = forms.CharField(label=_("Mã giao dịch, chứng từ"), required=False, max_length=100)
    paid_on = forms.DateField(label=_("Ngày nộp"), required=False, widget=VNDateInput(), input_formats=["%d/%m/%Y"])


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Nội dung"), choices=ImportKind.choices)
    file = forms.FileField(label=_("Tệp Excel (.xlsx)"))
