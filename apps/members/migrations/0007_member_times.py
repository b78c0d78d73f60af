import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    """Created and updated times for the API's change feed; existing rows get the migration's time."""

    dependencies = [("members", "0006_lifecycle")]

    operations = [
        migrations.AddField(
            model_name="member",
            name="created_at",
            field=models.DateTimeField(
                auto_now_add=True, default=django.utils.timezone.now, editable=False, verbose_name="tạo lúc"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="member",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True, default=django.utils.timezone.now, editable=False, verbose_name="cập nhật lúc"
            ),
            preserve_default=False,
        ),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(fields=["updated_at", "id"], name="member_updated"),
        ),
    ]
