import random

import pytest
from django.utils import timezone

from apps.core.periods import Period
from apps.meetings import demo, selectors
from apps.meetings.models import Attendance, Meeting, MeetingStatus


@pytest.mark.django_db
def test_demo_seed_creates_a_year_of_meetings_for_each_cell(tree, make_member, admin_user, rule_set):
    for name in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"):
        make_member(tree["cell_a"], name)
    today = timezone.localdate()
    context = {
        "ward": tree["ward"],
        "cells": [tree["cell_a"], tree["cell_b"]],
        "admin": admin_user,
        "random": random.Random(1),
        "today": today,
        "log": lambda *a: None,
    }
    demo.seed(context)
    assert Meeting.objects.filter(organization=tree["cell_a"]).count() == demo.MONTHS_BACK + 2
    held = Meeting.objects.filter(organization=tree["cell_a"], status=MeetingStatus.APPROVED)
    assert held.count() >= demo.MONTHS_BACK
    assert Attendance.objects.filter(meeting__in=held).count() == 3 * held.count()
    assert all(m.quality.points >= 0 for m in held)
    rates = selectors.rates(admin_user, tree["ward"], Period(today.year))
    assert rates["total"].base > 0
