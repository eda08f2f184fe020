"""The profile and the scorecard in chromium: axe finds nothing at phone and desktop width, and
the charts and their tables are there with JavaScript switched off."""

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

from seethesigns.accounts.models import Role
from seethesigns.concerns.tests.test_browser_concerns import committed, sign_in

pytestmark = pytest.mark.browser
__all__ = ["committed"]

PAGES = ["/pro/profile/", "/pro/profile/?by=quarter", "/pro/profile/data-quality/"]


@pytest.mark.parametrize("width", [390, 1280])
def test_axe_finds_no_violations_on_the_profile_and_the_scorecard(
    page: Page, site_url: str, committed: Any, width: int
):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, site_url, "browser-coordinator", Role.CSE_COORDINATOR, "Child Exploitation Unit")
    for path in PAGES:
        page.goto(site_url + path)
        violations = Axe().run(page).response["violations"]
        assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations] == [], path
    page.goto(site_url + "/pro/profile/?start=2026-13")
    assert page.locator("[data-error-summary]").is_visible()
    assert Axe().run(page).response["violations"] == []


def test_the_charts_and_their_tables_need_no_javascript(
    browser: Browser, site_url: str, committed: Any
):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    sign_in(page, site_url, "browser-analyst", Role.POLICE_ANALYST, "Child Exploitation Unit")
    page.goto(site_url + "/pro/profile/")
    figure = page.locator('[data-figure="concerns_by_sender"]')
    assert figure.locator("svg.chart rect").count() >= 1
    assert figure.locator("table th[scope=row]").last.inner_text() == "Total"
    assert "Not recorded" in figure.locator("table").inner_text()
    context.close()
