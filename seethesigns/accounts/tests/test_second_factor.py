"""The second factor: a new session id once it is passed, and wrong codes on the audit."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from seethesigns.accounts.models import User
from seethesigns.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def device() -> TOTPDevice:
    user = User.objects.get(username="demo-frontdoor")
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


def test_the_session_id_changes_after_the_second_factor(client, device):
    client.post(
        "/pro/sign-in/", {"username": "demo-frontdoor", "password": "frontdoor-demo-password"}
    )
    after_password = client.cookies["sessionid"].value
    response = client.post("/pro/two-factor/", {"code": code_for(device)})
    assert response.status_code == 302
    after_code = client.cookies["sessionid"].value
    assert after_code != after_password
    # The id known before the second factor no longer opens anything.
    client.cookies["sessionid"] = after_password
    assert client.get("/pro/")["Location"].startswith("/pro/sign-in/")
    client.cookies["sessionid"] = after_code
    assert client.get("/pro/").status_code == 200


def test_a_wrong_code_is_on_the_audit(client, device):
    client.post(
        "/pro/sign-in/", {"username": "demo-frontdoor", "password": "frontdoor-demo-password"}
    )
    assert client.post("/pro/two-factor/", {"code": "000000"}).status_code == 401
    entry = AuditEntry.objects.get(action="accounts.second_factor_failed")
    assert entry.actor_label == "demo-frontdoor"
    assert entry.object_id == str(device.user_id)
    assert "000000" not in str(entry.data)
