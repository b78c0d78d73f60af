"""The full-text index of the library, on PostgreSQL only: a GIN index on the tsvector of the
folded search text ('simple' configuration), the very expression DocumentQuerySet.search uses.
SQLite searches the same folded words with LIKE (no index)."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEX_NAME = "library_doc_search"


def _index():
    return GinIndex(SearchVector("search_text", config="simple"), name=INDEX_NAME)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("library", "Document"), _index())


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("library", "Document"), _index())


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
