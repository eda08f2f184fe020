"""Every decision on a concern says who, when and why; a change is a new entry, never an edit."""

import pytest
from django.db import DatabaseError, transaction

from seethesigns.concerns.models import Concern, ConcernDecision

pytestmark = pytest.mark.django_db


@pytest.fixture
def concern() -> Concern:
    return Concern.objects.filter(reporter_kind="parent").get()


def url(concern: Concern) -> str:
    return f"/pro/concerns/{concern.reference}/"


def decide(client, concern, decision: str, reason: str = "", urgency: str = "high"):
    data = {
        "form": "triage",
        "triage-urgency": urgency,
        "triage-decision": decision,
        "triage-reason": reason,
    }
    return client.post(url(concern), data)


def test_no_further_action_without_a_reason_is_refused_and_nothing_is_lost(pro_client, concern):
    response = decide(pro_client("demo-frontdoor"), concern, "nfa")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Say why no further action is needed" in html
    assert 'value="nfa" id="triage-decision_1" checked' in html  # what they chose is kept
    concern.refresh_from_db()
    assert concern.decision == "" and concern.triage_urgency == ""
    assert not ConcernDecision.objects.filter(concern=concern).exists()


def test_any_decision_without_a_reason_is_refused(pro_client, concern):
    response = decide(pro_client("demo-frontdoor"), concern, "strategy")
    assert response.status_code == 400
    assert "Say why you made this decision" in response.content.decode()


def test_a_decision_records_who_when_and_why(pro_client, concern):
    client = pro_client("demo-frontdoor")
    assert decide(client, concern, "nfa", "Known to school; parent reassured.").status_code == 302
    entry = ConcernDecision.objects.get(concern=concern)
    assert entry.decision == "nfa"
    assert entry.decided_by.username == "demo-frontdoor"
    assert entry.reason == "Known to school; parent reassured."
    assert "reassured" not in entry.sealed_reason  # encrypted
    assert entry.late  # the demo concern was due days ago
    html = client.get(url(concern)).content.decode()
    assert "By Fola Door" in html and "Known to school; parent reassured." in html
    assert "late" in html[html.index("data-decisions") :]


def test_a_changed_decision_is_a_new_entry_and_the_earlier_one_is_kept(pro_client, concern):
    client = pro_client("demo-frontdoor")
    decide(client, concern, "nfa", "Parent reassured.")
    second = pro_client("demo-frontdoor2")
    assert decide(second, concern, "strategy", "Second report: same car.").status_code == 302
    entries = list(ConcernDecision.objects.filter(concern=concern))
    assert [(e.decision, e.decided_by.username, e.reason) for e in entries] == [
        ("nfa", "demo-frontdoor", "Parent reassured."),
        ("strategy", "demo-frontdoor2", "Second report: same car."),
    ]
    concern.refresh_from_db()
    assert concern.decision == "strategy" and concern.decided_by.username == "demo-frontdoor2"
    html = client.get(url(concern)).content.decode()
    history = html[html.index("data-decisions") :]
    assert history.index("Strategy discussion") < history.index("No further action")
    assert "Replaced" in history and "Parent reassured." in history


def test_changing_only_the_urgency_needs_no_reason_and_writes_no_decision(pro_client, concern):
    client = pro_client("demo-frontdoor")
    decide(client, concern, "screening", "Gifts and an older man.")
    assert decide(client, concern, "screening", urgency="immediate").status_code == 302
    assert ConcernDecision.objects.filter(concern=concern).count() == 1
    concern.refresh_from_db()
    assert concern.triage_urgency == "immediate"


def test_the_database_refuses_to_change_or_delete_a_decision(pro_client, concern):
    decide(pro_client("demo-frontdoor"), concern, "nfa", "Parent reassured.")
    entry = ConcernDecision.objects.get(concern=concern)
    with pytest.raises(DatabaseError), transaction.atomic():
        ConcernDecision.objects.filter(pk=entry.pk).update(decision="advice")
    with pytest.raises(DatabaseError), transaction.atomic():
        ConcernDecision.objects.filter(pk=entry.pk).delete()
