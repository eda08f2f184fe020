"""Alerts from the hub received, viewed and decided, and withdrawals queued: each audited."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from seethesigns.audit.actions import record
from seethesigns.linkage.models import HubAlert, HubCursor, SentRecord, Source, Strength


def source_of(obj: Model) -> str:
    """Which kind of local record this is, as SentRecord names it ("" for one never sent)."""
    label = obj._meta.label_lower
    return {"links.entity": Source.ENTITY, "cases.child": Source.CHILD}.get(label, "")


def queue_withdrawal(obj: Model) -> int:
    """Mark a record's encodings for withdrawal from the hub, inside the caller's transaction.

    Called by an erasure (dataprotection) before the record goes: the next `linkage_sync`
    sends the withdrawal and deletes the row. Queued rather than sent at once, so an erasure
    never waits on the network or fails because the hub is down; nothing is lost if it is.
    """
    source = source_of(obj)
    if not source:
        return 0
    return SentRecord.objects.filter(source=source, source_id=obj.pk).update(withdraw=True)


class BadEvent(ValueError):
    """An event from the hub this side cannot use (its field says which)."""


def _event(raw: Any) -> dict[str, Any]:
    """The hub's event, checked: its fields with the right types, or BadEvent."""
    if not isinstance(raw, dict):
        raise BadEvent("not an object")
    try:
        event = {
            "id": int(raw["id"]),
            "match": int(raw["match"]),
            "event": str(raw["event"]),
            "ref": str(raw["ref"]),
        }
    except (KeyError, TypeError, ValueError) as e:
        raise BadEvent(f"missing or wrong {e}") from None
    if event["event"] not in {"raised", "withdrawn"}:
        raise BadEvent("event")
    if event["event"] == "withdrawn":
        return event
    partnership = raw.get("partnership")
    partnership = partnership if isinstance(partnership, dict) else {}
    coordinator = partnership.get("coordinator")
    coordinator = coordinator if isinstance(coordinator, dict) else {}
    strength = str(raw.get("strength", ""))
    if strength not in Strength.values:
        raise BadEvent("strength")
    try:
        probability = min(1.0, max(0.0, float(raw.get("probability", 0.0))))
    except (TypeError, ValueError):
        raise BadEvent("probability") from None
    at = parse_datetime(str(raw.get("at", ""))) if raw.get("at") else None
    event.update(
        kind=str(raw.get("kind", ""))[:10],
        strength=strength,
        probability=probability,
        partnership_name=str(partnership.get("name", "") or "another partnership")[:200],
        coordinator_name=str(coordinator.get("name", "") or "")[:200],
        coordinator_phone=str(coordinator.get("phone", "") or "")[:60],
        at=at if isinstance(at, datetime) else timezone.now(),
    )
    return event


@transaction.atomic
def do_receive_hub_events(events: Iterable[Any]) -> dict[str, int]:
    """Store the hub's events in the coordinator's inbox and move the cursor past them.

    "raised" makes an alert (once per match); "withdrawn" closes it. An event this side cannot
    use is counted and skipped (the cursor still moves on, so one bad event never blocks the
    rest). Each alert received and each closed writes its audit entry. An event read again
    (sync re-reads an overlap) changes nothing.
    """
    counts = {"raised": 0, "closed": 0, "skipped": 0}
    cursor, _ = HubCursor.objects.select_for_update().get_or_create(pk=1)
    for raw in events:
        try:
            event = _event(raw)
        except BadEvent:
            has_id = isinstance(raw, dict) and isinstance(raw.get("id"), int)
            if has_id and raw["id"] <= cursor.after:
                continue  # counted when first read
            counts["skipped"] += 1
            if has_id:
                cursor.after = max(cursor.after, raw["id"])
            continue
        cursor.after = max(cursor.after, event["id"])
        if event["event"] == "raised":
            counts["raised"] += _raise(event)
        else:
            counts["closed"] += _close(event)
    cursor.synced_at = timezone.now()
    cursor.save()
    return counts


