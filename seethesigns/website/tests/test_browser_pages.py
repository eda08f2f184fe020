"""Every public page in a real browser: accessible, keyboard-usable, private and light."""

import gzip
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from testing.liveserver import PUBLIC_PATHS

pytestmark = pytest.mark.browser
PAGE_BUDGET_BYTES = 30 * 1024
HTML_BUDGET_BYTES = 14 * 1024
MAX_REQUESTS = 6
FOCUSABLE = "a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex='-1'])"


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_axe_finds_no_violations(page: Page, site_url: str, path: str):
    page.goto(site_url + path)
    page.locator("details").evaluate_all("els => els.forEach(e => e.open = true)")
    violations = Axe().run(page).response["violations"]
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations] == []


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_it_stores_nothing_and_asks_no_other_host(page: Page, site_url: str, path: str, width: int):
    page.set_viewport_size({"width": width, "height": 844})
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.goto(site_url + path, wait_until="networkidle")
    assert hosts == {urlsplit(site_url).netloc}
    assert page.context.cookies() == []
    assert page.evaluate("window.localStorage.length + window.sessionStorage.length") == 0


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_it_fits_the_page_budget(page: Page, site_url: str, path: str):
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(site_url + path, wait_until="networkidle")
    sizes = {r.url: len(gzip.compress(r.body(), 6)) for r in responses}
    html_size = sizes[responses[0].url]
    assert len(responses) <= MAX_REQUESTS, list(sizes)
    assert html_size <= HTML_BUDGET_BYTES
    assert sum(sizes.values()) <= PAGE_BUDGET_BYTES, sizes


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_every_control_is_reachable_by_keyboard_with_visible_focus(
    page: Page, site_url: str, path: str
):
    page.goto(site_url + path)
    visible = page.locator(FOCUSABLE).evaluate_all(
        # checkVisibility leaves out what is hidden, including the inside of a closed <details>;
        # a group of radios is one Tab stop (arrow keys move within it).
        "els => els.filter(e => e.checkVisibility({checkVisibilityCSS: true})"
        " && !(e.type === 'radio' && e !== document.querySelector(`input[name='${e.name}']`)))"
        ".length"
    )
    for _ in range(visible + 4):
        page.keyboard.press("Tab")
        state = page.evaluate(
            """() => {
                const e = document.activeElement;
                if (!e || e === document.body) return null;
                e.dataset.keyboardReached = "yes";
                const s = getComputedStyle(e);
                const shown = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0
                    && s.outlineColor !== 'rgba(0, 0, 0, 0)';
                const marked = s.backgroundColor === 'rgb(255, 221, 0)' || s.boxShadow !== 'none';
                return {id: e.outerHTML.slice(0, 80), visible: shown || marked};
            }"""
        )
        if state is not None:
            assert state["visible"], f"no visible focus on {state['id']}"
    reached = page.locator("[data-keyboard-reached]").count()
    # Skip links are visible only when focused, so they are counted on top of the visible ones.
    assert reached >= visible


def test_the_film_player_loads_nothing_until_play(page: Page, site_url: str, django_db_blocker):
    from seethesigns.website.models import Film

    player = "https://www.youtube-nocookie.com/embed/TESTVIDEO"
    with django_db_blocker.unblock():
        Film.objects.filter(slug="exploited").update(embed_url=player)
    try:
        hosts: set[str] = set()
        page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
        page.route("https://www.youtube-nocookie.com/**", lambda r: r.fulfill(body="player"))
        page.goto(site_url + "/films/exploited/", wait_until="networkidle")
        assert hosts == {urlsplit(site_url).netloc}
        assert page.locator("iframe").count() == 0
        assert "loads the film from https://www.youtube-nocookie.com" in page.content()

        page.get_by_role("link", name="Play Exploited").click()
        page.wait_for_load_state("networkidle")
        assert page.locator("iframe").get_attribute("src") == player
        assert "www.youtube-nocookie.com" in hosts
    finally:
        with django_db_blocker.unblock():
            Film.objects.filter(slug="exploited").update(embed_url="")
