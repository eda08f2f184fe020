"""Addresses are searched among those with the same house numbers (see links.matching)."""

from typing import Any

from django.db import migrations, models

from seethesigns.network.matching import house_numbers


def fill(apps: Any, schema_editor: Any) -> None:
    Entity = apps.get_model("links", "Entity")
    places = Entity.objects.filter(kind="place").only("pk", "kind", "normalised")
    changed = []
    for place in places.iterator(chunk_size=2000):
        place.numbers = house_numbers(place.kind, place.normalised)
        if place.numbers:
            changed.append(place)
    Entity.objects.bulk_update(changed, ["numbers"], batch_size=2000)


def index(apps: Any, schema_editor: Any) -> None:
    """A trigram index for addresses without numbers; neither trigram index defers its writes.

    With fastupdate, new rows wait in a pending list that every search reads from start to end
    until VACUUM merges it: up to 4 MB at each save. Without it, each save updates the index at
    once, which costs the save far less than a long pending list costs every lookup.
    """
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS entity_unnumbered_place_trgm ON links_entity "
            "USING gin (normalised gin_trgm_ops) WITH (fastupdate = off) "
            "WHERE kind = 'place' AND numbers = ''"
        )
        schema_editor.execute("ALTER INDEX entity_normalised_trgm SET (fastupdate = off)")


def drop_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS entity_unnumbered_place_trgm")
        schema_editor.execute("ALTER INDEX entity_normalised_trgm RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [("links", "0002_trigram_search")]
    operations = [
        migrations.AddField(
            model_name="entity",
            name="numbers",
            field=models.CharField(blank=True, default="", max_length=60),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="entity",
            index=models.Index(fields=["kind", "numbers"], name="entity_kind_numbers"),
        ),
        migrations.RunPython(index, drop_index),
    ]
