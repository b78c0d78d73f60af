import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.core.periods import Period
from apps.organizations.models import Organization
from apps.resolutions import selectors
from apps.resolutions.models import Level, Resolution, Target, Task

pytestmark = pytest.mark.django_db


def test_demo_has_the_term_resolution_targets_and_tasks_in_every_cell():
    call_command("seed_demo", size=0, stdout=io.StringIO(), stderr=io.StringIO())
    congress = Resolution.objects.get(level=Level.CONGRESS)
    assert congress.organization.code == "BDG-DA-BT"
    assert congress.file and congress.file_name == "01-NQ-ĐH.pdf"
    assert congress.targets.filter(parent__isnull=True).count() == 5
    parts = Target.objects.filter(parent__isnull=False)
    assert sorted(p.organization.name for p in parts) == ["Chi bộ khu phố Ngãi Thắng", "Chi bộ khu phố Trung Thắng"]
    today = timezone.localdate()
    from apps.accounts.models import User

    admin = User.objects.get(username="admin")
    table = selectors.target_table(admin, congress, Period(today.year - 1), today)
    top = table.rows[0]
    assert top.year_to_date is not None and top.year_to_date == sum(p.year_to_date for p in top.parts)
    cells = Organization.objects.filter(parent=congress.organization, kind="cell")
    assert cells.count() == 13
    for cell in cells:
        assert Task.objects.filter(organization=cell).count() >= 2
    assert Task.objects.overdue(today).count() == 13
    hung = User.objects.get(username="dangvien").member
    assert Task.objects.overdue(today).filter(owner_member=hung).count() == 1
