"""A child's record on a phone: nothing wider than the screen, an overdue interview in sight."""

import re

import pytest
from playwright.sync_api import Page, expect

from seethesigns.accounts.models import Role
from seethesigns.children.models import Child
from seethesigns.concerns.tests.test_browser_concerns import committed, sign_in

pytestmark = pytest.mark.browser
__all__ = ["committed"]


def test_a_childs_missing_episodes_fit_a_phone(page: Page, site_url: str, committed: None):
    leah = Child.objects.get(first_name="Leah", last_name="Sample")
    sign_in(page, site_url, "layout-cse", Role.CSE_COORDINATOR, "Exploitation Team")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{site_url}/pro/children/{leah.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # The missing episodes' table: the record now also has a table of reports made (duties).
    episodes = page.locator("#missing .table--stack")
    overdue = episodes.locator(".tag--overdue")
    expect(overdue).to_have_text(re.compile(r"^Overdue by \d+ (minute|hour|day)s?$"))
    box = overdue.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    # Each cell says which column it is in, as the table's header does on a wider screen.
    labels = episodes.locator("tbody tr").first.evaluate(
        "row => [...row.cells].map(c => getComputedStyle(c, '::before').content)"
    )
    assert labels == [
        '"Missing"', '"Back"', '"Found where, with whom"', '"Safe and well check"',
        '"Return home interview"',
    ]  # fmt: skip
