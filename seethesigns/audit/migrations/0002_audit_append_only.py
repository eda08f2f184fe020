"""The database itself refuses to change or delete an audit entry, even for an erasure."""

from typing import Any

from django.db import migrations

from seethesigns import appendonly

TABLE = "audit_auditentry"


def protect(apps: Any, schema_editor: Any) -> None:
    appendonly.install(schema_editor, TABLE, deletable=False)


def unprotect(apps: Any, schema_editor: Any) -> None:
    appendonly.uninstall(schema_editor, TABLE)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_audit_trail")]
    operations = [migrations.RunPython(protect, unprotect)]
