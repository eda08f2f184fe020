"""The 503 page (seethesigns/outage.py): a lost database or cache is said plainly, the sent form
is kept for one more press, and nothing that proves who someone is is written back."""

import pytest
from django.db import IntegrityError, OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError

from seethesigns import outage
from seethesigns.audit.models import AuditEntry
from seethesigns.children.models import Child
from seethesigns.referrals.models import Referral

pytestmark = pytest.mark.django_db


def database_down(*args, **kwargs):
    raise OperationalError("connection failed: Connection refused")


@pytest.fixture
def child(db):
    return Child.objects.get(first_name="Mia", last_name="Example")


def referral_data(**changes):
    return {
        "key": "6f1c1c8e-3d4b-4a57-9a39-0f5d8e0b7d11",
        "family": "Lives with her mother, Jo Example, 1 Station Road.",
        "done": "DSL spoke with Mia and her mother on Monday.",
        "child_words": "",
        "consent": "given",
        "consent_reason": "",
        "decision": "share",
        "decision_reason": "Significant concern: missing episodes.",
        **changes,
    }


def test_a_referral_sent_while_the_database_is_down_is_kept_for_a_retry(
    pro_client, child, monkeypatch
):
    monkeypatch.setattr("seethesigns.referrals.views.do_make_referral", database_down)
    client = pro_client("demo-dsl")
    client.raise_request_exception = False
    response = client.post(f"/pro/children/{child.pk}/refer/", referral_data())
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "What you sent has not been saved yet" in page
    assert f'action="/pro/children/{child.pk}/refer/"' in page
    for name, value in referral_data().items():
        assert f'name="{name}" value="{value}"' in page
    assert page.count("data-kept") == 3  # family, done, the reasons: the person's own words
    assert '<meta name="referrer" content="same-origin">' in page  # the retry passes CSRF


def test_a_retry_of_the_kept_form_makes_one_referral(pro_client, child):
    Referral.objects.all().delete()
    client = pro_client("demo-dsl")
    first = client.post(f"/pro/children/{child.pk}/refer/", referral_data())
    again = client.post(f"/pro/children/{child.pk}/refer/", referral_data())
    [referral] = Referral.objects.all()
    assert first["Location"] == again["Location"] == f"/pro/referrals/{referral.pk}/"
    made = AuditEntry.objects.filter(action="referrals.make", object_id=str(referral.pk))
    assert made.count() == 1


def test_a_key_that_is_not_a_key_is_a_form_error(pro_client, child):
    response = pro_client("demo-dsl").post(
        f"/pro/children/{child.pk}/refer/", referral_data(key="not a key")
    )
    assert response.status_code == 400
    assert not Referral.objects.filter(sealed__contains="Jo Example").exists()


@pytest.fixture
def sessions_down(client, monkeypatch):
    """Every request with a session cookie reads the session first: make that read fail."""
    monkeypatch.setattr("django.contrib.sessions.backends.db.SessionStore.load", database_down)
    client.cookies["sessionid"] = "a-session"
    client.raise_request_exception = False
    return client


def test_a_sign_in_while_the_database_is_down_never_writes_the_password_back(sessions_down):
    response = sessions_down.post(
        "/pro/sign-in/", {"username": "demo-dsl", "password": "a secret passphrase"}
    )
    assert response.status_code == 503
    assert b"We cannot sign you in just now" in response.content
    assert b"a secret passphrase" not in response.content
    assert b"demo-dsl" not in response.content


def test_the_screening_api_answers_json_while_the_database_is_down(sessions_down):
    response = sessions_down.post("/pro/api/screening/", "{}", content_type="application/json")
    assert response.status_code == 503
    assert response.json() == {"error": "unavailable", "retry_after": 30}


def test_a_page_asked_for_while_the_database_is_down_says_to_reload(sessions_down):
    response = sessions_down.get("/pro/referrals/")
    assert response.status_code == 503
    assert b"This page is not available for a moment" in response.content


def test_a_lost_redis_is_an_outage_and_a_bug_is_still_a_500(pro_client, child, monkeypatch):
    assert outage.is_outage(RedisConnectionError("gone"))
    assert not outage.is_outage(IntegrityError("a bug, not an outage"))

    def bug(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr("seethesigns.referrals.views.do_make_referral", bug)
    client = pro_client("demo-dsl")
    client.raise_request_exception = False
    response = client.post(f"/pro/children/{child.pk}/refer/", referral_data())
    assert response.status_code == 500
    assert b"Sorry, something went wrong on our side" in response.content
