import re
import time

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from seethesigns.accounts.middleware import SEEN_KEY
from seethesigns.accounts.models import User
from seethesigns.audit.models import AuditEntry
from seethesigns.concerns.models import Concern

pytestmark = pytest.mark.django_db

PASSWORD = "frontdoor-demo-password"


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, offset):06d}"


def sign_in_with_password(client, username="demo-frontdoor", password=PASSWORD):
    return client.post("/pro/sign-in/", {"username": username, "password": password})


def enrol(client) -> tuple[TOTPDevice, list[str]]:
    """Go through the set-up page as a new user would: scan, enter a code, get recovery codes."""
    page = client.get("/pro/two-factor/set-up/")
    assert page.status_code == 200
    assert "<svg" in page.content.decode()  # the QR code, drawn here, nothing from elsewhere
    device = TOTPDevice.objects.get(user__username="demo-frontdoor", confirmed=False)
    response = client.post("/pro/two-factor/set-up/", {"code": code_for(device)})
    assert response.status_code == 200
    codes = re.findall(r"<li>(\w{8})</li>", response.content.decode())
    device.refresh_from_db()
    return device, codes


def test_signing_in_takes_a_password_then_a_second_factor(client):
    response = sign_in_with_password(client)
    assert response.status_code == 302
    assert response["Location"] == "/pro/two-factor/"
    assert client.get("/pro/two-factor/")["Location"] == "/pro/two-factor/set-up/"
    device, codes = enrol(client)
    assert device.confirmed
    assert len(codes) == 10
    assert client.get("/pro/").status_code == 200
    assert AuditEntry.objects.filter(action="accounts.enrol_two_factor").exists()


def test_no_personal_data_is_reachable_before_the_second_factor(client):
    concern = Concern.objects.first()
    sign_in_with_password(client)
    for path in ["/pro/", "/pro/concerns/", f"/pro/concerns/{concern.reference}/", "/pro/audit/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == "/pro/two-factor/"
        assert concern.details["what"][:20] not in response.content.decode()
    assert not AuditEntry.objects.filter(action="concerns.view").exists()


def test_a_returning_user_signs_in_with_the_code_and_the_session_id_changes(client):
    sign_in_with_password(client)
    device, _ = enrol(client)
    client.post("/pro/sign-out/")
    client.get("/pro/sign-in/")
    before = client.cookies.get("sessionid")
    sign_in_with_password(client)
    after = client.cookies["sessionid"].value
    assert before is None or before.value != after
    wrong = client.post("/pro/two-factor/", {"code": "000000"})
    assert wrong.status_code == 401
    assert "That code did not work" in wrong.content.decode()
    device.refresh_from_db()
    device.throttling_failure_count = 0  # the wrong code made it wait; skip the wait
    device.throttling_failure_timestamp = None
    device.save()
    response = client.post("/pro/two-factor/", {"code": code_for(device, offset=1)})
    assert response.status_code == 302
    assert client.get("/pro/").status_code == 200
    assert AuditEntry.objects.filter(action="accounts.sign_in").exists()


def test_a_recovery_code_works_once(client):
    sign_in_with_password(client)
    _, codes = enrol(client)
    client.post("/pro/sign-out/")
    sign_in_with_password(client)
    assert client.post("/pro/two-factor/", {"code": codes[0]}).status_code == 302
    assert not StaticToken.objects.filter(token=codes[0]).exists()
    client.post("/pro/sign-out/")
    sign_in_with_password(client)
    assert client.post("/pro/two-factor/", {"code": codes[0]}).status_code == 401


def test_five_wrong_passwords_lock_the_account_for_15_minutes(client):
    for _ in range(5):
        response = sign_in_with_password(client, password="wrong password")
    assert response.status_code == 429
    assert "Signing in is paused for 15 minutes" in response.content.decode()
    locked = sign_in_with_password(client)  # even the right password
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_says_what_to_do(client):
    response = sign_in_with_password(client, password="not it")
    assert response.status_code == 401
    assert "The username or password is wrong" in response.content.decode()


def test_after_15_idle_minutes_the_next_request_signs_out(pro_client):
    client = pro_client("demo-frontdoor")
    assert client.get("/pro/concerns/").status_code == 200
    session = client.session
    session[SEEN_KEY] = time.time() - 15 * 60 - 1
    session.save()
    response = client.get("/pro/concerns/")
    assert response.status_code == 302
    assert response["Location"] == "/pro/sign-in/?idle=1"
    assert client.get("/pro/concerns/")["Location"].startswith("/pro/sign-in/")
    page = client.get("/pro/sign-in/?idle=1").content.decode()
    assert "no activity for 15 minutes" in page


def test_activity_keeps_the_session(pro_client):
    client = pro_client("demo-frontdoor")
    session = client.session
    session[SEEN_KEY] = time.time() - 14 * 60
    session.save()
    assert client.get("/pro/concerns/").status_code == 200


def test_the_session_cookie_is_httponly_and_samesite(client):
    # Secure too in production: test_security_headers.py checks the production settings.
    sign_in_with_password(client)
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_deactivated_people_cannot_sign_in(client):
    User.objects.filter(username="demo-frontdoor").update(is_active=False)
    assert sign_in_with_password(client).status_code == 401
