"""MACE meetings: the pack with ratings and actions, minutes restricted by agency, the PDF."""

import subprocess

import pytest

from seethesigns.audit.models import AuditEntry
from seethesigns.meetings.models import Item, Meeting

pytestmark = pytest.mark.django_db


def test_the_pack_shows_children_by_reference_with_ratings_actions_and_minutes(pro_client):
    meeting = Meeting.objects.get()
    body = pro_client("demo-coordinator").get(f"/pro/meetings/{meeting.pk}/").content.decode()
    assert "rag--red" in body and "rag--amber" in body
    assert "Licensing visit to the Riverside Hotel" in body
    assert "overdue" in body  # the return home interview action was due yesterday
    assert "Sample" not in body and "Example" not in body  # no surnames
    assert "Partners agreed" in body
    assert AuditEntry.objects.filter(action="meetings.view_pack").exists()


def test_each_look_at_the_pack_names_the_children_and_records_it_showed(pro_client):
    meeting = Meeting.objects.get()
    children = sorted(meeting.items.exclude(child=None).values_list("child_id", flat=True))
    records = sorted(meeting.items.exclude(entity=None).values_list("entity_id", flat=True))
    client = pro_client("demo-coordinator")
    assert client.get(f"/pro/meetings/{meeting.pk}/").status_code == 200
    assert client.post(f"/pro/meetings/{meeting.pk}/", {"form": "minute"}).status_code == 400
    client.get(f"/pro/meetings/{meeting.pk}/pdf/")
    looks = AuditEntry.objects.filter(object_type="meetings.meeting", object_id=str(meeting.pk))
    looks = looks.filter(action__in=["meetings.view_pack", "meetings.export_pack"])
    # The page, the page shown again after a mistake, and the PDF: each names who was in it.
    assert [e.action for e in looks.order_by("seq")] == [
        "meetings.view_pack",
        "meetings.view_pack",
        "meetings.export_pack",
    ]
    assert len(children) == 2 and records
    for entry in looks:
        assert entry.data == {"children": children, "records": records}


def test_minutes_restricted_to_the_police_are_read_only_by_the_police(pro_client):
    meeting = Meeting.objects.get()
    police_only = "Intelligence on the car"
    assert (
        police_only
        not in pro_client("demo-coordinator").get(f"/pro/meetings/{meeting.pk}/").content.decode()
    )
    assert (
        police_only
        in pro_client("demo-analyst").get(f"/pro/meetings/{meeting.pk}/").content.decode()
    )


def test_the_coordinator_adds_to_the_list_and_bad_references_keep_what_was_typed(pro_client):
    meeting = Meeting.objects.get()
    client = pro_client("demo-coordinator")
    url = f"/pro/meetings/{meeting.pk}/"
    response = client.post(
        url,
        {
            "form": "item",
            "item-reference": "C-99999",
            "item-rag": "red",
            "item-reason": "typed reason",
        },
    )
    assert response.status_code == 400
    assert "No child or record has that reference" in response.content.decode()
    assert "typed reason" in response.content.decode()
    from seethesigns.children.models import Child

    tom = Child.objects.get(first_name="Tom")
    response = client.post(
        url,
        {
            "form": "item",
            "item-reference": tom.reference.lower(),
            "item-rag": "amber",
            "item-reason": "Same handle as Mia",
        },
    )
    assert response.status_code == 302
    assert Item.objects.filter(meeting=meeting, child=tom, rag="amber").exists()
    assert pro_client("demo-analyst").post(url, {"form": "action"}).status_code == 404


def test_only_the_coordinator_and_analyst_open_meetings(pro_client):
    meeting = Meeting.objects.get()
    for username in ["demo-dsl", "demo-frontdoor", "demo-admin"]:
        assert pro_client(username).get(f"/pro/meetings/{meeting.pk}/").status_code == 403


def test_the_pack_is_a_real_pdf_without_restricted_minutes(pro_client, tmp_path):
    meeting = Meeting.objects.get()
    response = pro_client("demo-coordinator").get(f"/pro/meetings/{meeting.pk}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "pack.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(  # noqa: S603  (our own fixed command)
        ["/usr/bin/pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "MACE meeting pack" in text
    assert "Red: high risk" in text and "Licensing visit" in text
    assert "Partners agreed" in text and "Intelligence on the car" not in text
    assert "Sample" not in text
    assert AuditEntry.objects.filter(action="meetings.export_pack").exists()
