import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.admissions.models import AdmissionCase, CaseState, StepKind
from apps.admissions.selectors import probations
from apps.organizations.models import Organization


@pytest.mark.django_db
def test_the_demo_has_candidates_at_every_stage_and_probations_ending_this_month(db):
    call_command("seed_demo", size=100, seed=1, no_hooks=True, stdout=open("/dev/null", "w"))
    from apps.accounts.models import User
    from apps.demo.admissions import seed

    admin_user = User.objects.get(username="admin")

    ward = Organization.objects.get(name="Đảng bộ phường Bình Thắng")
    seed({"admin": admin_user, "cells": list(ward.children.filter(kind="cell")), "log": lambda _t: None})
    cases = AdmissionCase.objects.all()
    assert cases.count() == 13
    last_kinds = {c.steps.order_by("-date", "-pk").first().kind for c in cases}
    assert last_kinds >= {k for k in StepKind.values if k != StepKind.REVIEW_VOTE}
    assert cases.filter(state=CaseState.RECOGNIZED).count() == 1
    today = timezone.localdate()
    listed = probations(admin_user, ward, today)
    month = [r for r in listed["ending"] if r.case and r.ends_on.month == today.month]
    assert len(month) == 2
    assert [r.case.full_name for r in listed["overdue"] if r.case] == ["Huỳnh Văn Nam"]
    assert all(r.ends_on >= today - dt.timedelta(days=0) for r in listed["ending"])
