"""Append-only tables, enforced by the database itself and not only by our Python.

A trigger refuses every UPDATE and DELETE on a protected table, whoever sends it: the app, a
script, or someone at a `psql` prompt with the app's credentials. The only way past it is
`erasing()`, used by a data protection erasure: it writes a permit row in the same transaction,
so the permit is never visible to anyone else and ends with the transaction.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction

PERMITS = "appendonly_permit"


def install(schema_editor: Any, table: str, *, deletable: bool) -> None:
    """Protect `table`. With `deletable`, an erasure permit lets rows be deleted (never updated)."""
    quote = schema_editor.quote_name
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"CREATE TABLE IF NOT EXISTS {PERMITS} (tablename text NOT NULL)")
        schema_editor.execute(_postgres_function())
        for op in ("UPDATE", "DELETE"):
            schema_editor.execute(
                f"CREATE TRIGGER {quote(f'{table}_no_{op.lower()}')} BEFORE {op} ON {quote(table)} "
                f"FOR EACH ROW EXECUTE FUNCTION appendonly_refuse({str(deletable).lower()})"
            )
    elif vendor == "sqlite":
        schema_editor.execute(f"CREATE TABLE IF NOT EXISTS {PERMITS} (tablename TEXT NOT NULL)")
        schema_editor.execute(
            f"CREATE TRIGGER {quote(f'{table}_no_update')} BEFORE UPDATE ON {quote(table)} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: UPDATE refused'); END"
        )
        permitted = (
            f"WHEN NOT EXISTS (SELECT 1 FROM {PERMITS} WHERE tablename = '{table}') "  # noqa: S608  (constant names only)  # nosec B608
            if deletable
            else ""
        )
        schema_editor.execute(
            f"CREATE TRIGGER {quote(f'{table}_no_delete')} BEFORE DELETE ON {quote(table)} "
            f"{permitted}BEGIN SELECT RAISE(ABORT, '{table} is append-only: DELETE refused'); END"
        )


def uninstall(schema_editor: Any, table: str) -> None:
    quote = schema_editor.quote_name
    for op in ("update", "delete"):
        name = quote(f"{table}_no_{op}")
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {quote(table)}")
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


def _postgres_function() -> str:
    return f"""
        CREATE OR REPLACE FUNCTION appendonly_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'DELETE' AND TG_ARGV[0]::boolean
             AND EXISTS (SELECT 1 FROM {PERMITS} WHERE tablename = TG_TABLE_NAME) THEN
            RETURN OLD;
          END IF;
          RAISE EXCEPTION '%% is append-only: %% refused', TG_TABLE_NAME, TG_OP
            USING ERRCODE = 'insufficient_privilege';
        END $$;
    """  # noqa: S608  (constant names only)  # nosec B608


@contextmanager
def erasing(*tables: str) -> Iterator[None]:
    """Let this transaction delete rows of `tables` (a data protection erasure, nothing else)."""
    with transaction.atomic(), connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"INSERT INTO {PERMITS} (tablename) VALUES (%s)", [table])  # noqa: S608 (a constant)  # nosec B608
        yield
        # On an error the transaction rolls back, and the permits with it.
        for table in tables:
            cursor.execute(f"DELETE FROM {PERMITS} WHERE tablename = %s", [table])  # noqa: S608 (a constant)  # nosec B608


@contextmanager
def suspended(table: str, *, deletable: bool) -> Iterator[None]:
    """Drop the triggers for a while: for tests that play an attacker who owns the database."""
    raw = _Raw()
    uninstall(raw, table)
    try:
        yield
    finally:
        install(raw, table, deletable=deletable)


class _Raw:
    """Enough of a schema editor for install() and uninstall() inside a transaction."""

    connection = connection

    def execute(self, sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, ())  # with parameters, so "%%" means "%" as in migrations

    def quote_name(self, name: str) -> str:
        return connection.ops.quote_name(name)
