"""Where the audit trail had got to, kept outside the database: a wipe or a cut tail shows.

The hash chain proves that the entries in the database follow one another; it cannot prove that
none are missing at the end, or that the whole trail was not deleted, because the only record
of the newest entry is in the same database. So, as each entry is committed, a checkpoint (its
number and hash, signed with AUDIT_KEY) is also written somewhere the database's users cannot
rewrite: an append-only file, syslog (usually forwarded to another machine), or both
(AUDIT_CHECKPOINTS). `manage.py verify_audit` compares the database with the newest checkpoint
it can read. See docs/security.md, "Keeping the audit checkpoints".
"""

import hashlib
import hmac
import json
import logging
import logging.handlers
import os
import socket
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

log = logging.getLogger(__name__)

MARKER = "seethesigns-audit-checkpoint"


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str  # when it was written, ISO 8601

    def signature(self) -> str:
        message = f"checkpoint\n{self.seq}\n{self.hash}\n{self.at}".encode()
        return hmac.new(settings.AUDIT_KEY.encode(), message, hashlib.sha256).hexdigest()

    def line(self) -> str:
        fields = {"seq": self.seq, "hash": self.hash, "at": self.at, "sig": self.signature()}
        return f"{MARKER} {json.dumps(fields, separators=(',', ':'))}"

    @property
    def when(self) -> str:
        """When it was written, as a person reads it."""
        try:
            moment = timezone.localtime(datetime.fromisoformat(self.at))
        except ValueError:
            return self.at
        return moment.strftime("%d %b %Y %H:%M:%S")


@dataclass(frozen=True)
class Sink:
    kind: str  # "file" or "syslog"
    target: str  # a path; for syslog, a socket path or host:port


def sinks(spec: Iterable[str] | None = None) -> list[Sink]:
    """AUDIT_CHECKPOINTS, read: `file:/path`, `syslog`, `syslog:/path`, `syslog:host:port`."""
    found = []
    for item in settings.AUDIT_CHECKPOINTS if spec is None else spec:
        kind, _, target = item.strip().partition(":")
        if kind == "file" and target:
            found.append(Sink("file", target))
        elif kind == "syslog":
            found.append(Sink("syslog", target or "/dev/log"))
        else:
            raise ImproperlyConfigured(
                f"AUDIT_CHECKPOINTS: {item!r} is not file:/path, syslog, syslog:/path or "
                "syslog:host:port."
            )
    return found


def write(seq: int, hash_: str) -> Checkpoint | None:
    """Write a checkpoint to every sink. Never raises: the entry itself is already committed."""
    targets = sinks()
    if not targets:
        return None
    checkpoint = Checkpoint(seq, hash_, now())
    line = checkpoint.line()
    for sink in targets:
        try:
            if sink.kind == "file":
                _append(Path(sink.target), line)
            else:
                _syslog(sink.target).emit(logging.makeLogRecord({"msg": line}))
        except Exception:
            log.exception("The audit checkpoint could not be written to %s.", sink.kind)
    return checkpoint


def now() -> str:
    return timezone.now().isoformat(timespec="microseconds")


def _append(path: Path, line: str) -> None:
    # O_APPEND: each line lands whole at the end, whichever worker writes it; the file may be
    # made append-only for the site's user (chattr +a), so that it can add but never rewrite.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, (line + "\n").encode())
    finally:
        os.close(fd)


_syslog_handlers: dict[str, logging.handlers.SysLogHandler] = {}


def _syslog(target: str) -> logging.handlers.SysLogHandler:
    if target not in _syslog_handlers:
        host, _, port = target.rpartition(":")
        address: str | tuple[str, int] = (host, int(port)) if port.isdigit() and host else target
        handler = logging.handlers.SysLogHandler(
            address=address,
            facility=logging.handlers.SysLogHandler.LOG_AUTH,
            socktype=socket.SOCK_DGRAM,
        )
        handler.ident = "seethesigns: "
        handler.append_nul = False  # one clean line per checkpoint in the log files
        _syslog_handlers[target] = handler
    return _syslog_handlers[target]


@dataclass
class Reading:
    checkpoints: list[Checkpoint]
    problems: list[str]
    sources: list[str]


# A year of a busy partnership is millions of checkpoints: verify keeps the newest, the most
# recent lines and every thousandth entry's, which is enough. A rewrite from any entry on changes
# every hash after it, the newest's included; a cut or a wipe shows against the newest alone.
RECENT_KEPT = 10_000
SAMPLE_EVERY = 1_000


def read(paths: Iterable[Path]) -> Reading:
    """The signed checkpoints in these files (our own file, or lines exported from syslog)."""
    reading = Reading([], [], [])
    recent: deque[Checkpoint] = deque(maxlen=RECENT_KEPT)
    sampled: list[Checkpoint] = []
    newest: Checkpoint | None = None
    for path in paths:
        try:
            lines = path.open(errors="replace")
        except OSError as error:
            reading.problems.append(
                f"The checkpoint file {path} cannot be read ({error.strerror}): the trail cannot "
                "be compared with it."
            )
            continue
        reading.sources.append(str(path))
        with lines:
            for number, raw in enumerate(lines, start=1):
                if MARKER not in raw:
                    continue
                checkpoint = _parse(raw)
                if checkpoint is None:
                    reading.problems.append(
                        f"Line {number} of {path} is a checkpoint not signed with the audit key: "
                        "someone else wrote it, or changed it."
                    )
                    continue
                recent.append(checkpoint)
                if checkpoint.seq % SAMPLE_EVERY == 0:
                    sampled.append(checkpoint)
                if newest is None or (checkpoint.seq, checkpoint.at) > (newest.seq, newest.at):
                    newest = checkpoint
    kept = list(dict.fromkeys([*sampled, *recent, *([newest] if newest else [])]))
    reading.checkpoints = kept
    return reading


def _parse(raw: str) -> Checkpoint | None:
    try:
        fields = json.loads(raw[raw.index(MARKER) + len(MARKER) :].strip().rstrip("\x00"))
        checkpoint = Checkpoint(int(fields["seq"]), str(fields["hash"]), str(fields["at"]))
        signed = hmac.compare_digest(checkpoint.signature(), str(fields["sig"]))
    except (ValueError, KeyError, TypeError):
        return None
    return checkpoint if signed else None


def readable_files() -> list[Path]:
    """The checkpoint files this site writes (syslog is read from an export: --checkpoints)."""
    return [Path(s.target) for s in sinks() if s.kind == "file"]
