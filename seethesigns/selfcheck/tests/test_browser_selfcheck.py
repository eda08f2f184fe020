"""The self-check in a real browser, by keyboard alone, with and without JavaScript."""

import random
from dataclasses import asdict

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from seethesigns.liveserver import tab_to
from seethesigns.selfcheck.data import ANSWERS, load
from seethesigns.selfcheck.rules import compute

pytestmark = pytest.mark.browser
PATHS = ["me", "friend", "child"]


def _rows(django_db_blocker) -> int:
    from django.apps import apps

    with django_db_blocker.unblock():
        return sum(model._default_manager.count() for model in apps.get_models())


def _answer_every_question(page: Page, path_id: str, pattern: list[str], javascript: bool) -> None:
    total = len(load().paths[path_id].questions)
    for i in range(total):
        answer = pattern[i % len(pattern)]
        expect(page.locator("[data-progress]")).to_have_text(f"Question {i + 1} of {total}")
        if answer == "skip":
            tab_to(page, "button[value=skip]")
        else:
            radio = {"yes": "#answer-yes", "no": "#answer-no", "not_sure": "#answer-not-sure"}[
                answer
            ]
            tab_to(page, "input[name=answer]")
            for _ in range(4):
                if page.evaluate("s => document.activeElement.matches(s)", radio):
                    break
                page.keyboard.press("ArrowDown")
            else:
                raise AssertionError(f"arrow keys never reached {radio}")
            page.keyboard.press("Space")
            tab_to(page, "button[value=next]")
        if javascript:
            page.keyboard.press("Enter")
        else:
            with page.expect_navigation():
                page.keyboard.press("Enter")


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
    page.on("request", lambda r: sent.append(f"{r.method} {r.url}"))
    rows = _rows(django_db_blocker)
    page.goto(f"{site_url}/self-check/{path_id}/")
    loaded = len(sent)
    pattern = ["no", "yes", "not_sure", "skip"]
    _answer_every_question(page, path_id, pattern, javascript)

    data = load()
    path = data.paths[path_id]
    answers = {q.id: pattern[i % len(pattern)] for i, q in enumerate(path.questions)}
    expected = compute(path, data.levels, answers)
    assert page.locator("[data-level]").get_attribute("data-level") == expected.level
    assert "tel:" in page.content()
    assert page.context.cookies() == []
    assert _rows(django_db_blocker) == rows  # the database holds nothing new
    if javascript:
        # axe never returns in a page whose own scripts cannot run, so the no-JavaScript
        # result is checked by test_the_server_result_passes_axe instead.
        assert Axe().run(page).response["violations"] == []
        # Worked out on the device: nothing at all was requested after the first page.
        assert sent[loaded:] == []


def test_the_server_result_passes_axe(page: Page, site_url: str, django_db_blocker):
    from django.test import Client

    path = load().paths["me"]
    data = {f"a-{q.id}": "yes" for q in path.questions[:-1]}
    with django_db_blocker.unblock():
        html = (
            Client()
            .post(
                "/self-check/me/",
                {**data, "step": str(len(path.questions) - 1), "answer": "not_sure"},
            )
            .content.decode()
        )
    assert 'data-level="urgent"' in html
    page.goto(site_url + "/self-check/")
    page.set_content(html.replace('href="/static/', f'href="{site_url}/static/'))
    assert Axe().run(page).response["violations"] == []


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
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("[data-progress]")).to_contain_text("Question 2 of")
    page.go_back()
    expect(page.locator("[data-progress]")).to_contain_text("Question 1 of")
    expect(page.get_by_label("No", exact=True)).to_be_checked()
