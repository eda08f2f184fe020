"""The database itself refuses to change or delete a chronology entry (seethesigns.appendonly)."""

from typing import Any

from django.db import migrations

from seethesigns import appendonly

TABLE = "cases_chronologyentry"


def protect(apps: Any, schema_editor: Any) -> None:
    appendonly.install(schema_editor, TABLE, deletable=True)


def unprotect(apps: Any, schema_editor: Any) -> None:
    appendonly.uninstall(schema_editor, TABLE)


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_chronology_missing_philomena")]
    operations = [migrations.RunPython(protect, unprotect)]
