import itertools
import re
import uuid
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.db import OperationalError, connection

from seethesigns.audit.models import AuditEntry
from seethesigns.concerns.forms import content_key, issue_token
from seethesigns.concerns.models import Concern

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_concerns_yet(db):
    """Start without the demo concerns, so counts are this test's own (rolled back after)."""
    Concern.objects.all().delete()


WHAT = "A man in a silver car waits for my friend after school and gives her vodka."


SENT = itertools.count()


def form_fields(client) -> dict[str, str]:
    """What the form page adds to what a person types: nothing, so it can be pre-rendered."""
    html = client.get("/tell-someone/").content.decode()
    assert 'name="key"' not in html and 'name="token"' not in html
    return {}


def concern_data(client, **changes: str) -> dict[str, str]:
    data = {
        "reporter_kind": "friend",
        "what": WHAT,
        "about": "Jo Bloggs, 14, Northbridge Academy",
        # Each call writes something new; the same words twice are one concern.
        "where_when": f"Station Road, most days at 4pm ({next(SENT)})",
        "urgency": "soon",
        "your_name": "",
        "your_organisation": "",
        "contact": "",
        **form_fields(client),
    }
    data.update(changes)
    return data


def test_the_form_page_sets_no_cookie(client):
    response = client.get("/tell-someone/")
    assert response.status_code == 200
    assert response.cookies == {}
    assert 'href="tel:999"' in response.content.decode()


def test_sending_stores_one_concern_and_shows_its_reference(client):
    response = client.post("/tell-someone/", concern_data(client))
    assert response.status_code == 200
    assert response.cookies == {}
    concern = Concern.objects.get()
    assert concern.reference in response.content.decode()
    assert "What happens next" in response.content.decode()
    assert concern.reporter_kind == "friend"
    assert concern.stated_urgency == "soon"
    assert concern.details["what"] == WHAT
    assert concern.team.name == "Front Door (MASH)"


def test_a_double_send_stores_one_concern(client):
    data = concern_data(client)
    first = client.post("/tell-someone/", data)
    second = client.post("/tell-someone/", data)
    assert Concern.objects.count() == 1
    reference = Concern.objects.get().reference
    assert reference in first.content.decode()
    assert reference in second.content.decode()


