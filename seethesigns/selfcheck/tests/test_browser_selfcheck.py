"""The self-check in a real browser, by keyboard alone, with and without JavaScript."""

import random
from dataclasses import asdict

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

from seethesigns.selfcheck.data import ANSWERS, load
from seethesigns.selfcheck.rules import compute

pytestmark = pytest.mark.browser
PATHS = ["me", "friend", "child"]


def tab_to(page: Page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching the selector has focus."""
    for _ in range(limit):
        if page.evaluate(
            "s => document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def _rows(django_db_blocker) -> int:
    from django.apps import apps

    with django_db_blocker.unblock():
        return sum(model._default_manager.count() for model in apps.get_models())


def _answer_every_question(page: Page, path_id: str, pattern: list[str]) -> None:
    total = len(load().paths[path_id].questions)
    for i in range(total):
        answer = pattern[i % len(pattern)]
        assert page.locator("[data-progress]").inner_text() == f"Question {i + 1} of {total}"
        if answer == "skip":
            tab_to(page, "button[value=skip]")
        else:
            radio = {"yes": "#answer-yes", "no": "#answer-no", "not_sure": "#answer-not-sure"}[
                answer
            ]
            tab_to(page, "input[name=answer]")
            while not page.evaluate("s => document.activeElement.matches(s)", radio):
                page.keyboard.press("ArrowDown")
            page.keyboard.press("Space")
            tab_to(page, "button[value=next]")
        page.keyboard.press("Enter")
        page.wait_for_load_state()


def _no_js(browser: Browser) -> Page:
    return browser.new_context(
        java_script_enabled=False, viewport={"width": 390, "height": 844}
    ).new_page()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("path_id", PATHS)
def test_a_path_can_be_completed_by_keyboard(
    page: Page, browser: Browser, site_url: str, django_db_blocker, path_id: str, javascript: bool
):
    page = page if javascript else _no_js(browser)
    sent: list[str] = []
    page.on("request", lambda r: sent.append(f"{r.method} {r.url} {r.post_data or ''}"))
    rows = _rows(django_db_blocker)
    page.goto(f"{site_url}/self-check/{path_id}/")
    loaded = len(sent)
    _answer_every_question(page, path_id, ["no", "yes", "not_sure", "skip"])

    result = page.locator("[data-level]")
    assert result.get_attribute("data-level") in {"high", "some", "unsure"}
    assert "tel:" in page.content()
    assert page.context.cookies() == []
    assert _rows(django_db_blocker) == rows
    assert Axe().run(page).response["violations"] == []
    if javascript:
        # Worked out on the device: nothing at all was requested after the first page.
        assert sent[loaded:] == []


def test_each_step_passes_axe_including_the_error(page: Page, site_url: str):
    page.goto(f"{site_url}/self-check/me/")
    assert Axe().run(page).response["violations"] == []
    page.get_by_role("button", name="Continue").click()
    assert page.locator(".error-summary").is_visible()
    assert Axe().run(page).response["violations"] == []


@pytest.mark.parametrize("path_id", PATHS)
def test_the_browser_and_the_server_give_the_same_result(page: Page, site_url: str, path_id: str):
    data = load()
    path = data.paths[path_id]
    page.goto(f"{site_url}/self-check/{path_id}/")
    rng = random.Random(path_id)
    cases = [{q.id: rng.choice(ANSWERS) for q in path.questions} for _ in range(300)]
    in_browser = page.evaluate(
        "cases => cases.map(a => window.SeeTheSignsSelfCheck.compute(a))", cases
    )
    for answers, got in zip(cases, in_browser, strict=True):
        expected = asdict(compute(path, data.levels, answers))
        assert {k: list(v) if isinstance(v, tuple) else v for k, v in expected.items()} == got


def test_browser_back_returns_to_the_previous_question(page: Page, site_url: str):
    page.goto(f"{site_url}/self-check/friend/")
    page.get_by_label("No").check()
    page.get_by_role("button", name="Continue").click()
    assert "Question 2 of" in page.locator("[data-progress]").inner_text()
    page.go_back()
    assert "Question 1 of" in page.locator("[data-progress]").inner_text()
    assert page.get_by_label("No").is_checked()
