"""The police analyst's path on a phone (390 px): a sighting at a hotel already on record is
offered the hotel, links to it, and becomes a 3x5x2 submission about it."""

import re
from collections.abc import Iterator

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from seethesigns.accounts.models import Role, Team, User
from seethesigns.concerns.tests.test_browser_concerns import committed, sign_in
from seethesigns.network.models import Entity, IntelligenceSubmission, Sighting

pytestmark = pytest.mark.browser
__all__ = ["committed"]


@pytest.fixture
def hotel(committed: None) -> Iterator[Entity]:
    made = Entity.objects.create(
        kind="place",
        label="Station Hotel",
        normalised="station hotel",
        place_kind="hotel",
        team=Team.objects.get(name="Safeguarding"),
        created_by=User.objects.get(username="demo-dsl"),
    )
    yield made
    IntelligenceSubmission.objects.filter(entity=made).delete()
    Sighting.objects.filter(place=made).delete()
    made.delete()


def test_the_analyst_links_a_sighting_to_the_hotel_and_hands_it_on(
    page: Page, site_url: str, hotel: Entity
):
    sign_in(page, site_url, "browser-analyst", Role.POLICE_ANALYST, "Child Exploitation Unit")
    page.set_viewport_size({"width": 390, "height": 844})
    records = Entity.objects.count()
    page.goto(site_url + reverse("pro:links:records"))
    page.get_by_role("link", name="Record a sighting").click()
    page.get_by_label("Where? (the place's name or address)").fill("Station Hotel, 1 Station Road")
    page.get_by_label("Who or what was seen").fill("Two girls of about 14 with an older man.")
    page.get_by_label("Who told you, or where is it from?").select_option("public")
    page.get_by_role("button", name="Check and record the sighting").click()
    offered = page.get_by_label(f"Station Hotel ({hotel.reference})")
    expect(offered).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    offered.check()
    page.get_by_role("button", name="Record the sighting").click()
    expect(page.locator("[data-sighting-place]")).to_have_text("Station Hotel")
    assert Entity.objects.count() == records  # no third copy of the hotel
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("link", name=re.compile(r"^Hand it to the police")).click()
    page.get_by_label("2: Untested").check()
    page.get_by_label("B: Known indirectly to the source but corroborated").check()
    page.get_by_label("P: Lawful sharing permitted", exact=True).check()
    page.get_by_role("button", name="Make the submission").click()
    expect(page.get_by_role("heading", name="Intelligence submission")).to_be_visible()
    assert IntelligenceSubmission.objects.get(entity=hotel).sighting is not None
