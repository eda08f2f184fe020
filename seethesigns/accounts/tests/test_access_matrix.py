"""Every workspace URL by everyone who might ask for it, from one table. 0 unexpected answers."""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from conftest import verified_client
from seethesigns.accounts.models import User
from seethesigns.concerns.models import Concern

pytestmark = pytest.mark.django_db

# Who asks: no one signed in; one person per role; a front-door worker from another team;
# and someone who gave their password but not yet the second factor.
PEOPLE = {
    "anonymous": None,
    "practitioner": "demo-practitioner",
    "dsl": "demo-dsl",
    "front_door": "demo-frontdoor",
    "cse_coordinator": "demo-coordinator",
    "police_analyst": "demo-analyst",
    "partnership_admin": "demo-admin",
    "content_editor": "demo-editor",
    "dpo": "demo-dpo",
    "other_team": "demo-eastfield",
    "password_only": "demo-frontdoor",
}
SIGNED_OUT = {"anonymous": 302, "password_only": 302}

# (method, url, answer for everyone not named, answers for the people named)
MATRIX = [
    ("GET", "/pro/", 200, SIGNED_OUT),
    ("GET", "/pro/concerns/", 200, SIGNED_OUT),
    ("GET", "/pro/concerns/{concern}/", 404, {**SIGNED_OUT, "front_door": 200}),
    ("POST", "/pro/concerns/{concern}/", 404, {**SIGNED_OUT, "front_door": 302}),
    ("GET", "/pro/users/", 403, {**SIGNED_OUT, "partnership_admin": 200}),
    ("GET", "/pro/users/invite/", 403, {**SIGNED_OUT, "partnership_admin": 200}),
    ("POST", "/pro/users/{user}/deactivate/", 403, {**SIGNED_OUT, "partnership_admin": 302}),
    ("GET", "/pro/audit/", 403, {**SIGNED_OUT, "dpo": 200}),
    ("GET", "/pro/audit/export/", 403, {**SIGNED_OUT, "dpo": 200}),
    # The sign-in steps themselves.
    ("GET", "/pro/sign-in/", 200, {}),
    ("GET", "/pro/two-factor/", 302, {"password_only": 200}),
    ("GET", "/pro/two-factor/set-up/", 302, {}),
    ("GET", "/pro/invite/?token={token}", 404, {}),
    ("POST", "/pro/sign-out/", 302, {}),
]

CASES = [
    pytest.param(method, url, who, overrides.get(who, default), id=f"{method} {url} {who}")
    for method, url, default, overrides in MATRIX
    for who in PEOPLE
]


def client_for(who: str) -> Client:
    client = Client()
    username = PEOPLE[who]
    if username is None:
        return client
    user = User.objects.get(username=username)
    if who == "password_only":
        client.force_login(user)
        from django_otp.plugins.otp_totp.models import TOTPDevice

        TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
        return client
    return verified_client(client, user)


@pytest.mark.parametrize(("method", "url", "who", "expected"), CASES)
def test_access(method, url, who, expected):
    concern = Concern.objects.filter(reporter_kind="friend").get()
    target = User.objects.get(username="demo-practitioner")
    path = url.format(concern=concern.reference, user=target.pk, token="not-a-real-token")
    client = client_for(who)
    if method == "GET":
        response = client.get(path)
    else:
        response = client.post(path, {"form": "note", "text": "Checked."})
    assert response.status_code == expected
    body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
    if expected != 200 or url != "/pro/concerns/{concern}/":
        assert "parties at a flat" not in body.decode()


def _workspace_routes(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    routes = []
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            routes += _workspace_routes(entry, route)
        elif isinstance(entry, URLPattern) and route.startswith("pro/"):
            routes.append(route)
    return routes


def test_the_matrix_covers_every_workspace_url():
    covered = {url for _, url, _, _ in MATRIX}
    for route in _workspace_routes():
        shape = "/" + route
        for name in ["<str:reference>", "<int:user_id>"]:
            shape = shape.replace(name, "{x}")
        assert any(
            shape == url.split("?")[0].replace("{concern}", "{x}").replace("{user}", "{x}")
            for url in covered
        ), f"/{route} is missing from the access matrix"
