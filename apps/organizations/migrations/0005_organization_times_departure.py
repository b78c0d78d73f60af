import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    """Created and updated times for the API's change feed (existing rows get the migration's
    time), and the departures the feed reports as removals."""

    dependencies = [("organizations", "0004_sort_key")]

    operations = [
        migrations.AddField(
            model_name="organization",
            name="created_at",
            field=models.DateTimeField(
                auto_now_add=True, default=django.utils.timezone.now, editable=False, verbose_name="tạo lúc"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="organization",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True, default=django.utils.timezone.now, editable=False, verbose_name="cập nhật lúc"
            ),
            preserve_default=False,
        ),
        migrations.AddIndex(
            model_name="organization",
            index=models.Index(fields=["updated_at", "id"], name="organization_updated"),
        ),
        migrations.CreateModel(
            name="Departure",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[("member", "đảng viên"), ("organization", "tổ chức đảng")], max_length=16
                    ),
                ),
                ("object_id", models.BigIntegerField()),
                ("old_organization_id", models.BigIntegerField()),
                ("old_path", models.CharField(max_length=255)),
                ("at", models.DateTimeField(db_index=True)),
            ],
            options={"indexes": [models.Index(fields=["kind", "at"], name="departure_kind_at")]},
        ),
    ]
