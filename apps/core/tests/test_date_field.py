import datetime as dt

import pytest
from django import forms

from apps.core.forms import VNDateField


class _Form(forms.Form):
    day = VNDateField()


@pytest.mark.parametrize(
    "typed",
    ["10/02/1990", "10-02-1990", "10.02.1990", "10021990", " 10021990 ", "1990-02-10"],
)
def test_dates_as_officials_type_them_on_a_desktop_or_a_phone(typed):
    form = _Form({"day": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == dt.date(1990, 2, 10)


@pytest.mark.parametrize("typed", ["1021990", "31021990", "02/10", "10/02/90x"])
def test_what_is_not_a_whole_date_is_refused_in_vietnamese(typed):
    form = _Form({"day": typed})
    assert not form.is_valid()
    assert form.errors["day"] == ["Ngày không hợp lệ: hãy nhập theo dạng dd/mm/yyyy."]
