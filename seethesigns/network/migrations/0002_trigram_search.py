"""pg_trgm and a trigram index for names and addresses. SQLite compares in Python instead."""

from typing import Any

from django.db import migrations


def add(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS entity_normalised_trgm ON links_entity "
        "USING gin (normalised gin_trgm_ops) WHERE kind IN ('person', 'place', 'group')"
    )


def remove(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS entity_normalised_trgm")


class Migration(migrations.Migration):
    dependencies = [("links", "0001_people_places_vehicles_links")]
    operations = [migrations.RunPython(add, remove)]
