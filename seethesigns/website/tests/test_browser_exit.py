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


def test_the_first_tab_reaches_the_one_exit_button(js_page: Page, site_url: str):
    js_page.keyboard.press("Tab")
    focused = js_page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Emergency Exit this page"
    # A screen reader meets one "Exit this page", not two.
    assert js_page.get_by_text("Exit this page").count() == 1
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


def test_without_javascript_the_first_tab_exits(no_js_page: Page):
    no_js_page.keyboard.press("Tab")
    no_js_page.keyboard.press("Enter")
    expect(no_js_page).to_have_url(NEUTRAL)


def test_the_exit_button_stays_on_screen_when_scrolling_on_a_phone(js_page: Page):
    js_page.mouse.wheel(0, 3000)
    js_page.wait_for_timeout(200)
    box = js_page.get_by_role("button", name="Emergency Exit this page").bounding_box()
    assert box is not None
    assert 0 <= box["y"] < 60


BEFORE = "https://before.example/"


def _arrive_from_another_site(page: Page, site_url: str) -> None:
    """Open a page of another site, then follow its link to ours, as a visitor would."""
    _stub_neutral_site(page)
    body = f'<title>Before</title><a href="{site_url}/">in</a>'
    page.route(BEFORE, lambda route: route.fulfill(body=body))
    page.goto(BEFORE)
    with page.expect_navigation():
        page.get_by_role("link", name="in").click()


def _walk_the_site(page: Page, site_url: str) -> None:
    """Five pages by the menu, a search, the self-check and a story: all by clicks."""
    nav = page.get_by_role("navigation", name="Main")
    for name in ["What is CSE?", "The signs", "Films", "Get help", "Search"]:
        with page.expect_navigation():
            nav.get_by_role("link", name=name).click()
    page.get_by_label("Search this site").fill("help")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile(r"results?$"))).to_be_visible()
    with page.expect_navigation():
        nav.get_by_role("link", name="Self-check").click()
    with page.expect_navigation():
        page.get_by_role("link", name="About a friend").click()
    page.locator("#friend-danger-now-no").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("[data-progress]")).to_contain_text("Question 2 of")
    with page.expect_navigation():
        nav.get_by_role("link", name="Stories").click()
    with page.expect_navigation():
        page.locator(".cards a").first.click()
    page.get_by_role("link", name="Start the story").click()
    expect(page.locator("[data-story] h1")).to_be_focused()
    page.locator("[data-story-link]").first.click()
    page.wait_for_load_state()


@pytest.mark.parametrize("how", ["button", "shift"])
def test_after_exit_back_lands_before_the_site_never_on_it(page: Page, site_url: str, how: str):
    _arrive_from_another_site(page, site_url)
    _walk_the_site(page, site_url)
    assert page.url.startswith(site_url)
    if how == "button":
        page.get_by_role("button", name="Emergency Exit this page").click()
    else:
        for _ in range(3):
            page.keyboard.press("Shift")
    expect(page).to_have_url(NEUTRAL)
    page.go_back()
    expect(page).to_have_url(BEFORE)
    # Nothing of the site is left anywhere in Back: walk it to the start.
    seen = [page.url]
    while page.go_back() is not None or page.url != seen[-1]:
        seen.append(page.url)
    assert not [url for url in seen if url.startswith(site_url)], seen
