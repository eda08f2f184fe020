"""Links on a child's record, the alerts, records in their own right, and the network."""

import re

import pytest

from seethesigns.accounts.models import User
from seethesigns.audit.models import AuditEntry
from seethesigns.children.models import Child
from seethesigns.network.models import Entity, Link

pytestmark = pytest.mark.django_db


def test_adding_a_link_tells_the_worker_what_it_links_to(pro_client):
    mia = Child.objects.get(first_name="Mia")
    client = pro_client("demo-dsl")
    response = client.post(
        f"/pro/children/{mia.pk}/links/",
        {
            "kind": "phone",
            "label": "07700 900 123",
            "place_kind": "",
            "nature": "Texts her",
            "linked_on": "2026-11-20",
            "source": "family",
        },
    )
    assert response.status_code == 302
    page = client.get(f"/pro/children/{mia.pk}/").content.decode()
    # The same phone is on Leah's (Exploitation Team) and Tom's (Eastfield) records.
    alert = re.search(
        r'<li class="alert" id="alert-\d+">\s*<p><strong>07700 900 123</strong>.*?</li>'
        r'\s*(?=<li class="alert"|</ul>)',
        page,
        re.S,
    )
    assert alert, page
    assert "links to 3 children or records</span>: this child and 2 others." in alert.group(0)
    assert "Cara Coordinator" in alert.group(0)
    assert mia.chronology.filter(kind="link").exists()


def test_an_alert_reveals_nothing_of_a_record_the_worker_cannot_see(pro_client):
    """The DSL cannot open Leah's or Tom's records: the page has no trace of them."""
    mia = Child.objects.get(first_name="Mia")
    page = pro_client("demo-dsl").get(f"/pro/children/{mia.pk}/").content.decode()
    assert re.search(r"whose records? you cannot open", page)
    hidden = list(Child.objects.filter(first_name__in=["Leah", "Tom"]))
    hidden_records = Entity.objects.exclude(team=User.objects.get(username="demo-dsl").team)
    for child in hidden:
        for trace in [
            child.first_name,
            child.last_name,
            child.reference,
            f"/pro/children/{child.pk}/",
        ]:
            assert trace not in page, trace
    for record in hidden_records:
        assert f"/pro/records/{record.pk}/" not in page
        own = [r.label for r in Entity.objects.filter(team__name="Safeguarding")]
        if not any(record.label in label for label in own):
            assert record.label not in page, record.label
    for words in ["Exploitation Team", "Eastfield", "children's home", "Riverside"]:
        assert words not in page, words


