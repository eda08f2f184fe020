from collections.abc import Iterator

import pytest
from django.core.management import CommandError, call_command

from seethesigns.accounts.models import User
from seethesigns.appendonly import suspended
from seethesigns.audit.actions import record, verify
from seethesigns.audit.models import AuditEntry, AuditHead, entry_hash

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain() -> Iterator[list[AuditEntry]]:
    # These tests play an attacker who owns the database and so can drop its triggers first.
    # Start from an empty trail (the demo data wrote entries); the test's transaction restores it.
    with suspended("audit_auditentry", deletable=False):
        AuditEntry.objects.all().delete()
        AuditHead.objects.all().delete()
        lead = User.objects.get(username="demo-lead")
        yield [record(f"test.action{i}", actor=lead, obj=lead, data={"n": i}) for i in range(1, 6)]


def test_an_untouched_chain_verifies(chain, capsys):
    call_command("verify_audit")
    assert "intact: 5 entries" in capsys.readouterr().out
    assert [e.seq for e in chain] == [1, 2, 3, 4, 5]
    assert chain[1].prev_hash == chain[0].hash


def test_it_names_an_altered_entry(chain):
    AuditEntry.objects.filter(seq=3).update(object_id="999")
    with pytest.raises(CommandError, match="broken in 1 place"):
        call_command("verify_audit")
    assert verify() == ["Entry #3 (test.action3) was altered after it was written."]


def test_it_names_a_deleted_entry(chain):
    AuditEntry.objects.filter(seq=2).delete()
    problems = verify()
    assert "Entry #2 is missing (next found is #3): deleted." in problems
    with pytest.raises(CommandError):
        call_command("verify_audit")


def test_it_names_an_inserted_entry_even_with_a_well_formed_hash(chain):
    # A forger who can write to the database but lacks the key renumbers the tail and inserts.
    for entry in reversed(chain[2:]):
        AuditEntry.objects.filter(pk=entry.pk).update(seq=entry.seq + 1)
    forged = AuditEntry(
        seq=3, at=chain[1].at, actor_label="x", action="forged", prev_hash=chain[1].hash
    )
    real = entry_hash(forged.prev_hash, forged.canonical())
    forged.hash = ("1" if real[0] != "1" else "2") + real[1:]  # well formed, and always wrong
    forged.save()
    problems = verify()
    assert any("Entry #3 (forged) was altered" in p for p in problems)
    assert any("Entry #4 does not follow the entry before it" in p for p in problems)


def test_it_names_deleted_newest_entries(chain):
    AuditEntry.objects.filter(seq__gte=4).delete()
    assert verify() == ["Entries after #3 are missing (the newest was #5): deleted."]


def test_it_notices_a_forged_record_of_the_newest_entry(chain):
    from seethesigns.audit.models import AuditHead

    AuditEntry.objects.filter(seq=5).delete()
    AuditHead.objects.filter(pk=1).update(seq=4, hash=chain[3].hash)
    assert verify() == ["The record of the newest entry was altered."]
