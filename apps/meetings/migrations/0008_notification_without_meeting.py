# A notification comes from a cell and may belong to no meeting (a dues reminder).
import django.db.models.deletion
from django.db import migrations, models


def from_meeting(apps, schema_editor):
    Notification = apps.get_model("meetings", "Notification")
    Meeting = apps.get_model("meetings", "Meeting")
    for meeting_id, org_id in Meeting.objects.filter(notifications__isnull=False).values_list("pk", "organization_id").distinct():
        Notification.objects.filter(meeting_id=meeting_id).update(organization_id=org_id)


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0007_backfill"),
        ("organizations", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="organization",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organizations.organization",
                verbose_name="chi bộ",
            ),
        ),
        migrations.RunPython(from_meeting, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="notification",
            name="organization",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organizations.organization",
                verbose_name="chi bộ",
            ),
        ),
        migrations.AddField(
            model_name="notification",
            name="topic",
            field=models.CharField(
                choices=[("meeting", "Sinh hoạt"), ("dues", "Đảng phí")], default="meeting", max_length=10, verbose_name="về"
            ),
        ),
        migrations.AlterField(
            model_name="notification",
            name="meeting",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="notifications",
                to="meetings.meeting",
                verbose_name="cuộc sinh hoạt",
            ),
        ),
        migrations.AlterModelOptions(
            name="notification",
            options={"ordering": ["-created_at", "-pk"], "verbose_name": "thông báo", "verbose_name_plural": "thông báo"},
        ),
        migrations.AddConstraint(
            model_name="notification",
            constraint=models.CheckConstraint(
                condition=models.Q(("topic", "meeting"), _negated=True) | models.Q(("meeting__isnull", False)),
                name="notice_meeting_has_one",
            ),
        ),
    ]
