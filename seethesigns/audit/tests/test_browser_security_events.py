"""Password guessing from many addresses, seen by the DPO in the audit, in a real browser."""

from typing import Any

import pytest
from axes.models import AccessAttempt
from playwright.sync_api import Page, expect

from seethesigns.accounts.models import Role
from seethesigns.concerns.tests.test_browser_concerns import committed, person, sign_in

pytestmark = pytest.mark.browser
__all__ = ["committed"]


@pytest.fixture
def victim(site_url: str, committed: None) -> Any:
    user, _ = person("browser-guessed", Role.PRACTITIONER, "Safeguarding")
    yield user
    AccessAttempt.objects.filter(username="browser-guessed").delete()


def test_twenty_wrong_passwords_from_many_addresses_show_as_a_lockout_to_the_dpo(
    page: Page, site_url: str, victim: Any
):
    for n in range(1, 21):
        # Each try from another address, as our own proxy reports it (TRUSTED_PROXY_COUNT=1).
        page.set_extra_http_headers({"X-Forwarded-For": f"203.0.113.{n}"})
        page.goto(site_url + "/pro/sign-in/")
        page.get_by_label("Username").fill("browser-guessed")
        page.get_by_label("Password").fill(f"guess number {n}")
        page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Signing in is paused for 15 minutes")).to_be_visible()
    page.set_extra_http_headers({})

    sign_in(page, site_url, "browser-dpo", Role.DPO, "Partnership Office")
    page.goto(site_url + "/pro/audit/")
    page.get_by_role("link", name="Sign-in paused").click()
    lockouts = page.locator("[data-audit] tbody tr").filter(has_text="account: browser-guessed")
    expect(lockouts.first).to_contain_text("accounts.lockout")
    # Newest first: the oldest is the fifth wrong password, the one that paused the account.
    expect(lockouts.last).to_contain_text("203.0.113.5")
    expect(lockouts.last).to_contain_text("count: 1")
    # The wrong passwords themselves are there too, summarised, and found by the person's name.
    page.goto(site_url + "/pro/audit/?person=browser-guessed&action=accounts.sign_in_failed")
    # Without Redis each of the test server's two workers counts in its own memory, so the tenth
    # is written by whichever worker took ten of the twenty, not always last.
    failed = page.locator("[data-audit] tbody tr")
    expect(failed.filter(has_text="count: 10").first).to_be_visible()
    assert "guess number" not in page.content()
