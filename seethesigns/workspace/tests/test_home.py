"""The workspace home says what is waiting, due today and late for each role, one click away."""

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from seethesigns.concerns.actions import do_submit_concern
from seethesigns.concerns.models import Concern

pytestmark = pytest.mark.django_db

# Thursday 3 December 2026, 11:00 in London.
NOW = datetime(2026, 12, 3, 11, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _only_this_tests_concerns(db):
    Concern.objects.all().delete()


def submit(urgency: str, at: datetime) -> Concern:
    values = {"reporter_kind": "public", "urgency": urgency, "what": "Worried.", "about": ""}
    with time_machine.travel(at, tick=False):
        concern, _ = do_submit_concern(values, key=uuid.uuid4(), alert=False)
    return concern


def counts(html: str) -> dict[str, tuple[str, str]]:
    """{"waiting": (href, number), …} for the concerns tally."""
    tally = html[html.index('data-tally="/pro/concerns/"') :]
    tally = tally[: tally.index("</ul>")]
    found = re.findall(r'<a href="([^"]+)" data-count="(\w+)"[^>]*><strong>(\d+)</strong>', tally)
    return {kind: (href, n) for href, kind, n in found}


def test_the_front_door_sees_what_is_waiting_due_today_and_late_one_click_away(pro_client):
    late = submit("soon", NOW - timedelta(days=3))  # due Tuesday: overdue
    today = submit("soon", datetime(2026, 12, 2, 15, 0, tzinfo=UTC))  # due today at 15:00
    urgent = submit("now", NOW - timedelta(minutes=10))  # due within the hour
    later = submit("soon", NOW)  # due tomorrow
    client = pro_client("demo-frontdoor")
    with time_machine.travel(NOW, tick=False):
        home = client.get("/pro/").content.decode()
        assert counts(home) == {
            "waiting": ("/pro/concerns/", "4"),
            "today": ("/pro/concerns/?due=today", "2"),
            "overdue": ("/pro/concerns/?due=overdue", "1"),
        }
        due_today = client.get("/pro/concerns/?due=today").content.decode()
        overdue = client.get("/pro/concerns/?due=overdue").content.decode()
    assert urgent.reference in due_today and today.reference in due_today
    assert late.reference not in due_today and later.reference not in due_today
    assert late.reference in overdue and today.reference not in overdue
    # The danger-now concern is first in the list it is in.
    assert due_today.index(urgent.reference) < due_today.index(today.reference)


@pytest.mark.parametrize(
    "username", ["demo-editor", "demo-admin", "demo-dpo", "demo-analyst", "demo-practitioner"]
)
def test_people_who_do_not_decide_concerns_see_no_concerns_tally(pro_client, username):
    submit("now", NOW)
    html = pro_client(username).get("/pro/").content.decode()
    assert 'data-tally="/pro/concerns/"' not in html


def test_another_councils_front_door_counts_only_its_own(pro_client):
    submit("now", NOW)
    with time_machine.travel(NOW, tick=False):
        html = pro_client("demo-eastfield").get("/pro/").content.decode()
    assert counts(html)["waiting"] == ("/pro/concerns/", "0")


def test_referrals_waiting_are_counted_for_the_front_door_and_the_referrer(pro_client):
    from seethesigns.referrals.models import Referral

    referral = Referral.objects.get()  # the demo referral, sent and not yet decided
    after_due = referral.decision_due_at + timedelta(hours=1)
    with time_machine.travel(after_due, tick=False):
        front_door = pro_client("demo-frontdoor").get("/pro/").content.decode()
        dsl = pro_client("demo-dsl").get("/pro/").content.decode()
        listed = pro_client("demo-frontdoor").get("/pro/referrals/?due=overdue").content.decode()
    assert "Referrals to decide" in front_door
    assert "Your referrals awaiting the front door" in dsl
    for html in (front_door, dsl):
        assert (
            '<a href="/pro/referrals/?due=overdue" data-count="overdue" class="todo__late">'
            "<strong>1</strong>" in html
        )
    assert f"/pro/referrals/{referral.pk}/" in listed
    assert "Not acknowledged in time" in listed
