"""Add to a child's chronology while the database or Redis is away: a clear page that keeps every
word, one entry with one audit entry after the retry, and the same server carries on
(testing/faultsite.py)."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from seethesigns.accounts.models import Role, Team, User
from seethesigns.appendonly import erasing
from seethesigns.audit.models import AuditEntry
from seethesigns.children.models import Child, ChronologyEntry
from seethesigns.concerns.tests.test_browser_concerns import committed, sign_in
from testing.faultsite import FAULTS, FaultySite, Flow, audited_once, pro_flow, survives

pytestmark = pytest.mark.browser
__all__ = ["committed"]

TEAM = "Exploitation Team"
WHERE = "Her form tutor, Mr Ade"
HAPPENED_ON = "2026-11-20"


@pytest.fixture
def child(committed: None) -> Iterator[Child]:
    """A child of the CSE team's, committed so the site sees it; gone afterwards with its entries.

    The audit entries stay: the chain is append-only.
    """
    made = Child.objects.create(
        first_name="Faye",
        last_name="Fault",
        team=Team.objects.get(name=TEAM),
        created_by=User.objects.get(username="demo-coordinator"),
    )
    yield made
    with erasing(ChronologyEntry._meta.db_table):
        ChronologyEntry.objects.filter(child=made).delete()
    made.delete()


def chronology_flow(child: Child, what: str) -> Flow:
    def open_form(page: Page, url: str) -> None:
        sign_in(page, url, "faults-cse", Role.CSE_COORDINATOR, TEAM)
        page.goto(f"{url}/pro/children/{child.pk}/chronology/")
        page.get_by_label("When did it happen?").fill(HAPPENED_ON)
        page.get_by_label("What happened?").fill(what)
        page.get_by_label("Who told you, or where is it from?").select_option("school")
        page.get_by_label("Source detail (optional)").fill(WHERE)

    def stored(page: Page) -> None:
        expect(page).to_have_url(re.compile(rf"/pro/children/{child.pk}/chronology/#entry-\d+$"))
        expect(page.locator(".chronology__what").filter(has_text=what)).to_have_count(1)
        expect(page.get_by_label("What happened?")).to_have_value("")

    def count() -> int:
        made = [e.pk for e in child.chronology.all() if e.what == what]
        audited = AuditEntry.objects.filter(
            action="cases.add_chronology_entry", object_id=str(child.pk)
        ).values_list("data__entry", flat=True)
        return audited_once(made, list(audited))

    return pro_flow(
        ChronologyEntry._meta.db_table,
        open=open_form,
        button="Add to the chronology",
        stored=stored,
        kept=[what, WHERE],
        count=count,
    )


@pytest.mark.parametrize("fault", FAULTS)
def test_a_chronology_entry_survives(page: Page, fault_site: FaultySite, child: Child, fault: str):
    what = f"Fault test ({fault}): seen getting into a silver car outside school at 15:40."
    survives(page, fault_site, chronology_flow(child, what), fault)
