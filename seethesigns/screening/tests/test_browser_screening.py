"""The screening tool in a real browser: accessible, and usable from the keyboard."""

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from seethesigns.accounts.models import Role
from seethesigns.children.models import Child
from seethesigns.concerns.tests.test_browser_concerns import committed, sign_in

pytestmark = pytest.mark.browser
__all__ = ["committed"]


def no_violations(page: Page) -> list[Any]:
    violations = Axe().run(page).response["violations"]
    return [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]


def test_a_quick_check_from_form_to_printable_summary(page: Page, site_url: str, committed: None):
    sign_in(page, site_url, "browser-dsl", Role.DSL, "Safeguarding")
    page.goto(site_url + "/pro/screening/")
    assert no_violations(page) == []
    page.get_by_label("How old is the child?").fill("13")
    indicator = page.locator("#ind-going-missing")
    indicator.get_by_label("Present", exact=True).check()
    indicator.get_by_label("Evidence: what was seen or said, by whom and when").fill(
        "Missing two nights last week (police report)."
    )
    harm = page.locator("#ind-injuries-unexplained")
    harm.get_by_label("Present", exact=True).check()
    harm.get_by_label("Evidence: what was seen or said, by whom and when").fill(
        "Bruises on her arms, seen by the school nurse on Tuesday."
    )
    page.get_by_role("button", name="Suggest a level").click()
    # The key questions were left not known: no level, and at least moderate from what is known.
    expect(page.locator("p[data-level]")).to_have_attribute("data-level", "")
    expect(page.locator("[data-not-enough-known]")).to_contain_text("at least")
    expect(page.locator("[data-rule=harm-13-or-under]")).to_be_visible()
    assert no_violations(page) == []
    page.get_by_role("radio", name="Moderate concern").check()
    page.get_by_label("The tool suggested no level: this is my judgement").check()
    page.get_by_label("Explain your judgement in a sentence or two").fill(
        "Missing and bruised at 13: I judge it moderate while we find out more."
    )
    page.get_by_role("button", name="Make a printable summary").click()
    expect(page.get_by_role("heading", name="CSE screening summary")).to_be_visible()
    expect(page.get_by_text("Bruises on her arms")).to_be_visible()
    assert no_violations(page) == []


def test_a_childs_record_with_its_chart(page: Page, site_url: str, committed: None):
    sign_in(page, site_url, "browser-dsl", Role.DSL, "Safeguarding")
    child = Child.objects.get(first_name="Mia", last_name="Example")
    page.goto(f"{site_url}/pro/children/{child.pk}/")
    expect(page.locator("svg[role=img]")).to_be_visible()
    assert no_violations(page) == []


def test_the_referral_form_and_a_referral_are_accessible(page: Page, site_url: str, committed):
    from seethesigns.referrals.models import Referral

    sign_in(page, site_url, "browser-dsl", Role.DSL, "Safeguarding")
    child = Child.objects.get(first_name="Mia", last_name="Example")
    page.goto(f"{site_url}/pro/children/{child.pk}/refer/")
    expect(page.get_by_text("The seven golden rules of information sharing")).to_be_visible()
    assert no_violations(page) == []
    page.get_by_role("button", name="Record the decision").click()  # empty: every error shows
    expect(page.locator(".error-summary")).to_contain_text("Choose whether to share")
    assert no_violations(page) == []
    referral = Referral.objects.filter(child=child).first()
    page.goto(f"{site_url}/pro/referrals/{referral.pk}/")
    assert no_violations(page) == []


def test_a_training_module_and_its_marked_quiz_are_accessible(page: Page, site_url: str, committed):
    sign_in(page, site_url, "browser-dsl", Role.DSL, "Safeguarding")
    page.goto(f"{site_url}/pro/training/")
    assert no_violations(page) == []
    page.goto(f"{site_url}/pro/training/language/")
    assert no_violations(page) == []
    page.get_by_role("button", name="Check my answers").click()  # nothing chosen: the errors
    expect(page.locator(".error-summary")).to_contain_text("Answer question 1")
    page.get_by_label("Adults are giving her alcohol").check()
    page.get_by_label("She consented").check()
    page.get_by_label("No: say a child who is being sexually exploited").check()
    page.get_by_role("button", name="Check my answers").click()
    expect(page.locator("[data-score]")).to_have_attribute("data-score", "67")
    assert no_violations(page) == []
    page.goto(f"{site_url}/pro/referrals/")
    assert no_violations(page) == []


def first_line_of_main(page: Page) -> str:
    """The first heading a person reads under the page's title."""
    return page.locator("main h2").first.inner_text()


def test_all_not_known_gives_no_level_and_chooses_nothing_for_the_practitioner(
    page: Page, site_url: str, committed: None
):
    sign_in(page, site_url, "browser-practitioner", Role.PRACTITIONER, "Safeguarding")
    page.goto(site_url + "/pro/screening/")
    page.get_by_label("How old is the child?").fill("14")
    page.get_by_role("button", name="Suggest a level").click()
    expect(page.locator("[data-not-enough-known]")).to_contain_text("none yet")
    assert first_line_of_main(page).startswith("Not enough is known to suggest a level.")
    expect(page.locator("[data-find-out-first] li").first).to_be_visible()
    judgement = page.locator("#judgement input[name=judgement]")
    assert judgement.count() == 4
    assert [judgement.nth(i).is_checked() for i in range(4)] == [False] * 4
    assert no_violations(page) == []


def test_a_practitioners_task_reaches_the_dsls_home(
    page: Page, site_url: str, committed: None, django_db_blocker: Any, browser: Any
):
    from seethesigns.screening.models import DslTask

    sign_in(page, site_url, "browser-practitioner", Role.PRACTITIONER, "Safeguarding")
    page.goto(site_url + "/pro/screening/")
    page.get_by_label("How old is the child?").fill("15")
    indicator = page.locator("#ind-exchange-for-things")
    indicator.get_by_label("Present", exact=True).check()
    indicator.get_by_label("Evidence: what was seen or said, by whom and when").fill(
        "She told her friend she gets cannabis for it (friend told me today)."
    )
    page.get_by_role("button", name="Suggest a level").click()
    # The first line is the action: tell the DSL now, with the numbers if they cannot be reached.
    assert first_line_of_main(page).startswith("Tell your designated safeguarding lead now,")
    expect(page.locator("[data-if-no-dsl]")).to_be_visible()
    expect(page.locator("[data-tell-dsl]")).to_contain_text("Dan Lead")
    page.get_by_label("What your DSL needs to know").fill("Year 10, form 10C. I am in room 4.")
    page.locator("[data-send-to-dsl]").click()
    expect(page.locator("[data-sent]")).to_be_visible()
    assert no_violations(page) == []
    try:
        dsl_page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        sign_in(dsl_page, site_url, "browser-dsl", Role.DSL, "Safeguarding")
        task = dsl_page.locator("[data-dsl-tasks] li").first
        expect(task).to_contain_text("Urgent:")
        task.get_by_role("link").click()
        expect(dsl_page.get_by_text("Year 10, form 10C. I am in room 4.")).to_be_visible()
        assert no_violations(dsl_page) == []
        dsl_page.get_by_label("What you decided, and why").fill("Referred at 10:20, ref R-1.")
        dsl_page.get_by_role("button", name="Record my decision and close the task").click()
        expect(dsl_page.locator("[data-dsl-tasks]")).to_have_count(0)
    finally:
        with django_db_blocker.unblock():
            DslTask.objects.all().delete()
