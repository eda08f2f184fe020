"""Back up the database to one file and restore it into a fresh database.

The file holds the database as it is: concerns, notes, screenings and referrals stay sealed with
DATA_KEYS, which are never in the database. With BACKUP_KEY set, the whole file is encrypted as
well (AES-256-GCM in 1 MiB chunks), so the names and dates of birth the database keeps in the
clear are unreadable too. The file also carries a manifest taken from the same snapshot as the
dump: every table's row count and checksum, which the restore checks.

PostgreSQL is dumped with pg_dump (custom format) and restored with pg_restore, both of the
server's major version; SQLite with its backup API.
"""

import base64
import hashlib
import json
import os
import re
import shutil
import sqlite3
import struct
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.db import connection, transaction
from django.utils import timezone

MAGIC = b"SEETHESIGNS-BACKUP/1"
CHUNK = 1 << 20
NONCE_PREFIX = 7  # bytes; then a 4-byte chunk counter and a 1-byte "last chunk" flag


class BackupError(Exception):
    """Something a person running the command must fix; the message says what."""


def new_backup_key() -> str:
    """Return a new random BACKUP_KEY (32 bytes, URL-safe base64)."""
    return base64.urlsafe_b64encode(AESGCM.generate_key(bit_length=256)).decode()


def _cipher(key: str) -> AESGCM:
    try:
        raw = base64.urlsafe_b64decode(key.encode())
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise BackupError(
            "BACKUP_KEY must be 32 random bytes in URL-safe base64: make one with "
            "python -c 'from seethesigns.dataprotection.backup import new_backup_key; "
            "print(new_backup_key())'."
        )
    return AESGCM(raw)


# --- Checksums: what the restore must reproduce --------------------------------------------


def _cell(value: Any) -> str:
    if isinstance(value, memoryview | bytes):
        return bytes(value).hex()
    return repr(value)


