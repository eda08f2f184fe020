"""One exchange with the hub (`manage.py linkage_sync`): withdraw, send, pull alerts.

Records no longer offered are marked for withdrawal first; then the three phases run each on
its own, so that a failed send never keeps an erasure's withdrawal from the hub, and a failed
withdrawal never keeps alerts out of the inbox. Each phase's failure is reported in `failures`.

1. Withdraw: references queued by an erasure, and records no longer offered (gone, or a child
   who never went missing and is no longer placed out of area), are withdrawn; the hub deletes
   their encodings, and the rows go here.
2. Send: every record offered (records.py) whose keyed digest differs from what was last sent
   is encoded with the shared key (`pprl.encode`) and sent under its random reference; a new
   record gets a new reference (32 random hex digits, never our number), stored before sending
   so a failed send is retried under the same one. Unchanged records are not sent again. A
   record that cannot be encoded is skipped and counted (`unencodable`), not fatal.
3. Pull: the hub's events after an overlap (see `reread_from`): alerts raised and withdrawn.
   Reading an event twice changes nothing (an alert is raised once per match, closed once).

Only counts are logged and audited, never a value or a reference.
"""

import base64
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.utils import timezone

from seethesigns.linkage.actions import do_note_sync, do_receive_hub_events
from seethesigns.linkage.client import HubClient, HubError, HubSettings, hub_settings
from seethesigns.linkage.models import HubCursor, SentRecord
from seethesigns.linkage.records import Offered, offered

log = logging.getLogger(__name__)

SEND_BATCH = 500  # the hub takes at most 1000 a request
WITHDRAW_BATCH = 1000
ALERTS_PAGE = 500  # the hub's most events an answer
# Longer than any transaction of the hub's may last: an event is numbered when its transaction
# writes it but seen only when it commits, so a later-numbered event can be read first.
OVERLAP_SECONDS = 3600
_now = time.time  # a test moves the clock


@dataclass
class Result:
    offered: int = 0
    sent: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    unencodable: int = 0
    alerts: dict[str, int] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)  # phase: the client's message

    def counts(self) -> dict[str, int]:
        return {
            "offered": self.offered,
            "sent": self.sent,
            "unchanged": self.unchanged,
            "withdrawn": self.withdrawn,
            "unencodable": self.unencodable,
            **{f"alerts_{k}": v for k, v in self.alerts.items()},
            **{f"failed_{phase}": 1 for phase in self.failures},
        }


def wire(kind: str, identifiers: dict[str, Any], ref: str, key: bytes) -> dict[str, Any]:
    """The encoding of one record as the hub takes it: the reference, kind, fields and blocks."""
    from pprl.encode import encode
    from pprl.schema import check

    encoded = encode(kind, identifiers, key)
    # What the hub would refuse (a 400 for the whole batch, every run) is found here instead, and
    # the record counted as unencodable: the same check the hub makes.
    check(kind, encoded.fields)
    return {
        "ref": ref,
        "kind": kind,
        "fields": {name: base64.b64encode(bits).decode() for name, bits in encoded.fields.items()},
        "blocks": list(encoded.blocks),
    }


def run(hub: HubSettings | None = None, client: HubClient | None = None) -> Result:
    """Withdraw, send and pull, each phase on its own: a phase's failure is kept in `failures`."""
    hub = hub or hub_settings()
    client = client or HubClient(hub)
    result = Result()
    items = list(offered())
    result.offered = len(items)
    mark_gone(items)
    phases: list[tuple[str, Callable[[], None]]] = [
        ("withdraw", partial(withdraw, client, result)),
        ("send", partial(send, hub, client, result, items)),
        ("pull", partial(pull, client, result)),
    ]
    for phase, step in phases:
        try:
            step()
        except HubError as failed:
            result.failures[phase] = str(failed)
    do_note_sync(result.counts())
    log.info("linkage sync: %s", result.counts())
    return result


