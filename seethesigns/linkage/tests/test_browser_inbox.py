"""The coordinator's matches with other partnerships, in chromium: from her home page to the
inbox, an alert and her answer. Screenshots at 390 and 1280 px go to $SCREENSHOT_DIR when set."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connections
from playwright.sync_api import Page, expect

from seethesigns.accounts.models import Role
from seethesigns.children.tests.test_browser_search_before_create import look
from seethesigns.concerns.tests.test_browser_concerns import sign_in
from seethesigns.linkage.models import HubAlert
from seethesigns.linkage.tests.fakes import a_hub_alert
from seethesigns.network.models import Entity

pytestmark = pytest.mark.browser


@pytest.fixture
def alerts(django_db_blocker: Any) -> Iterator[list[HubAlert]]:
    """A car very likely held by Eastfield too, and a man possibly held by Westmoor."""
    with django_db_blocker.unblock():
        car = Entity.objects.get(kind="vehicle", label="nb12xyz")
        man = Entity.objects.get(kind="person", label="Jason Smyth")
        made = [
            a_hub_alert(
                "vehicle",
                car.pk,
                ref="a" * 32,
                probability=0.99,
                coordinator_name="Esme Hart",
                coordinator_phone="01632 960 888",
            ),
            a_hub_alert(
                "person",
                man.pk,
                ref="b" * 32,
                strength="possibly",
                probability=0.41,
                partnership_name="Westmoor Safeguarding Partnership",
                coordinator_name="Wes Moore",
                coordinator_phone="01632 960 999",
            ),
        ]
        yield made
        HubAlert.objects.filter(pk__in=[a.pk for a in made]).delete()
        connections.close_all()


def test_the_coordinator_reads_an_alert_and_says_she_called(
    page: Page, site_url: str, alerts: list[HubAlert], django_db_blocker: Any
):
    car_alert, _ = alerts
    sign_in(page, site_url, "browser-coordinator", Role.CSE_COORDINATOR, "Exploitation Team")
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("link", name="Matches with other partnerships").first.click()
    expect(page.get_by_role("heading", name="Matches with other partnerships")).to_be_visible()
    expect(page.locator("[data-hub-alerts] tbody tr")).to_have_count(2)
    look(page, "hub-alerts")
    page.get_by_role("link", name="Eastfield Safeguarding Children Partnership").click()
    text = page.locator("[data-hub-alert-text]")
    expect(text).to_contain_text(
        "A record you hold may match one held by Eastfield Safeguarding Children Partnership."
    )
    expect(text).to_contain_text("Contact their CSE coordinator: Esme Hart, 01632 960 888.")
    expect(page.locator("[data-strength]")).to_have_text("very likely")
    look(page, "hub-alert")
    page.get_by_label("I contacted their CSE coordinator").check()
    page.get_by_label("Note (optional)").fill("Called Esme; she will send the details.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("[data-hub-alerts] tbody tr")).to_have_count(1)
    expect(page.locator("[data-hub-alerts-done]")).to_contain_text(
        "I contacted their CSE coordinator"
    )
    look(page, "hub-alerts-answered")
    # Her answer opens the local record through its own page.
    page.locator(f'[data-hub-alert="{car_alert.pk}"] a').click()
    expect(page.locator("[data-decided]")).to_contain_text("Recorded by")
    page.locator("[data-local-record]").click()
    expect(page.get_by_role("heading", name="nb12xyz")).to_be_visible()
    with django_db_blocker.unblock():
        assert HubAlert.objects.get(pk=car_alert.pk).decision == "contacted"
