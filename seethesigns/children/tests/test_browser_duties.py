"""The recording duties in a real browser: each form and panel at phone and desktop width, with
axe; a disclosure recorded, its report due on the home, then recorded (issue 19)."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from seethesigns.accounts.models import Role, Team, User
from seethesigns.children.models import Child, NrmReferral
from seethesigns.concerns.tests.test_browser_concerns import committed, sign_in
from seethesigns.screening.tests.test_browser_screening import no_violations
from testing.screenshots import shrink

pytestmark = pytest.mark.browser
__all__ = ["committed"]
SHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
SIZES = {"phone": (390, 844), "desktop": (1280, 800)}


def look(page: Page, name: str) -> None:
    """Axe finds nothing, nothing is wider than the screen; a full-page screenshot per width."""
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        assert no_violations(page) == [], (name, size)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, size)
        shot = SHOTS / f"duties-{name}-{size}.png"
        page.screenshot(path=str(shot), full_page=True)
        shrink(shot)
    page.set_viewport_size({"width": 390, "height": 844})


def test_the_duties_forms_and_panels(page: Page, site_url: str, committed: None):
    sign_in(page, site_url, "duties-cse", Role.CSE_COORDINATOR, "Exploitation Team")
    user = User.objects.get(username="duties-cse")
    child = Child.objects.create(
        first_name="Ruby",
        last_name="Browser",
        team=Team.objects.get(name="Exploitation Team"),
        created_by=user,
        nhs_number="4010232137",  # not the number the search-before-create test types
    )
    base = f"{site_url}/pro/children/{child.pk}"

    page.goto(f"{base}/edit/")
    page.get_by_label("NHS number (optional)").fill("943 476 5918")
    page.get_by_label("Ethnicity").select_option("black-african")
    page.get_by_role("button", name="Save the changes").click()
    expect(
        page.get_by_text("This is not a valid NHS number: please check each digit.").first
    ).to_be_visible()
    expect(page.get_by_label("NHS number (optional)")).to_have_value("943 476 5918")
    expect(page.get_by_label("Ethnicity")).to_have_value("black-african")
    look(page, "edit-child-errors")

    page.goto(f"{base}/screening/")
    page.get_by_role("button", name="Suggest a level").click()
    expect(page.get_by_text("Choose the child's ethnicity, or “Not known”").first).to_be_visible()
    page.locator("#who-title").scroll_into_view_if_needed()
    look(page, "screening-asks-who")

    page.goto(f"{base}/chronology/")
    page.get_by_label("What happened?").fill("Told me what the man in the car did to her.")
    page.get_by_label("Who told you, or where is it from?").select_option("child")
    page.get_by_label("The child disclosed sexual abuse (even if they later took it back)").check()
    page.get_by_role("button", name="Add to the chronology").click()

    page.goto(f"{site_url}/pro/")
    expect(page.get_by_role("link", name="Reports of sexual abuse to make")).to_be_visible()
    look(page, "home-report-due")
    page.goto(f"{site_url}/pro/children/reports-due/")
    look(page, "reports-due")

    page.goto(f"{base}/")
    expect(page.locator("[data-reports-due]")).to_contain_text("Report due today")
    look(page, "child-report-due")
    page.locator("[data-reports-due] a").first.click()
    page.get_by_role("button", name="Record the report").click()
    expect(page.get_by_text("Choose who you reported it to").first).to_be_visible()
    look(page, "report-errors")
    page.get_by_label("The police", exact=True).check()
    page.get_by_label("The reference you were given").fill("INC-20261205-77")
    page.get_by_role("button", name="Record the report").click()
    expect(page.locator("#reports")).to_contain_text("INC-20261205-77")
    expect(page.locator("[data-reports-due]")).to_have_count(0)

    page.goto(f"{base}/nrm/")
    page.get_by_label("Referral date").fill("2026-11-01")
    page.locator("#id_reasonable_grounds_1").check()  # positive, with no date
    page.get_by_role("button", name="Record the referral").click()
    expect(
        page.get_by_text("Enter the date of the reasonable grounds decision").first
    ).to_be_visible()
    look(page, "nrm-errors")
    page.get_by_label("First responder organisation").select_option("police")
    page.get_by_label("Reasonable grounds decision date").fill("2026-11-04")
    page.get_by_role("button", name="Record the referral").click()
    nrm = NrmReferral.objects.get(child=child)
    page.goto(f"{base}/#nrm")
    expect(page.locator(f'[data-nrm="{nrm.pk}"]')).to_contain_text("Positive, 4 November 2026")
    page.locator("#nrm-title").scroll_into_view_if_needed()
    look(page, "child-nrm")
    page.goto(f"{base}/nrm/{nrm.pk}/")
    look(page, "nrm-edit")

    page.goto(f"{base}/links/")
    page.get_by_label("What is it?").select_option("person")
    page.get_by_label("Name, address, registration, number or handle").fill("Browser Person")
    page.get_by_role("button", name="Add the link").click()
    expect(page.get_by_text("Choose the person's ethnicity, or “Not known”").first).to_be_visible()
    look(page, "link-person-errors")
    page.get_by_label("Ethnicity").select_option("not-known")
    page.get_by_label("Nationality").select_option("GB")
    page.get_by_label("Or their age, or the youngest they are thought to be (optional)").fill("30")
    page.get_by_label("The oldest they are thought to be (optional)").fill("35")
    page.get_by_label("Other names or nicknames (optional)").fill("BP\nThe driver")
    page.get_by_label("How are they linked?").fill("Waits for her outside school")
    page.get_by_label("Who told you, or where is it from?").select_option("school")
    page.get_by_role("button", name="Add the link").click()
    page.get_by_role("link", name="Browser Person").click()
    expect(page.locator("[data-person-age]")).to_contain_text("30 to 35")
    look(page, "person-record")
    page.get_by_role("link", name="Change this record").click()
    expect(page.get_by_label("Nationality")).to_have_value("GB")
    look(page, "person-edit")
