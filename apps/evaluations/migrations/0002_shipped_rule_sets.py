from django.db import migrations


def forwards(apps, schema_editor):
    from apps.evaluations.rulesets import load

    load(
        apps.get_model("evaluations", "RuleSet"),
        apps.get_model("evaluations", "Level"),
        apps.get_model("evaluations", "Frame"),
        apps.get_model("evaluations", "Criterion"),
    )


def backwards(apps, schema_editor):
    from apps.evaluations.rulesets import RULE_SETS

    RuleSet = apps.get_model("evaluations", "RuleSet")
    RuleSet.objects.filter(name__in=[s["name"] for s in RULE_SETS]).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
