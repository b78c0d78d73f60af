"""Roles ended before ends were exact kept reaching to the end of their last day: give them the
exact end they had (the first moment of the next day, in the project's time zone)."""

import datetime as dt

from django.db import migrations
from django.utils import timezone


def forwards(apps, schema_editor):
    RoleAssignment = apps.get_model("accounts", "RoleAssignment")
    rows = RoleAssignment.objects.filter(ends_on__isnull=False, ended_at__isnull=True)
    for row in rows.iterator():
        next_day = dt.datetime.combine(row.ends_on + dt.timedelta(days=1), dt.time.min)
        row.ended_at = timezone.make_aware(next_day)
        row.save(update_fields=["ended_at"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_role_grants_timed")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
