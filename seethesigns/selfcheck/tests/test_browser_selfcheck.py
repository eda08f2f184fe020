"""The self-check in a real browser, by keyboard alone, with and without JavaScript."""

import random
from dataclasses import asdict

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from seethesigns.selfcheck.data import ANSWERS, load
from seethesigns.selfcheck.rules import compute
from testing.liveserver import tab_to

pytestmark = pytest.mark.browser
PATHS = ["me", "friend", "child"]


def _rows(django_db_blocker) -> int:
    from django.apps import apps

    with django_db_blocker.unblock():
        return sum(model._default_manager.count() for model in apps.get_models())


RADIO = {"yes": "-yes", "no": "-no", "not_sure": "-not-sure"}


def _answer_every_question(page: Page, path_id: str, pattern: list[str], javascript: bool) -> None:
    """Answer by keyboard alone: with JavaScript one question a screen, without it one page."""
    questions = load().paths[path_id].questions
    total = len(questions)
    for i, question in enumerate(questions):
        answer = pattern[i % len(pattern)]
        if javascript:
            expect(page.locator("[data-progress]")).to_have_text(f"Question {i + 1} of {total}")
        if answer == "skip":
            if javascript:
                tab_to(page, "button[value=skip]")
                page.keyboard.press("Enter")
            continue
        radio = f"#{question.id}{RADIO[answer]}"
        tab_to(page, f"input[name=a-{question.id}]")
        for _ in range(4):
            if page.evaluate("s => document.activeElement.matches(s)", radio):
                break
            page.keyboard.press("ArrowDown")
        else:
            raise AssertionError(f"arrow keys never reached {radio}")
        page.keyboard.press("Space")
        if javascript:
            tab_to(page, "button[value=next]")
            page.keyboard.press("Enter")
    if not javascript:
        tab_to(page, "button[value=result]")
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
    data[f"a-{path.questions[-1].id}"] = "not_sure"
    with django_db_blocker.unblock():
        html = Client().post("/self-check/me/", data).content.decode()
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


def test_the_checks_own_back_button_returns_to_the_previous_question(page: Page, site_url: str):
    page.goto(f"{site_url}/self-check/friend/")
    page.locator("#friend-danger-now-no").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("[data-progress]")).to_contain_text("Question 2 of")
    page.get_by_role("button", name="Back").click()
    expect(page.locator("[data-progress]")).to_contain_text("Question 1 of")
    expect(page.locator("#friend-danger-now-no")).to_be_checked()


def _danger_step(page: Page, question_id: str):
    return page.locator(f"[data-question={question_id}] + [data-danger-step]")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("path_id", PATHS)
def test_yes_to_danger_now_shows_the_999_step_before_any_other_question(
    page: Page, browser: Browser, site_url: str, path_id: str, javascript: bool
):
    page = page if javascript else _no_js(browser)
    questions = load().paths[path_id].questions
    danger = next(q for q in questions if q.flag == "danger")
    page.goto(f"{site_url}/self-check/{path_id}/")
    step = _danger_step(page, danger.id)
    expect(step).to_be_hidden()
    page.locator(f"#{danger.id}-yes").check()
    # At once, over the whole screen: no other question is visible or can be tapped.
    expect(step).to_be_visible()
    expect(step.get_by_role("heading", name="Call 999 now")).to_be_in_viewport()
    box = step.bounding_box()
    viewport = page.viewport_size
    assert box is not None and viewport is not None
    assert box["width"] >= viewport["width"] and box["height"] >= viewport["height"]
    assert step.locator('a[href="tel:999"]').is_visible()
    assert "press 55" in step.inner_text()
    assert step.locator('a[href="tel:08001111"]').is_visible()
    nxt = questions[questions.index(danger) + 1]
    hit = page.evaluate(
        "() => [[0.5, 0.5], [0.1, 0.9], [0.9, 0.3]].every(([x, y]) => {"
        " const el = document.elementFromPoint(innerWidth * x, innerHeight * y);"
        " return !!(el && el.closest('[data-danger-step]')); })"
    )
    assert hit, "the 999 step covers the questions"
    if javascript:
        assert page.evaluate("document.activeElement.textContent") == "Call 999 now"
        assert Axe().run(page).response["violations"] == []
    # Safe to carry on: the step goes and the check continues.
    step.get_by_text("Carry on with the check").click()
    expect(step).to_be_hidden()
    if javascript:
        expect(page.locator("[data-progress]")).to_contain_text("Question 2 of")
        expect(page.locator(f"[data-question={nxt.id}]")).to_be_visible()
    else:
        page.locator(f"#{nxt.id}-no").check()
        with page.expect_navigation():
            page.get_by_role("button", name="See what your answers mean").click()
        assert page.locator("[data-level]").get_attribute("data-level") == "urgent"


def test_without_javascript_back_from_the_result_never_shows_a_browser_error(
    browser: Browser, site_url: str
):
    page = _no_js(browser)
    page.goto(f"{site_url}/self-check/")
    page.goto(f"{site_url}/self-check/me/")
    page.locator("#me-attention-gifts-yes").check()
    with page.expect_navigation():
        page.get_by_role("button", name="See what your answers mean").click()
    expect(page.locator("[data-level]")).to_be_visible()
    page.go_back()
    # The questions again, from the server: no "Confirm form resubmission" page.
    expect(page).to_have_url(f"{site_url}/self-check/me/")
    expect(page.locator("[data-question=me-danger-now]")).to_be_visible()
    page.go_back()
    expect(page).to_have_url(f"{site_url}/self-check/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_with_javascript_one_question_one_progress_line_and_no_send_button(
    page: Page, site_url: str
):
    page.goto(f"{site_url}/self-check/child/")
    total = len(load().paths["child"].questions)
    expect(page.locator(".progress:visible")).to_have_count(1)
    expect(page.locator(".progress:visible")).to_have_text(f"Question 1 of {total}")
    assert page.locator("[data-question]:visible").count() == 1
    expect(page.get_by_role("button", name="See what your answers mean")).to_be_hidden()
    expect(page.get_by_role("button", name="Continue")).to_be_visible()