def test_the_words_are_encrypted_in_the_database(client):
    client.post("/tell-someone/", concern_data(client, contact="07700 900123"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM concerns_concern")
        row = " ".join(str(value) for value in cursor.fetchone())
    for plain in ["silver car", "Jo Bloggs", "Station Road", "07700"]:
        assert plain not in row


def test_the_audit_records_the_concern_without_the_sender_address(client):
    client.post("/tell-someone/", concern_data(client), REMOTE_ADDR="203.0.113.9")
    entry = AuditEntry.objects.filter(action="concerns.submit").order_by("-seq").first()
    assert entry.object_id == str(Concern.objects.get().pk)
    assert entry.ip is None
    assert entry.data == {"sent_by": "friend"}


def test_the_front_door_is_told_only_that_a_concern_arrived(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/tell-someone/", concern_data(client))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "A new concern has arrived"
    assert "silver car" not in message.body
    assert sorted(message.to) == ["demo-frontdoor2@example.org", "demo-frontdoor@example.org"]


def test_missing_answers_get_messages_that_say_what_to_do(client):
    data = concern_data(client, what="", reporter_kind="", urgency="")
    data["about"] = "Someone in year 9"
    response = client.post("/tell-someone/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Choose who you are" in html
    assert "Tell us what is worrying you" in html
    assert "Choose how urgent it is" in html
    assert "Someone in year 9" in html  # kept to retry
    assert Concern.objects.count() == 0


def test_a_professional_cannot_stay_anonymous(client):
    response = client.post("/tell-someone/", concern_data(client, reporter_kind="professional"))
    html = response.content.decode()
    assert "Enter your name: professionals cannot stay anonymous" in html
    assert "Enter where you work" in html
    assert Concern.objects.count() == 0


def test_an_old_or_forged_form_keeps_the_words_and_stores_nothing(client):
    data = concern_data(client, key=str(uuid.uuid4()), token="forged")
    response = client.post("/tell-someone/", data)
    assert response.status_code == 400
    assert "Please press Send again" in response.content.decode()
    assert WHAT in response.content.decode()
    assert Concern.objects.count() == 0
    # The page signs the same form again, so pressing Send now stores it once.
    retry = {**data, **_fields_in(response.content.decode())}
    assert retry["key"] == data["key"]
    assert client.post("/tell-someone/", retry).status_code == 200
    assert Concern.objects.count() == 1


def _fields_in(html: str) -> dict[str, str]:
    return {
        "key": re.search(r'name="key" value="([^"]+)"', html).group(1),
        "token": re.search(r'name="token" value="([^"]+)"', html).group(1),
    }


def test_a_form_sent_from_another_site_is_refused(client):
    data = concern_data(client)
    response = client.post("/tell-someone/", data, HTTP_SEC_FETCH_SITE="cross-site")
    assert response.status_code == 400
    response = client.post("/tell-someone/", data, HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 400
    assert Concern.objects.count() == 0


def test_our_own_form_is_accepted_with_a_null_origin(client):
    # Under Referrer-Policy: no-referrer, Chromium sends "Origin: null" with our own form.
    response = client.post(
        "/tell-someone/",
        concern_data(client),
        HTTP_ORIGIN="null",
        HTTP_SEC_FETCH_SITE="same-origin",
    )
    assert response.status_code == 200
    assert Concern.objects.count() == 1


def test_a_token_for_another_form_does_not_fit(client):
    data = concern_data(client, key=str(uuid.uuid4()), token=issue_token(uuid.uuid4()))
    assert client.post("/tell-someone/", data).status_code == 400


def test_the_form_page_is_the_same_for_everyone():
    from django.test import Client

    assert Client().get("/tell-someone/").content == Client().get("/tell-someone/").content


def test_the_same_words_sent_again_within_minutes_are_one_concern(client):
    data = concern_data(client)
    first = client.post("/tell-someone/", data)  # no key: made from the words
    again = client.post("/tell-someone/", concern_data(client, where_when=data["where_when"]))
    assert Concern.objects.count() == 1
    assert Concern.objects.get().reference in first.content.decode()
    assert Concern.objects.get().reference in again.content.decode()
    client.post("/tell-someone/", concern_data(client))  # other words: another concern
    assert Concern.objects.count() == 2


def test_the_same_words_sent_later_are_a_new_concern(client):
    """It happened again: the same short message an hour later must not be swallowed."""
    data = concern_data(client)
    with time_machine.travel(datetime(2026, 11, 24, 10, 0, tzinfo=UTC), tick=False):
        client.post("/tell-someone/", data)
    with time_machine.travel(datetime(2026, 11, 24, 11, 0, tzinfo=UTC), tick=False):
        client.post("/tell-someone/", data)
    assert Concern.objects.count() == 2


def test_a_content_key_depends_on_the_words_and_the_quarter_hour():
    values = {"what": "x", "about": "y"}
    at = datetime(2026, 11, 24, 10, 1, tzinfo=UTC)
    assert content_key(values, at) == content_key(dict(values), at + timedelta(minutes=5))
    assert content_key(values, at) != content_key(values, at + timedelta(minutes=30))
    assert content_key(values, at) != content_key({**values, "what": "x "}, at)


def test_too_many_concerns_from_one_address_are_held_back(client, settings):
    settings.CONCERN_RATE_LIMITS = [(2, 600)]
    for _ in range(2):
        assert client.post("/tell-someone/", concern_data(client)).status_code == 200
    response = client.post("/tell-someone/", concern_data(client))
    assert response.status_code == 429
    assert "wait 10 minutes" in response.content.decode()
    assert WHAT in response.content.decode()
    assert Concern.objects.count() == 2


def test_when_the_database_fails_the_words_are_kept(client, caplog):
    data = concern_data(client)
    with mock.patch(
        "seethesigns.concerns.views.do_submit_concern", side_effect=OperationalError("db down")
    ):
        response = client.post("/tell-someone/", data)
    html = response.content.decode()
    assert response.status_code == 503
    assert "Your message has not been sent yet" in html
    assert WHAT in html
    assert "Jo Bloggs, 14, Northbridge Academy" in html
    assert WHAT not in caplog.text
    # The retry stores it exactly once.
    retry = {**data, **_fields_in(html)}
    client.post("/tell-someone/", retry)
    client.post("/tell-someone/", retry)
    assert Concern.objects.count() == 1


@pytest.mark.parametrize(
    "value",
    [
        "x" * 100_000,
        "😀 Zoë 家 עברית \u202e \u0000 end",
        "<script>alert(1)</script><img src=x onerror=alert(2)>",
        "'; DROP TABLE concerns_concern; --",
        "line\r\n" * 1500,
    ],
    ids=["huge", "unicode", "html", "sql", "newlines"],
)
@pytest.mark.parametrize("field", ["what", "about", "your_name", "contact", "reporter_kind", "key"])
def test_any_input_gets_an_answer_never_a_server_error(client, field, value):
    response = client.post("/tell-someone/", concern_data(client, **{field: value}))
    assert response.status_code in (200, 400)
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    if response.status_code == 200 and Concern.objects.exists():
        stored = Concern.objects.get()
        assert stored.details.get(field, value) in (value, value.strip())
    elif field == "what" and len(value) > 5000:
        assert "What you wrote is too long" in html


def test_a_retry_of_a_stored_concern_is_not_held_back_by_the_limit(client, settings):
    settings.CONCERN_RATE_LIMITS = [(1, 600)]
    data = concern_data(client)
    assert client.post("/tell-someone/", data).status_code == 200
    retry = client.post("/tell-someone/", data)
    assert retry.status_code == 200
    assert Concern.objects.get().reference in retry.content.decode()


def test_behind_our_proxy_each_visitor_is_counted_on_their_own(client, settings):
    settings.CONCERN_RATE_LIMITS = [(1, 600)]
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    first = {"HTTP_X_FORWARDED_FOR": "198.51.100.1", **proxy}
    second = {"HTTP_X_FORWARDED_FOR": "198.51.100.2", **proxy}
    spoofed = {"HTTP_X_FORWARDED_FOR": "10.9.9.9, 198.51.100.1", **proxy}
    assert client.post("/tell-someone/", concern_data(client), **first).status_code == 200
    assert client.post("/tell-someone/", concern_data(client), **second).status_code == 200
    # Writing another address in front does not escape the count: our proxy appended the real one.
    assert client.post("/tell-someone/", concern_data(client), **spoofed).status_code == 429


def test_danger_now_is_the_first_question_and_is_followed_by_the_999_step(client):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(client.get("/tell-someone/").content, "html.parser")
    form = soup.select_one("[data-concern-form]")
    first = form.select_one("input[type=radio]")
    assert first is not None
    assert (first["name"], first["value"]) == ("urgency", "now")
    step = first.find_parent(class_="field").find_next_sibling()
    assert step.has_attr("data-danger-step")
    text = step.get_text(" ", strip=True)
    assert "Call 999 now" in text and "press 55" in text and "cough or tap" in text
    assert "not read straight away" in text
    assert step.select_one('a[href="tel:999"]') and step.select_one('a[href="tel:08001111"]')
    assert "Carry on to write a message" in text


def test_the_page_says_when_messages_are_read_and_what_to_do_out_of_hours(client):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(client.get("/tell-someone/").content, "html.parser")
    note = soup.select_one("[data-when-read]").get_text(" ", strip=True)
    assert "Monday to Friday, not bank holidays" in note
    assert "evening, at a weekend or on a bank holiday is read on the next working day" in note
    assert "999" in note and "0800 1111" in note and "116 000" in note


def test_a_message_about_danger_now_is_stored_and_the_sent_page_leads_with_999(client):
    response = client.post("/tell-someone/", concern_data(client, urgency="now"))
    html = response.content.decode()
    assert Concern.objects.get().stated_urgency == "now"
    assert html.index("data-danger-now") < html.index("<h1>Your message has been sent")
    assert 'href="tel:999"' in html and "press 55" in html


def test_the_sent_page_has_no_999_step_when_nobody_is_in_danger_now(client):
    html = client.post("/tell-someone/", concern_data(client)).content.decode()
    assert "data-danger-now" not in html
