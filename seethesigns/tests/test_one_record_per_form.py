"""Every workspace form that adds to a child's record, the records or a meeting stores once.

A retry after an outage, or a double click, sends the same form again: it carries the key made
when it was first shown, and the second send finds what the first one made. The chronology and
referrals have tests of their own (cases/tests/test_records.py, referrals/tests/).
"""

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.db import models
from django.test import Client

from seethesigns import submissions
from seethesigns.accounts.models import Team, User
from seethesigns.audit.models import AuditEntry
from seethesigns.children.models import Child, ChronologyEntry, MissingEpisode
from seethesigns.meetings.models import Action, Item, Meeting, Minute
from seethesigns.network.actions import do_add_disruption, do_link_child, do_link_records
from seethesigns.network.models import Disruption, Entity, Link, Match
from seethesigns.screening.models import Indicator, Screening
from seethesigns.tests.records import new_child_form

pytestmark = pytest.mark.django_db


def mia() -> int:
    return Child.objects.get(first_name="Mia").pk


def jason() -> int:
    return Entity.objects.get(kind="person", label="Jason Smyth").pk


def meeting() -> int:
    return Meeting.objects.get().pk


def leah_on_the_list() -> dict[str, str]:
    reference = Child.objects.get(first_name="Leah").reference
    return {"form": "item", "item-reference": reference, "item-rag": "amber", "item-reason": "Seen"}


def screening(**step: str) -> dict[str, str]:
    """A screening with every indicator answered, at its suggest step or its last."""
    data = {"age": "15", "learning_disability": "no", "step": "suggest", **step}
    # Asked only of a child whose record lacks them (docs/screening.md): "Not known" answers.
    data |= {"ethnicity": "not-known", "nationality": "not-known"}
    for indicator in Indicator.objects.active():
        data[f"{indicator.code}-state"] = "not_present"
        data[f"{indicator.code}-when"] = "current"
        data[f"{indicator.code}-evidence"] = ""
    return data


@dataclass(frozen=True)
class Row:
    name: str
    username: str
    url: Callable[[], str]
    data: dict[str, str] | Callable[[], dict[str, str]]
    required: str  # a field that, left empty, sends the form back
    model: type[models.Model]
    audit: str
    prefix: str = ""
    # What shows the form: a GET of its page, unless it is a later step of a longer form.
    show: Callable[[Client, str], Any] = lambda client, url: client.get(url)


