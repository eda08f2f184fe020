"""The coordinator's review queue: "these records may be one person" (issue 20)."""

from datetime import date

import pytest
from django.db import DatabaseError, transaction
from django.test import Client

from conftest import verified_client
from seethesigns.accounts.models import User
from seethesigns.audit.models import AuditEntry
from seethesigns.network.actions import do_decide_pair, do_suggest_pairs
from seethesigns.network.models import Entity, Link, PairDecision, PairSuggestion

pytestmark = pytest.mark.django_db

FIELDS = {"agree": ["name", "date_of_birth"], "disagree": ["address"]}


def _person(label: str, username: str = "demo-coordinator") -> Entity:
    user = User.objects.get(username=username)
    assert user.team is not None
    return Entity.objects.create(
        kind="person", label=label, normalised=label.lower(), team=user.team, created_by=user
    )


def test_suggestions_are_stored_once_whichever_way_round():
    a, b, c = _person("Jay Smith"), _person("Jason Smyth"), _person("J Smith")
    pairs = [
        (b.pk, a.pk, 0.97, "very_likely", FIELDS),
        (a.pk, b.pk, 0.97, "very_likely", FIELDS),  # the same pair, the other way round
        (a.pk, a.pk, 1.0, "very_likely", FIELDS),  # a record with itself: never a pair
        (a.pk, c.pk, 0.6, "possibly", {"agree": ["name"], "disagree": []}),
    ]
    assert do_suggest_pairs(pairs, run_label="test run") == 2
    stored = PairSuggestion.objects.get(entity=a, other=b)
    assert (stored.probability, stored.band, stored.run_label) == (0.97, "very_likely", "test run")
    assert stored.agree == ["name", "date_of_birth"] and stored.disagree == ["address"]
    # Already waiting: nothing new.
    assert do_suggest_pairs(pairs, run_label="test run 2") == 0
    entry = AuditEntry.objects.filter(action="links.suggest_pairs").latest("seq")
    assert entry.data == {"run": "test run", "added": 2}


def test_a_decided_pair_is_never_suggested_again_in_either_order():
    a, b = _person("Kai Brown"), _person("Kye Browne")
    coordinator = User.objects.get(username="demo-coordinator")
    do_suggest_pairs([(a.pk, b.pk, 0.9, "very_likely", FIELDS)], run_label="night 1")
    suggestion = PairSuggestion.objects.get(entity=a, other=b)
    decision = do_decide_pair(suggestion, False, "", acting_user=coordinator, request=None)
    assert decision.same is False and decision.decided_by == coordinator
    # The queue's suggestion may be cleared by a later run; the decision still stands.
    PairSuggestion.objects.filter(pk=suggestion.pk).delete()
    assert do_suggest_pairs([(b.pk, a.pk, 0.95, "very_likely", FIELDS)], run_label="n2") == 0
    assert do_suggest_pairs([(a.pk, b.pk, 0.95, "very_likely", FIELDS)], run_label="n3") == 0
    assert not PairSuggestion.objects.filter(entity=a, other=b).exists()


def test_same_links_the_two_records_and_is_audited():
    a, b = _person("Dee Jay"), _person("DJ")
    coordinator = User.objects.get(username="demo-coordinator")
    do_suggest_pairs([(a.pk, b.pk, 0.99, "very_likely", FIELDS)], run_label="save")
    suggestion = PairSuggestion.objects.get(entity=a, other=b)
    decision = do_decide_pair(
        suggestion, True, "Both seen at the same address", acting_user=coordinator, request=None
    )
    link = Link.objects.get(entity=a, other=b)
    assert link.nature == "The same person — decided by Cara Coordinator"
    entry = AuditEntry.objects.get(action="links.decide_pair", object_id=str(decision.pk))
    assert entry.actor_label == "demo-coordinator"
    assert entry.data == {"records": [a.pk, b.pk], "same": True, "link": link.pk}
    assert "address" not in str(entry.data)  # the note is not in the audit
    # Sent again (a second tab): the first decision stands, no second link.
    again = do_decide_pair(suggestion, False, "", acting_user=coordinator, request=None)
    assert again.pk == decision.pk and Link.objects.filter(entity=a, other=b).count() == 1


