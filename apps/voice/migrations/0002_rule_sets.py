from django.db import migrations


def load(apps, schema_editor):
    from apps.voice.rulesets import RULE_SETS

    model = apps.get_model("voice", "PetitionRuleSet")
    for values in RULE_SETS:
        model.objects.update_or_create(code=values["code"], defaults={k: v for k, v in values.items() if k != "code"})


class Migration(migrations.Migration):
    dependencies = [("voice", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
