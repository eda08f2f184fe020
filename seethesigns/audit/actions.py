"""Write audit entries. Call record() inside the transaction that makes the change."""

from typing import Any

from django.db import connection, transaction
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone

from seethesigns.addresses import client_ip
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
    return entry


def _lock_chain() -> None:
    """Serialise writers so two entries never claim the same place in the chain."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [0x5EE7_A0D1])


def verify() -> list[str]:
    """Return a problem per broken link: an altered, inserted or deleted entry. Empty is good."""
    problems = []
    expected_seq = 1
    prev_hash = GENESIS
    for entry in AuditEntry.objects.order_by("seq").iterator():
        if entry.seq != expected_seq:
            problems.append(
                f"Entry #{expected_seq} is missing (next found is #{entry.seq}): deleted."
            )
        if entry.prev_hash != prev_hash:
            problems.append(
                f"Entry #{entry.seq} does not follow the entry before it: inserted or reordered."
            )
        if entry.compute_hash() != entry.hash:
            problems.append(
                f"Entry #{entry.seq} ({entry.action}) was altered after it was written."
            )
        expected_seq = entry.seq + 1
        prev_hash = entry.hash
    head = AuditHead.objects.filter(pk=1).first()
    last_seq = expected_seq - 1
    if head is None:
        if last_seq:
            problems.append("The record of the newest entry is missing.")
    elif head.seal != head_seal(head.seq, head.hash):
        problems.append("The record of the newest entry was altered.")
    elif (head.seq, head.hash) != (last_seq, prev_hash):
        problems.append(
            f"Entries after #{last_seq} are missing (the newest was #{head.seq}): deleted."
        )
    return problems
