import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from seethesigns.accounts.checks import check_no_demo_accounts

pytestmark = pytest.mark.django_db


def test_demo_accounts_sign_in_outside_production(rf):
    request = rf.post("/pro/sign-in/")
    assert authenticate(request, username="demo-lead", password="lead-demo-password") is not None


def test_demo_accounts_never_sign_in_in_production(settings, rf):
    settings.PRODUCTION = True
    request = rf.post("/pro/sign-in/")
    assert authenticate(request, username="demo-lead", password="lead-demo-password") is None


def test_load_demo_refuses_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="never loaded in production"):
        call_command("load_demo")


def test_the_deploy_check_names_leftover_demo_accounts(settings):
    settings.PRODUCTION = True
    errors = check_no_demo_accounts()
    assert [e.id for e in errors] == ["seethesigns.E001"]
    assert "demo-editor" in errors[0].msg
