"""The DPO's subject access export (JSON and PDF) and erasure of one child's record."""

import json
import subprocess
import uuid

import pytest

from seethesigns.audit.actions import verify
from seethesigns.audit.models import AuditEntry
from seethesigns.children.models import Child
from seethesigns.dataprotection.models import Erasure
from seethesigns.dataprotection.tests.plant import FIRST_NAME, LAST_NAME, SENTENCE, plant
from seethesigns.meetings.models import Item, Meeting
from seethesigns.referrals.models import Referral
from seethesigns.screening.models import Screening

pytestmark = pytest.mark.django_db
REASON = "Request DPO-2026-117 from Ysolde's mother; no safeguarding reason to keep it."


def _audit_text() -> str:
    return json.dumps(list(AuditEntry.objects.values()), default=str)


@pytest.mark.parametrize("username", ["demo-dsl", "demo-practitioner", "demo-admin"])
def test_only_the_dpo_finds_a_childs_record_here(pro_client, username):
    child = plant()
    client = pro_client(username)
    assert client.get("/pro/data-protection/").status_code == 403
    for path in ["", "export.json", "export.pdf"]:
        # Even the team holding the child gets 404 here: exports and erasure are the DPO's.
        assert client.get(f"/pro/data-protection/children/{child.pk}/{path}").status_code == 404
    erase = client.post(f"/pro/data-protection/children/{child.pk}/erase/", {"reason": "x"})
    assert erase.status_code == 404
    assert Child.objects.filter(pk=child.pk).exists()


def test_the_dpo_finds_a_child_and_the_audit_keeps_no_name(pro_client):
    child = plant()
    response = pro_client("demo-dpo").get("/pro/data-protection/", {"name": LAST_NAME})
    assert response.status_code == 200
    assert f"/pro/data-protection/children/{child.pk}/".encode() in response.content
    entry = AuditEntry.objects.filter(action="dataprotection.find_child").get()
    assert entry.data == {"matches": 1}
    assert LAST_NAME not in _audit_text()


def test_the_json_export_holds_everything_about_the_child(pro_client):
    child = plant()
    response = pro_client("demo-dpo").get(f"/pro/data-protection/children/{child.pk}/export.json")
    assert response.status_code == 200
    export = json.loads(response.content)
    assert export["child"]["first_name"] == FIRST_NAME
    assert export["child"]["kept_until"]  # from the retention schedule
    [screening] = export["screening"]
    assert screening["contents"]["answers"]["going-missing"]["evidence"] == SENTENCE
    [referral] = export["referral"]
    assert referral["contents"]["done"] == SENTENCE
    actions = [(e["who"], e["action"]) for e in export["audit"]]
    assert ("demo-practitioner", "cases.view_child") in actions
    assert ("demo-dsl", "referrals.make") in actions
    assert ("demo-dsl", "screening.save") in actions
    last = AuditEntry.objects.order_by("-seq").first()
    assert (last.action, last.object_id, last.data) == (
        "dataprotection.export_subject",
        str(child.pk),
        {"format": "json"},
    )


def test_the_export_says_who_looked_at_a_mace_pack_that_listed_the_child(pro_client):
    child = plant()
    meeting = Meeting.objects.get()
    Item.objects.create(meeting=meeting, child=child, rag="amber", reason="Seen with older men")
    pro_client("demo-analyst").get(f"/pro/meetings/{meeting.pk}/")
    other = Meeting.objects.create(
        held_on=meeting.held_on, title="Another MACE", created_by=meeting.created_by
    )
    pro_client("demo-coordinator").get(f"/pro/meetings/{other.pk}/")  # without the child

    response = pro_client("demo-dpo").get(f"/pro/data-protection/children/{child.pk}/export.json")

    looks = [
        e for e in json.loads(response.content)["audit"] if e["record_type"] == "meetings.meeting"
    ]
    assert [(e["who"], e["action"], e["record"]) for e in looks] == [
        ("demo-analyst", "meetings.view_pack", str(meeting.pk))
    ]


