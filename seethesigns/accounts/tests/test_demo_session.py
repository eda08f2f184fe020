"""manage.py demo_session: a signed-in session for a demo account, for `make scan` only."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from seethesigns.accounts.models import Role, User
from seethesigns.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def allowed(monkeypatch: Any) -> None:
    monkeypatch.setenv("SEETHESIGNS_DEMO_SESSIONS", "1")


def _session(username: str) -> str:
    out = StringIO()
    call_command("demo_session", username, stdout=out)
    return out.getvalue().strip()


def _client_with(session_key: str) -> Client:
    client = Client()
    client.cookies["sessionid"] = session_key
    return client


def test_it_signs_a_demo_professional_in_with_the_second_factor_done(allowed: None):
    client = _client_with(_session("demo-frontdoor"))
    response = client.get("/pro/concerns/")
    assert response.status_code == 200
    assert response.wsgi_request.user.username == "demo-frontdoor"
    assert response.wsgi_request.user.is_verified()
    entry = AuditEntry.objects.order_by("-seq").first()
    assert (entry.action, entry.actor_label) == ("accounts.sign_in", "demo-frontdoor")
    assert entry.data == {"factor": "demo session"}


def test_it_signs_a_demo_editor_into_the_cms(allowed: None):
    assert _client_with(_session("demo-editor")).get("/cms/").status_code == 200


def test_it_refuses_in_production_whatever_the_flag(allowed: None, settings: Any):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="never made in production"):
        _session("demo-frontdoor")


def test_it_refuses_without_debug_or_the_flag(settings: Any):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="need DEBUG on"):
        _session("demo-frontdoor")


def test_it_works_with_debug_on(settings: Any):
    settings.DEBUG = True
    assert _client_with(_session("demo-dpo")).get("/pro/").status_code == 200


def test_it_refuses_a_real_account(allowed: None):
    User.objects.create_user("real-worker", password="x" * 20, role=Role.FRONT_DOOR)
    with pytest.raises(CommandError, match="No active demo account"):
        _session("real-worker")
    assert not AuditEntry.objects.filter(actor_label="real-worker").exists()


def test_a_demo_session_is_worthless_on_a_production_site(allowed: None, settings: Any):
    client = _client_with(_session("demo-frontdoor"))
    settings.PRODUCTION = True
    response = client.get("/pro/concerns/")
    assert response.status_code == 302
    assert response["Location"].startswith("/pro/sign-in/")
