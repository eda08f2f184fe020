"""Search before create: every team's children are searched before a child's record is made."""

import re
from datetime import date

import pytest

from seethesigns.accounts.models import Team, User
from seethesigns.audit.models import AuditEntry
from seethesigns.children.actions import do_create_child
from seethesigns.children.models import Child, ChildNameKey

pytestmark = pytest.mark.django_db

NEW = "/pro/children/new/"
TOM_NHS = "9434765919"


def _held_elsewhere(**values) -> Child:
    """A child held by Eastfield's front door: the school's DSL may not open the record."""
    eve = User.objects.get(username="demo-eastfield")
    details = {
        "first_name": "Thomas",
        "last_name": "Brightwater",
        "date_of_birth": date(2012, 9, 3),
        "address": "12 Mill Lane, Eastfield EF1 2AB",
        "nhs_number": TOM_NHS,
        "learning_disability": "no",
        **values,
    }
    return do_create_child(details, acting_user=eve, request=None)


def _search(client, **values):
    form = {"step": "search", "first_name": "", "last_name": "", "date_of_birth": ""}
    return client.post(NEW, {**form, **values})


def _searched_page(client, **values) -> str:
    response = _search(client, **values)
    assert response.status_code == 200, response.content.decode()
    return response.content.decode()


def test_a_child_the_worker_may_open_is_offered_to_open(pro_client):
    mia = Child.objects.get(first_name="Mia")
    page = _searched_page(
        pro_client("demo-dsl"), first_name="Mia", last_name="Example", date_of_birth="2012-05-01"
    )
    assert f'data-offered="{mia.pk}"' in page
    assert f'href="/pro/children/{mia.pk}/"' in page
    assert "This may be the child you mean" in page


def test_a_sound_alike_name_is_found_by_its_keys():
    child = _held_elsewhere(first_name="Steven", last_name="Smith", nhs_number="")
    assert set(ChildNameKey.objects.filter(child=child).values_list("key", flat=True))
    from seethesigns.children.search import candidates

    found = candidates({"first_name": "Stephen", "last_name": "Smyth", "date_of_birth": None})
    assert child in found


def test_a_child_held_elsewhere_reveals_only_the_team_and_its_contact(pro_client):
    tom = _held_elsewhere()
    page = _searched_page(
        pro_client("demo-dsl"),
        first_name="Tom",
        last_name="Brightwater",
        date_of_birth="2012-09-03",
        nhs_number="943 476 5919",
    )
    box = re.search(r'<div class="box box--alert" data-known-elsewhere>.*?</div>', page, re.S)
    assert box, page
    assert "may already be known to <strong>Eastfield Front Door, Eastfield" in box.group(0)
    # Eastfield names no contact of its own: the partnership's CSE coordinator, with her number.
    assert "Cara Coordinator" in box.group(0) and "01632 960 654" in box.group(0)
    for trace in [
        "Thomas",
        tom.reference,
        f"/pro/children/{tom.pk}/",
        "Mill Lane",
        "EF1 2AB",
        "3 Sep 2012",
        "Sept. 3, 2012",
        "data-offered",
    ]:
        assert trace.lower() not in page.lower(), trace
    # What the worker typed is kept for the record they may still make (the NHS number's digits).
    assert 'value="Tom"' in page and f'value="{TOM_NHS}"' in page


def test_the_search_and_each_match_shown_are_audited_without_what_was_typed(pro_client):
    tom = _held_elsewhere()
    mia = Child.objects.get(first_name="Mia")
    client = pro_client("demo-dsl")
    _searched_page(client, first_name="Tom", last_name="Brightwater", nhs_number=TOM_NHS)
    _searched_page(client, first_name="Mia", last_name="Example", date_of_birth="2012-05-01")
    searches = AuditEntry.objects.filter(action="cases.search_children", actor_label="demo-dsl")
    assert searches.count() == 2
    first = searches.order_by("seq").first()
    assert first is not None and first.data["fields"] == ["first_name", "last_name", "nhs_number"]
    shown = AuditEntry.objects.filter(action="cases.match_shown", actor_label="demo-dsl")
    assert shown.get(object_id=str(tom.pk)).data["shown"] == "team and contact only"
    assert shown.get(object_id=str(mia.pk)).data["shown"] == "offered to open"
    for entry in [*searches, *shown]:
        for typed in ["Tom", "Brightwater", TOM_NHS, "Mia", "2012"]:
            assert typed not in str(entry.data), (entry.action, typed)


