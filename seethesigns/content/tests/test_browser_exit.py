"""The quick exit in a real browser: by button, by Shift three times, by the skip link."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser
NEUTRAL = re.compile(r"^https://www\.bbc\.co\.uk/weather")


def _stub_neutral_site(page: Page) -> None:
    # The sandbox has no internet: answer for the neutral site so the browser lands somewhere.
    page.route(NEUTRAL, lambda route: route.fulfill(body="<title>Weather</title>Weather"))


@pytest.fixture
def js_page(page: Page, site_url: str) -> Page:
    _stub_neutral_site(page)
    page.goto(site_url + "/")
    page.goto(site_url + "/signs/")
    return page


@pytest.fixture
def no_js_page(browser: Browser, site_url: str) -> Page:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    _stub_neutral_site(page)
    page.goto(site_url + "/")
    page.goto(site_url + "/signs/")
    return page


def _assert_left_for_good(page: Page, site_url: str) -> None:
    expect(page).to_have_url(NEUTRAL)
    page.go_back()
    # Back skips the page that was left: it went from history when it was replaced.
    assert not page.url.startswith(site_url + "/signs/")


def test_the_button_leaves_and_back_does_not_return(js_page: Page, site_url: str):
    js_page.get_by_role("button", name="Emergency Exit this page").click()
    _assert_left_for_good(js_page, site_url)


def test_shift_three_times_leaves_and_back_does_not_return(js_page: Page, site_url: str):
    for _ in range(3):
        js_page.keyboard.press("Shift")
    _assert_left_for_good(js_page, site_url)


def test_the_first_tab_reaches_the_exit_skip_link(js_page: Page, site_url: str):
    js_page.keyboard.press("Tab")
    focused = js_page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Exit this page"
    js_page.keyboard.press("Enter")
    _assert_left_for_good(js_page, site_url)


def test_it_blanks_the_page_before_the_next_one_loads(js_page: Page):
    # "204 No Content" cancels the navigation, so the page left behind can be inspected.
    js_page.route("**/exit/", lambda route: route.fulfill(status=204))
    js_page.get_by_role("button", name="Emergency Exit this page").click()
    shown = js_page.evaluate(
        """() => ["body > .exit-overlay", "main", "header", ".exit", "footer"].map(
            s => getComputedStyle(document.querySelector(s)).display)"""
    )
    assert shown == ["block", "none", "none", "none", "none"]
    assert (
        js_page.evaluate("document.querySelector('.exit-overlay').getAttribute('role')") == "alert"
    )


def test_shift_used_for_capitals_does_not_exit(js_page: Page, site_url: str):
    js_page.keyboard.press("Shift")
    js_page.keyboard.press("Shift+A")
    js_page.keyboard.press("Shift")
    js_page.wait_for_timeout(300)
    assert js_page.url == site_url + "/signs/"


def test_it_announces_the_presses_to_screen_readers(js_page: Page):
    js_page.keyboard.press("Shift")
    expect(js_page.locator("[data-exit-status]")).to_have_text("Shift, press 2 more times to exit.")
    expect(js_page.locator("[data-exit-indicator] .on")).to_have_count(1)


def test_without_javascript_the_button_is_a_working_link(no_js_page: Page):
    no_js_page.get_by_role("button", name="Emergency Exit this page").click()
    expect(no_js_page).to_have_url(NEUTRAL)


def test_without_javascript_the_skip_link_works(no_js_page: Page):
    no_js_page.keyboard.press("Tab")
    no_js_page.keyboard.press("Enter")
    expect(no_js_page).to_have_url(NEUTRAL)


def test_the_exit_button_stays_on_screen_when_scrolling_on_a_phone(js_page: Page):
    js_page.mouse.wheel(0, 3000)
    js_page.wait_for_timeout(200)
    box = js_page.get_by_role("button", name="Emergency Exit this page").bounding_box()
    assert box is not None
    assert 0 <= box["y"] < 60
