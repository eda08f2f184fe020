"""A hub in memory for the partnership's side's tests: what was sent, and events to hand back."""

from typing import Any

from seethesigns.linkage.client import HubSettings

HUB = HubSettings(
    url="http://127.0.0.1:9",
    partnership="northbridge",
    signing_key=b"",
    encoding_key=b"k" * 32,
    timeout=1.0,
)


class FakeHub:
    def __init__(self) -> None:
        self.held: dict[str, dict[str, Any]] = {}
        self.sent: list[dict[str, Any]] = []
        self.withdrawn: list[str] = []
        self.events: list[dict[str, Any]] = []
        self.asked_after: list[int] = []

    def send(self, encodings: list[dict[str, Any]]) -> int:
        self.sent += encodings
        for encoding in encodings:
            self.held[encoding["ref"]] = encoding
        return len(encodings)

    def withdraw(self, refs: list[str]) -> int:
        self.withdrawn += refs
        return sum(self.held.pop(ref, None) is not None for ref in refs)

    def alerts(self, after: int) -> list[dict[str, Any]]:
        self.asked_after.append(after)
        return [e for e in self.events if e["id"] > after][:500]

    def me(self) -> dict[str, Any]:
        return {"slug": "northbridge", "name": "Northbridge"}


def raised(event_id: int, match: int, ref: str, strength: str = "very_likely") -> dict[str, Any]:
    return {
        "id": event_id,
        "match": match,
        "event": "raised",
        "ref": ref,
        "kind": "vehicle",
        "strength": strength,
        "probability": 0.97 if strength == "very_likely" else 0.4,
        "partnership": {
            "name": "Eastfield Safeguarding Children Partnership",
            "coordinator": {"name": "Erin Eastfield", "phone": "01632 960 777"},
        },
        "at": "2026-12-05T07:00:00+00:00",
    }


def withdrawn(event_id: int, match: int, ref: str) -> dict[str, Any]:
    return {"id": event_id, "match": match, "event": "withdrawn", "ref": ref}


def a_hub_alert(kind: str = "vehicle", source_id: int | None = None, **values: Any) -> Any:
    """An open alert in the coordinator's inbox about one of the demo's records; `values`
    overrides what the hub said (strength, partnership, coordinator...)."""
    from django.utils import timezone

    from seethesigns.linkage.models import HubAlert
    from seethesigns.network.models import Entity

    if source_id is None:
        source_id = (
            Entity.objects.filter(kind="vehicle").order_by("pk").values_list("pk", flat=True)[0]
        )
    last = HubAlert.objects.order_by("-match_id").values_list("match_id", flat=True).first()
    said = {
        "match_id": (last or 0) + 1,
        "ref": "0" * 32,
        "strength": "very_likely",
        "probability": 0.97,
        "partnership_name": "Eastfield Safeguarding Children Partnership",
        "coordinator_name": "Erin Eastfield",
        "coordinator_phone": "01632 960 777",
        "raised_at": timezone.now(),
    }
    return HubAlert.objects.create(
        source="entity", source_id=source_id, kind=kind, **(said | values)
    )
