"""Write audit entries. Call record() inside the transaction that makes the change."""

from collections.abc import Sequence
from copy import copy
from typing import Any

from django.db import connection, transaction
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone

from seethesigns.addresses import client_ip
from seethesigns.audit import checkpoints as checkpoint_store
from seethesigns.audit.checkpoints import Checkpoint
from seethesigns.audit.models import GENESIS, AuditEntry, AuditHead, head_seal


@transaction.atomic
def record(
    action: str,
    *,
    actor: Any = None,
    obj: Model | None = None,
    request: HttpRequest | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the chain. `data` must never hold what a person wrote about a child."""
    _lock_chain()
    last = AuditEntry.objects.order_by("-seq").first()
    entry = AuditEntry(
        seq=(last.seq + 1) if last else 1,
        at=timezone.now(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_label=str(getattr(actor, "username", "") or "anonymous"),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        ip=(client_ip(request) or None) if request is not None else None,
        data=data or {},
        prev_hash=last.hash if last else GENESIS,
    )
    entry.hash = entry.compute_hash()
    entry.save()
    AuditHead.objects.update_or_create(
        pk=1,
        defaults={"seq": entry.seq, "hash": entry.hash, "seal": head_seal(entry.seq, entry.hash)},
    )
    # Only once committed: a checkpoint for an entry rolled back would look like a cut tail.
    transaction.on_commit(lambda: checkpoint_store.write(entry.seq, entry.hash))
    return entry


def do_note_audit_search(
    criteria: dict[str, str], *, export: bool = False, acting_user: Any, request: HttpRequest
) -> None:
    """The audit keeps its own searches and exports, with what was asked for."""
    action = "audit.export" if export else "audit.search"
    record(action, actor=acting_user, request=request, data=criteria)


def _lock_chain() -> None:
    """Serialise writers so two entries never claim the same place in the chain."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [0x5EE7_A0D1])


def verify(checkpoints: Sequence[Checkpoint] = ()) -> list[str]:
    """Say, in words, each way the trail differs from an untouched one. Empty is good.

    The chain finds entries changed, added, removed or moved (swapped, renumbered); the head
    record finds a cut tail; the checkpoints kept outside the database (checkpoints.py) find a
    cut tail or a complete wipe even when the head record went with it, and a rewind.
    """
    problems: list[str] = []
    written: dict[int, Checkpoint] = {}
    for kept in sorted(checkpoints, key=lambda c: c.at):
        written.setdefault(kept.seq, kept)  # the first written: a rewrite since then shows
    differs: list[str] = []
    expected_seq = 1
    prev_hash = GENESIS
    for entry in AuditEntry.objects.order_by("seq").iterator():
        gap = entry.seq != expected_seq
        if gap:
            problems.append(_removed(expected_seq, entry.seq))
        sound = entry.compute_hash() == entry.hash
        if not sound:
            at = _written_at(entry)
            if at is not None and at != entry.seq:
                problems.append(
                    f"Entry #{entry.seq} ({entry.action}) was written as #{at}: it was moved "
                    "(entries swapped, or renumbered to make room for one added)."
                )
            else:
                problems.append(
                    f"Entry #{entry.seq} ({entry.action}) was changed after it was written, "
                    "or added by someone without the audit key."
                )
        elif entry.prev_hash != prev_hash and not gap:
            problems.append(
                f"Entry #{entry.seq} ({entry.action}) does not follow the entry before it: an "
                "entry was added, removed or moved just before it."
            )
        first = written.get(entry.seq)
        if first is not None and first.hash != entry.hash:
            differs.append(f"#{entry.seq}")
        expected_seq = entry.seq + 1
        prev_hash = entry.hash
    last_seq = expected_seq - 1
    problems += _head_problems(last_seq, prev_hash)
    if differs:
        problems.append(
            f"{_count(differs, 'entry', 'entries')} ({', '.join(differs[:5])}"
            f"{', …' if len(differs) > 5 else ''}) differ from the checkpoints written when "
            "they were made: changed, or the trail was rewound and written again."
        )
    problems += _checkpoint_problems(checkpoints, last_seq)
    return problems


def _removed(expected: int, found: int) -> str:
    if found == expected + 1:
        return f"Entry #{expected} is missing (the next found is #{found}): removed."
    return f"Entries #{expected} to #{found - 1} are missing (the next found is #{found}): removed."


def _count(items: list[str], one: str, many: str) -> str:
    return f"{len(items)} {one if len(items) == 1 else many}".capitalize()


def _written_at(entry: AuditEntry, depth: int = 0) -> int | None:
    """The place an entry was written at, found by following the chain back to a sound entry."""
    if entry.compute_hash() == entry.hash:
        return entry.seq
    if depth > 50:
        return None
    if entry.prev_hash == GENESIS:
        place = 1
    else:
        before = AuditEntry.objects.filter(hash=entry.prev_hash).first()
        at = _written_at(before, depth + 1) if before is not None else None
        if at is None:
            return None
        place = at + 1
    moved = copy(entry)
    moved.seq = place
    return place if moved.compute_hash() == entry.hash else None


def _head_problems(last_seq: int, last_hash: str) -> list[str]:
    head = AuditHead.objects.filter(pk=1).first()
    if head is None:
        return ["The record of the newest entry is missing: removed."] if last_seq else []
    if head.seal != head_seal(head.seq, head.hash):
        return ["The record of the newest entry was changed: its seal is wrong (forged)."]
    if head.seq > last_seq:
        if last_seq == 0:
            return [f"Every entry is missing (the newest was #{head.seq}): the trail was wiped."]
        return [
            f"Entries after #{last_seq} are missing (the newest was #{head.seq}): the end of "
            "the trail was cut."
        ]
    if head.seq < last_seq:
        return [
            f"Entries after #{head.seq} (to #{last_seq}) were added without the record of the "
            "newest entry moving on."
        ]
    if head.hash != last_hash:
        return [f"The newest entry, #{last_seq}, is not the one recorded: it was changed."]
    return []


def _checkpoint_problems(checkpoints: Sequence[Checkpoint], last_seq: int) -> list[str]:
    if not checkpoints:
        return []
    newest = max(checkpoints, key=lambda c: (c.seq, c.at))
    if newest.seq <= last_seq:
        return []
    if last_seq == 0:
        return [
            f"The trail is empty, but the checkpoint of {newest.when} shows it had reached "
            f"#{newest.seq}: it was wiped."
        ]
    return [
        f"Entries #{last_seq + 1} to #{newest.seq} were cut from the end: the checkpoint of "
        f"{newest.when} shows the trail had reached #{newest.seq} (cut, or rewound to an older "
        "copy of the database)."
    ]
