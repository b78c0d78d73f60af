"""The discipline rule as its sources give it (issue 16): a member disciplined in the year is
classified "Không hoàn thành nhiệm vụ" (HD 21-HD/BTCTW 2019), not "at most level 2"; collectives
with discipline inside are bounded separately. Rows an administrator changed are left alone."""

from django.db import migrations

FIELDS = ("discipline_best_level", "discipline_inside_best_level")


def forwards(apps, schema_editor):
    from apps.evaluations.rulesets import RULE_SETS

    RuleSet = apps.get_model("evaluations", "RuleSet")
    for spec in RULE_SETS:
        row = RuleSet.objects.filter(name=spec["name"]).first()
        if row is None:
            continue
        if row.discipline_best_level == 2:  # the value shipped before
            row.discipline_best_level = spec["discipline_best_level"]
        if row.discipline_inside_best_level is None and row.discipline_inside_counts:
            row.discipline_inside_best_level = spec["discipline_inside_best_level"]
        if row.guidance_date is None and spec.get("guidance_date"):
            row.guidance_date = spec["guidance_date"]
        if spec["regulation"] == "132-QĐ/TW" and str(row.guidance_date) == "2019-10-25":
            row.guidance_date = spec["guidance_date"]
        unconfirmed = set(row.unconfirmed or [])
        for field in (*FIELDS, "guidance", "guidance_date"):
            if field in spec["unconfirmed"]:
                unconfirmed.add(field)
            else:
                unconfirmed.discard(field)
        row.unconfirmed = sorted(unconfirmed)
        if spec["notes"] and spec["notes"] != row.notes and spec["notes"].startswith(row.notes[:60]):
            row.notes = spec["notes"]
        row.save()


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0008_rule_set_discipline_inside_level")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
