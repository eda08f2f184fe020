"""Search before create in chromium: a child another team holds shows that team's contact and
nothing else, and the record is then made without typing anything again. Screenshots at 390 and
1280 px go to $SCREENSHOT_DIR when it is set (docs/records.md)."""

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import connections
from django.urls import reverse
from playwright.sync_api import Page, expect

from seethesigns.accounts.models import Role, User
from seethesigns.children.actions import do_create_child
from seethesigns.children.models import Child
from seethesigns.concerns.tests.test_browser_concerns import sign_in

pytestmark = pytest.mark.browser

WIDTHS = {"phone": (390, 844), "desktop": (1280, 800)}


def look(page: Page, name: str) -> None:
    """At both widths: no axe violation, no sideways scroll; a screenshot if asked for."""
    out = os.environ.get("SCREENSHOT_DIR")
    for size, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        violations = Axe().run(page).response["violations"]
        assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations] == []
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        if out:
            page.screenshot(path=str(Path(out) / f"{name}-{size}.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})


@pytest.fixture
def thomas(django_db_blocker: Any) -> Iterator[Child]:
    """A child held by Eastfield's front door, which the school's practitioner may not open."""
    with django_db_blocker.unblock():
        before = Child.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        made = do_create_child(
            {
                "first_name": "Thomas",
                "last_name": "Brightwater",
                "date_of_birth": date(2012, 9, 3),
                "address": "12 Mill Lane, Eastfield EF1 2AB",
                "nhs_number": "9434765919",
                "learning_disability": "no",
            },
            acting_user=User.objects.get(username="demo-eastfield"),
            request=None,
        )
        yield made
        Child.objects.filter(pk__gt=before).delete()
        connections.close_all()


def test_a_practitioner_is_told_whom_to_contact_and_goes_on_without_retyping(
    page: Page, site_url: str, thomas: Child
):
    sign_in(page, site_url, "browser-practitioner", Role.PRACTITIONER, "Safeguarding")
    page.set_viewport_size({"width": 390, "height": 844})
    # A child of her own team: offered to open.
    page.goto(site_url + reverse("pro:cases:new"))
    look(page, "child-search")
    page.get_by_label("First name").fill("Mia")
    page.get_by_label("Last name").fill("Example")
    page.get_by_label("Date of birth (optional)").fill("2012-05-01")
    page.get_by_role("button", name="Search for this child").click()
    expect(page.get_by_role("link", name="open Mia Example's record")).to_be_visible()
    look(page, "child-search-offered")

    # A child another team holds: the team and its contact, nothing of the record.
    page.goto(site_url + reverse("pro:cases:new"))
    page.get_by_label("First name").fill("Tom")
    page.get_by_label("Last name").fill("Brightwater")
    page.get_by_label("Date of birth (optional)").fill("2012-09-03")
    page.get_by_label("Address or postcode (optional)").fill("12 Mill Ln")
    page.get_by_label("NHS number (optional)").fill("943 476 5919")
    page.get_by_role("button", name="Search for this child").click()
    known = page.locator("[data-known-elsewhere]")
    expect(known).to_contain_text("may already be known to Eastfield Front Door")
    expect(known).to_contain_text("Cara Coordinator")
    expect(known).to_contain_text("01632 960 654")
    text = page.locator("main").inner_text()
    for trace in ["Thomas", thomas.reference, "Mill Lane", "EF1 2AB", "3 Sep 2012"]:
        assert trace not in text, trace
    assert f"/pro/children/{thomas.pk}/" not in page.content()
    look(page, "child-search-elsewhere")

    # She goes on: everything she typed is there, she adds only what is new.
    expect(page.get_by_label("First name")).to_have_value("Tom")
    expect(page.get_by_label("Date of birth (optional)")).to_have_value("2012-09-03")
    expect(page.get_by_label("NHS number (optional)")).to_have_value("9434765919")
    page.get_by_role("radio", name="No", exact=True).check()
    page.get_by_role("button", name="Add the record").click()
    expect(page.get_by_role("heading", name="Tom Brightwater")).to_be_visible()
    made = Child.objects.get(first_name="Tom", last_name="Brightwater")
    assert made.team.name == "Safeguarding" and made.address == "12 Mill Ln"
    assert made.nhs_number == "9434765919" and made.learning_disability == "no"