def mark_gone(items: list[Offered]) -> None:
    """Mark for withdrawal the records sent before and no longer offered (deleted, or a child
    no longer counted), before anything is sent."""
    seen = {(item.source, item.source_id) for item in items}
    gone = [
        pk
        for pk, source, source_id in SentRecord.objects.filter(withdraw=False).values_list(
            "pk", "source", "source_id"
        )
        if (source, source_id) not in seen
    ]
    for start in range(0, len(gone), WITHDRAW_BATCH):
        SentRecord.objects.filter(pk__in=gone[start : start + WITHDRAW_BATCH]).update(withdraw=True)


def send(hub: HubSettings, client: HubClient, result: Result, items: list[Offered]) -> None:
    known = {(r.source, r.source_id): r for r in SentRecord.objects.all()}
    batch: list[tuple[SentRecord, str, dict[str, Any]]] = []
    for item in items:
        row = known.get((item.source, item.source_id))
        digest = item.digest(hub.encoding_key)
        if row is not None and (row.withdraw or row.digest == digest):
            result.unchanged += not row.withdraw
            continue
        ref = row.ref if row is not None else secrets.token_hex(16)
        try:
            encoding = wire(item.kind, item.identifiers, ref, hub.encoding_key)
        except Exception as failed:  # one odd record must not stop the rest
            # The exception's type only: its message could hold what the record says.
            log.warning("a %s record could not be encoded: %s", item.kind, type(failed).__name__)
            result.unencodable += 1
            continue
        if row is None:
            row = SentRecord.objects.create(ref=ref, source=item.source, source_id=item.source_id)
        row.kind = item.kind  # the same ref again replaces the hub's copy, kind and all
        batch.append((row, digest, encoding))
        if len(batch) >= SEND_BATCH:
            _send(client, batch, result)
            batch = []
    if batch:
        _send(client, batch, result)


def _send(
    client: HubClient, batch: list[tuple[SentRecord, str, dict[str, Any]]], result: Result
) -> None:
    client.send([encoding for _, _, encoding in batch])
    now = timezone.now()
    for row, digest, _ in batch:
        SentRecord.objects.filter(pk=row.pk).update(digest=digest, kind=row.kind, sent_at=now)
    result.sent += len(batch)


def withdraw(client: HubClient, result: Result) -> None:
    queued = list(SentRecord.objects.filter(withdraw=True).order_by("pk").values_list("pk", "ref"))
    for start in range(0, len(queued), WITHDRAW_BATCH):
        chunk = queued[start : start + WITHDRAW_BATCH]
        client.withdraw([ref for _, ref in chunk])
        SentRecord.objects.filter(pk__in=[pk for pk, _ in chunk]).delete()
        result.withdrawn += len(chunk)


def reread_from(readings: list[list[float]]) -> int:
    """The id to re-read after: the newest id of the latest read that ended OVERLAP_SECONDS
    before the previous read began.

    An event missed by a read (its transaction still open) was numbered after that transaction
    began, less than OVERLAP_SECONDS before the read, so after every id seen by a read that had
    ended by then; it has committed by the next read, which asks from there."""
    if not readings:
        return 0
    limit = readings[-1][0] - OVERLAP_SECONDS
    old_enough = [after for _, ended, after in readings if ended <= limit]
    return int(old_enough[-1]) if old_enough else 0


def pull(client: HubClient, result: Result) -> None:
    totals: dict[str, int] = {"raised": 0, "closed": 0, "skipped": 0}
    cursor, _ = HubCursor.objects.get_or_create(pk=1)
    readings = cursor.readings or [[0, 0, cursor.after]]  # a cursor kept before readings
    started = _now()
    after = reread_from(readings)
    while True:
        events = client.alerts(after)
        counts = do_receive_hub_events(events)
        for key, value in counts.items():
            totals[key] = totals.get(key, 0) + value
        ids = [e["id"] for e in events if isinstance(e, dict) and isinstance(e.get("id"), int)]
        if len(events) < ALERTS_PAGE or not ids or max(ids) <= after:
            break
        after = max(ids)
    cursor = HubCursor.objects.get(pk=1)
    keep = reread_from(readings)
    # Forget readings older than the one the next sync may still re-read from.
    readings = [r for r in readings if r[2] >= keep] + [[started, _now(), cursor.after]]
    HubCursor.objects.filter(pk=1).update(readings=readings[-200:])
    result.alerts = totals
