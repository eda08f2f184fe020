"""A placement out of area in a browser: asked beside "in care", saved, shown on the record, at
phone and desktop width, with no axe violations."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from playwright.sync_api import Page, expect

from seethesigns.accounts.models import Role, Team
from seethesigns.children.models import Child
from seethesigns.children.tests.test_browser_repeat_missing import SIZES, no_axe_violations
from seethesigns.concerns.tests.test_browser_concerns import committed, person, sign_in

pytestmark = pytest.mark.browser
__all__ = ["committed"]

USER = "browser-placement-cse"
TEAM = "Exploitation Team"


@pytest.fixture
def child(committed: None, django_db_blocker: Any) -> Iterator[Child]:
    """A child of the coordinator's team, not placed out of area yet."""
    with django_db_blocker.unblock():
        coordinator, _ = person(USER, Role.CSE_COORDINATOR, TEAM)
        made = Child.objects.create(
            first_name="Robin",
            last_name="Placement",
            team=Team.objects.get(name=TEAM),
            created_by=coordinator,
            in_care=True,
        )
        try:
            yield made
        finally:
            made.delete()
            connections.close_all()


def shoot(page: Page, folder: Path, name: str) -> None:
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, size)
        no_axe_violations(page)
        page.screenshot(path=str(folder / f"{name}-{size}.png"), full_page=True)


def test_a_worker_records_a_placement_out_of_area(
    page: Page, site_url: str, child: Child, tmp_path: Path
):
    sign_in(page, site_url, USER, Role.CSE_COORDINATOR, TEAM)
    page.goto(f"{site_url}/pro/children/{child.pk}/edit/")
    question = page.get_by_role("group", name="Is the child placed outside the partnership's area?")
    expect(question.get_by_label("No")).to_be_checked()
    expect(question).to_contain_text("another council's area")
    shoot(page, tmp_path, "placement-form")

    question.get_by_label("Yes").check()
    page.get_by_role("button", name="Save the changes").click()
    fact = page.locator("dt", has_text="Placed out of area").locator(
        "xpath=following-sibling::dd[1]"
    )
    expect(fact).to_have_text("Yes")
    child.refresh_from_db()
    assert child.placed_out_of_area and child.in_care
    shoot(page, tmp_path, "placement-record")
