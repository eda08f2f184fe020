"""Password guessing is paused per account (from any address) and per address (any account)."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from seethesigns.accounts.models import User
from seethesigns.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

PASSWORD = "frontdoor-demo-password"


def sign_in(client, address: str, username="demo-frontdoor", password=PASSWORD):
    return client.post(
        "/pro/sign-in/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_guessing_from_many_addresses_pauses_the_account(client):
    # Four tries from each of five addresses: what locked nothing before.
    for n in range(1, 6):
        for _ in range(4):
            sign_in(client, f"203.0.113.{n}", password="wrong password")
    refused = sign_in(client, "198.51.100.7")  # the right password, from a sixth address
    assert refused.status_code == 429
    assert "Signing in is paused for 15 minutes" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    frontdoor = User.objects.get(username="demo-frontdoor")
    paused = AuditEntry.objects.filter(action="accounts.lockout", object_id=str(frontdoor.pk))
    assert paused.exists()
    [email] = mail.outbox  # told once, however many tries follow
    assert email.to == ["demo-frontdoor@example.org"]
    assert "paused for 15 minutes" in email.body
    assert "If it was not you, tell your" in email.body


def test_another_account_still_signs_in_from_those_addresses(client):
    for n in range(1, 6):
        sign_in(client, f"203.0.113.{n}", password="wrong password")
    response = sign_in(client, "203.0.113.1", "demo-dsl", "dsl-demo-password")
    assert response.status_code == 302


def test_a_paused_address_is_paused_for_every_account(client):
    for username in ["demo-dsl", "demo-dpo", "demo-admin", "demo-analyst", "nobody-at-all"]:
        sign_in(client, "203.0.113.9", username, "wrong password")
    for username, password in [("demo-frontdoor", PASSWORD), ("demo-dsl", "dsl-demo-password")]:
        assert sign_in(client, "203.0.113.9", username, password).status_code == 429
    # The accounts themselves are not paused: from elsewhere they sign in.
    assert sign_in(client, "198.51.100.7").status_code == 302


def test_the_pause_ends_by_itself(client):
    for _ in range(5):
        sign_in(client, "203.0.113.1", password="wrong password")
    assert sign_in(client, "203.0.113.2").status_code == 429
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert sign_in(client, "203.0.113.2").status_code == 302


def test_a_partnership_admin_lifts_a_pause(client, pro_client):
    for n in range(5):
        sign_in(client, f"203.0.113.{n}", password="wrong password")
        sign_in(client, f"198.51.100.{n}", username="no-such-name", password="x")
    client.logout()
    admin = pro_client("demo-admin")
    page = admin.get("/pro/users/").content.decode()
    assert "data-pauses" in page
    assert "The account <strong>demo-frontdoor</strong>" in page
    assert "no-such-name" not in page  # what was typed for no account is never shown
    # Nothing that is not paused can be "lifted" (no way to clear someone else's counter).
    fake = admin.post("/pro/users/lift-pause/", {"what": "account", "value": "demo-dsl"})
    assert fake.status_code == 404
    lifted = admin.post("/pro/users/lift-pause/", {"what": "account", "value": "demo-frontdoor"})
    assert lifted["Location"] == "/pro/users/?lifted=1"
    entry = AuditEntry.objects.get(action="accounts.lift_pause")
    assert entry.actor_label == "demo-admin"
    assert entry.data["account"] == "demo-frontdoor"
    admin.logout()
    assert sign_in(client, "203.0.113.77").status_code == 302


def test_only_the_partnership_admin_can_lift_a_pause(pro_client):
    client = pro_client("demo-dpo")
    response = client.post("/pro/users/lift-pause/", {"what": "account", "value": "x"})
    assert response.status_code in (403, 404)
    assert not AuditEntry.objects.filter(action="accounts.lift_pause").exists()


def test_a_flood_of_wrong_passwords_is_summarised_on_the_audit(client):
    for n in range(25):
        sign_in(client, f"192.0.2.{n}", username="no-such-person", password="guess")
    failed = AuditEntry.objects.filter(action="accounts.sign_in_failed").order_by("seq")
    # The first, then the 10th, 20th is not a tenfold: two entries say it all.
    assert [e.data["count"] for e in failed] == [1, 10]
    assert failed[0].data["account"] == "(no such account)"  # what was typed is never kept
    assert str(failed[1].ip) == "192.0.2.9"
