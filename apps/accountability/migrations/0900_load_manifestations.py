# Data migration: the 27 manifestations of NQ 04-NQ/TW (see apps/accountability/reference.py).
# Keep this file when migrations are regenerated: it is data, not schema.

from django.db import migrations


def forwards(apps, schema_editor):
    from apps.accountability.reference import load

    load(apps.get_model("accountability", "Manifestation"))


class Migration(migrations.Migration):
    dependencies = [("accountability", "0002_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
