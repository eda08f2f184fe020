import csv
import io

import pytest

from seethesigns.audit.models import AuditEntry
from seethesigns.concerns.models import Concern

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(pro_client) -> Concern:
    """The front door opens and triages a concern; the DPO then looks at the audit."""
    concern = Concern.objects.filter(reporter_kind="parent").get()
    front_door = pro_client("demo-frontdoor")
    front_door.get(f"/pro/concerns/{concern.reference}/")
    front_door.post(
        f"/pro/concerns/{concern.reference}/", {"form": "triage", "triage-urgency": "high"}
    )
    return concern


def test_the_dpo_finds_who_opened_a_record(pro_client, activity):
    client = pro_client("demo-dpo")
    response = client.get("/pro/audit/", {"record": activity.reference, "person": "demo-frontdoor"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "concerns.view" in html
    assert "concerns.triage" in html
    assert "2 entries" in html
    assert AuditEntry.objects.filter(action="audit.search", actor__username="demo-dpo").exists()


def test_the_dpo_searches_by_date(pro_client, activity):
    client = pro_client("demo-dpo")
    assert "0 entries" in client.get("/pro/audit/", {"date_to": "2020-01-01"}).content.decode()
    html = client.get("/pro/audit/", {"date_from": "2020-01-01", "action": "concerns.view"})
    assert "1 entry" in html.content.decode()


def test_a_bad_date_gets_a_clear_message(pro_client):
    response = pro_client("demo-dpo").get(
        "/pro/audit/", {"date_from": "yesterday", "date_to": "2020-01-01", "person": "x" * 5000}
    )
    assert response.status_code == 400
    assert "Enter a date like 2026-11-24" in response.content.decode()


def test_the_dpo_exports_the_entries_found(pro_client, activity):
    response = pro_client("demo-dpo").get("/pro/audit/export/", {"record": activity.reference})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["seq", "at", "who", "action"]
    assert sorted(r[3] for r in rows[1:]) == ["concerns.submit", "concerns.triage", "concerns.view"]
    assert AuditEntry.objects.filter(action="audit.export").exists()
