"""Sightings, for the police analyst: join the dots offers the place (and vehicle) records a
sighting matches, and it links to the one she chooses instead of making a copy; a new record
only when she says none matches; a 3x5x2 submission from the sighting has that record as subject."""

import pytest
from django.urls import reverse
from django.utils import timezone

from seethesigns.accounts.models import Team, User
from seethesigns.audit.models import AuditEntry
from seethesigns.network.models import Entity, IntelligenceSubmission, Sighting

pytestmark = pytest.mark.django_db

SEEN = {
    "where": "Station Hotel, 1 Station Road",
    "vehicle": "",
    "what": "Two girls of about 14 going in with an older man.",
    "source": "public",
}


@pytest.fixture
def hotel() -> Entity:
    return Entity.objects.create(
        kind="place",
        label="Station Hotel",
        normalised="station hotel",
        place_kind="hotel",
        team=Team.objects.get(name="Safeguarding"),
        created_by=User.objects.get(username="demo-dsl"),
    )


def post(client, **changes):
    values = {**SEEN, "seen_on": timezone.localdate().isoformat(), **changes}
    return client.post(reverse("pro:links:new_sighting"), values)


def test_a_sighting_at_a_known_hotel_offers_it_and_links_to_it(pro_client, hotel):
    client = pro_client("demo-analyst")
    records = Entity.objects.count()
    page = post(client)
    assert page.status_code == 200 and b"data-sighting-offers" in page.content
    assert f'value="{hotel.pk}"'.encode() in page.content  # offered
    assert not Sighting.objects.exists()  # nothing made until she chooses
    response = post(client, place=str(hotel.pk))
    assert response.status_code == 302
    sighting = Sighting.objects.get()
    assert sighting.place == hotel and sighting.vehicle is None
    assert Entity.objects.count() == records  # no copy of the hotel
    assert "older man" not in sighting.sealed  # sealed
    entry = AuditEntry.objects.get(action="links.record_sighting")
    assert entry.data["place"] == hotel.pk and entry.data["new_place"] is False
    page = client.get(response["Location"]).content.decode()
    assert "Station Hotel" in page and "older man" in page


def test_none_matches_makes_a_new_record(pro_client, hotel):
    client = pro_client("demo-analyst")
    records = Entity.objects.count()
    assert post(client, place="new").status_code == 302
    sighting = Sighting.objects.get()
    assert sighting.place != hotel
    assert sighting.place.label == "Station Hotel, 1 Station Road"
    assert Entity.objects.count() == records + 1
    assert sighting.place.matches.filter(other=hotel).exists()  # the dots still joined


def test_a_registration_seen_links_to_the_vehicle_record(pro_client, hotel):
    car = Entity.objects.get(kind="vehicle", label="nb12xyz")
    client = pro_client("demo-analyst")
    page = post(client, vehicle="NB12 XYZ")
    assert f'value="{car.pk}"'.encode() in page.content
    response = post(client, vehicle="NB12 XYZ", place=str(hotel.pk), vehicle_record=str(car.pk))
    assert response.status_code == 302
    assert Sighting.objects.get().vehicle == car


def test_the_submission_from_a_sighting_has_the_matched_record_as_subject(pro_client, hotel):
    client = pro_client("demo-analyst")
    post(client, place=str(hotel.pk))
    sighting = Sighting.objects.get()
    url = reverse("pro:links:sighting_intelligence", args=[sighting.pk])
    form = client.get(url)
    assert form.status_code == 200 and b"older man" in form.content  # the intelligence, drafted
    values = {
        "source_evaluation": "2",
        "assessment": "B",
        "handling": "P",
        "conditions": "",
        "intelligence": "Girls of about 14 taken into the Station Hotel by an older man.",
    }
    response = client.post(url, values)
    assert response.status_code == 302
    sub = IntelligenceSubmission.objects.get()
    assert sub.entity == hotel and sub.sighting == sighting
    data = client.get(reverse("pro:links:intelligence_json", args=[sub.pk])).json()
    assert data["subject"]["record"] == hotel.reference


@pytest.mark.parametrize(
    "username", ["demo-coordinator", "demo-dsl", "demo-frontdoor", "demo-eastfield", "demo-dpo"]
)
def test_outsiders_get_404_for_a_sighting(pro_client, hotel, username):
    analyst = pro_client("demo-analyst")
    post(analyst, place=str(hotel.pk))
    sighting = Sighting.objects.get()
    client = pro_client(username)
    for name in ("pro:links:sighting", "pro:links:sighting_intelligence"):
        assert client.get(reverse(name, args=[sighting.pk])).status_code == 404


def test_a_sighting_goes_with_its_place_or_vehicle_when_the_record_is_erased(pro_client, hotel):
    """Retention (dataprotection/retention.py) erases a sighting as part of either record; a
    3x5x2 submission made from it stays with its own record."""
    from seethesigns.dataprotection.actions import _erase
    from seethesigns.tests.records import a_sighting, a_submission

    car = Entity.objects.get(kind="vehicle", label="nb12xyz")
    seen = a_sighting(hotel, "s")
    Sighting.objects.filter(pk=seen.pk).update(vehicle=car)
    sub = a_submission(hotel, "i")
    IntelligenceSubmission.objects.filter(pk=sub.pk).update(sighting=seen)
    counts: dict[str, int] = {}
    _erase(Entity.objects.get(pk=car.pk), counts)
    assert counts["record_sighting_vehicle"] == 1 and not Sighting.objects.exists()
    sub.refresh_from_db()
    assert sub.sighting is None and sub.entity == hotel
    second = a_sighting(hotel, "t")
    _erase(Entity.objects.get(pk=hotel.pk), counts)
    assert counts["record_sighting"] == 1 and not Sighting.objects.filter(pk=second.pk).exists()