def test_the_pdf_export_is_a_real_pdf_of_the_record(pro_client, tmp_path):
    child = plant()
    response = pro_client("demo-dpo").get(f"/pro/data-protection/children/{child.pk}/export.pdf")
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "export.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(  # noqa: S603
        ["/usr/bin/pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert f"Everything held about {FIRST_NAME} {LAST_NAME}" in text
    assert "silver hatchback" in text
    assert "cases.view_child" in text
    assert "demo-dsl" in text
    assert AuditEntry.objects.filter(action="dataprotection.export_subject").get().data == {
        "format": "pdf"
    }


def test_erasing_a_child_needs_a_reason_and_the_record_number(pro_client):
    child = plant()
    client = pro_client("demo-dpo")
    url = f"/pro/data-protection/children/{child.pk}/erase/"
    for form in [{"reason": "", "confirm": str(child.pk)}, {"reason": REASON, "confirm": "0"}]:
        response = client.post(url, form)
        assert response.status_code == 400
    assert Child.objects.filter(pk=child.pk).exists()
    assert not Erasure.objects.exists()
    # The page shown again shows the child's record: each time is a view.
    views = AuditEntry.objects.filter(action="dataprotection.view_subject", object_id=str(child.pk))
    assert views.count() == 2


def test_erasure_removes_the_record_and_keeps_the_audit_chain_verifiable(pro_client):
    child = plant()
    client = pro_client("demo-dpo")
    client.get(f"/pro/data-protection/children/{child.pk}/")
    entries_before = list(AuditEntry.objects.values_list("seq", "hash"))
    response = client.post(
        f"/pro/data-protection/children/{child.pk}/erase/",
        {"reason": REASON, "confirm": str(child.pk)},
    )
    assert response.status_code == 302
    assert not Child.objects.filter(pk=child.pk).exists()
    assert not Screening.objects.filter(child_id=child.pk).exists()
    assert not Referral.objects.filter(child_id=child.pk).exists()
    erasure = Erasure.objects.get()
    assert (erasure.record_type, erasure.record_id, erasure.why) == (
        "child",
        str(child.pk),
        "request",
    )
    assert erasure.parts == {"referral": 1, "screening": 1}
    assert erasure.reason == REASON
    assert REASON not in erasure.sealed_reason  # sealed
    # Every entry written before is still there, unchanged, and one more says what happened.
    after = list(AuditEntry.objects.values_list("seq", "hash"))
    assert after[: len(entries_before)] == entries_before
    [entry] = AuditEntry.objects.filter(seq__gt=entries_before[-1][0])
    assert (entry.action, entry.object_type, entry.object_id, entry.actor_label) == (
        "dataprotection.erase",
        "cases.child",
        str(child.pk),
        "demo-dpo",
    )
    assert entry.data == {"why": "request", "erasure": erasure.pk, "parts": erasure.parts}
    assert verify() == []
    for content in [FIRST_NAME, LAST_NAME, SENTENCE, "DPO-2026-117"]:
        assert content not in _audit_text()
    # The record is gone for the DPO too.
    assert client.get(f"/pro/data-protection/children/{child.pk}/").status_code == 404
    page = client.get("/pro/data-protection/")
    assert f'id="erasure-{erasure.pk}"'.encode() in page.content


def test_the_json_export_holds_a_referral_made_through_the_form(pro_client):
    # The referral form stores a submission key, a UUID (found by make scan: a 500 here).
    child = plant()
    key = uuid.uuid4()
    Referral.objects.filter(child=child).update(submission_key=key)
    response = pro_client("demo-dpo").get(f"/pro/data-protection/children/{child.pk}/export.json")
    assert response.status_code == 200
    [referral] = json.loads(response.content)["referral"]
    assert referral["submission_key"] == str(key)
