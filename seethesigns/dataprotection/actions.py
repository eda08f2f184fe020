"""Erasures and subject access exports, each with its audit entry in the same transaction."""

from typing import Any

from django.db import transaction
from django.db.models import Model
from django.http import HttpRequest

from seethesigns.appendonly import erasing
from seethesigns.audit.actions import record
from seethesigns.children.models import Child
from seethesigns.dataprotection.models import Erasure, Why
from seethesigns.dataprotection.retention import RecordType, parts_of, record_type_of
from seethesigns.encryption import seal
from seethesigns.linkage.actions import queue_withdrawal

# Append-only tables whose rows an erasure may delete (appendonly.install, deletable=True).
APPEND_ONLY = [
    "cases_chronologyentry",
    "links_entityrevision",
    "concerns_concerndecision",
    "concerns_outsideshare",
    "referrals_referraldecision",
    "meetings_actionupdate",
    "links_disruptionupdate",
    "links_pairdecision",
]


def _erase(obj: Model, counts: dict[str, int]) -> None:
    """Delete a record after its parts (and their parts), counting each kind."""
    for part in parts_of(type(obj)):
        for item in part.model._default_manager.filter(**{part.part_of: obj.pk}).order_by("pk"):
            _erase(item, counts)
            counts[part.key] = counts.get(part.key, 0) + 1
    obj.delete()


def do_note_child_search(matches: int, *, acting_user: Any, request: HttpRequest | None) -> None:
    """The audit says that a search happened, never whose name was typed."""
    record(
        "dataprotection.find_child", actor=acting_user, request=request, data={"matches": matches}
    )


@transaction.atomic
def do_erase_child(
    child: Child, reason: str, *, acting_user: Any, request: HttpRequest | None
) -> Erasure:
    """Erase a child's record and everything that is part of it, on the DPO's decision."""
    return _erase_with_entry(child, Why.REQUEST, reason, acting_user=acting_user, request=request)


@transaction.atomic
def do_erase_expired_record(rt: RecordType, obj: Model) -> Erasure:
    """Erase one record whose retention period has ended (the retention job)."""
    if not rt.erasable:
        raise ValueError(f"{rt.key} records are never erased by the job.")
    return _erase_with_entry(obj, Why.RETENTION, "", acting_user=None, request=None)


def _erase_with_entry(
    obj: Model, why: str, reason: str, *, acting_user: Any, request: HttpRequest | None
) -> Erasure:
    rt = record_type_of(type(obj))
    # The entry names the record by type and number only, like every entry before it; entries
    # are never changed, so the chain still verifies after the record is gone.
    entry_target = type(obj)(pk=obj.pk)
    counts: dict[str, int] = {}
    record_id = str(obj.pk)
    # Its encodings leave the linkage hub too: queued here, in this transaction, and withdrawn
    # by the next `linkage_sync` (an erasure never waits on the hub or fails because it is down).
    withdrawn = queue_withdrawal(obj)
    with erasing(*APPEND_ONLY):  # the only way past their triggers
        _erase(obj, counts)
    erasure = Erasure.objects.create(
        erased_by=acting_user,
        record_type=rt.key,
        record_id=record_id,
        why=why,
        parts=counts,
        sealed_reason=seal({"reason": reason}) if reason else "",
    )
    data: dict[str, Any] = {"why": why, "erasure": erasure.pk, "parts": counts}
    if withdrawn:
        data["hub_withdrawals"] = withdrawn
    record("dataprotection.erase", actor=acting_user, obj=entry_target, request=request, data=data)
    return erasure


@transaction.atomic
def do_view_subject(child: Child, *, acting_user: Any, request: HttpRequest) -> None:
    record("dataprotection.view_subject", actor=acting_user, obj=child, request=request)


@transaction.atomic
def do_export_subject(child: Child, fmt: str, *, acting_user: Any, request: HttpRequest) -> None:
    record(
        "dataprotection.export_subject",
        actor=acting_user,
        obj=child,
        request=request,
        data={"format": fmt},
    )
