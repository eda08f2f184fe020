"""A concern that says someone is in danger right now: first, due within the hour, told to the
person on duty, and out of hours passed to the emergency duty team and the police."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from seethesigns.accounts.models import Team, User
from seethesigns.concerns.actions import do_submit_concern
from seethesigns.concerns.models import Concern
from seethesigns.dates import done_in_words, due_in_words, is_working_hours

pytestmark = pytest.mark.django_db

# Thursday 3 December 2026, 10:00 in London (GMT): the front door is open.
THURSDAY_MORNING = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
# Saturday 5 December 2026, 02:00: it is closed.
SATURDAY_NIGHT = datetime(2026, 12, 5, 2, 0, tzinfo=UTC)
EDT_PHONE = "01632 960 456"
POLICE_PHONE = "01632 960 789"


def submit(urgency: str, what: str = "Worried about a girl in year 9.") -> Concern:
    values = {
        "reporter_kind": "professional",
        "urgency": urgency,
        "what": what,
        "about": "",
        "where_when": "",
        "your_name": "",
        "your_organisation": "",
        "contact": "",
    }
    concern, _ = do_submit_concern(values, key=uuid.uuid4(), alert=False)
    return concern


def url(concern: Concern) -> str:
    return f"/pro/concerns/{concern.reference}/"


@pytest.fixture(autouse=True)
def _only_this_tests_concerns(db):
    Concern.objects.all().delete()


def test_a_danger_now_concern_is_due_within_the_hour_and_others_next_working_day():
    with time_machine.travel(THURSDAY_MORNING, tick=False):
        now_concern = submit("now")
        soon = submit("soon")
    assert now_concern.decision_due_at == THURSDAY_MORNING + timedelta(minutes=60)
    assert soon.decision_due_at == datetime(2026, 12, 4, 10, 0, tzinfo=UTC)


def test_the_hour_is_a_setting(settings):
    settings.CONCERN_DANGER_NOW_MINUTES = 30
    with time_machine.travel(SATURDAY_NIGHT, tick=False):
        concern = submit("now")
    assert concern.decision_due_at == SATURDAY_NIGHT + timedelta(minutes=30)


def test_it_goes_to_the_top_of_the_inbox_above_an_overdue_one(pro_client):
    with time_machine.travel(THURSDAY_MORNING - timedelta(days=3), tick=False):
        old = submit("soon")
    with time_machine.travel(THURSDAY_MORNING, tick=False):
        urgent = submit("now")
        html = pro_client("demo-frontdoor").get("/pro/concerns/").content.decode()
    assert html.index(urgent.reference) < html.index(old.reference)
    assert "Due in 1 hour" in html
    assert "Overdue by 2 days" in html  # due Tuesday 10:00, now Thursday 10:00


def test_the_person_on_duty_is_told_at_once_and_told_nothing_of_what_was_written(
    django_capture_on_commit_callbacks,
):
    team = Team.objects.get(name="Front Door (MASH)")
    team.on_duty = User.objects.get(username="demo-frontdoor2")
    team.save(update_fields=["on_duty"])
    with django_capture_on_commit_callbacks(execute=True):
        do_submit_concern(
            {
                "reporter_kind": "friend",
                "urgency": "now",
                "what": "He is taking her to a hotel tonight.",
                "about": "",
                "where_when": "",
                "your_name": "",
                "your_organisation": "",
                "contact": "",
            },
            key=uuid.uuid4(),
        )
    urgent = [m for m in mail.outbox if m.subject.startswith("URGENT")]
    assert len(urgent) == 1
    assert urgent[0].to == ["demo-frontdoor2@example.org"]
    assert "within 60 minutes" in urgent[0].body
    assert "hotel" not in urgent[0].body


def test_a_concern_that_is_not_urgent_does_not_alert_the_person_on_duty(
    django_capture_on_commit_callbacks,
):
    team = Team.objects.get(name="Front Door (MASH)")
    team.on_duty = User.objects.get(username="demo-frontdoor2")
    team.save(update_fields=["on_duty"])
    with django_capture_on_commit_callbacks(execute=True):
        do_submit_concern(
            {"reporter_kind": "friend", "urgency": "soon", "what": "x", "about": ""},
            key=uuid.uuid4(),
        )
    assert not [m for m in mail.outbox if m.subject.startswith("URGENT")]


def test_out_of_hours_it_says_to_pass_it_on_with_the_numbers(pro_client):
    with time_machine.travel(SATURDAY_NIGHT, tick=False):
        concern = submit("now")
        client = pro_client("demo-frontdoor")
        detail = client.get(url(concern)).content.decode()
        inbox = client.get("/pro/concerns/").content.decode()
    for html in (detail, inbox):
        assert "data-out-of-hours" in html
        assert "emergency duty team" in html
        assert EDT_PHONE in html and POLICE_PHONE in html


def test_in_hours_it_says_to_decide_within_the_hour_without_the_out_of_hours_numbers(pro_client):
    with time_machine.travel(THURSDAY_MORNING, tick=False):
        concern = submit("now")
        html = pro_client("demo-frontdoor").get(url(concern)).content.decode()
    assert "Decide within 60 minutes" in html
    assert "data-out-of-hours" not in html and EDT_PHONE not in html


def test_a_bank_holiday_afternoon_is_out_of_hours():
    assert is_working_hours(THURSDAY_MORNING)
    assert not is_working_hours(datetime(2026, 12, 25, 14, 0, tzinfo=UTC))  # Christmas Day
    assert not is_working_hours(datetime(2026, 12, 3, 17, 30, tzinfo=UTC))  # after 5pm
    assert not is_working_hours(SATURDAY_NIGHT)


@pytest.mark.parametrize(
    ("due", "now", "words"),
    [
        ("2026-12-01 10:00", "2026-12-04 10:30", "overdue by 3 days"),
        ("2026-12-01 10:00", "2026-12-02 09:59", "overdue by 23 hours"),
        ("2026-12-01 10:00", "2026-12-01 10:01", "overdue by 1 minute"),
        ("2026-12-01 10:00", "2026-12-01 09:20", "due in 40 minutes"),
        ("2026-12-01 10:00", "2026-11-29 10:00", "due in 2 days"),
    ],
)
def test_how_late_in_words(due, now, words):
    def at(text: str) -> datetime:
        return datetime.fromisoformat(text).replace(tzinfo=UTC)

    assert due_in_words(at(due), at(now)) == words


def test_done_late_in_words():
    due = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    assert done_in_words(due, due) == "on time"
    assert done_in_words(due, due + timedelta(hours=30)) == "1 day late"


def test_a_front_door_worker_takes_duty_and_the_alert_comes_to_them(
    pro_client, django_capture_on_commit_callbacks
):
    client = pro_client("demo-frontdoor2")
    assert "Nobody is on duty" in client.get("/pro/concerns/").content.decode()
    assert client.post("/pro/concerns/on-duty/").status_code == 302
    team = Team.objects.get(name="Front Door (MASH)")
    assert team.on_duty.username == "demo-frontdoor2"
    assert (
        "On duty now: <strong>Frank Mash</strong>" in client.get("/pro/concerns/").content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        do_submit_concern(
            {"reporter_kind": "friend", "urgency": "now", "what": "x"}, key=uuid.uuid4()
        )
    assert [m.to for m in mail.outbox if m.subject.startswith("URGENT")] == [
        ["demo-frontdoor2@example.org"]
    ]


@pytest.mark.parametrize("username", ["demo-dsl", "demo-coordinator", "demo-admin"])
def test_only_a_front_door_worker_takes_duty(pro_client, username):
    assert pro_client(username).post("/pro/concerns/on-duty/").status_code == 404
    assert Team.objects.get(name="Front Door (MASH)").on_duty is None
