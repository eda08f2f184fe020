"""do_pass_module keeps the pass and its audit entry together, or neither."""

from unittest import mock

import pytest
from django.db import DatabaseError

from seethesigns.accounts.models import User
from seethesigns.audit.models import AuditEntry
from seethesigns.training.actions import do_pass_module
from seethesigns.training.models import Completion

pytestmark = pytest.mark.django_db


def test_a_pass_writes_one_audit_entry_with_the_module_and_score():
    worker = User.objects.get(username="demo-practitioner")
    completion = do_pass_module("language", 80, acting_user=worker, request=None)
    entry = AuditEntry.objects.get(action="training.pass")
    assert entry.actor_id == worker.pk
    assert entry.data == {"module": "language", "score": 80}
    assert (completion.user, completion.module, completion.score) == (worker, "language", 80)


def test_no_pass_is_kept_if_its_audit_entry_cannot_be_written():
    worker = User.objects.get(username="demo-practitioner")
    with (
        mock.patch("seethesigns.training.actions.record", side_effect=DatabaseError),
        pytest.raises(DatabaseError),
    ):
        do_pass_module("language", 80, acting_user=worker, request=None)
    assert not Completion.objects.exists()
    assert not AuditEntry.objects.filter(action="training.pass").exists()