def test_searching_is_limited_per_worker_and_keeps_what_was_typed(pro_client, settings):
    settings.CHILD_SEARCH_LIMITS = [(2, 3600)]
    client = pro_client("demo-dsl")
    for n in range(2):
        _searched_page(client, first_name=f"Ann{n}", last_name="Probe")
    refused = _search(client, first_name="Tom", last_name="Brightwater", nhs_number=TOM_NHS)
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "searching is paused for you for now" in page
    assert 'value="Brightwater"' in page
    assert "data-search-results" not in page
    assert AuditEntry.objects.filter(action="cases.search_limited", actor_label="demo-dsl")
    # Another worker is not held back by it.
    _searched_page(pro_client("demo-practitioner"), first_name="Ann", last_name="Probe")


def test_the_record_is_made_from_what_was_searched_without_retyping(pro_client):
    client = pro_client("demo-dsl")
    page = _searched_page(
        client,
        first_name="Nia",
        last_name="Newcombe",
        date_of_birth="2013-01-09",
        address="4 Low Road, NB1 1AA",
        nhs_number="943 476 5919",
    )
    assert "We found no record that closely matches these details" in page or (
        "data-known-elsewhere" in page
    )
    fields = dict(re.findall(r'name="([a-z_]+)" (?:id="[^"]*" )?value="([^"]*)"', page))
    fields.update(re.findall(r'<input[^>]*type="hidden" name="([a-z_]+)" value="([^"]*)"', page))
    assert fields["first_name"] == "Nia" and fields["searched"]
    form = {
        "step": "create",
        "first_name": "Nia",
        "last_name": "Newcombe",
        "date_of_birth": "2013-01-09",
        "address": "4 Low Road, NB1 1AA",
        "nhs_number": TOM_NHS,
        "learning_disability": "no",
        "searched": fields["searched"],
        "key": fields["key"],
    }
    made = client.post(NEW, form)
    assert made.status_code == 302
    nia = Child.objects.get(first_name="Nia")
    assert (nia.address, nia.nhs_number, nia.team) == (
        "4 Low Road, NB1 1AA",
        TOM_NHS,
        Team.objects.get(name="Safeguarding"),
    )
    assert ChildNameKey.objects.filter(child=nia).exists()
    # The same form sent again (a double click) makes nothing more.
    assert client.post(NEW, form).status_code == 302
    assert Child.objects.filter(first_name="Nia").count() == 1


def test_details_changed_after_the_search_are_searched_again_first(pro_client):
    client = pro_client("demo-dsl")
    page = _searched_page(client, first_name="Ola", last_name="Kemp")
    token = re.search(r'name="searched" value="([^"]*)"', page)
    assert token
    form = {
        "step": "create",
        "first_name": "Mia",  # changed after the search
        "last_name": "Example",
        "date_of_birth": "2012-05-01",
        "learning_disability": "yes",
        "searched": token.group(1),
    }
    again = client.post(NEW, form)
    assert again.status_code == 200
    body = again.content.decode()
    assert "data-searched-again" in body and "data-offered" in body
    assert re.search(r'name="learning_disability" value="yes"[^>]*checked', body)  # kept
    assert not Child.objects.filter(first_name="Ola").exists()
    assert Child.objects.filter(first_name="Mia").count() == 1
    # A made-up token is no better.
    form["searched"] = "not-a-token"
    assert "data-search-results" in client.post(NEW, form).content.decode()
    assert Child.objects.filter(first_name="Mia").count() == 1


def test_a_bad_nhs_number_is_refused_with_a_message_and_kept(pro_client):
    response = _search(
        pro_client("demo-dsl"), first_name="Jo", last_name="Bell", nhs_number="943 476 5918"
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "This is not a valid NHS number" in page and 'value="943 476 5918"' in page
