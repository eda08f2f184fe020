"""Setting up two-factor sign-in: each write with its audit entry, in one transaction."""

from unittest import mock

import pytest
from django.db import DatabaseError
from django.test import RequestFactory
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from seethesigns.accounts.actions import do_enrol_two_factor, do_start_two_factor
from seethesigns.accounts.models import User
from seethesigns.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer() -> User:
    user = User.objects.get(username="demo-frontdoor")
    TOTPDevice.objects.filter(user=user).delete()
    return user


def test_starting_keeps_one_unconfirmed_device_and_audits_it_once(newcomer):
    request = RequestFactory().get("/pro/two-factor/set-up/")
    device = do_start_two_factor(newcomer, request=request)
    again = do_start_two_factor(newcomer, request=request)
    assert device == again and not device.confirmed
    entries = AuditEntry.objects.filter(action="accounts.start_two_factor")
    assert [(e.actor_id, e.object_id) for e in entries] == [(newcomer.pk, str(newcomer.pk))]


def test_enrolling_confirms_the_device_makes_codes_and_audits_it(newcomer):
    request = RequestFactory().post("/pro/two-factor/set-up/")
    device = do_start_two_factor(newcomer, request=request)
    codes = do_enrol_two_factor(device, request=request)
    device.refresh_from_db()
    assert device.confirmed
    kept = StaticToken.objects.filter(device__user=newcomer).values_list("token", flat=True)
    assert sorted(kept) == sorted(codes) and len(codes) == 10
    entry = AuditEntry.objects.get(action="accounts.enrol_two_factor")
    assert entry.actor_id == newcomer.pk


def test_nothing_is_enrolled_if_the_audit_entry_cannot_be_written(newcomer):
    request = RequestFactory().post("/pro/two-factor/set-up/")
    device = do_start_two_factor(newcomer, request=request)
    with (
        mock.patch("seethesigns.accounts.actions.record", side_effect=DatabaseError),
        pytest.raises(DatabaseError),
    ):
        do_enrol_two_factor(device, request=request)
    device.refresh_from_db()
    assert not device.confirmed
    assert not StaticToken.objects.filter(device__user=newcomer).exists()
    assert not AuditEntry.objects.filter(action="accounts.enrol_two_factor").exists()
