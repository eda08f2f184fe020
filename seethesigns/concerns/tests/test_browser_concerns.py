"""The "Tell someone" form and the front-door inbox in a real browser, on the real database."""

import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import connection, connections
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Dialog, Page, expect

from seethesigns.accounts.models import Role, Team, User
from seethesigns.concerns.models import Concern
from testing.faultproxy import FaultProxy
from testing.liveserver import serve

pytestmark = pytest.mark.browser

PASSWORD = "browser test passphrase"
KINDS = {
    "young_person": "A young person worried about themselves",
    "friend": "A friend",
    "parent": "A parent or carer",
    "professional": "A professional",
    "public": "A member of the public",
}


@pytest.fixture
def committed(django_db_blocker: Any) -> Iterator[None]:
    """Let the test write rows the site's own process can see; remove its concerns afterwards."""
    with django_db_blocker.unblock():
        before = Concern.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        yield
        Concern.objects.filter(pk__gt=before).delete()
        # Close what this test opened, or the test database cannot be dropped at the end.
        connections.close_all()


def concerns_saying(text: str) -> list[Concern]:
    return [c for c in Concern.objects.all() if c.details.get("what") == text]


def fill_concern(page: Page, kind: str, what: str) -> None:
    page.get_by_label(KINDS[kind], exact=True).check()
    page.get_by_label("What is worrying you?").fill(what)
    page.get_by_label("Who are you worried about? (optional)").fill("Jo, 14, from the estate")
    page.get_by_label("Something could happen in the next few days").check()
    if kind == "professional":
        page.get_by_label("Your name").fill("Sam Teacher")
        page.get_by_label("Where you work").fill("Northbridge Academy")
        page.get_by_label("How can we contact you?").fill("sam@example.org")


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_kind_of_person_can_send_a_concern(
    page: Page, site_url: str, committed: None, kind: str
):
    what = f"Browser test: a worry sent by {kind}."
    page.goto(site_url + "/tell-someone/")
    fill_concern(page, kind, what)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", name="Your message has been sent")).to_be_visible()
    reference = page.locator("[data-reference]").inner_text()
    [stored] = concerns_saying(what)
    assert stored.reference == reference
    assert stored.reporter_kind == kind
    assert page.context.cookies() == []


def test_a_professional_who_leaves_out_their_name_is_told_and_loses_nothing(
    page: Page, site_url: str, committed: None
):
    page.goto(site_url + "/tell-someone/")
    fill_concern(page, "professional", "Browser test: professional without a name.")
    page.get_by_label("Your name").fill("")
    page.get_by_role("button", name="Send").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Enter your name: professionals cannot stay anonymous")
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_your_name"
    expect(page.get_by_label("What is worrying you?")).to_have_value(
        "Browser test: professional without a name."
    )
    assert concerns_saying("Browser test: professional without a name.") == []


def test_a_double_click_stores_one_concern(page: Page, site_url: str, committed: None):
    what = "Browser test: sent with a double click."
    page.goto(site_url + "/tell-someone/")
    fill_concern(page, "public", what)
    page.get_by_role("button", name="Send").dblclick()
    expect(page.get_by_role("heading", name="Your message has been sent")).to_be_visible()
    page.reload()  # the browser sends the form a third time
    expect(page.locator("[data-reference]")).to_be_visible()
    assert len(concerns_saying(what)) == 1


@pytest.fixture
def site_behind_a_fault_proxy(site_url: str, django_db_blocker: Any) -> Iterator[tuple[str, Any]]:
    """A second server whose database connection runs through a proxy the test can cut."""
    if connection.vendor != "postgresql":
        pytest.skip("Stopping the database mid-submit needs PostgreSQL.")
    db = connection.settings_dict
    proxy = FaultProxy(db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)).start()
    parts = urlsplit(os.environ["DATABASE_URL"])
    netloc = parts.netloc.rsplit("@", 1)
    host = f"127.0.0.1:{proxy.port}"
    url = parts._replace(netloc=f"{netloc[0]}@{host}" if len(netloc) == 2 else host)
    env = {
        "DATABASE_URL": url._replace(path="/" + db["NAME"]).geturl(),
        "CONN_MAX_AGE": "0",
        "SEETHESIGNS_MODE": "development",
        "CONCERNS_PER_10_MINUTES": "1000",
    }
    with django_db_blocker.unblock(), serve(env) as proxied_url:
        try:
            yield proxied_url, proxy
        finally:
            proxy.cut()


def test_with_the_database_stopped_mid_submit_the_words_are_kept_and_the_retry_stores_one(
    page: Page, site_behind_a_fault_proxy: tuple[str, FaultProxy], committed: None
):
    url, proxy = site_behind_a_fault_proxy
    what = "Browser test: sent while the database was down."
    page.goto(url + "/tell-someone/")
    fill_concern(page, "friend", what)
    proxy.cut()
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", name="Your message has not been sent yet")).to_be_visible()
    expect(page.get_by_label("What is worrying you?")).to_have_value(what)
    expect(page.get_by_label("A friend", exact=True)).to_be_checked()
    assert concerns_saying(what) == []
    proxy.restore()
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", name="Your message has been sent")).to_be_visible()
    page.reload()  # the browser sends the form again: still one
    assert len(concerns_saying(what)) == 1