def _raise(event: dict[str, Any]) -> int:
    known = HubAlert.objects.filter(match_id=event["match"]).first()
    if known is not None:
        _restrength(known, event)
        return 0
    sent = SentRecord.objects.filter(ref=event["ref"]).first()
    alert = HubAlert.objects.create(
        match_id=event["match"],
        ref=event["ref"][:32],
        source=sent.source if sent else "",
        source_id=sent.source_id if sent else None,
        kind=sent.kind if sent else event["kind"],
        strength=event["strength"],
        probability=event["probability"],
        partnership_name=event["partnership_name"],
        coordinator_name=event["coordinator_name"],
        coordinator_phone=event["coordinator_phone"],
        raised_at=event["at"],
        hub_event=event["id"],
        # A match on a record already withdrawn here is closed as it arrives.
        closed_at=None if sent and not sent.withdraw else timezone.now(),
        closed="" if sent and not sent.withdraw else HubAlert.Closed.WITHDRAWN,
    )
    record(
        "linkage.receive_alert",
        obj=alert,
        data={"match": alert.match_id, "kind": alert.kind, "strength": alert.strength},
    )
    return 1


def _restrength(alert: HubAlert, event: dict[str, Any]) -> None:
    """Take a newer strength the hub gives a known match (the records changed, or its model)."""
    if event["id"] <= alert.hub_event:
        return  # read before, or older than what set the strength
    before = alert.strength
    changed = (alert.strength, alert.probability) != (event["strength"], event["probability"])
    alert.strength, alert.probability = event["strength"], event["probability"]
    alert.hub_event = event["id"]
    alert.save(update_fields=["strength", "probability", "hub_event"])
    if changed:
        record(
            "linkage.restrength_alert",
            obj=alert,
            data={"match": alert.match_id, "from": before, "to": alert.strength},
        )


def _close(event: dict[str, Any]) -> int:
    alert = HubAlert.objects.filter(match_id=event["match"], closed_at__isnull=True).first()
    if alert is None:
        return 0
    alert.closed_at = timezone.now()
    alert.closed = HubAlert.Closed.WITHDRAWN
    alert.save(update_fields=["closed_at", "closed"])
    record("linkage.close_alert", obj=alert, data={"match": alert.match_id, "why": "withdrawn"})
    return 1


def do_note_sync(counts: dict[str, int]) -> None:
    """Audit one exchange with the hub: how many records went each way, never which."""
    record("linkage.sync", data=counts)


def do_view_hub_alerts(shown: int, *, acting_user: Any, request: HttpRequest | None) -> None:
    """Audit a look at the inbox of matches with other partnerships: how many it listed."""
    record("linkage.view_alerts", actor=acting_user, request=request, data={"alerts": shown})


def do_view_hub_alert(alert: HubAlert, *, acting_user: Any, request: HttpRequest | None) -> None:
    """Audit a look at one alert."""
    record(
        "linkage.view_alert",
        actor=acting_user,
        obj=alert,
        request=request,
        data={"match": alert.match_id},
    )


@transaction.atomic
def do_decide_hub_alert(
    alert: HubAlert, decision: str, note: str, *, acting_user: Any, request: HttpRequest | None
) -> HubAlert:
    """The coordinator's answer to an alert, kept once: a second answer keeps the first."""
    fresh = HubAlert.objects.select_for_update().get(pk=alert.pk)
    if fresh.decision:
        return fresh
    fresh.decision = decision
    fresh.decision_note = note[:500]
    fresh.decided_by = acting_user
    fresh.decided_at = timezone.now()
    fresh.save(update_fields=["decision", "decision_note", "decided_by", "decided_at"])
    record(
        "linkage.decide_alert",
        actor=acting_user,
        obj=fresh,
        request=request,
        data={"match": fresh.match_id, "decision": decision},
    )
    return fresh
