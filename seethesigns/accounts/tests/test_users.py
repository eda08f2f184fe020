import re

import pytest
from django.contrib.sessions.models import Session
from django.core import mail

from seethesigns.accounts.models import Invitation, Team, User
from seethesigns.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def invite(client, **changes):
    team = Team.objects.get(name="Safeguarding")
    data = {
        "first_name": "Nadia",
        "last_name": "Newcomer",
        "email": "Nadia.Newcomer@example.org",
        "phone": "01632 960 777",
        "role": "dsl",
        "team": team.pk,
        **changes,
    }
    return client.post("/pro/users/invite/", data)


def test_the_admin_sees_who_holds_which_role(pro_client):
    html = pro_client("demo-admin").get("/pro/users/").content.decode()
    for username, role in [("demo-dpo", "Data protection officer"), ("demo-dsl", "Designated")]:
        row = html.split(f'data-username="{username}"')[1].split("</tr>")[0]
        assert role in row


def test_an_invitation_link_works_once(client, pro_client, django_capture_on_commit_callbacks):
    admin = pro_client("demo-admin")
    with django_capture_on_commit_callbacks(execute=True):
        assert invite(admin).status_code == 302
    assert AuditEntry.objects.filter(action="accounts.invite").exists()
    [message] = mail.outbox
    assert message.to == ["nadia.newcomer@example.org"]
    link = re.search(r"http://\S+/pro/invite/\?token=\S+", str(message.body)).group(0)
    path = link.split("127.0.0.1:8000")[1]
    assert Invitation.objects.get().token_hash not in message.body  # only the hash is stored
    admin.post("/pro/sign-out/")
    assert client.get(path).status_code == 200
    weak = client.post(path, {"password": "password1234", "password_again": "password1234"})
    assert weak.status_code == 200
    assert "too common" in weak.content.decode()
    short = client.post(path, {"password": "tiny", "password_again": "tiny"})
    assert "at least 12 characters" in short.content.decode()
    good = "teapot river lantern"
    response = client.post(path, {"password": good, "password_again": good})
    assert response.status_code == 302
    user = User.objects.get(username="nadia.newcomer@example.org")
    assert (user.role, user.team.name, user.phone) == ("dsl", "Safeguarding", "01632 960 777")
    assert user.check_password(good)
    assert client.get(path).status_code == 404
    assert client.post(path, {"password": good, "password_again": good}).status_code == 404


def test_an_invitation_needs_every_answer(pro_client):
    response = invite(pro_client("demo-admin"), email="not an address", role="", team="999")
    html = response.content.decode()
    assert "Enter an e-mail address like name@example.org" in html
    assert "Choose a role" in html
    assert "Choose a team from the list" in html
    assert "Nadia" in html  # kept


def test_removing_access_ends_their_sessions_now(pro_client, client):
    dsl_client = pro_client("demo-dsl")
    from django.test import Client

    admin = Client()
    from conftest import verified_client

    verified_client(admin, User.objects.get(username="demo-admin"))
    dsl = User.objects.get(username="demo-dsl")
    assert admin.post(f"/pro/users/{dsl.pk}/deactivate/").status_code == 302
    dsl.refresh_from_db()
    assert not dsl.is_active
    assert dsl_client.get("/pro/").status_code == 302
    assert AuditEntry.objects.filter(action="accounts.deactivate", object_id=str(dsl.pk)).exists()
    for session in Session.objects.all():
        assert session.get_decoded().get("_auth_user_id") != str(dsl.pk)


def test_only_the_partnership_admin_manages_users(pro_client):
    client = pro_client("demo-frontdoor")
    assert client.get("/pro/users/").status_code == 403
    assert invite(client).status_code == 403
    assert not Invitation.objects.exists()


def test_the_first_admin_is_made_on_the_command_line(monkeypatch):
    from django.core.management import CommandError, call_command

    monkeypatch.setattr("getpass.getpass", lambda prompt: "password")
    with pytest.raises(CommandError, match="too common"):
        call_command("add_partnership_admin", "First@Example.org")
    monkeypatch.setattr("getpass.getpass", lambda prompt: "quiet harbour ladder")
    call_command("add_partnership_admin", "First@Example.org")
    admin = User.objects.get(username="first@example.org")
    assert admin.role == "partnership_admin"
    assert admin.check_password("quiet harbour ladder")


def test_a_second_invitation_to_the_same_address_is_refused(pro_client):
    admin = pro_client("demo-admin")
    invite(admin)
    response = invite(admin, email="NADIA.newcomer@example.org")
    assert "already has an invitation that has not been used yet" in response.content.decode()
    assert Invitation.objects.count() == 1


def test_two_set_up_pages_at_once_do_not_break_enrolment(client):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = User.objects.get(username="demo-dsl")
    client.force_login(user)
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    assert client.get("/pro/two-factor/set-up/").status_code == 200
