"""Repeat missing in a browser: the flag on the child's page and in the list, the coordinator's
alert on their home, at phone and desktop width, with no axe violations. Saves the screenshots
docs/records.md shows (docs/screenshots/repeat-missing-*.png)."""

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import connections
from django.utils import timezone
from playwright.sync_api import Page, expect

from seethesigns.accounts.models import Role, Team
from seethesigns.appendonly import erasing
from seethesigns.children.actions import do_record_missing
from seethesigns.children.models import Child, ChronologyEntry, MissingEpisode, RepeatMissingAlert
from seethesigns.concerns.tests.test_browser_concerns import committed, person, sign_in

pytestmark = pytest.mark.browser
__all__ = ["committed"]

SHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
SIZES = {"phone": (390, 844), "desktop": (1280, 800)}


@pytest.fixture
def repeat_child(committed: None, django_db_blocker: Any) -> Iterator[Child]:
    """A child of the Exploitation Team missing three times in six weeks, recorded through the
    action, so the alert goes to the team's coordinator (the browser's user for this test)."""
    with django_db_blocker.unblock():
        coordinator, _ = person("browser-repeat-cse", Role.CSE_COORDINATOR, "Exploitation Team")
        team = Team.objects.get(name="Exploitation Team")
        before = team.cse_contact
        team.cse_contact = coordinator
        team.save(update_fields=["cse_contact"])
        child = Child.objects.create(
            first_name="Robin", last_name="Example", team=team, created_by=coordinator
        )
        now = timezone.now()
        for days in (40, 21, 2):
            started = timezone.localtime(now - timedelta(days=days))
            values = {
                "started_at": started,
                "reported_by": "Foster carer",
                "ended_at": started + timedelta(hours=9),
            }
            do_record_missing(child, values, acting_user=coordinator, request=None)
        try:
            yield child
        finally:
            team.cse_contact = before
            team.save(update_fields=["cse_contact"])
            with erasing("cases_chronologyentry"):
                RepeatMissingAlert.objects.filter(child=child).delete()
                MissingEpisode.objects.filter(child=child).delete()
                ChronologyEntry.objects.filter(child=child).delete()
                child.delete()
            connections.close_all()


def no_axe_violations(page: Page) -> None:
    violations = Axe().run(page).response["violations"]
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations] == [], page.url


def shoot(page: Page, name: str) -> None:
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(SHOTS / f"{name}-{size}.png"), full_page=True)


def test_the_flag_and_the_alert_in_a_browser(page: Page, site_url: str, repeat_child: Child):
    assert RepeatMissingAlert.objects.filter(child=repeat_child).count() == 1
    sign_in(page, site_url, "browser-repeat-cse", Role.CSE_COORDINATOR, "Exploitation Team")

    alert = page.locator("[data-repeat-alerts]")
    expect(alert).to_contain_text("Children who became repeat missing")
    expect(alert.get_by_role("link", name="Robin Example")).to_be_visible()
    no_axe_violations(page)
    shoot(page, "repeat-missing-alert")

    page.goto(f"{site_url}/pro/children/")
    row = page.locator("li", has=page.get_by_role("link", name="Robin Example"))
    expect(row.locator("[data-repeat-missing]")).to_have_text("Repeat missing")
    no_axe_violations(page)

    page.goto(f"{site_url}/pro/children/{repeat_child.pk}/")
    expect(page.locator("h1 [data-repeat-missing]")).to_have_text("Repeat missing")
    expect(page.locator("#repeat-missing")).to_contain_text("Missing 3 times in the last 90 days")
    no_axe_violations(page)
    shoot(page, "repeat-missing-child")

    # Seen: the alert leaves the home page; the flag stays while the rule holds.
    page.goto(f"{site_url}/pro/")
    page.get_by_role("button", name="Mark as seen Robin Example").click()
    expect(page.locator("[data-repeat-alerts]")).to_have_count(0)
    page.goto(f"{site_url}/pro/children/{repeat_child.pk}/")
    expect(page.locator("h1 [data-repeat-missing]")).to_be_visible()
