"""The partnership's side of the linkage hub: what is sent, withdrawn and received (issue 21)."""

import json
import random
import re
import time
from datetime import date
from typing import Any

import pytest
from django.db import transaction

from seethesigns.accounts.models import User
from seethesigns.audit.models import AuditEntry
from seethesigns.children.actions import do_update_child
from seethesigns.children.models import Child
from seethesigns.dataprotection.actions import do_erase_child, do_erase_expired_record
from seethesigns.dataprotection.retention import record_type
from seethesigns.linkage import records, sync
from seethesigns.linkage.models import HubAlert, HubCursor, SentRecord
from seethesigns.linkage.tests.fakes import HUB, FakeHub, raised, withdrawn
from seethesigns.network.actions import do_create_entity, do_update_entity
from seethesigns.network.models import Entity

pytestmark = pytest.mark.django_db


def _run(hub: FakeHub) -> sync.Result:
    return sync.run(HUB, hub)  # type: ignore[arg-type]


def _vehicle(label: str) -> Entity:
    coordinator = User.objects.get(username="demo-coordinator")
    return do_create_entity(
        {"kind": "vehicle", "label": label}, acting_user=coordinator, request=None
    )


def test_each_record_is_sent_once_under_a_random_reference_and_again_only_when_changed():
    hub = FakeHub()
    first = _run(hub)
    kinds = {e["kind"] for e in hub.sent}
    # The demo holds people of concern, vehicles, phones, handles and children who went missing.
    assert {"person", "vehicle", "phone", "handle", "child"} <= kinds
    assert first.sent == len(hub.sent) == SentRecord.objects.count() > 5
    refs = [e["ref"] for e in hub.sent]
    assert all(re.fullmatch(r"[0-9a-f]{32}", ref) for ref in refs) and len(set(refs)) == len(refs)
    assert _run(hub).sent == 0  # nothing changed: nothing resent

    car = _vehicle("AB12 CDE")
    coordinator = User.objects.get(username="demo-coordinator")
    third = _run(hub)
    assert third.sent == 1 and hub.sent[-1]["kind"] == "vehicle"
    ref = hub.sent[-1]["ref"]
    assert SentRecord.objects.get(ref=ref).source_id == car.pk
    do_update_entity(car, car.version, {"label": "AB12 CDF"}, acting_user=coordinator, request=None)
    assert _run(hub).sent == 1 and hub.sent[-1]["ref"] == ref  # the same ref replaces it


def test_what_is_sent_holds_no_name_number_or_plate():
    hub = FakeHub()
    _run(hub)
    sent = json.dumps(hub.sent).lower()
    labels = Entity.objects.filter(kind__in=["vehicle", "phone", "handle", "person"])
    plain = [label.lower() for label in labels.values_list("label", flat=True)]
    plain += [name.lower() for name in Child.objects.values_list("last_name", flat=True)]
    assert plain and not [value for value in plain if value in sent]
    for encoding in hub.sent:
        assert set(encoding) == {"ref", "kind", "fields", "blocks"}
        assert all(re.fullmatch(r"[0-9a-f]+", block) for block in encoding["blocks"])
    # Our own record numbers are not the references.
    ids = {str(pk) for pk in Entity.objects.values_list("pk", flat=True)}
    assert not ids & {e["ref"] for e in hub.sent}


def test_an_erasure_queues_the_withdrawal_in_its_own_transaction_and_the_sync_sends_it():
    hub = FakeHub()
    car = _vehicle("XY99 ZZZ")
    _run(hub)
    ref = SentRecord.objects.get(source="entity", source_id=car.pk).ref
    # An erasure that fails queues nothing.
    car_id = car.pk
    with pytest.raises(RuntimeError), transaction.atomic():
        do_erase_expired_record(record_type("record"), car)
        raise RuntimeError
    assert not SentRecord.objects.get(ref=ref).withdraw
    do_erase_expired_record(record_type("record"), Entity.objects.get(pk=car_id))
    assert SentRecord.objects.get(ref=ref).withdraw
    erase = AuditEntry.objects.filter(action="dataprotection.erase").latest("seq")
    assert erase.data["hub_withdrawals"] == 1
    result = _run(hub)
    assert result.withdrawn == 1 and hub.withdrawn == [ref] and ref not in hub.held
    assert not SentRecord.objects.filter(ref=ref).exists()


def test_erasing_a_child_who_went_missing_withdraws_the_child():
    hub = FakeHub()
    _run(hub)
    sent = SentRecord.objects.filter(source="child").first()
    assert sent is not None
    dpo = User.objects.get(username="demo-dpo")
    do_erase_child(Child.objects.get(pk=sent.source_id), "Asked.", acting_user=dpo, request=None)
    _run(hub)
    assert sent.ref in hub.withdrawn


