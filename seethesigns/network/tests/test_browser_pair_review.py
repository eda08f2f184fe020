"""The coordinator's review queue in chromium: she opens a suggested pair, decides, and after a
re-run the pair is not asked again. Screenshots at 390 and 1280 px go to $SCREENSHOT_DIR when it
is set (docs/records.md)."""

from collections.abc import Iterator
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connections
from playwright.sync_api import Page, expect

from seethesigns.accounts.models import Role, Team, User
from seethesigns.appendonly import erasing
from seethesigns.children.tests.test_browser_search_before_create import look
from seethesigns.concerns.tests.test_browser_concerns import sign_in
from seethesigns.network.actions import do_suggest_pairs
from seethesigns.network.models import Entity, Link, PairDecision, PairSuggestion

pytestmark = pytest.mark.browser

FIELDS = {"agree": ["names", "date of birth", "phone"], "disagree": ["address"]}


@pytest.fixture
def twins(django_db_blocker: Any) -> Iterator[tuple[Entity, Entity]]:
    """One man recorded twice: by the school and by Eastfield's front door. Named as no one in the
    demo is, so the demo's people (Jason Smyth) make no pair with either."""
    with django_db_blocker.unblock():
        made = []
        for label, aliases, team, username in [
            ("Connor Pryce", "Con\nC-Man", "Safeguarding", "demo-dsl"),
            ("Conor Price", "Con", "Eastfield Front Door", "demo-eastfield"),
        ]:
            made.append(
                Entity.objects.create(
                    kind="person",
                    label=label,
                    normalised=label.lower(),
                    aliases=aliases,
                    date_of_birth=date(1994, 6, 12),
                    sex="male",
                    team=Team.objects.get(name=team),
                    created_by=User.objects.get(username=username),
                )
            )
        yield made[0], made[1]
        ids = [e.pk for e in made]
        with erasing("links_pairdecision"):  # as an erasure of the records would
            Link.objects.filter(entity_id__in=ids).delete()
            Entity.objects.filter(pk__in=ids).delete()  # suggestions and decision go with them
        connections.close_all()


def _overnight() -> str:
    """The real overnight run (people's matching, without Splink to keep the test quick)."""
    out = StringIO()
    call_command("match_people", "--engine", "compare", "--label", "overnight", stdout=out)
    return out.getvalue()


def test_a_coordinator_decides_a_pair_and_it_is_not_asked_again(
    page: Page, site_url: str, twins: tuple[Entity, Entity], django_db_blocker: Any
):
    a, b = twins
    with django_db_blocker.unblock():
        _overnight()
        pair = PairSuggestion.objects.get(entity=a, other=b)
        assert pair.run_label == "overnight" and pair.band in {"very_likely", "possibly"}
    sign_in(page, site_url, "browser-coordinator", Role.CSE_COORDINATOR, "Exploitation Team")
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("link", name="Records that may be one person").first.click()
    expect(page.get_by_role("heading", name="These records may be one person")).to_be_visible()
    look(page, "pair-queue")
    page.locator(f'[data-pair="{pair.pk}"] a').click()
    expect(page.get_by_role("heading", name="Are these records one person?")).to_be_visible()
    table = page.locator("[data-side-by-side]")
    expect(table).to_contain_text("Conor Price")
    expect(table).to_contain_text("Con, C-Man")
    expect(page.locator("[data-agree]")).to_contain_text("Date of birth")
    expect(page.locator("[data-disagree]")).to_be_visible()  # said, even when nothing does
    look(page, "pair")
    page.get_by_label("Yes, the same person: link the two records").check()
    page.get_by_label("Why (optional)").fill("Same phone and date of birth; MACE agreed.")
    page.get_by_role("button", name="Save the decision").click()
    expect(page.get_by_role("heading", name="These records may be one person")).to_be_visible()
    expect(page.locator(f'[data-pair="{pair.pk}"]')).to_have_count(0)
    with django_db_blocker.unblock():
        decision = PairDecision.objects.get(entity=a, other=b)
        assert decision.same and decision.decided_by.username == "browser-coordinator"
        assert Link.objects.filter(entity=a, other=b, nature__startswith="The same person").exists()
        # The next night's run finds the same pair again: it is not asked again, whether the
        # old suggestion is still there or was cleared, and whichever way round it comes.
        _overnight()
        PairSuggestion.objects.filter(entity=a, other=b).delete()
        _overnight()
        assert not PairSuggestion.objects.filter(entity=a, other=b).exists()
        assert do_suggest_pairs([(b.pk, a.pk, 0.99, "very_likely", FIELDS)], run_label="x") == 0
    page.reload()
    expect(page.locator("main")).not_to_contain_text("Conor Price")
