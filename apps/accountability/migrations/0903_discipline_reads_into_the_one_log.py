"""Discipline records read on the member page were logged as audit-log "access" entries, which
the record's own page did not list. Copy them into the one log of sensitive reads."""

from django.db import migrations

ACCESS = 3  # auditlog.models.LogEntry.Action.ACCESS


def forwards(apps, schema_editor):
    LogEntry = apps.get_model("auditlog", "LogEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Discipline = apps.get_model("discipline", "Discipline")
    AccessRecord = apps.get_model("accountability", "AccessRecord")
    content_type = ContentType.objects.filter(app_label="discipline", model="discipline").first()
    if content_type is None:
        return
    members = dict(Discipline.objects.values_list("pk", "member_id"))
    rows = []
    entries = LogEntry.objects.filter(content_type=content_type, action=ACCESS, actor__isnull=False)
    for entry in entries.iterator():
        try:
            pk = int(entry.object_pk)
        except (TypeError, ValueError):
            continue
        if pk not in members:
            continue
        rows.append(
            AccessRecord(
                user_id=entry.actor_id,
                at=entry.timestamp,
                kind="discipline",
                object_id=pk,
                member_id=members[pk],
                basis="scope",
                place="member_page",
            )
        )
    AccessRecord.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("accountability", "0902_access_record_place"),
        ("auditlog", "0017_add_actor_email"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("discipline", "0003_one_subject_constraint"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