def test_a_child_placed_out_of_area_is_sent_while_placed_and_one_neither_placed_nor_missing_not():
    dsl = User.objects.get(username="demo-dsl")
    made = {"team": dsl.team, "created_by": dsl, "date_of_birth": date(2011, 6, 2)}
    placed = Child.objects.create(first_name="Priya", last_name="Placed", **made)
    neither = Child.objects.create(first_name="Nell", last_name="Neither", **made)
    hub = FakeHub()
    _run(hub)
    children = SentRecord.objects.filter(source="child")
    assert not children.filter(source_id__in=[placed.pk, neither.pk]).exists()

    placed = do_update_child(
        placed, placed.version, {"placed_out_of_area": True}, acting_user=dsl, request=None
    )
    result = _run(hub)
    assert result.sent == 1 and hub.sent[-1]["kind"] == "child"
    ref = hub.sent[-1]["ref"]
    assert SentRecord.objects.get(ref=ref).source_id == placed.pk
    assert not children.filter(source_id=neither.pk).exists()
    # Placed and missing both (the demo's Leah): offered once.
    assert Child.objects.filter(placed_out_of_area=True, missing_episodes__isnull=False).exists()
    offered = list(records.offered_children().values_list("pk", flat=True))
    assert placed.pk in offered and neither.pk not in offered
    assert len(offered) == len(set(offered))

    # The placement ends and the child never went missing: withdrawn.
    do_update_child(
        placed, placed.version, {"placed_out_of_area": False}, acting_user=dsl, request=None
    )
    assert _run(hub).withdrawn == 1 and hub.withdrawn == [ref]
    assert not children.filter(source_id=placed.pk).exists()


def test_alerts_arrive_once_close_when_withdrawn_and_are_audited():
    hub = FakeHub()
    car = _vehicle("LM70 ABC")
    _run(hub)
    ref = SentRecord.objects.get(source="entity", source_id=car.pk).ref
    hub.events = [
        raised(1, 10, ref),
        raised(2, 10, ref),  # the same match again: one alert
        {"id": 3, "event": "raised"},  # unreadable: skipped, the cursor moves on
        raised(4, 11, ref, "possibly"),
    ]
    result = _run(hub)
    assert result.alerts == {"raised": 2, "closed": 0, "skipped": 1}
    assert HubCursor.objects.get(pk=1).after == 4
    alert = HubAlert.objects.get(match_id=10)
    assert (alert.source, alert.source_id, alert.kind) == ("entity", car.pk, "vehicle")
    assert alert.partnership_name.startswith("Eastfield")
    assert alert.coordinator_phone == "01632 960 777" and alert.is_open
    received = AuditEntry.objects.filter(action="linkage.receive_alert")
    assert {e.data["match"] for e in received} == {10, 11}
    hub.events.append(withdrawn(5, 10, ref))
    again = _run(hub)
    # What was read is read again (an overlap) and changes nothing: one alert closed, none raised.
    assert hub.asked_after[-1] < 4 and again.alerts == {"raised": 0, "closed": 1, "skipped": 0}
    assert AuditEntry.objects.filter(action="linkage.receive_alert").count() == 2
    alert.refresh_from_db()
    assert alert.closed == "withdrawn" and alert.closed_at is not None and not alert.is_open
    assert AuditEntry.objects.filter(action="linkage.close_alert", object_id=str(alert.pk)).exists()
    sync_entry = AuditEntry.objects.filter(action="linkage.sync").latest("seq")
    assert "alerts_closed" in sync_entry.data and not set(sync_entry.data.values()) & {ref}


def test_the_command_does_nothing_while_the_hub_is_off(settings: Any, capsys: Any):
    from django.core.management import call_command

    settings.LINKAGE_HUB_URL = ""
    call_command("linkage_sync")
    assert "off" in capsys.readouterr().out
    assert not SentRecord.objects.exists()


def test_a_new_version_of_the_encoder_sends_every_record_again_under_the_same_refs(monkeypatch):
    from seethesigns.linkage import records

    hub = FakeHub()
    first = _run(hub)
    refs = {e["ref"] for e in hub.sent}
    monkeypatch.setattr(records, "encoder_version", lambda: "a-new-encoder")
    again = _run(hub)
    assert again.sent == first.sent and {e["ref"] for e in hub.sent[first.sent :]} == refs
    assert _run(hub).sent == 0


def test_an_event_committed_after_a_later_one_was_read_still_arrives(monkeypatch: Any):
    hub = FakeHub()
    car = _vehicle("LM70 ABD")
    _run(hub)
    ref = SentRecord.objects.get(source="entity", source_id=car.pk).ref
    clock = [time.time() + 1]
    monkeypatch.setattr(sync, "_now", lambda: clock[0])
    hub.events = [raised(1, 10, ref), raised(3, 12, ref)]  # 2 is still in a hub transaction
    _run(hub)
    clock[0] += 60
    hub.events.insert(1, raised(2, 11, ref))  # now committed, numbered below 3
    assert _run(hub).alerts["raised"] == 1
    assert set(HubAlert.objects.values_list("match_id", flat=True)) == {10, 11, 12}
    # Reads old enough are no longer re-read: the overlap does not grow without end.
    clock[0] += 2 * sync.OVERLAP_SECONDS
    _run(hub)
    clock[0] += 60
    _run(hub)
    assert hub.asked_after[-1] == 3