def test_the_database_refuses_to_change_or_delete_a_decision():
    a, b = _person("Ray One"), _person("Ray Won")
    coordinator = User.objects.get(username="demo-coordinator")
    do_suggest_pairs([(a.pk, b.pk, 0.8, "possibly", FIELDS)], run_label="save")
    decision = do_decide_pair(
        PairSuggestion.objects.get(entity=a, other=b),
        False,
        "",
        acting_user=coordinator,
        request=None,
    )
    with pytest.raises(DatabaseError), transaction.atomic():
        PairDecision.objects.filter(pk=decision.pk).update(same=True)
    with pytest.raises(DatabaseError), transaction.atomic():
        PairDecision.objects.filter(pk=decision.pk).delete()
    decision.refresh_from_db()
    assert decision.same is False


def _client(username: str) -> Client:
    return verified_client(Client(), User.objects.get(username=username))


def test_the_queue_lists_waiting_pairs_to_the_coordinator_and_audits_the_look():
    a, b = _person("Queue One"), _person("Queue Won")
    do_suggest_pairs([(a.pk, b.pk, 0.93, "very_likely", FIELDS)], run_label="night")
    page = _client("demo-coordinator").get("/pro/records/pairs/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Queue One" in body and "Queue Won" in body and "Very likely the same person" in body
    entry = AuditEntry.objects.filter(action="links.view_pair_queue").latest("seq")
    assert entry.actor_label == "demo-coordinator" and entry.data["pairs"] >= 1
    # Everyone else: as if there were no queue.
    assert _client("demo-analyst").get("/pro/records/pairs/").status_code == 404
    assert _client("demo-dsl").get("/pro/records/pairs/").status_code == 404


def test_the_pair_page_shows_both_records_and_the_decision_sticks():
    a, b = _person("Side Left"), _person("Side Right")
    a.date_of_birth = b.date_of_birth = date(1990, 4, 2)
    a.save(update_fields=["date_of_birth"])
    b.save(update_fields=["date_of_birth"])
    do_suggest_pairs([(b.pk, a.pk, 0.97, "very_likely", FIELDS)], run_label="night")
    suggestion = PairSuggestion.objects.get(entity=a, other=b)
    coordinator = _client("demo-coordinator")
    url = f"/pro/records/pairs/{suggestion.pk}/"
    body = coordinator.get(url).content.decode()
    assert "Side Left" in body and "Side Right" in body and body.count("2 Apr 1990") == 2
    assert "Date of birth" in body and "Addresses" in body  # what agrees, what disagrees
    assert AuditEntry.objects.filter(action="links.view_pair", object_id=str(suggestion.pk))
    refused = coordinator.post(url, {"note": "Kept"})
    assert refused.status_code == 400 and "Choose whether they are the same person" in (
        refused.content.decode()
    )
    assert coordinator.post(url, {"same": "yes", "note": "Same"}).status_code == 302
    assert Link.objects.filter(entity=a, other=b).exists()
    assert PairDecision.objects.get(entity=a, other=b).same is True
    # Out of the queue, and the pair page says what was decided.
    assert (
        f'data-pair="{suggestion.pk}"'
        not in coordinator.get("/pro/records/pairs/").content.decode()
    )
    assert "data-decided" in coordinator.get(url).content.decode()
    # Sent again: nothing changes.
    coordinator.post(url, {"same": "no"})
    assert PairDecision.objects.filter(entity=a, other=b).count() == 1


def test_the_coordinator_home_counts_the_pairs_waiting():
    from seethesigns.workspace.todo import todo_for

    coordinator = User.objects.get(username="demo-coordinator")
    a, b = _person("Home One"), _person("Home Won")
    before = {t.title: t.waiting for t in todo_for(coordinator)}["Records that may be one person"]
    do_suggest_pairs([(a.pk, b.pk, 0.7, "possibly", FIELDS)], run_label="save")
    after = {t.title: t.waiting for t in todo_for(coordinator)}["Records that may be one person"]
    assert after == before + 1
    dsl = User.objects.get(username="demo-dsl")
    assert "Records that may be one person" not in {t.title for t in todo_for(dsl)}
