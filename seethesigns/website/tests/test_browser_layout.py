"""What a phone shows: a heading reached by a link is not hidden under the sticky exit bar, a whole
home card is one tap, and the quick exit has one name everywhere."""

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_sign_reached_by_a_link_shows_below_the_exit_bar(
    page: Page, browser, site_url: str, javascript: bool
):
    if not javascript:
        page = browser.new_context(
            java_script_enabled=False, viewport={"width": 390, "height": 844}
        ).new_page()
    page.goto(site_url + "/young-people/")
    link = page.locator("a[href='/signs/me/#alcohol-drugs']").first
    link.click()
    expect(page).to_have_url(site_url + "/signs/me/#alcohol-drugs")
    page.wait_for_timeout(300)
    bar = page.locator(".exit").bounding_box()
    heading = page.locator("#alcohol-drugs").bounding_box()
    assert bar is not None and heading is not None
    assert heading["y"] >= bar["y"] + bar["height"], (heading, bar)
    assert heading["y"] < 844 / 2  # and it is at the top of the screen, not scrolled past


def test_a_tap_anywhere_on_a_home_card_follows_it(page: Page, site_url: str):
    page.goto(site_url + "/")
    card = page.locator(".card", has=page.locator("a[href='/parents-and-carers/']"))
    card.scroll_into_view_if_needed()
    box = card.locator("p").bounding_box()
    assert box is not None
    # The description, not the title: before, only the 21-pixel title was a link.
    page.mouse.click(box["x"] + box["width"] - 10, box["y"] + box["height"] - 5)
    expect(page).to_have_url(site_url + "/parents-and-carers/")


def test_the_quick_exit_has_one_name_everywhere():
    roots = [settings.BASE_DIR / "content", settings.BASE_DIR / "seethesigns"]
    files = [
        p for root in roots for p in Path(root).rglob("*") if p.suffix in {".yaml", ".html", ".js"}
    ]
    assert len(files) > 50
    offenders = [str(p) for p in files if "Leave this page" in p.read_text(encoding="utf-8")]
    assert offenders == []
