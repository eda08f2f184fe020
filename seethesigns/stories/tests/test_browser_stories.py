"""Each story, start to an ending, by keyboard alone, with and without JavaScript."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

from testing.liveserver import tab_to

pytestmark = pytest.mark.browser
STORIES = ["jay", "online-game", "a-friend", "a-parent"]


def _settle(page: Page, before: str) -> None:
    page.wait_for_function(
        "b => document.querySelector('h1') && document.body.innerText !== b", arg=before
    )
    page.wait_for_load_state()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("slug", STORIES)
def test_a_story_can_be_read_to_an_ending_by_keyboard(
    page: Page, browser: Browser, site_url: str, slug: str, javascript: bool
):
    if not javascript:
        page = browser.new_context(
            java_script_enabled=False, viewport={"width": 390, "height": 844}
        ).new_page()
    page.goto(f"{site_url}/stories/{slug}/")
    loads = []
    page.on("load", lambda loaded: loads.append(loaded.url))
    for _ in range(40):
        if javascript:
            # Each step's article is the server's HTML swapped in, so this checks both ways.
            assert Axe().run(page).response["violations"] == []
        assert page.locator(".exit__button").count() == 1
        assert page.get_by_role("link", name="Talk to someone").count() == 1
        body = page.evaluate("document.body.innerText")
        if page.locator(".choice").count():
            tab_to(page, ".choice")
        elif page.locator("input[name=picked]").count():
            tab_to(page, "input[name=picked]")
            page.keyboard.press("Space")
            tab_to(page, "form[data-story-form] button")
        elif page.locator("[data-story-link]").count() and "Start this story again" not in body:
            tab_to(page, "[data-story-link]")
        else:
            break  # an ending
        page.keyboard.press("Enter")
        _settle(page, body)
    assert "Who can help" in page.content()
    assert page.context.cookies() == []
    if javascript:
        assert loads == []  # every step arrived without reloading the page
