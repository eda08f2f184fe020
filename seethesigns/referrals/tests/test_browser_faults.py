"""Refer a child while the database or Redis is away: a clear page that keeps every word, one
referral with one audit entry after the retry, and the same server carries on
(testing/faultsite.py). A new form that stores a record is covered the same way: write its
Flow, as `referral_flow` here, and run it through FAULTS."""

import pytest
from playwright.sync_api import Page, expect

from seethesigns.accounts.models import Role
from seethesigns.audit.models import AuditEntry
from seethesigns.children.models import Child
from seethesigns.concerns.tests.test_browser_concerns import committed, sign_in
from seethesigns.referrals.models import Referral
from testing.faultsite import FAULTS, FaultySite, Flow, audited_once, pro_flow, survives

pytestmark = pytest.mark.browser
__all__ = ["committed"]

REASONS = "Missing episodes and an older man with a car."


@pytest.fixture
def referrals_made(committed: None):
    """Remove the referrals the test made (their audit entries stay: the chain is append-only)."""
    before = Referral.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    yield
    Referral.objects.filter(pk__gt=before).delete()


def referral_flow(family: str) -> Flow:
    child = Child.objects.get(first_name="Mia", last_name="Example")

    def open_form(page: Page, url: str) -> None:
        sign_in(page, url, "faults-dsl", Role.DSL, "Safeguarding")
        page.goto(f"{url}/pro/children/{child.pk}/refer/")
        page.get_by_label("The child's family").fill(family)
        page.get_by_label("What has been done so far").fill("The DSL spoke with Mia on Monday.")
        page.get_by_label("Not asked").check()
        page.get_by_label("Why you are sharing without agreement, or did not ask").fill(
            "Asking her mother could warn the man: she knows him."
        )
        page.get_by_label("Share: send the referral").check()
        page.get_by_label("The reasons for your decision").fill(REASONS)

    def count() -> int:
        made = [
            r.pk for r in Referral.objects.filter(child=child) if r.contents["family"] == family
        ]
        audited = AuditEntry.objects.filter(
            action="referrals.make", object_id__in=[str(pk) for pk in made]
        ).values_list("object_id", flat=True)
        return audited_once(made, [int(pk) for pk in audited])

    return pro_flow(
        Referral._meta.db_table,
        open=open_form,
        button="Record the decision",
        stored=lambda page: expect(
            page.get_by_role("heading", name="Referral ", exact=False)
        ).to_contain_text("Mia"),
        kept=[family, REASONS],
        count=count,
    )


@pytest.mark.parametrize("fault", FAULTS)
def test_a_referral_survives(page: Page, fault_site: FaultySite, referrals_made: None, fault: str):
    family = f"Fault test ({fault}): lives with her mother, Jo Example, 1 Station Road."
    survives(page, fault_site, referral_flow(family), fault)
