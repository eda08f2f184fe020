"""Tell someone while the database or Redis is away: the words are kept, one concern is stored,
and the same server carries on once they are back (testing/faultsite.py)."""

import pytest
from playwright.sync_api import Page, expect

from seethesigns.concerns.models import Concern
from seethesigns.concerns.tests.test_browser_concerns import (
    committed,
    concerns_saying,
    fill_concern,
)
from testing.faultsite import FAULTS, FaultySite, Flow, survives

pytestmark = pytest.mark.browser
__all__ = ["committed"]


def concern_flow(what: str) -> Flow:
    def open_form(page: Page, url: str) -> None:
        page.goto(url + "/tell-someone/")
        fill_concern(page, "friend", what)

    def not_stored(page: Page) -> None:
        heading = page.get_by_role("heading", name="Your message has not been sent yet")
        expect(heading).to_be_visible()
        expect(page.get_by_label("What is worrying you?")).to_have_value(what)
        expect(page.get_by_label("A friend", exact=True)).to_be_checked()

    return Flow(
        table=Concern._meta.db_table,
        open=open_form,
        send=lambda page: page.get_by_role("button", name="Send").click(no_wait_after=True),
        stored=lambda page: expect(
            page.get_by_role("heading", name="Your message has been sent")
        ).to_be_visible(),
        not_stored=not_stored,
        retry_button="Send",
        count=lambda: len(concerns_saying(what)),
    )


@pytest.mark.parametrize("fault", FAULTS)
def test_a_concern_survives(page: Page, fault_site: FaultySite, committed: None, fault: str):
    survives(page, fault_site, concern_flow(f"Fault test: a concern sent with {fault}."), fault)


def test_public_pages_are_served_while_redis_is_stopped(page: Page, fault_site: FaultySite):
    with fault_site.fault("redis stopped", ""):
        for path in ("/", "/signs/", "/tell-someone/", "/get-help/"):
            response = page.goto(fault_site.url + path)
            assert response is not None and response.status == 200, path


def test_rate_limits_count_again_once_redis_is_back(
    page: Page, fault_site: FaultySite, committed: None
):
    counts = fault_site.redis.client()
    with fault_site.fault("redis stopped", ""):
        pass  # stopped, then started again, empty
    assert counts.keys("*rl:concern:*") == []
    flow = concern_flow("Fault test: sent once Redis is back.")
    flow.open(page, fault_site.url)
    flow.send(page)
    flow.stored(page)
    assert flow.count() == 1
    assert len(counts.keys("*rl:concern:*")) == 2  # the ten-minute and the daily count