ROWS = [
    Row(
        "a child",
        "demo-dsl",
        lambda: "/pro/children/new/",
        lambda: new_child_form(first_name="Ava", last_name="Twice"),
        "first_name",
        Child,
        "cases.create_child",
        # The form that makes the record is shown once the child was searched for.
        show=lambda client, url: client.post(
            url, {"step": "search", "first_name": "Ava", "last_name": "Twice"}
        ),
    ),
    Row(
        "a missing episode",
        "demo-dsl",
        lambda: f"/pro/children/{mia()}/missing/",
        {
            "started_at": "2026-01-10T18:30",
            "reported_by": "Her mum",
            "police_reference": "",
            "ended_at": "2026-01-11T09:00",
            "where_found": "",
            "who_with": "",
            "safe_and_well_at": "",
        },
        "reported_by",
        MissingEpisode,
        "cases.record_missing",
    ),
    Row(
        "a link on a child's record",
        "demo-dsl",
        lambda: f"/pro/children/{mia()}/links/",
        {
            "kind": "phone",
            "label": "07700 900 555",
            "place_kind": "",
            "nature": "Texts her late at night",
            "linked_on": "2026-11-20",
            "source": "family",
        },
        "nature",
        Link,
        "links.link_child",
    ),
    Row(
        "a record",
        "demo-coordinator",
        lambda: "/pro/records/new/",
        {"kind": "vehicle", "label": "AB12 CDE", "place_kind": "", "details": "Blue van"},
        "label",
        Entity,
        "links.create_entity",
    ),
    Row(
        "a link between records",
        "demo-coordinator",
        lambda: f"/pro/records/{jason()}/",
        {
            "form": "link",
            "link-kind": "vehicle",
            "link-label": "NB99 XYZ",
            "link-place_kind": "",
            "link-nature": "Drives it",
            "link-linked_on": "2026-11-02",
            "link-source": "police",
        },
        "link-nature",
        Link,
        "links.link_records",
        prefix="link-",
    ),
    Row(
        "a disruption",
        "demo-coordinator",
        lambda: f"/pro/records/{jason()}/",
        {
            "form": "disruption",
            "disruption-kind": "sro",
            "disruption-started_on": "2026-11-01",
            "disruption-review_on": "2027-02-01",
            "disruption-details": "",
        },
        "disruption-kind",
        Disruption,
        "links.add_disruption",
        prefix="disruption-",
    ),
    Row(
        "a screening",
        "demo-dsl",
        lambda: f"/pro/children/{mia()}/screening/",
        lambda: screening(step="finish", judgement="none"),
        "judgement",
        Screening,
        "screening.save",
        show=lambda client, url: client.post(url, screening()),
    ),
    Row(
        "a meeting",
        "demo-coordinator",
        lambda: "/pro/meetings/",
        {"title": "December MACE", "held_on": "2026-12-20"},
        "title",
        Meeting,
        "meetings.create_meeting",
    ),
    Row(
        "an item on a meeting's list",
        "demo-coordinator",
        lambda: f"/pro/meetings/{meeting()}/",
        leah_on_the_list,
        "item-reason",
        Item,
        "meetings.add_item",
        prefix="item-",
    ),
    Row(
        "a meeting's action",
        "demo-coordinator",
        lambda: f"/pro/meetings/{meeting()}/",
        {
            "form": "action",
            "action-text": "Visit the hotel",
            "action-owner": "PC Jones, police",
            "action-due_on": "2026-12-24",
        },
        "action-text",
        Action,
        "meetings.add_action",
        prefix="action-",
    ),
    Row(
        "a minute",
        "demo-coordinator",
        lambda: f"/pro/meetings/{meeting()}/",
        {"form": "minute", "minute-text": "Partners agreed a plan.", "minute-restricted_to": ""},
        "minute-text",
        Minute,
        "meetings.add_minute",
        prefix="minute-",
    ),
]


def data_for(row: Row) -> dict[str, str]:
    return row.data() if callable(row.data) else dict(row.data)


def key_in(body: str, row: Row) -> str:
    found = re.search(rf'name="{row.prefix}key" value="([0-9a-f-]{{36}})"', body)
    assert found, f"the form for {row.name} carries its key"
    return found.group(1)


def audits(row: Row) -> int:
    return AuditEntry.objects.filter(action=row.audit).count()


def written() -> dict[str, int]:
    """How many rows of each kind a send can write."""
    kinds = [row.model for row in ROWS] + [AuditEntry, ChronologyEntry, Match]
    return {kind.__name__: kind._default_manager.count() for kind in kinds}


@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
def test_the_same_form_sent_twice_stores_one_record_and_one_audit_entry(pro_client, row):
    client = pro_client(row.username)
    url = row.url()
    key = key_in(row.show(client, url).content.decode(), row)
    rows, audited = row.model._default_manager.count(), audits(row)
    sent = {**data_for(row), f"{row.prefix}key": key}
    first = client.post(url, sent)
    after_first = written()
    again = client.post(url, sent)
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert row.model._default_manager.count() == rows + 1
    assert audits(row) == audited + 1
    assert written() == after_first  # nor a second chronology entry, match or audit entry
    assert str(row.model._default_manager.get(submission_key=key).submission_key) == key


@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
def test_two_forms_with_their_own_keys_store_two_records(pro_client, row):
    """The key is what tells a retry from a second record: two forms are two records."""
    client = pro_client(row.username)
    url = row.url()
    rows = row.model._default_manager.count()
    for _ in range(2):
        key = key_in(row.show(client, url).content.decode(), row)
        assert client.post(url, {**data_for(row), f"{row.prefix}key": key}).status_code == 302
    assert row.model._default_manager.count() == rows + 2


@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
def test_a_form_sent_back_with_a_mistake_keeps_its_key(pro_client, row):
    client = pro_client(row.username)
    url = row.url()
    key = key_in(row.show(client, url).content.decode(), row)
    sent = {**data_for(row), row.required: "", f"{row.prefix}key": key}
    response = client.post(url, sent)
    assert response.status_code == 400
    assert key_in(response.content.decode(), row) == key


def twin(username: str) -> str:
    """Another person with the same role in the same team."""
    them = User.objects.get(username=username)
    User.objects.create(username=f"{username}-twin", role=them.role, team=them.team)
    return f"{username}-twin"