def test_a_search_before_create_reveals_nothing_of_a_child_the_worker_cannot_see(pro_client):
    """The same rule for a child searched for before a record is made (children/search.py):
    Tom, held by Eastfield, is told as his team and whom to ask, and nothing of his record."""
    tom = Child.objects.get(first_name="Tom", last_name="Demo")
    tom.nhs_number = "9434765919"
    tom.save(update_fields=["nhs_number"])
    response = pro_client("demo-dsl").post(
        "/pro/children/new/",
        {"step": "search", "first_name": "Thom", "last_name": "Demo", "nhs_number": "9434765919"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "may already be known to <strong>Eastfield Front Door" in page
    assert "Cara Coordinator" in page
    for trace in [
        "Tom",
        "2012-09-03",
        "3 Sep 2012",
        tom.reference,
        f"/pro/children/{tom.pk}/",
        "Leah",
        "Exploitation Team",
    ]:
        # As a word: the nationality list's "Sao Tome and Principe" is not Tom.
        assert not re.search(rf"\b{re.escape(trace)}\b", page), trace


def test_the_coordinator_sees_the_links_they_may_open(pro_client):
    leah = Child.objects.get(first_name="Leah")
    page = pro_client("demo-coordinator").get(f"/pro/children/{leah.pk}/").content.decode()
    assert "NB12 XYZ" in page  # the school's record of the same car, which the coordinator may open


def test_a_record_page_lists_children_only_for_those_who_may_open_them(pro_client):
    car = Entity.objects.get(kind="vehicle", label="nb12xyz")
    page = pro_client("demo-analyst").get(f"/pro/records/{car.pk}/").content.decode()
    assert "A child held by another team" in page
    assert "Leah" not in page
    assert AuditEntry.objects.filter(action="links.view_entity", object_id=str(car.pk)).exists()


def test_outsiders_get_404_for_a_record(pro_client):
    car = Entity.objects.get(kind="vehicle", label="nb12xyz")
    for username in ["demo-dsl", "demo-eastfield", "demo-admin"]:
        client = pro_client(username)
        assert client.get(f"/pro/records/{car.pk}/").status_code == 404
        assert client.get(f"/pro/records/{car.pk}/edit/").status_code == 404


def test_records_link_to_each_other_and_take_disruption_actions(pro_client):
    person = Entity.objects.get(kind="person", label="Jason Smyth")
    client = pro_client("demo-coordinator")
    response = client.post(
        f"/pro/records/{person.pk}/",
        {
            "form": "link",
            "link-kind": "vehicle",
            "link-label": "NB12XYZ",
            "link-place_kind": "",
            "link-nature": "Drives it",
            "link-linked_on": "2026-11-02",
            "link-source": "police",
        },
    )
    assert response.status_code == 302
    assert Link.objects.filter(entity=person, other__normalised="NB12XYZ").exists()
    response = client.post(
        f"/pro/records/{person.pk}/",
        {
            "form": "disruption",
            "disruption-kind": "sro",
            "disruption-started_on": "2026-11-10",
            "disruption-review_on": "2026-11-01",
            "disruption-details": "typed",
        },
    )
    assert response.status_code == 400
    assert "The review can&#x27;t be before the action started" in response.content.decode()
    assert 'value="typed"' in response.content.decode()
    # The page shown again shows the record: a view, as on first opening.
    last = AuditEntry.objects.order_by("-seq").first()
    assert (last.action, last.object_id, last.data) == (
        "links.view_entity",
        str(person.pk),
        {"page": "record"},
    )


def test_the_network_is_an_svg_drawn_on_the_server_for_the_coordinator_and_analyst(pro_client):
    for username in ["demo-coordinator", "demo-analyst"]:
        response = pro_client(username).get("/pro/network/")
        body = response.content.decode()
        assert response.status_code == 200
        assert "<svg" in body and "Cluster 1: 3 children" in body
        assert "Mia" not in body and "Leah" not in body  # children by reference only
        assert "http://" not in body.replace("http://www.w3.org", "")
        assert "Riverside Hotel" in body  # the ranked places
    assert pro_client("demo-dsl").get("/pro/network/").status_code == 403


def test_the_network_filters_by_date_and_survives_bad_dates(pro_client):
    client = pro_client("demo-coordinator")
    empty = client.get("/pro/network/?from=2001-01-01&to=2001-01-02").content.decode()
    assert "No two children share" in empty
    bad = client.get("/pro/network/?from=yesterday&to=2026-13-45")
    assert bad.status_code == 200 and "A date was not understood" in bad.content.decode()


def test_a_record_edit_conflict_shows_both_versions(pro_client):
    from django.test import Client

    from conftest import verified_client

    car = Entity.objects.get(kind="vehicle", label="nb12xyz")
    one = verified_client(Client(), User.objects.get(username="demo-coordinator"))
    two = verified_client(Client(), User.objects.get(username="demo-coordinator"))
    url = f"/pro/records/{car.pk}/edit/"
    form = {"version": car.version, "label": "NB12 XYZ", "place_kind": ""}
    assert one.post(url, {**form, "details": "Silver Astra"}).status_code == 302
    response = two.post(url, {**form, "details": "Grey Corsa"})
    assert response.status_code == 409
    assert "Silver Astra" in response.content.decode() and "Grey Corsa" in response.content.decode()
    car.refresh_from_db()
    assert car.details == "Silver Astra"


def test_a_team_without_an_active_contact_points_to_the_partnership_coordinator():
    from seethesigns.accounts.models import Role, Team
    from seethesigns.network.alerts import _contacts

    named, unnamed = (
        Team.objects.exclude(cse_contact=None)[0],
        Team.objects.filter(cse_contact=None)[0],
    )
    first = User.objects.filter(role=Role.CSE_COORDINATOR).order_by("pk")[0]
    assert _contacts({named.pk, unnamed.pk}) == {named.pk: named.cse_contact, unnamed.pk: first}
    first.is_active = False
    first.save()
    later = User.objects.create(
        username="later-coordinator", role=Role.CSE_COORDINATOR, team=unnamed
    )
    assert _contacts({named.pk, unnamed.pk}) == {
        named.pk: named.cse_contact if named.cse_contact != first else later,
        unnamed.pk: later,
    }


def test_the_records_list_filters_by_kind_and_ignores_a_kind_it_does_not_know(pro_client):
    client = pro_client("demo-coordinator")
    vehicles = client.get("/pro/records/?kind=vehicle").content.decode()
    places = client.get("/pro/records/?kind=place").content.decode()
    car = Entity.objects.filter(kind="vehicle").first()
    assert f"/pro/records/{car.pk}/" in vehicles
    assert f"/pro/records/{car.pk}/" not in places
    # Found by make scan: a NUL byte reached PostgreSQL, which refuses it (a 500).
    for kind in ["vehicle\x00", "https://example.org/e.php\x00", "nonsense"]:
        response = client.get("/pro/records/", {"kind": kind})
        assert response.status_code == 200
        assert f"/pro/records/{car.pk}/" in response.content.decode()
