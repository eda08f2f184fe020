"""MACE work that closes: actions updated and done (history kept, audited), no due date in the
past, and a pack with each child's links, missing episodes, interviews and disruptions that
names children by reference and initials only, even where a name was typed."""

import subprocess
from datetime import timedelta

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone

from seethesigns.audit.models import AuditEntry
from seethesigns.children.models import Child
from seethesigns.meetings.models import Action, ActionUpdate, Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting() -> Meeting:
    return Meeting.objects.get()


@pytest.fixture
def action(meeting) -> Action:
    return meeting.actions.get(text__startswith="Licensing visit")


def url(action: Action) -> str:
    return f"/pro/meetings/{action.meeting_id}/actions/{action.pk}/"


def test_an_action_is_moved_then_done_each_change_kept_and_audited(pro_client, action):
    client = pro_client("demo-coordinator")
    later = timezone.localdate() + timedelta(days=14)
    response = client.post(
        url(action), {"do": "move", "due_on": later.isoformat(), "note": "Hotel closed"}
    )
    assert response.status_code == 302
    response = client.post(url(action), {"do": "done", "note": "Visited"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.due_on == later and action.done_on == timezone.localdate()
    updates = list(action.updates.values_list("kind", "due_on", "note", "by__username"))
    assert updates == [
        ("moved", later, "Hotel closed", "demo-coordinator"),
        ("done", None, "Visited", "demo-coordinator"),
    ]
    entries = AuditEntry.objects.filter(action="meetings.update_action")
    assert [e.data["kind"] for e in entries] == ["moved", "done"]
    page = client.get(f"/pro/meetings/{action.meeting_id}/").content.decode()
    assert "due date changed to" in page and "marked done (Visited)" in page
    assert "data-action-done" in page
    with pytest.raises(DatabaseError), transaction.atomic():
        ActionUpdate.objects.filter(action=action).update(note="changed")


def test_a_due_date_in_the_past_is_refused_on_a_move_and_on_a_new_action(
    pro_client, meeting, action
):
    client = pro_client("demo-coordinator")
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post(url(action), {"do": "move", "due_on": past})
    assert response.status_code == 400
    assert "The due date is in the past" in response.content.decode()
    before = action.due_on
    action.refresh_from_db()
    assert action.due_on == before and not action.updates.exists()
    response = client.post(
        f"/pro/meetings/{meeting.pk}/",
        {
            "form": "action",
            "action-text": "Check CCTV",
            "action-owner": "PC 2231",
            "action-due_on": past,
        },
    )
    assert response.status_code == 400
    assert "The due date is in the past" in response.content.decode()
    assert 'value="Check CCTV"' in response.content.decode()  # nothing typed is lost
    assert not meeting.actions.filter(text="Check CCTV").exists()


@pytest.mark.parametrize("username", ["demo-analyst", "demo-dsl", "demo-frontdoor"])
def test_only_the_coordinator_updates_actions(pro_client, action, username):
    response = pro_client(username).post(url(action), {"do": "done"})
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.done_on is None


def test_the_pack_pdf_has_each_childs_links_missing_interviews_and_disruptions_and_no_names(
    pro_client, meeting, tmp_path
):
    leah = Child.objects.get(first_name="Leah")
    client = pro_client("demo-coordinator")
    page = client.get(f"/pro/meetings/{meeting.pk}/").content.decode()
    # The names typed into the demo's free text are flagged before the pack is made.
    flagged = page[
        page.index("data-names-found") : page.index("</div>", page.index("data-names-found"))
    ]
    assert "Action: “Leah”" in flagged and "Disruption: “Leah”" in flagged
    response = client.get(f"/pro/meetings/{meeting.pk}/pdf/")
    pdf = tmp_path / "pack.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(  # noqa: S603  (our own fixed command)
        ["/usr/bin/pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    assert leah.reference in flat
    assert "Return home interview for LS's last episode" in flat  # typed as "Leah's"
    assert "Riverside Hotel" in flat  # her links
    assert "Missing episodes and return home interviews" in flat
    assert "Done in time" in flat and "Overdue by" in flat  # each episode's interview
    assert "Child Abduction Warning Notice (Jason Smyth)" in flat  # her disruption
    for name in ("Leah", "Sample", "Mia", "Example"):
        assert name not in flat, name
