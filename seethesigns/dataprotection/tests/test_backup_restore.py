"""Back up a database, restore it into a fresh one, and prove nothing was lost or leaked.

The commands run as an operator would run them, in their own processes, against databases this
test creates: a clone of the test database with a planted child's record (the source), and a
fresh, empty one (the restore). On PostgreSQL (CI) that is pg_dump and pg_restore; on SQLite the
backup API.
"""

import base64
import hashlib
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from seethesigns.dataprotection.backup import (
    BackupError,
    _read,
    _with_manifest,
    _write,
    new_backup_key,
)
from seethesigns.dataprotection.tests.plant import FIRST_LABEL, LAST_NAME, SENTENCE
from seethesigns.encryption import new_key

BASE_DIR = Path(settings.BASE_DIR)
DERIVED_DATA_KEY = base64.urlsafe_b64encode(
    hashlib.sha256(("data:" + settings.SECRET_KEY).encode()).digest()
).decode()


def _manage(
    env: dict[str, str], *args: str, check: bool = True
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


@pytest.fixture
def databases(django_db_setup: None, tmp_path: Path) -> Iterator[tuple[str, str, str]]:
    """URLs of the test database, an empty source and an empty restore target."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        yield (
            f"sqlite:///{db['NAME']}",
            f"sqlite:///{tmp_path / 'source.sqlite3'}",
            f"sqlite:///{tmp_path / 'restored.sqlite3'}",
        )
        return
    server = urlsplit(os.environ["DATABASE_URL"])
    names = [f"{db['NAME']}_source", f"{db['NAME']}_restored"]
    admin = urlunsplit(server._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as pg:
        for name in names:
            pg.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            pg.execute(f'CREATE DATABASE "{name}"')
    try:
        yield (
            urlunsplit(server._replace(path="/" + db["NAME"])),
            urlunsplit(server._replace(path="/" + names[0])),
            urlunsplit(server._replace(path="/" + names[1])),
        )
    finally:
        with psycopg.connect(admin, autocommit=True) as pg:
            for name in names:
                pg.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# The mark has pytest-django make the test database even when this test runs alone; the test
# itself reads and writes it only through manage.py, in processes of their own.
@pytest.mark.django_db
def test_a_restored_database_has_every_record_and_a_valid_audit_chain(databases, tmp_path):
    test_db, source, restored = databases
    backup_key = new_backup_key()
    data_keys = f"{new_key()},{DERIVED_DATA_KEY}"  # the first seals new data; both open old
    env = {
        **os.environ,
        "SEETHESIGNS_MODE": "development",
        "AUDIT_KEY": settings.AUDIT_KEY,  # the key the test database's entries were chained with
        "DATA_KEYS": data_keys,
        "BACKUP_KEY": backup_key,
        "DJANGO_SETTINGS_MODULE": "seethesigns.settings",
    }
    clone = tmp_path / "clone.backup"
    _manage({**env, "DATABASE_URL": test_db}, "backup", str(clone))
    _manage({**env, "DATABASE_URL": source}, "restore", str(clone))
    plant = (
        "from seethesigns.dataprotection.tests.plant import plant, plant_relabelled_record; "
        "plant(); plant_relabelled_record()"
    )
    _manage({**env, "DATABASE_URL": source}, "shell", "-c", plant)

    encrypted, plain = tmp_path / "encrypted.backup", tmp_path / "plain.backup"
    made = _manage({**env, "DATABASE_URL": source}, "backup", str(encrypted)).stdout
    assert "encrypted with BACKUP_KEY" in made
    _manage({**env, "DATABASE_URL": source}, "backup", "--unencrypted", str(plain))

    # What was written about the child is ciphertext even in the unencrypted file; the name,
    # kept in the clear by the database, shows the search would have found the sentence.
    plain_bytes = plain.read_bytes()
    assert LAST_NAME.encode() in plain_bytes
    assert SENTENCE.encode() not in plain_bytes
    assert b"silver hatchback" not in plain_bytes
    encrypted_bytes = encrypted.read_bytes()
    for secret in [LAST_NAME, SENTENCE, settings.AUDIT_KEY, backup_key, *data_keys.split(",")]:
        assert secret.encode() not in encrypted_bytes
    for key in [settings.AUDIT_KEY, backup_key, *data_keys.split(",")]:
        assert key.encode() not in plain_bytes

    output = _manage({**env, "DATABASE_URL": restored}, "restore", str(encrypted)).stdout
    assert "every table matches the backup" in output
    assert "The audit trail is intact" in output

    # An independent count and checksum of every table on both sides.
    before = json.loads(_manage({**env, "DATABASE_URL": source}, "table_checksums").stdout)
    after = json.loads(_manage({**env, "DATABASE_URL": restored}, "table_checksums").stdout)
    assert after == before
    tables = before["tables"]
    assert len(tables) > 90
    assert tables["cases_child"][0] >= 1
    assert tables["screening_screening"][0] >= 1
    assert tables["referrals_referral"][0] >= 1
    assert tables["audit_auditentry"][0] >= 4
    assert tables["links_entityrevision"][0] >= 1
    rows = sum(count for count, _ in tables.values())
    print(f"compared {len(tables)} tables, {rows} rows: identical")

    check = _manage({**env, "DATABASE_URL": restored}, "verify_audit")
    assert "The audit trail is intact" in check.stdout
    # The same chain does not verify under another key: the check can fail.
    wrong = _manage(
        {**env, "DATABASE_URL": restored, "AUDIT_KEY": "not-the-key"}, "verify_audit", check=False
    )
    assert wrong.returncode != 0

    # The restored system reads what was sealed, with the keys kept apart from the backup.
    read_back = (
        "from seethesigns.screening.models import Screening; "
        "print([s.contents for s in Screening.objects.all()])"
    )
    shown = _manage({**env, "DATABASE_URL": restored}, "shell", "-c", read_back).stdout
    assert SENTENCE in shown
    # A record's earlier label came back, and the database still refuses to let it go.
    remove = (
        "from seethesigns.network.models import EntityRevision as R; "
        f"print(list(R.objects.values_list('label', flat=True))); "
        f"R.objects.filter(label={FIRST_LABEL!r}).delete()"
    )
    refused = _manage({**env, "DATABASE_URL": restored}, "shell", "-c", remove, check=False)
    assert FIRST_LABEL in refused.stdout
    assert refused.returncode != 0 and "append-only" in refused.stderr

    # Restoring never writes over a database that has tables.
    again = _manage({**env, "DATABASE_URL": restored}, "restore", str(encrypted), check=False)
    assert again.returncode != 0
    assert "fresh, empty database" in again.stderr


def _file(key: str, payload: bytes) -> bytes:
    out = io.BytesIO()
    _write(out, _with_manifest({"engine": "sqlite"}, iter([payload])), key)
    return out.getvalue()


def test_an_encrypted_backup_reads_back_only_whole_and_with_its_key():
    key = new_backup_key()
    payload = os.urandom(3 * 1024 * 1024 + 17)  # several chunks
    data = _file(key, payload)
    assert b"".join(_read(io.BytesIO(data), key)).endswith(payload)

    flipped = bytearray(data)
    flipped[len(data) // 2] ^= 1
    with pytest.raises(BackupError, match="altered"):
        b"".join(_read(io.BytesIO(bytes(flipped)), key))
    with pytest.raises(BackupError, match="altered"):
        b"".join(_read(io.BytesIO(data), new_backup_key()))
    with pytest.raises(BackupError, match="cut short"):
        b"".join(_read(io.BytesIO(data[: len(data) - 1024 * 1024]), key))
    with pytest.raises(BackupError, match="BACKUP_KEY"):
        b"".join(_read(io.BytesIO(data), ""))
