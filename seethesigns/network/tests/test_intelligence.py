"""The analyst's hand-off: a 3x5x2 intelligence submission from a record, as a page, a PDF and
a structured file; only the police analyst's team; children by reference and initials."""

import json
import subprocess

import pytest

from seethesigns.audit.models import AuditEntry
from seethesigns.children.models import Child
from seethesigns.network.models import Entity, IntelligenceSubmission

pytestmark = pytest.mark.django_db

VALUES = {
    "source_evaluation": "2",
    "assessment": "B",
    "handling": "C",
    "conditions": "Not to be shared with the hotel.",
    "intelligence": "A silver car, NB12 XYZ, collects Leah from Station Road on weekday evenings.",
}


@pytest.fixture
def car() -> Entity:
    return Entity.objects.get(kind="vehicle", label="nb12xyz")


def submit(client, car, **changes):
    return client.post(f"/pro/records/{car.pk}/intelligence/", {**VALUES, **changes})


def test_the_analyst_submits_and_gets_a_pdf_and_a_structured_file(pro_client, car, tmp_path):
    client = pro_client("demo-analyst")
    response = submit(client, car)
    assert response.status_code == 302
    sub = IntelligenceSubmission.objects.get()
    assert sub.grading == "2BC" and "Leah" not in sub.sealed  # sealed
    assert AuditEntry.objects.filter(action="links.submit_intelligence").get().data == {
        "submission": sub.pk,
        "grading": "2BC",
    }
    data = json.loads(client.get(f"/pro/records/intelligence/{sub.pk}/json/").content)
    assert data["format"] == "3x5x2" and data["grading"] == "2BC"
    assert data["source_evaluation"] == {"code": "2", "meaning": "2: Untested"}
    assert data["intelligence_evaluation"]["code"] == "B"
    assert data["handling_code"]["conditions"] == "Not to be shared with the hotel."
    assert data["subject"]["record"] == car.reference
    leah = Child.objects.get(first_name="Leah")
    assert "collects LS from Station Road" in data["intelligence"]  # the name typed is masked
    assert any(link["to"] == leah.reference and link["initials"] == "LS" for link in data["links"])
    assert "Leah" not in json.dumps(data) and "Sample" not in json.dumps(data)
    response = client.get(f"/pro/records/intelligence/{sub.pk}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "int.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(  # noqa: S603  (our own fixed command)
        ["/usr/bin/pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    assert (
        "2BC" in flat
        and "2: Untested" in flat
        and "C: Lawful sharing permitted with conditions" in flat
    )
    assert "Leah" not in flat
    exports = AuditEntry.objects.filter(action="links.export_intelligence")
    assert sorted(e.data["format"] for e in exports) == ["json", "pdf"]


def test_handling_code_c_needs_its_conditions_and_nothing_typed_is_lost(pro_client, car):
    response = submit(pro_client("demo-analyst"), car, conditions="")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Say the conditions on sharing for handling code C" in html
    assert "collects Leah from Station Road" in html
    assert not IntelligenceSubmission.objects.exists()


@pytest.mark.parametrize(
    "username",
    ["demo-coordinator", "demo-dsl", "demo-frontdoor", "demo-admin", "demo-editor", "demo-dpo"],
)
def test_no_one_but_the_analyst_submits_or_reads_a_submission(pro_client, car, username):
    submit(pro_client("demo-analyst"), car)
    sub = IntelligenceSubmission.objects.get()
    client = pro_client(username)
    # Without a workspace role the editor is sent to the CMS; everyone else is told "not found".
    refused = 302 if username == "demo-editor" else 404
    assert submit(client, car).status_code == refused
    assert client.get(f"/pro/records/{car.pk}/intelligence/").status_code == refused
    for path in ["", "pdf/", "json/"]:
        answer = client.get(f"/pro/records/intelligence/{sub.pk}/{path}")
        assert answer.status_code == refused
    assert IntelligenceSubmission.objects.count() == 1
