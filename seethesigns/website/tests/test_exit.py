import pytest
from django.test import Client

from seethesigns.accounts.models import User

pytestmark = pytest.mark.django_db


def test_it_redirects_to_a_neutral_site_and_clears_the_browser(client: Client, settings):
    response = client.get("/exit/")
    assert response.status_code == 302
    assert response["Location"] == settings.EXIT_URL == "https://www.bbc.co.uk/weather"
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert "no-store" in response["Cache-Control"]


def test_it_ends_a_signed_in_session(client: Client):
    editor = User.objects.get(username="demo-editor")
    client.force_login(editor)
    session_key = client.session.session_key
    client.get("/exit/")
    assert "_auth_user_id" not in client.session
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=session_key).exists()


def test_it_sets_no_cookie_for_a_visitor(client: Client):
    response = client.get("/exit/")
    assert not [c for c in response.cookies.values() if c.value]
