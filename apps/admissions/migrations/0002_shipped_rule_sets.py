from django.db import migrations


def forwards(apps, schema_editor):
    from apps.admissions.rulesets import load

    load(apps.get_model("admissions", "LifecycleRuleSet"))


def backwards(apps, schema_editor):
    from apps.admissions.rulesets import RULE_SETS

    apps.get_model("admissions", "LifecycleRuleSet").objects.filter(code__in=[s["code"] for s in RULE_SETS]).delete()


class Migration(migrations.Migration):
    dependencies = [("admissions", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
