"""The coordinator's inbox of matches with other partnerships: who sees it, what it says."""

import pytest
from django.urls import reverse

from seethesigns.audit.models import AuditEntry
from seethesigns.children.models import Child
from seethesigns.linkage.models import HubAlert
from seethesigns.linkage.tests.fakes import a_hub_alert
from seethesigns.network.models import Entity

pytestmark = pytest.mark.django_db


def test_the_coordinator_reads_who_to_contact_and_how_strong_and_each_look_is_audited(pro_client):
    alert = a_hub_alert()
    client = pro_client("demo-coordinator")
    inbox = client.get(reverse("pro:linkage:alerts"))
    assert inbox.status_code == 200
    assert b"Eastfield Safeguarding Children Partnership" in inbox.content
    assert f'data-hub-alert="{alert.pk}"'.encode() in inbox.content
    car = Entity.objects.get(pk=alert.source_id)
    assert car.reference.encode() in inbox.content  # which of our records, by its reference
    page = client.get(reverse("pro:linkage:alert", args=[alert.pk]))
    text = " ".join(page.content.decode().split())
    assert (
        "A record you hold may match one held by Eastfield Safeguarding Children Partnership."
        in text
    )
    assert "Contact their CSE coordinator:" in text and "Erin Eastfield" in text
    assert "01632 960 777" in text and "very likely" in text
    assert reverse("pro:links:record", args=[car.pk]) in text and car.reference in text
    assert AuditEntry.objects.filter(action="linkage.view_alerts").exists()
    viewed = AuditEntry.objects.filter(action="linkage.view_alert", object_id=str(alert.pk))
    assert viewed.get().data == {"match": alert.match_id}


@pytest.mark.parametrize(
    "username", ["demo-analyst", "demo-dsl", "demo-frontdoor", "demo-dpo", "demo-admin"]
)
def test_everyone_else_gets_404(pro_client, username):
    alert = a_hub_alert()
    client = pro_client(username)
    assert client.get(reverse("pro:linkage:alerts")).status_code == 404
    assert client.get(reverse("pro:linkage:alert", args=[alert.pk])).status_code == 404
    post = client.post(reverse("pro:linkage:alert", args=[alert.pk]), {"decision": "contacted"})
    assert post.status_code == 404
    assert not HubAlert.objects.get(pk=alert.pk).decision


def test_the_decision_is_kept_once_and_audited(pro_client):
    alert = a_hub_alert()
    client = pro_client("demo-coordinator")
    url = reverse("pro:linkage:alert", args=[alert.pk])
    bad = client.post(url, {"decision": "maybe"})
    assert bad.status_code == 400 and b"Choose what you did" in bad.content
    done = client.post(url, {"decision": "contacted", "note": "Called on Monday."})
    assert done.status_code == 302 and done["Location"] == reverse("pro:linkage:alerts")
    client.post(url, {"decision": "not_same"})  # a second answer keeps the first
    alert.refresh_from_db()
    assert alert.decision == "contacted" and alert.decided_by.username == "demo-coordinator"
    entry = AuditEntry.objects.get(action="linkage.decide_alert", object_id=str(alert.pk))
    assert entry.data == {"match": alert.match_id, "decision": "contacted"}
    assert "Called" not in str(entry.data)  # what she wrote stays out of the audit
    assert b"I contacted their CSE coordinator" in client.get(url).content


def test_a_child_the_coordinator_may_not_open_is_not_linked(pro_client):
    # Mia is held by the school's team: the coordinator does not see her record.
    mia = Child.objects.get(first_name="Mia")
    alert = a_hub_alert(kind="child")
    HubAlert.objects.filter(pk=alert.pk).update(source="child", source_id=mia.pk)
    page = pro_client("demo-coordinator").get(reverse("pro:linkage:alert", args=[alert.pk]))
    assert page.status_code == 200
    assert reverse("pro:cases:child", args=[mia.pk]).encode() not in page.content
    assert b"not a record you can open" in page.content
    assert b"Mia" not in page.content
