"""A person of concern's record on a phone and a desktop: the alert says "very likely the same
person" with the fields that agree and disagree, and "possibly the same" as a suggestion to
check; axe finds nothing. Screenshots go to var/screenshots/ (looked at, not compared)."""

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import Page, expect

from seethesigns.accounts.models import Role, Team, User
from seethesigns.concerns.tests.test_browser_concerns import committed, sign_in
from seethesigns.network.actions import do_create_entity, do_link_records
from seethesigns.network.models import Entity, Link, Match, PersonKey

pytestmark = pytest.mark.browser
__all__ = ["committed"]
SHOTS = Path(os.environ.get("SCREENSHOTS_DIR", "var/screenshots"))


@pytest.fixture
def people(committed: None) -> Iterator[list[Entity]]:
    before = Entity.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    yield []
    made = Entity.objects.filter(pk__gt=before)
    Match.objects.filter(entity__in=made).delete()
    PersonKey.objects.filter(entity__in=made).delete()
    Link.objects.filter(entity__in=made).delete()
    made.delete()


def person(user: User, label: str, phone: str = "", **particulars: object) -> Entity:
    values = {"kind": "person", "label": label, "place_kind": "", "details": "", **particulars}
    entity = do_create_entity(values, acting_user=user, request=None)
    if phone:
        link = {
            "kind": "phone",
            "label": phone,
            "place_kind": "",
            "nature": "uses",
            "linked_on": date(2026, 11, 1),
            "source": "police",
        }
        do_link_records(entity, link, acting_user=user, request=None)
    return entity


def test_a_record_shows_the_two_kinds_of_match(page: Page, site_url: str, people: list[Entity]):
    sign_in(page, site_url, "browser-coordinator-people", Role.CSE_COORDINATOR, "Exploitation Team")
    user = User.objects.get(username="browser-coordinator-people")
    assert user.team == Team.objects.get(name="Exploitation Team")
    born = date(1991, 6, 4)
    first = person(user, "Reece Holloway", "07700 900 431", date_of_birth=born, sex="male")
    person(user, "Reece Holoway", "+44 7700 900431", date_of_birth=born, sex="female")
    person(user, "Reece Hollowey")
    page.goto(site_url + reverse("pro:links:record", args=[first.pk]))
    very = page.locator('[data-match="very_likely"]')
    expect(very).to_contain_text("Very likely the same person: Reece Holoway")
    expect(very).to_contain_text("Agrees on: name, date of birth, phone.")
    expect(very).to_contain_text("Differs on: sex.")
    expect(page.locator('[data-match="possibly"]')).to_contain_text(
        "Possibly the same person, worth checking: Reece Hollowey"
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, (width, height) in {"phone": (390, 844), "desktop": (1280, 800)}.items():
        page.set_viewport_size({"width": width, "height": height})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.locator(".alerts").scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"person-matches-{name}.png"), full_page=True)
        violations = Axe().run(page).response["violations"]
        assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations] == []
