"""The link alert is not a lookup service: one count everywhere, probes audited and limited."""

import re

import pytest
from django.test import Client

from conftest import verified_client
from seethesigns.accounts.models import User
from seethesigns.audit.models import AuditEntry
from seethesigns.children.models import Child
from seethesigns.network.models import Entity

pytestmark = pytest.mark.django_db


def _as(username: str) -> Client:
    return verified_client(Client(), User.objects.get(username=username))


def _probe(client: Client, label: str):
    form = {"kind": "vehicle", "label": label, "place_kind": "", "details": ""}
    return client.post("/pro/records/new/", form)


def _count(page: str, entity: Entity) -> int:
    found = re.search(rf'id="alert-{entity.pk}">.*?data-alert-count="(\d+)"', page, re.S)
    assert found, page
    return int(found.group(1))


def test_the_alert_count_is_the_same_on_the_child_page_and_the_record_page():
    leah = Child.objects.get(first_name="Leah")
    coordinator = _as("demo-coordinator")
    child_page = coordinator.get(f"/pro/children/{leah.pk}/").content.decode()
    compared = []
    for link in leah.links.select_related("entity"):
        record_page = coordinator.get(f"/pro/records/{link.entity_id}/").content.decode()
        if f'id="alert-{link.entity_id}"' not in child_page:
            continue  # linked to Leah alone: nothing to tell on her page
        assert _count(child_page, link.entity) == _count(record_page, link.entity), link.entity
        compared.append(link.entity.label)
    assert "nb12xyz" in compared  # the car of the issue ("2" on one page, "3" on the other)
    assert "this child and" in child_page


def test_each_probe_that_matches_is_audited_without_the_value():
    worker = _as("demo-eastfield")
    assert _probe(worker, "NB12 XYZ").status_code == 302
    probe = Entity.objects.filter(created_by__username="demo-eastfield").latest("pk")
    entry = AuditEntry.objects.get(action="links.match_found", object_id=str(probe.pk))
    assert entry.actor_label == "demo-eastfield"
    assert len(entry.data["matches"]) == 2
    assert "NB12" not in str(entry.data)


def test_a_value_that_matches_nothing_leaves_no_match_entry():
    assert _probe(_as("demo-eastfield"), "QQ01 QQQ").status_code == 302
    probe = Entity.objects.filter(created_by__username="demo-eastfield").latest("pk")
    assert AuditEntry.objects.filter(action="links.create_entity", object_id=str(probe.pk))
    assert not AuditEntry.objects.filter(action="links.match_found", object_id=str(probe.pk))


def test_probing_is_rate_limited_per_worker(settings):
    settings.LINK_PROBE_LIMITS = [(3, 3600)]
    worker = _as("demo-eastfield")
    for n in range(3):
        assert _probe(worker, f"AB{n}1 CDE").status_code == 302
    before = Entity.objects.count()
    refused = _probe(worker, "NB12 XYZ")
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "matching is paused for you for now" in page
    assert 'value="NB12 XYZ"' in page  # what was typed is kept
    assert Entity.objects.count() == before  # and nothing matched or stored
    assert AuditEntry.objects.filter(action="links.probe_limited", actor_label="demo-eastfield")
    # Another worker is not held back by it.
    assert _probe(_as("demo-coordinator"), "AB91 CDE").status_code == 302
