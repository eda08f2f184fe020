"""Huge, unicode, HTML/script and SQL-looking input in every workspace form: a clear answer,
never a server error, and never the script echoed as markup."""

import pytest

from seethesigns.accounts.models import Invitation, Team, User

pytestmark = pytest.mark.django_db

NASTY = {
    "huge": "x" * 100_000,
    "unicode": "😀 Zoë 家 עברית \u202e\u200b end",
    "nul": "before\u0000after",
    "html": "<script>alert(1)</script><img src=x onerror=alert(2)>",
    "sql": "' OR 1=1; DROP TABLE accounts_user; --",
    "formula": '=HYPERLINK("http://evil.example")',
}


def ok(response) -> str:
    assert response.status_code < 500
    body = b"".join(response.streaming_content) if response.streaming else response.content
    html = body.decode()
    assert "<script>alert(1)</script>" not in html
    return html


@pytest.mark.parametrize("value", NASTY.values(), ids=NASTY.keys())
def test_sign_in_and_second_factor(client, value):
    ok(client.post("/pro/sign-in/", {"username": value, "password": value}))
    ok(client.post("/pro/sign-in/", {"username": "demo-dsl", "password": value}))
    client.force_login(User.objects.get(username="demo-dsl"))
    ok(client.post("/pro/two-factor/set-up/", {"code": value}))
    ok(client.post("/pro/two-factor/", {"code": value}))


@pytest.mark.parametrize("value", NASTY.values(), ids=NASTY.keys())
def test_invite_and_accept(pro_client, client, value):
    admin = pro_client("demo-admin")
    fields = ["first_name", "last_name", "email", "role", "team"]
    for field in fields:
        data = {"first_name": "A", "last_name": "B", "email": "a@example.org", "role": "dsl"}
        data["team"] = str(Team.objects.first().pk)
        data[field] = value
        response = admin.post("/pro/users/invite/", data)
        html = ok(response)
        if value == NASTY["huge"] or field in ("email", "role", "team"):
            assert response.status_code == 200
            assert "There is a problem" in html
    token, hashed = Invitation.new_token()
    Invitation.objects.create(
        email="new@example.org",
        first_name="New",
        last_name="Person",
        role="dsl",
        team=Team.objects.get(name="Safeguarding"),
        token_hash=hashed,
        invited_by=User.objects.get(username="demo-admin"),
        expires_at="2099-01-01T00:00:00Z",
    )
    client.logout()
    data = {"password": value, "password_again": value}
    ok(client.post(f"/pro/invite/?token={token}", data))
    ok(client.get("/pro/invite/", {"token": value}))


@pytest.mark.parametrize("value", NASTY.values(), ids=NASTY.keys())
def test_audit_search_and_export(pro_client, value):
    client = pro_client("demo-dpo")
    for field in ["person", "record", "action", "date_from", "date_to", "page"]:
        ok(client.get("/pro/audit/", {field: value}))
        export = client.get("/pro/audit/export/", {field: value})
        assert export.status_code < 500
        if export.status_code == 200:
            assert export["Content-Disposition"].startswith("attachment")
            rows = b"".join(export.streaming_content).decode()
            assert "\n=" not in rows and ",=" not in rows  # no spreadsheet formulas


@pytest.mark.parametrize("value", NASTY.values(), ids=NASTY.keys())
def test_break_glass_reason(pro_client, value):
    from seethesigns.concerns.models import Concern

    concern = Concern.objects.filter(reporter_kind="friend").get()
    pro_client("demo-frontdoor").post(f"/pro/concerns/{concern.reference}/", {"form": "restrict"})
    html = ok(
        pro_client("demo-frontdoor2").post(f"/pro/concerns/{concern.reference}/", {"reason": value})
    )
    if value == NASTY["huge"]:
        assert "What you wrote is too long" in html
