"""Documents posted before file names were kept: their name is the stored file's own name.

Their files stay where they are; only files posted from now on get random names.
"""

from django.db import migrations


def fill_names(apps, schema_editor):
    MeetingDocument = apps.get_model("meetings", "MeetingDocument")
    for document in MeetingDocument.objects.filter(file_name="").only("pk", "file").iterator():
        name = (document.file.name or "").rsplit("/", 1)[-1][:255]
        MeetingDocument.objects.filter(pk=document.pk).update(file_name=name or "tai-lieu")


class Migration(migrations.Migration):
    dependencies = [("meetings", "0003_document_private_file_and_name")]

    operations = [migrations.RunPython(fill_names, migrations.RunPython.noop)]