@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
def test_a_key_from_someone_elses_form_makes_a_record_of_ones_own(pro_client, row):
    url, key = row.url(), str(uuid.uuid4())
    sent = {**data_for(row), f"{row.prefix}key": key}
    rows = row.model._default_manager.count()
    assert pro_client(row.username).post(url, sent).status_code == 302
    assert pro_client(twin(row.username)).post(url, sent).status_code == 302
    assert row.model._default_manager.count() == rows + 2
    assert row.model._default_manager.filter(submission_key=key).count() == 1


@pytest.mark.parametrize("name", ["a missing episode", "a link on a child's record", "a screening"])
def test_a_key_from_another_childs_form_makes_a_record_for_this_child(pro_client, name):
    row = next(row for row in ROWS if row.name == name)
    dsl = User.objects.get(username=row.username)
    other = Child.objects.create(
        first_name="Sam", last_name="Other", team=Team.objects.get(members=dsl), created_by=dsl
    )
    key = str(uuid.uuid4())
    client = pro_client(row.username)
    for url in [row.url(), row.url().replace(f"/{mia()}/", f"/{other.pk}/")]:
        assert client.post(url, {**data_for(row), "key": key}).status_code == 302
    made = row.model._default_manager.filter(child=other)
    assert made.count() == made.filter(submission_key=None).count() == 1


def test_a_key_from_a_childs_link_makes_a_link_between_records(pro_client):
    coordinator = User.objects.get(username="demo-coordinator")
    child = Child.objects.create(
        first_name="Sam",
        last_name="Other",
        team=Team.objects.get(members=coordinator),
        created_by=coordinator,
    )
    values = {
        "key": uuid.uuid4(),
        "kind": "phone",
        "label": "07700 900 777",
        "nature": "Texts him",
        "linked_on": date(2026, 11, 2),
        "source": "police",
    }
    to_child = do_link_child(child, values, acting_user=coordinator, request=None)
    between = do_link_records(
        to_child.entity,
        {**values, "kind": "person", "label": "Jo Bloggs"},
        acting_user=coordinator,
        request=None,
    )
    assert between.pk != to_child.pk
    assert (between.child_id, between.other.label) == (None, "Jo Bloggs")


def test_a_key_from_a_disruption_on_no_child_is_not_one_on_a_child():
    coordinator = User.objects.get(username="demo-coordinator")
    person = Entity.objects.get(kind="person", label="Jason Smyth")
    values = {
        "key": uuid.uuid4(),
        "kind": "cawn",
        "started_on": date(2026, 11, 1),
        "review_on": date(2027, 2, 1),
        "details": "",
    }
    mia_ = Child.objects.get(pk=mia())
    alone = do_add_disruption(person, values, child=None, acting_user=coordinator, request=None)
    with_mia = do_add_disruption(person, values, child=mia_, acting_user=coordinator, request=None)
    assert alone.pk != with_mia.pk and with_mia.child == mia_


def test_a_form_sent_without_a_key_has_one_when_it_comes_back(pro_client):
    row = ROWS[0]
    response = pro_client(row.username).post(row.url(), {**data_for(row), row.required: ""})
    assert response.status_code == 400
    assert uuid.UUID(key_in(response.content.decode(), row))


def test_two_sends_at_once_store_one_link_and_one_new_record(monkeypatch):
    """The second send looks before the first has stored: the unique index stops it."""
    dsl = User.objects.get(username="demo-dsl")
    child = Child.objects.get(pk=mia())
    values = {
        "key": uuid.uuid4(),
        "kind": "handle",
        "label": "@never_seen_before",
        "nature": "Messages her",
        "linked_on": date(2026, 11, 2),
        "source": "family",
    }
    first = do_link_child(child, values, acting_user=dsl, request=None)
    after_first = written() | {"Entity": Entity.objects.count()}
    looked = submissions._made_by
    misses = iter([True])

    def too_early(*args: Any) -> Any:
        return (None, args[1]) if next(misses, False) else looked(*args)

    monkeypatch.setattr(submissions, "_made_by", too_early)
    again = do_link_child(child, values, acting_user=dsl, request=None)
    assert again.pk == first.pk
    assert written() | {"Entity": Entity.objects.count()} == after_first
