from django.db import migrations


def forwards(apps, schema_editor):
    from apps.dues.rulesets import load

    load(apps.get_model("dues", "DuesRuleSet"))


def backwards(apps, schema_editor):
    from apps.dues.rulesets import RULE_SETS

    apps.get_model("dues", "DuesRuleSet").objects.filter(code__in=[s["code"] for s in RULE_SETS]).delete()


class Migration(migrations.Migration):
    dependencies = [("dues", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
