"""The hub holds nothing readable of anyone, and is built from nothing of the partnerships' app."""

import ast
import base64
import os
import subprocess
import sys
from pathlib import Path

from django.apps import apps
from django.db import connection

from linkagehub.models import Encoding
from linkagehub.tests.encodings import item

HUB = Path(__file__).resolve().parents[1]
PERSON = {
    "names": ("Jordan Smith", "Jay Smithers"),
    "date_of_birth": "1999-04-02",
    "sex": "male",
    "addresses": ("14 Station Road, Northbridge M14 5AB",),
    "phones": ("07700 900123",),
    "handles": ("@snapking99",),
    "plates": ("AB12 CDE",),
}
PLAIN = [
    "Jordan", "Smith", "Smithers", "1999-04-02", "19990402", "Station", "M14 5AB", "M145AB",
    "07700900123", "7700 900123", "snapking", "AB12CDE", "AB12 CDE", "male",
]  # fmt: skip


def readable(value: str) -> list[str]:
    """The value as written, lower-cased, and as base64 (a naive encoder's 'encoding')."""
    b64 = base64.b64encode(value.encode()).decode().rstrip("=")
    return [value, value.lower(), b64[: len(b64) // 4 * 4]]


def rows_holding(needle: str) -> list[str]:
    """Every hub table and column whose text holds the needle (case-insensitive), by SQL."""
    found = []
    with connection.cursor() as cursor:
        for model in apps.get_app_config("linkagehub").get_models():
            table = model._meta.db_table
            for column in connection.introspection.get_table_description(cursor, table):
                name = connection.ops.quote_name(column.name)
                cursor.execute(
                    f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)} "  # noqa: S608
                    f"WHERE LOWER(CAST({name} AS TEXT)) LIKE %s",
                    [f"%{needle.lower()}%"],
                )
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{column.name}")
    return found


def test_the_hubs_database_holds_no_readable_identifier(northbridge, eastfield):
    northbridge.post(
        "/v1/encodings",
        {
            "encodings": [
                item("person", PERSON),
                item("vehicle", {"value": "AB12 CDE"}),
                item("phone", {"value": "07700 900123"}),
                item("handle", {"value": "@snapking99"}),
            ]
        },
    )
    eastfield.post("/v1/encodings", {"encodings": [item("vehicle", {"value": "ab12cde"})]})
    assert Encoding.objects.count() == 5
    assert eastfield.get("/v1/alerts").json()["alerts"]  # a match, so match rows exist too
    for value in PLAIN:
        for needle in readable(value):
            assert rows_holding(needle) == [], needle


def test_the_search_finds_a_plain_value_when_there_is_one(northbridge):
    # The check above would pass on an empty or unreadable database: show that it can fail.
    Encoding.objects.create(
        partnership=northbridge.partnership, ref="a" * 32, kind="vehicle", fields={"v": "AB12CDE"}
    )
    assert rows_holding("ab12cde") == ["linkagehub_encoding.fields"]


def test_no_hub_module_imports_seethesigns():
    for path in HUB.rglob("*.py"):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith("seethesigns"), f"{path.name} imports {name}"


def test_the_running_hub_loads_nothing_of_seethesigns():
    # What the hub imports at run time, pprl included: no module of the app is loaded.
    code = (
        "import sys, django; django.setup();"
        "import linkagehub.wsgi, linkagehub.urls, linkagehub.views, linkagehub.matching;"
        "from django.core.management import get_commands; get_commands();"
        "import linkagehub.management.commands.register_partnership;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'seethesigns'))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "linkagehub.settings"}
    result = subprocess.run(  # noqa: S603 (our own interpreter)
        [sys.executable, "-c", code], cwd=HUB.parent, env=env, capture_output=True, text=True,
        check=True,
    )  # fmt: skip
    assert result.stdout.strip() == "[]"