class _FailingSend(FakeHub):
    def send(self, encodings: list[dict[str, Any]]) -> int:
        from seethesigns.linkage.client import HubError

        raise HubError("The hub refused POST /v1/encodings: 400 encodings[0] is wrong")


def test_a_failed_send_neither_stops_erasures_being_withdrawn_nor_alerts_arriving(monkeypatch):
    hub = FakeHub()
    car = _vehicle("GO70 NEW")
    _run(hub)
    ref = SentRecord.objects.get(source="entity", source_id=car.pk).ref
    other = _vehicle("ER45 SED")
    _run(hub)
    erased = SentRecord.objects.get(source="entity", source_id=other.pk).ref
    do_erase_expired_record(record_type("record"), other)  # queued for withdrawal
    gone = SentRecord.objects.create(ref="f" * 32, source="entity", source_id=10**9, digest="x")
    coordinator = User.objects.get(username="demo-coordinator")
    do_update_entity(car, car.version, {"label": "GO70 NEX"}, acting_user=coordinator, request=None)
    failing = _FailingSend()
    failing.held, failing.events = hub.held, [raised(1, 10, ref)]
    result = _run(failing)
    assert result.failures.keys() == {"send"} and "400" in result.failures["send"]
    assert sorted(failing.withdrawn) == sorted([erased, gone.ref])
    assert not SentRecord.objects.filter(ref__in=[erased, gone.ref]).exists()
    assert result.alerts["raised"] == 1 and HubAlert.objects.filter(match_id=10).exists()


def test_a_record_that_cannot_be_encoded_is_skipped_and_counted(monkeypatch):
    real = sync.wire

    def wire(kind: str, identifiers: dict[str, Any], ref: str, key: bytes) -> dict[str, Any]:
        if kind == "vehicle":
            raise ValueError("odd")
        return real(kind, identifiers, ref, key)

    monkeypatch.setattr(sync, "wire", wire)
    hub = FakeHub()
    result = _run(hub)
    assert result.unencodable > 0 and result.sent > 0 and not result.failures
    assert "vehicle" not in {e["kind"] for e in hub.sent}


def test_an_encoding_the_hub_would_refuse_is_skipped_and_counted_not_sent(monkeypatch):
    """The hub's own check runs before sending: an encoding it would refuse (here a vehicle's
    filter made of the whole of a long plate, as an encoder without the cut would make it) is
    counted as unencodable, and the rest of the batch still goes."""
    from pprl import encode

    monkeypatch.setitem(encode.FILTER_CHARS, "value", 10**6)
    car = Entity.objects.filter(kind="vehicle").first()
    assert car is not None
    Entity.objects.filter(pk=car.pk).update(label="".join(random.Random(3).choices(
        "ABCDEFGHJKLMNPRSTUVWXYZ0123456789", k=300)))  # fmt: skip
    hub = FakeHub()
    result = _run(hub)
    assert result.unencodable == 1 and result.sent > 0 and not result.failures
    assert len(hub.sent) == result.sent


def test_the_command_names_the_phase_that_failed_and_exits_non_zero(monkeypatch):
    from django.core.management import CommandError, call_command

    monkeypatch.setattr(sync, "hub_settings", lambda: HUB)
    monkeypatch.setattr(sync, "HubClient", lambda hub: _FailingSend())
    monkeypatch.setattr(
        "seethesigns.linkage.management.commands.linkage_sync.enabled", lambda: True
    )
    monkeypatch.setattr(
        "seethesigns.linkage.management.commands.linkage_sync.hub_settings", lambda: HUB
    )
    with pytest.raises(CommandError, match="The send failed: The hub refused"):
        call_command("linkage_sync")


def test_a_stronger_match_of_a_known_alert_updates_it_and_is_audited():
    hub = FakeHub()
    car = _vehicle("ST70 RNG")
    _run(hub)
    ref = SentRecord.objects.get(source="entity", source_id=car.pk).ref
    hub.events = [raised(1, 10, ref, "possibly")]
    _run(hub)
    assert HubAlert.objects.get(match_id=10).strength == "possibly"
    hub.events.append(raised(2, 10, ref, "very_likely"))
    _run(hub)  # reads event 1 again as well: the older strength does not come back
    alert = HubAlert.objects.get(match_id=10)
    assert (alert.strength, alert.probability) == ("very_likely", 0.97)
    [entry] = AuditEntry.objects.filter(action="linkage.restrength_alert")
    assert entry.data == {"match": 10, "from": "possibly", "to": "very_likely"}
