"""Deadlines in a real browser, with the site's clock moved (testing/timetravel_wsgi):
a danger-now concern first and due within the hour, in and out of the front door's hours; how
late things are, in words, on the right day; a return home interview done late shows as late."""

import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import time_machine
from django.db import connection, connections
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from seethesigns.accounts.models import Role, User
from seethesigns.children.models import Child, MissingEpisode
from seethesigns.concerns.actions import do_submit_concern
from seethesigns.concerns.models import Concern
from seethesigns.concerns.tests.test_browser_concerns import PASSWORD, person
from testing.liveserver import serve

pytestmark = pytest.mark.browser

# Friday 4 December 2026, 10:30 in London (GMT, so UTC too): the front door is open.
FRIDAY_MORNING = datetime(2026, 12, 4, 10, 30, tzinfo=UTC)
# Saturday 5 December 2026, 02:00: it is closed.
SATURDAY_NIGHT = datetime(2026, 12, 5, 2, 0, tzinfo=UTC)


@contextmanager
def site_at(when: datetime) -> Iterator[tuple[str, datetime]]:
    """The site in its own gunicorn with its clock at `when`; yields its address and when it
    started, so the test can tell what time the site thinks it is."""
    db = connection.settings_dict
    parts = urlsplit(os.environ["DATABASE_URL"])
    env = {
        "DATABASE_URL": urlunsplit(parts._replace(path="/" + db["NAME"])),
        "SEETHESIGNS_MODE": "development",
        "CONN_MAX_AGE": "0",
        "TIME_TRAVEL_TO": when.isoformat(),
    }
    started = time.time()
    with serve(env, app="testing.timetravel_wsgi") as url:
        yield url, when - timedelta(seconds=started)


@pytest.fixture
def cleanup(django_db_setup: None, django_db_blocker: Any) -> Iterator[list[Any]]:
    """Rows the test makes, for the site's process to see; removed afterwards."""
    made: list[Any] = []
    with django_db_blocker.unblock():
        yield made
        for row in reversed(made):
            type(row).objects.filter(pk=row.pk).delete()
        connections.close_all()


def sign_in_at(page: Page, url: str, offset: datetime, username: str, role: str, team: str):
    """Sign in, with the second-factor code for the site's moved clock."""
    _, device = person(username, role, team)
    page.goto(url + "/pro/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    with time_machine.travel(offset + timedelta(seconds=time.time()), tick=False):
        code = f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Hello, Test")).to_be_visible()


def submit(urgency: str, received: datetime, what: str) -> Concern:
    values = {"reporter_kind": "professional", "urgency": urgency, "what": what, "about": ""}
    with time_machine.travel(received, tick=False):
        concern, _ = do_submit_concern(values, key=uuid.uuid4(), alert=False)
    return concern


def inbox_order(page: Page) -> list[tuple[str, bool]]:
    rows = page.locator("[data-inbox] tbody tr")
    return [
        (
            row.get_attribute("data-reference") or "",
            row.get_attribute("data-danger-now") is not None,
        )
        for row in rows.all()
    ]


@pytest.mark.parametrize("when", [FRIDAY_MORNING, SATURDAY_NIGHT], ids=["in-hours", "out-of-hours"])
def test_a_danger_now_concern_is_first_and_due_within_the_hour(
    page: Page, cleanup: list[Any], when: datetime
):
    # Sent on Monday, due Tuesday 10:00: overdue by 3 days on Friday at 10:30.
    old = submit("soon", datetime(2026, 11, 30, 10, 0, tzinfo=UTC), "Browser test: a worry.")
    urgent = submit("now", when - timedelta(minutes=5), "Browser test: danger now.")
    cleanup += [old, urgent]
    assert urgent.decision_due_at == when + timedelta(minutes=55)
    with site_at(when) as (url, offset):
        sign_in_at(page, url, offset, "urgency-frontdoor", Role.FRONT_DOOR, "Front Door (MASH)")
        page.goto(url + "/pro/concerns/")
        order = inbox_order(page)
        flags = [danger for _, danger in order]
        # Every danger-now concern above every other, this one among them.
        assert flags == sorted(flags, reverse=True)
        assert (urgent.reference, True) in order
        assert [ref for ref, _ in order].index(urgent.reference) < [ref for ref, _ in order].index(
            old.reference
        )
        row = page.locator(f"tr[data-reference='{urgent.reference}']")
        if when == FRIDAY_MORNING:
            expect(row.locator("[data-clock]")).to_have_text("Due in 54 minutes")
            expect(page.locator(f"tr[data-reference='{old.reference}'] [data-clock]")).to_have_text(
                "Overdue by 3 days"
            )
        expect(page.locator("div[data-danger-now]")).to_be_visible()
        page.goto(f"{url}/pro/concerns/{urgent.reference}/")
        banner = page.locator("div[data-danger-now]")
        expect(banner).to_be_visible()
        if when == SATURDAY_NIGHT:
            expect(banner).to_contain_text("The front door is closed now")
            expect(banner).to_contain_text("emergency duty team")
            expect(banner.get_by_role("link", name="01632 960 456")).to_be_visible()
            expect(banner.get_by_role("link", name="01632 960 789")).to_be_visible()
        else:
            expect(banner).to_contain_text("Decide within 60 minutes")
            expect(banner.locator("[data-out-of-hours]")).to_have_count(0)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_return_home_interview_done_after_72_hours_shows_as_late(page: Page, cleanup: list[Any]):
    leah = Child.objects.get(first_name="Leah", last_name="Sample")
    back = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)
    episode = MissingEpisode.objects.create(
        child=leah,
        started_at=back - timedelta(hours=20),
        ended_at=back,
        reported_by="Browser test",
        recorded_by=User.objects.get(username="demo-coordinator"),
        interview="done",
        interview_at=back + timedelta(hours=100),
    )
    cleanup.append(episode)
    with site_at(FRIDAY_MORNING) as (url, offset):
        sign_in_at(page, url, offset, "urgency-cse", Role.CSE_COORDINATOR, "Exploitation Team")
        page.goto(f"{url}/pro/children/{leah.pk}/")
        expect(page.locator("[data-interview-late]")).to_have_text("Done 1 day late")
