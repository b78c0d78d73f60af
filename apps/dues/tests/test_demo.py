import datetime as dt

import pytest
from django.utils import timezone

from apps.dues import demo, selectors
from apps.dues.models import DuesBasis, DuesImport, DuesMonthClose, MonthlyTotal
from apps.dues.rules import add_months, first_of

pytestmark = pytest.mark.django_db


def test_demo_year_with_members_in_arrears(tree, make_member, admin_user):
    for i in range(6):
        make_member(tree["cell_a"], f"Đỗ Văn Mẫu{i}", birth_date=dt.date(1980, 1, 1))
    make_member(tree["cell_b"], "Hồ Thị Hưu", birth_date=dt.date(1950, 1, 1))
    context = {
        "admin": admin_user,
        "ward": tree["ward"],
        "cells": [tree["cell_a"], tree["cell_b"]],
        "cells_by_key": {"trung-thang": tree["cell_a"]},
        "named": {},
        "log": lambda s: None,
    }
    demo.seed(context)
    assert DuesBasis.objects.count() == 7
    assert DuesImport.objects.get().confirmed_at is not None  # cell A's bases came in by the import
    last = add_months(first_of(timezone.localdate()), -1)
    groups = selectors.arrears(tree["cell_a"], last)
    assert [len(groups[k]) for k in ("1", "2", "3")] == [1, 1, 2]
    assert len(selectors.unpaid_three_months(tree["ward"], last.year)) >= 1 or last.month < 3
    assert DuesMonthClose.objects.filter(month=add_months(last, -1)).count() == 2
    ward = selectors.remittance_view(tree["ward"], add_months(last, -2))["own"]
    assert ward.received > 0 and ward.reconciled
    assert MonthlyTotal.objects.filter(organization=tree["province"]).exists()