def table_checksums(db: Any = None) -> dict[str, Any]:
    """Return every table's row count and a checksum of its rows, in any order of rows."""
    db = db or connection
    tables: dict[str, list[Any]] = {}
    quote = db.ops.quote_name
    with db.cursor() as cursor:
        for table in sorted(db.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 (a name from the catalogue)  # nosec B608
            digests = sorted(
                hashlib.sha256("\x1f".join(map(_cell, row)).encode()).hexdigest()
                for row in cursor.fetchall()
            )
            tables[table] = [len(digests), hashlib.sha256("".join(digests).encode()).hexdigest()]
        sequences: dict[str, int] = {}
        if db.vendor == "postgresql":
            cursor.execute("SELECT sequencename, last_value FROM pg_sequences ORDER BY 1")
            sequences = {name: value or 0 for name, value in cursor.fetchall()}
    return {"tables": tables, "sequences": sequences}


def compare(expected: dict[str, Any], found: dict[str, Any]) -> list[str]:
    """Return one line per table (or sequence) whose rows differ. Empty means identical."""
    problems = []
    for kind in ("tables", "sequences"):
        for name in sorted(set(expected[kind]) | set(found[kind])):
            want, got = expected[kind].get(name), found[kind].get(name)
            if want != got:
                problems.append(f"{kind[:-1]} {name}: expected {want}, found {got}")
    return problems


# --- The file: a header line, then the manifest and the dump, plain or encrypted ------------


def _frames(payload: Iterator[bytes]) -> Iterator[tuple[bytes, bool]]:
    """Yield the payload in CHUNK-sized pieces, each with whether it is the last."""
    buffer = b""
    for piece in payload:
        buffer += piece
        while len(buffer) > CHUNK:
            yield buffer[:CHUNK], False
            buffer = buffer[CHUNK:]
    yield buffer, True


def _write(out: IO[bytes], payload: Iterator[bytes], key: str) -> None:
    if not key:
        out.write(MAGIC + b" plain\n")
        for piece, _last in _frames(payload):
            out.write(piece)
        return
    cipher = _cipher(key)
    prefix = os.urandom(NONCE_PREFIX)
    header = MAGIC + b" aes-256-gcm " + base64.b64encode(prefix) + b"\n"
    out.write(header)
    for n, (piece, last) in enumerate(_frames(payload)):
        nonce = prefix + struct.pack(">I?", n, last)
        sealed = cipher.encrypt(nonce, piece, header)
        out.write(struct.pack(">I", len(sealed)) + sealed)


def _read(source: IO[bytes], key: str) -> Iterator[bytes]:
    header = source.readline(200)
    parts = header.split()
    if not parts or parts[0] != MAGIC:
        raise BackupError("This is not a SeeTheSigns backup file.")
    if parts[1:] == [b"plain"]:
        while piece := source.read(CHUNK):
            yield piece
        return
    if not key:
        raise BackupError("This backup is encrypted: set BACKUP_KEY to the key it was made with.")
    cipher = _cipher(key)
    prefix = base64.b64decode(parts[2])
    n, last = 0, False
    while not last:
        size = source.read(4)
        if len(size) < 4:
            raise BackupError("The backup file is cut short.")
        length = struct.unpack(">I", size)[0]
        sealed = source.read(length)
        if len(sealed) < length:
            raise BackupError("The backup file is cut short.")
        for last in (False, True):
            try:
                piece = cipher.decrypt(prefix + struct.pack(">I?", n, last), sealed, header)
                break
            except InvalidTag:
                continue
        else:
            raise BackupError("The backup file was altered, or BACKUP_KEY is not the key it used.")
        n += 1
        yield piece
    if source.read(1):
        raise BackupError("The backup file has data after its end: it was altered.")


def _with_manifest(manifest: dict[str, Any], dump: Iterator[bytes]) -> Iterator[bytes]:
    text = json.dumps(manifest, sort_keys=True).encode()
    yield struct.pack(">Q", len(text)) + text
    yield from dump


class _Stream:
    """Read exact byte counts from an iterator of pieces."""

    def __init__(self, pieces: Iterator[bytes]) -> None:
        self.pieces, self.buffer = pieces, b""

    def take(self, size: int) -> bytes:
        while len(self.buffer) < size:
            piece = next(self.pieces, None)
            if piece is None:
                raise BackupError("The backup file is cut short.")
            self.buffer += piece
        taken, self.buffer = self.buffer[:size], self.buffer[size:]
        return taken

    def rest(self) -> Iterator[bytes]:
        if self.buffer:
            yield self.buffer
        yield from self.pieces


# --- PostgreSQL --------------------------------------------------------------------------------


def _pg_env() -> dict[str, str]:
    """Connection settings for pg_dump and pg_restore: in the environment, never in argv."""
    db = connection.settings_dict
    values = {
        "PGHOST": db.get("HOST") or "",
        "PGPORT": str(db.get("PORT") or ""),
        "PGUSER": db.get("USER") or "",
        "PGPASSWORD": db.get("PASSWORD") or "",
        "PGDATABASE": db["NAME"],
    }
    return {**os.environ, **{k: v for k, v in values.items() if v}}


def pg_tool(name: str) -> str:
    """Return pg_dump or pg_restore of a major version at least the server's."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        server = int(cursor.fetchone()[0]) // 10000
    candidates = [str(Path(os.environ.get("PG_BIN_DIR", "/nonexistent")) / name)]
    candidates += [f"/usr/lib/postgresql/{server}/bin/{name}", shutil.which(name) or ""]
    for tool in candidates:
        if not tool or not os.access(tool, os.X_OK):
            continue
        output = subprocess.run([tool, "--version"], capture_output=True, text=True, check=True)  # noqa: S603 (a PostgreSQL program we chose)  # nosec B603
        found = re.search(r"(\d+)", output.stdout)
        if found and int(found.group(1)) >= server:
            return tool
    raise BackupError(
        f"{name} {server} or newer is needed for this PostgreSQL {server} server: install "
        f"Debian's postgresql-client-{server} (or set PG_BIN_DIR to its bin folder)."
    )


def _run_pg_dump(snapshot: str) -> Iterator[bytes]:
    command = [pg_tool("pg_dump"), "--format=custom", "--compress=0", "--no-owner"]
    command += ["--no-privileges", f"--snapshot={snapshot}"]
    process = subprocess.Popen(  # noqa: S603 (a fixed command: no input from anyone)  # nosec B603
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_pg_env()
    )
    assert process.stdout is not None  # noqa: S101 (for mypy: stdout=PIPE above)  # nosec B101
    while piece := process.stdout.read(CHUNK):
        yield piece
    _finish(process, "pg_dump")


def _finish(process: "subprocess.Popen[bytes]", name: str) -> None:
    error = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if process.wait() != 0:
        raise BackupError(f"{name} failed: {error.strip()}")


# --- The two commands' work --------------------------------------------------------------------


def backup(path: Path, key: str) -> dict[str, Any]:
    """Write the database to path; return the manifest. Encrypted when key is given."""
    partial = path.with_name(path.name + ".partial")
    try:
        with open(partial, "wb") as out:
            os.chmod(partial, 0o600)
            if connection.vendor == "postgresql":
                manifest = _backup_postgresql(out, key)
            elif connection.vendor == "sqlite":
                manifest = _backup_sqlite(out, key)
            else:
                raise BackupError(f"Backing up {connection.vendor} is not supported.")
        partial.replace(path)  # a backup file is whole or absent, never half-written
    finally:
        partial.unlink(missing_ok=True)
    return manifest


def _manifest(checksums: dict[str, Any]) -> dict[str, Any]:
    return {
        "engine": connection.vendor,
        "made_at": timezone.now().isoformat(),
        **checksums,
    }


def _backup_postgresql(out: IO[bytes], key: str) -> dict[str, Any]:
    # One snapshot for the dump and the manifest: both see the same rows even while people work.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        manifest = _manifest(table_checksums())
        _write(out, _with_manifest(manifest, _run_pg_dump(snapshot)), key)
    return manifest


def _backup_sqlite(out: IO[bytes], key: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "copy.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(copy)
        connection.connection.backup(target)  # a consistent copy, even while people work
        target.close()
        manifest = _manifest(_sqlite_checksums(copy))

        def pieces() -> Iterator[bytes]:
            with open(copy, "rb") as f:
                while piece := f.read(CHUNK):
                    yield piece

        _write(out, _with_manifest(manifest, pieces()), key)
    return manifest


def _sqlite_checksums(path: Path) -> dict[str, Any]:
    """The checksums of another SQLite file, through the same code as the live database."""
    from django.db.backends.sqlite3.base import DatabaseWrapper

    other = DatabaseWrapper({**connection.settings_dict, "NAME": str(path)}, alias="__backup__")
    try:
        return table_checksums(other)
    finally:
        other.close()


def restore(path: Path, key: str) -> dict[str, Any]:
    """Restore the backup at path into the (empty) configured database; return its manifest."""
    if connection.introspection.table_names():
        raise BackupError(
            f"The database {connection.settings_dict['NAME']} already has tables: restore only "
            "into a fresh, empty database."
        )
    with open(path, "rb") as source:
        stream = _Stream(_read(source, key))
        (size,) = struct.unpack(">Q", stream.take(8))
        manifest: dict[str, Any] = json.loads(stream.take(size))
        if manifest["engine"] != connection.vendor:
            raise BackupError(
                f"This is a {manifest['engine']} backup; the configured database is "
                f"{connection.vendor}."
            )
        if connection.vendor == "postgresql":
            _restore_postgresql(stream.rest())
        else:
            _restore_sqlite(stream.rest())
    return manifest


def _restore_postgresql(dump: Iterator[bytes]) -> None:
    command = [pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error"]
    command += ["--single-transaction", "--dbname", connection.settings_dict["NAME"]]
    connection.close()  # pg_restore works in its own session
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(  # noqa: S603 (a fixed command: no input from anyone)  # nosec B603
            command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=errors, env=_pg_env()
        )
        assert process.stdin is not None  # noqa: S101 (for mypy: stdin=PIPE above)  # nosec B101
        try:
            for piece in dump:
                process.stdin.write(piece)
        except BrokenPipeError:
            pass  # pg_restore stopped early; its message is read below
        except BaseException:
            process.kill()  # a bad file: its single transaction is rolled back
            process.wait()
            raise
        finally:
            process.stdin.close()
        if process.wait() != 0:
            errors.seek(0)
            raise BackupError(f"pg_restore failed: {errors.read().decode(errors='replace')}")


def _restore_sqlite(dump: Iterator[bytes]) -> None:
    target = Path(connection.settings_dict["NAME"])
    connection.close()
    with tempfile.TemporaryDirectory(dir=target.parent) as folder:
        copy = Path(folder) / "restored.sqlite3"
        with open(copy, "wb") as f:
            for piece in dump:
                f.write(piece)
        source = sqlite3.connect(copy)
        destination = sqlite3.connect(target)
        source.backup(destination)
        destination.close()
        source.close()