# The workspace, signed in through the real sign-in pages.


def person(username: str, role: str, team_name: str) -> tuple[User, TOTPDevice]:
    user, _ = User.objects.get_or_create(
        username=username,
        defaults={"role": role, "team": Team.objects.get(name=team_name), "first_name": "Test"},
    )
    user.set_password(PASSWORD)
    user.save()
    TOTPDevice.objects.filter(user=user).delete()  # a fresh device: its codes are unused
    return user, TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def sign_in(page: Page, site_url: str, username: str, role: str, team: str) -> None:
    _, device = person(username, role, team)
    page.goto(site_url + "/pro/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Hello, Test")).to_be_visible()


def test_a_script_sent_in_a_concern_never_runs_when_a_worker_opens_it(
    page: Page, site_url: str, committed: None
):
    script = "<script>window.pwned = 1</script><img src=x onerror='window.pwned = 2'>"
    page.goto(site_url + "/tell-someone/")
    fill_concern(page, "public", script)
    page.get_by_role("button", name="Send").click()
    reference = page.locator("[data-reference]").inner_text()
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    sign_in(page, site_url, "browser-frontdoor", Role.FRONT_DOOR, "Front Door (MASH)")
    page.goto(f"{site_url}/pro/concerns/{reference}/")
    expect(page.locator("[data-written=what]")).to_have_text(script)
    assert page.evaluate("window.pwned") is None
    assert dialogs == []


WORKSPACE_PAGES = [
    ("browser-frontdoor", Role.FRONT_DOOR, "Front Door (MASH)", ["/pro/", "/pro/concerns/"]),
    (
        "browser-admin",
        Role.PARTNERSHIP_ADMIN,
        "Partnership Office",
        ["/pro/users/", "/pro/users/invite/"],
    ),
    ("browser-dpo", Role.DPO, "Partnership Office", ["/pro/audit/"]),
]


@pytest.mark.parametrize(("username", "role", "team", "paths"), WORKSPACE_PAGES)
def test_axe_finds_no_violations_in_the_workspace(
    page: Page,
    site_url: str,
    committed: None,
    username: str,
    role: str,
    team: str,
    paths: list[str],
):
    sign_in(page, site_url, username, role, team)
    if role == Role.FRONT_DOOR:
        paths = [*paths, "/pro/concerns/" + Concern.objects.first().reference + "/"]
    for path in paths:
        page.goto(site_url + path)
        violations = Axe().run(page).response["violations"]
        assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations] == [], path


def test_axe_finds_no_violations_in_sign_in_and_enrolment(page: Page, site_url: str, committed):
    user, _ = person("browser-newcomer", Role.PRACTITIONER, "Safeguarding")
    TOTPDevice.objects.filter(user=user).delete()
    page.goto(site_url + "/pro/sign-in/")
    assert Axe().run(page).response["violations"] == []
    page.get_by_role("button", name="Continue").click()  # empty: the error summary
    assert Axe().run(page).response["violations"] == []
    page.get_by_label("Username").fill("browser-newcomer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    violations = Axe().run(page).response["violations"]
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations] == []


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_danger_now_at_once_shows_the_999_step_and_carry_on_returns_to_the_form(
    page: Page, browser: Any, site_url: str, javascript: bool
):
    if not javascript:
        page = browser.new_context(
            java_script_enabled=False, viewport={"width": 390, "height": 844}
        ).new_page()
    page.goto(site_url + "/tell-someone/")
    step = page.locator("[data-danger-step]")
    expect(step).to_be_hidden()
    page.get_by_label("Someone is in danger right now").check()
    expect(step).to_be_visible()
    expect(step.get_by_role("heading", name="Call 999 now")).to_be_in_viewport()
    assert page.evaluate(
        "() => [[0.5, 0.5], [0.1, 0.9]].every(([x, y]) => {"
        " const el = document.elementFromPoint(innerWidth * x, innerHeight * y);"
        " return !!(el && el.closest('[data-danger-step]')); })"
    ), "the 999 step covers the whole form"
    if javascript:
        assert page.evaluate("document.activeElement.textContent") == "Call 999 now"
        assert Axe().run(page).response["violations"] == []
    assert step.locator('a[href="tel:999"]').is_visible()
    step.get_by_text("Carry on to write a message").click()
    expect(step).to_be_hidden()
    expect(page.get_by_label("Someone is in danger right now")).to_be_checked()
    expect(page.get_by_label("What is worrying you?")).to_be_visible()


def test_back_after_sending_shows_an_empty_form_never_the_words(
    page: Page, site_url: str, committed: None
):
    page.goto(site_url + "/tell-someone/")
    fill_concern(page, "friend", "Back test: words that must not come back.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", name="Your message has been sent")).to_be_visible()
    page.go_back()
    expect(page.get_by_label("What is worrying you?")).to_have_value("")
    expect(page.get_by_label("Who are you worried about? (optional)")).to_have_value("")
    assert "Back test" not in page.content()
