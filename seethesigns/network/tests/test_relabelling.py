"""Relabelling a record loses nothing: the old label is kept, and so is everything it matched."""

import re

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.test import Client

from conftest import verified_client
from seethesigns.accounts.models import User
from seethesigns.appendonly import erasing
from seethesigns.audit.models import AuditEntry
from seethesigns.children.models import Child
from seethesigns.network.actions import do_create_entity, do_update_entity
from seethesigns.network.models import Entity, EntityRevision, Match
from seethesigns.optimistic import Conflict

pytestmark = pytest.mark.django_db


def _as(username: str) -> Client:
    """A client of its own, signed in with both factors: several people in one test."""
    return verified_client(Client(), User.objects.get(username=username))


def _pairs(entity: Entity) -> set[frozenset[int]]:
    found = Match.objects.filter(Q(entity=entity) | Q(other=entity))
    return {frozenset(pair) for pair in found.values_list("entity_id", "other_id")}


def _car_alert(page: str) -> str:
    alert = re.search(
        r'<li class="alert" id="alert-\d+">\s*<p><strong>NB12 XYZ</strong>.*?</li>', page, re.S
    )
    assert alert, page
    return alert.group(0)


def _probe(client, label: str = "NB12 XYZ") -> Entity:
    """What an abuser in a partner agency would do: type the registration as a new record."""
    form = {"kind": "vehicle", "label": label, "place_kind": "", "details": ""}
    response = client.post("/pro/records/new/", form)
    assert response.status_code == 302
    return Entity.objects.get(pk=int(response["Location"].split("/")[3]))


def _relabel(client, entity: Entity, label: str, details: str = "") -> None:
    form = {"version": entity.version, "label": label, "place_kind": "", "details": details}
    assert client.post(f"/pro/records/{entity.pk}/edit/", form).status_code == 302
    entity.refresh_from_db()


def test_relabelling_a_probe_keeps_the_old_label_and_the_owning_teams_still_see_it():
    mia = Child.objects.get(first_name="Mia")
    school = _as("demo-dsl")
    before = _car_alert(school.get(f"/pro/children/{mia.pk}/").content.decode())
    assert "links to 2 children or records</span>: this child and 1 other." in before  # Leah's

    worker = _as("demo-eastfield")
    probe = _probe(worker)
    page = worker.get(f"/pro/records/{probe.pk}/").content.decode()
    assert "links to 2 children or records</span>." in page  # what the probe learns
    matched = _pairs(probe)
    assert len(matched) == 2
    _relabel(worker, probe, "ZZ99 ZZZ")

    assert probe.label == "ZZ99 ZZZ"
    [earlier] = EntityRevision.objects.filter(entity=probe)
    assert (earlier.label, earlier.normalised, earlier.changed_by.username) == (
        "NB12 XYZ",
        "NB12XYZ",
        "demo-eastfield",
    )
    assert _pairs(probe) == matched  # nothing it matched is forgotten
    # The school's alert still counts the probe (held by a team it cannot open)...
    after = school.get(f"/pro/children/{mia.pk}/").content.decode()
    assert "links to 3 children or records</span>: this child and 2 others." in _car_alert(after)
    assert "ZZ99" not in after and "Eastfield" not in after
    # ...and the coordinator sees who it is, and what it was called.
    car = Entity.objects.get(kind="vehicle", label="NB12 XYZ")
    coordinator = _as("demo-coordinator")
    alert = _car_alert(coordinator.get(f"/pro/records/{car.pk}/").content.decode())
    assert f'href="/pro/records/{probe.pk}/">ZZ99 ZZZ</a>' in alert
    assert "previously NB12 XYZ" in alert
    record = coordinator.get(f"/pro/records/{probe.pk}/").content.decode()
    assert "Previously recorded as" in record and "NB12 XYZ" in record
    # The audit says a relabelling happened and where the old label is kept, not what it was.
    entry = AuditEntry.objects.filter(action="links.update_entity", object_id=str(probe.pk)).get()
    assert entry.data["revision"] == earlier.pk
    assert "NB12" not in str(entry.data) and "ZZ99" not in str(entry.data)


def test_relabelling_adds_the_new_labels_matches_and_keeps_every_earlier_label():
    dsl = User.objects.get(username="demo-dsl")
    other = do_create_entity(
        {"kind": "vehicle", "label": "KX65 ABC"}, acting_user=dsl, request=None
    )
    worker = _as("demo-eastfield")
    probe = _probe(worker)
    first = _pairs(probe)
    _relabel(worker, probe, "kx65abc")
    assert _pairs(probe) == first | {frozenset({probe.pk, other.pk})}
    _relabel(worker, probe, "KX65 ABC")  # the same once normalised: the spelling is kept too
    _relabel(worker, probe, "KX65 ABC", details="Seen twice")  # no new label, no revision
    labels = list(probe.revisions.order_by("pk").values_list("label", flat=True))
    assert labels == ["NB12 XYZ", "kx65abc"]
    page = worker.get(f"/pro/records/{probe.pk}/").content.decode()
    assert "NB12 XYZ" in page and "kx65abc" in page
    assert _pairs(probe) == first | {frozenset({probe.pk, other.pk})}


def test_a_relabelling_that_loses_a_conflict_keeps_no_revision():
    dsl = User.objects.get(username="demo-dsl")
    entity = do_create_entity(
        {"kind": "handle", "label": "@quiet_one"}, acting_user=dsl, request=None
    )
    values = {"label": "@loud_one", "place_kind": "", "details": ""}
    with pytest.raises(Conflict):
        do_update_entity(entity, entity.version + 1, values, acting_user=dsl, request=None)
    assert not EntityRevision.objects.filter(entity=entity).exists()
    entity.refresh_from_db()
    assert entity.label == "@quiet_one"


def test_the_database_refuses_to_change_or_delete_an_earlier_label():
    worker = _as("demo-eastfield")
    probe = _probe(worker)
    _relabel(worker, probe, "ZZ99 ZZZ")
    earlier = probe.revisions.get()
    for statement in [
        "UPDATE links_entityrevision SET label = 'x' WHERE id = %s",
        "DELETE FROM links_entityrevision WHERE id = %s",
    ]:
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [earlier.pk])
    earlier.refresh_from_db()
    assert earlier.label == "NB12 XYZ"
    # Only a data protection erasure's permit lets it go, never an update.
    with erasing("links_entityrevision"):
        EntityRevision.objects.filter(pk=earlier.pk).delete()
    assert not EntityRevision.objects.filter(pk=earlier.pk).exists()
