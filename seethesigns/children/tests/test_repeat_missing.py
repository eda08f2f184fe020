"""Repeat missing on the record: the flag, the coordinator's alert (once per crossing), the audit.

Dates travel with time-machine: the rule is worked out on the day a page is drawn.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from conftest import verified_client
from seethesigns.accounts.models import Team, User
from seethesigns.audit.models import AuditEntry
from seethesigns.children.models import Child, MissingEpisode, RepeatMissingAlert

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
MARCH_1 = datetime(2026, 3, 1, 20, 0, tzinfo=LONDON)


def as_user(username: str) -> str:
    """Who acts: each request signs them in afresh on its travelled day (sessions time out)."""
    return username


def _client(username: str) -> Client:
    return verified_client(Client(), User.objects.get(username=username))


@pytest.fixture
def child() -> Child:
    dsl = User.objects.get(username="demo-dsl")
    return Child.objects.create(
        first_name="Robin", last_name="Flagtest", team=Team.objects.get(members=dsl), created_by=dsl
    )


def record_missing(username: str, child: Child, started: datetime) -> None:
    """Record an episode through the form, on the day it started."""
    with time_machine.travel(started + timedelta(hours=3), tick=False):
        response = _client(username).post(
            f"/pro/children/{child.pk}/missing/",
            {
                "started_at": started.strftime("%Y-%m-%dT%H:%M"),
                "reported_by": "Carer",
                "ended_at": (started + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            },
        )
    assert response.status_code == 302


def page(username: str, url: str, on: datetime) -> str:
    with time_machine.travel(on, tick=False):
        response = _client(username).get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_third_episode_in_90_days_flags_the_record_and_alerts_the_coordinator_once(child):
    dsl = as_user("demo-dsl")
    record_missing(dsl, child, MARCH_1)
    record_missing(dsl, child, MARCH_1 + timedelta(days=20))
    assert not RepeatMissingAlert.objects.exists()  # two: not yet
    day_40 = MARCH_1 + timedelta(days=40)
    assert "data-repeat-missing" not in page(dsl, f"/pro/children/{child.pk}/", day_40)

    record_missing(dsl, child, day_40)
    alert = RepeatMissingAlert.objects.get()
    coordinator = User.objects.get(username="demo-coordinator")
    assert (alert.child, alert.episodes, alert.coordinator) == (child, 3, coordinator)
    assert alert.episode == child.missing_episodes.order_by("started_at").last()
    audit = AuditEntry.objects.get(action="cases.repeat_missing")
    assert audit.object_id == str(child.pk)
    assert audit.data == {"alert": alert.pk, "episode": alert.episode_id, "episodes": 3}
    assert audit.actor == User.objects.get(username="demo-dsl")

    body = page(dsl, f"/pro/children/{child.pk}/", day_40)
    assert "data-repeat-missing" in body
    assert "Missing 3 times in the last 90 days" in body
    listed = page(dsl, "/pro/children/", day_40)
    assert (
        f'/pro/children/{child.pk}/">Robin Flagtest</a> '
        '<span class="tag tag--overdue" data-repeat-missing>' in listed
    )

    # A fourth episode while the rule still holds is the same crossing: no second alert.
    record_missing(dsl, child, MARCH_1 + timedelta(days=50))
    assert RepeatMissingAlert.objects.count() == 1
    assert AuditEntry.objects.filter(action="cases.repeat_missing").count() == 1


def test_the_flag_goes_on_the_91st_day_and_a_new_crossing_alerts_again(child):
    dsl = as_user("demo-dsl")
    for days in (0, 30, 60):
        record_missing(dsl, child, MARCH_1 + timedelta(days=days))
    assert RepeatMissingAlert.objects.count() == 1
    url = f"/pro/children/{child.pk}/"
    day_90 = MARCH_1.replace(hour=12) + timedelta(days=89)  # 1 March is the first day
    day_91 = day_90 + timedelta(days=1)
    assert "data-repeat-missing" in page(dsl, url, day_90)
    assert "data-repeat-missing" in page(dsl, "/pro/children/", day_90)
    assert "data-repeat-missing" not in page(dsl, url, day_91)
    assert "data-repeat-missing" not in page(dsl, "/pro/children/", day_91)
    # Two episodes remain in the window; one more makes three again: a new crossing.
    record_missing(dsl, child, day_91)
    assert RepeatMissingAlert.objects.count() == 2
    assert "data-repeat-missing" in page(dsl, url, day_91)


def test_a_late_recorded_episode_outside_the_window_raises_nothing(child):
    dsl = as_user("demo-dsl")
    for days in (0, 10):
        record_missing(dsl, child, MARCH_1 + timedelta(days=days))
    # Recorded in June, about January: it never counts on the day it is recorded.
    with time_machine.travel(datetime(2026, 6, 1, 10, tzinfo=LONDON), tick=False):
        response = _client(dsl).post(
            f"/pro/children/{child.pk}/missing/",
            {"started_at": "2026-01-10T20:00", "reported_by": "Carer"},
        )
    assert response.status_code == 302
    assert not RepeatMissingAlert.objects.exists()


def test_the_coordinator_sees_the_alert_on_their_home_and_marks_it_seen(child):
    dsl = as_user("demo-dsl")
    for days in (0, 5, 10):
        record_missing(dsl, child, MARCH_1 + timedelta(days=days))
    alert = RepeatMissingAlert.objects.get()
    coordinator = as_user("demo-coordinator")
    day = MARCH_1 + timedelta(days=11)
    home = page(coordinator, "/pro/", day)
    assert f'data-repeat-alert="{alert.pk}"' in home
    # The coordinator's team does not hold the child: the reference, never the name.
    assert child.reference in home
    assert "Robin" not in home
    # Nobody else sees it, or can mark it.
    assert "data-repeat-alerts" not in page(dsl, "/pro/", day)
    url = f"/pro/children/repeat-missing/{alert.pk}/seen/"
    with time_machine.travel(day, tick=False):
        assert _client("demo-analyst").post(url).status_code == 404
        assert _client(dsl).post(url).status_code == 404
        assert _client(coordinator).get(url).status_code == 405
        response = _client(coordinator).post(url)
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.seen_by == User.objects.get(username="demo-coordinator")
    assert AuditEntry.objects.filter(action="cases.repeat_missing_seen").count() == 1
    assert "data-repeat-alerts" not in page(coordinator, "/pro/", day)
    with time_machine.travel(day, tick=False):
        _client(coordinator).post(url)  # twice: nothing more
    assert AuditEntry.objects.filter(action="cases.repeat_missing_seen").count() == 1


def test_a_coordinator_who_may_open_the_child_gets_a_link(child):
    coordinator = User.objects.get(username="demo-coordinator")
    child.shared_with.add(coordinator)
    dsl = as_user("demo-dsl")
    for days in (0, 5, 10):
        record_missing(dsl, child, MARCH_1 + timedelta(days=days))
    home = page(as_user("demo-coordinator"), "/pro/", MARCH_1 + timedelta(days=11))
    assert f'href="/pro/children/{child.pk}/">Robin Flagtest</a>' in home


def test_the_flag_is_only_for_those_who_may_see_the_child(child):
    for days in (0, 5, 10):
        MissingEpisode.objects.create(
            child=child,
            started_at=MARCH_1 + timedelta(days=days),
            reported_by="Carer",
            recorded_by=child.created_by,
        )
    day = MARCH_1 + timedelta(days=11)
    outsider = as_user("demo-eastfield")
    with time_machine.travel(day, tick=False):
        assert _client(outsider).get(f"/pro/children/{child.pk}/").status_code == 404
    assert "Flagtest" not in page(outsider, "/pro/children/", day)


def test_the_cohort_uses_the_same_rule(child):
    coordinator = User.objects.get(username="demo-coordinator")
    child.shared_with.add(coordinator)
    for days in (0, 30, 60):
        MissingEpisode.objects.create(
            child=child,
            started_at=MARCH_1 + timedelta(days=days),
            reported_by="Carer",
            recorded_by=child.created_by,
        )
    client = as_user("demo-coordinator")
    day_90 = MARCH_1.replace(hour=12) + timedelta(days=89)
    assert "Flagtest" in page(client, "/pro/cohort/?only=repeat", day_90)
    assert "Flagtest" not in page(client, "/pro/cohort/?only=repeat", day_90 + timedelta(days=1))
    assert timezone.localdate(day_90).isoformat() == "2026-05-29"
