"""Tampering with the audit trail, as someone who owns the database would, and what verify says.

Run on PostgreSQL (DATABASE_URL set, as CI does) and on SQLite (unset): both are covered.
"""

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from seethesigns.accounts.models import User
from seethesigns.appendonly import suspended
from seethesigns.audit.actions import record, verify
from seethesigns.audit.checkpoints import MARKER, Checkpoint, read
from seethesigns.audit.models import AuditEntry, AuditHead, entry_hash

pytestmark = pytest.mark.django_db


@pytest.fixture
def checkpoint_file(settings, tmp_path) -> Path:
    path = tmp_path / "audit-checkpoints.log"
    settings.AUDIT_CHECKPOINTS = [f"file:{path}"]
    return path


@pytest.fixture
def chain(checkpoint_file, django_capture_on_commit_callbacks) -> Iterator[list[AuditEntry]]:
    # These tests play an attacker who owns the database and so can drop its triggers first.
    # Start from an empty trail (the demo data wrote entries); the test's transaction restores it.
    with suspended("audit_auditentry", deletable=False):
        AuditEntry.objects.all().delete()
        AuditHead.objects.all().delete()
        lead = User.objects.get(username="demo-lead")
        with django_capture_on_commit_callbacks(execute=True):  # as if each entry committed
            entries = [
                record(f"test.action{i}", actor=lead, obj=lead, data={"n": i}) for i in range(1, 6)
            ]
        yield entries


def problems(checkpoint_file: Path) -> list[str]:
    """What verify_audit says, after checking that it fails."""
    with pytest.raises(CommandError, match="The audit trail is broken"):
        call_command("verify_audit")
    return verify(read([checkpoint_file]).checkpoints)


def test_an_untouched_chain_verifies_against_its_checkpoints(chain, checkpoint_file, capsys):
    call_command("verify_audit")
    out = capsys.readouterr().out
    assert "intact: 5 entries, matching the checkpoint of" in out
    assert "(#5)" in out
    assert [e.seq for e in chain] == [1, 2, 3, 4, 5]
    assert chain[1].prev_hash == chain[0].hash
    lines = checkpoint_file.read_text().splitlines()
    assert len(lines) == 5
    assert all(line.startswith(MARKER) for line in lines)


def test_it_names_an_edited_entry(chain, checkpoint_file):
    AuditEntry.objects.filter(seq=3).update(object_id="999")
    found = problems(checkpoint_file)
    assert found[0] == (
        "Entry #3 (test.action3) was changed after it was written, or added by someone "
        "without the audit key."
    )
    assert len(found) == 1  # the hash stays as written, so the checkpoint still agrees


def test_it_names_an_edited_entry_whose_hash_was_replaced_too(chain, checkpoint_file):
    AuditEntry.objects.filter(seq=3).update(object_id="999", hash="f" * 64)
    found = problems(checkpoint_file)
    assert any("#3 (test.action3) was changed" in p for p in found)
    assert any("1 entry (#3) differ from the checkpoints" in p for p in found)


def test_it_names_an_inserted_entry_even_with_a_well_formed_hash(chain, checkpoint_file):
    # A forger who can write to the database but lacks the key renumbers the tail and inserts.
    for entry in reversed(chain[2:]):
        AuditEntry.objects.filter(pk=entry.pk).update(seq=entry.seq + 1)
    forged = AuditEntry(
        seq=3, at=chain[1].at, actor_label="x", action="forged", prev_hash=chain[1].hash
    )
    real = entry_hash(forged.prev_hash, forged.canonical())
    forged.hash = ("1" if real[0] != "1" else "2") + real[1:]  # well formed, and always wrong
    forged.save()
    found = problems(checkpoint_file)
    assert "Entry #3 (forged) was changed after it was written, or added by someone" in found[0]
    assert any("Entry #4 (test.action3) was written as #3: it was moved" in p for p in found)
    assert any("Entry #6 (test.action5) was written as #5" in p for p in found)
    assert any("were added without the record of the newest entry moving on" in p for p in found)


def test_it_names_a_deleted_entry(chain, checkpoint_file):
    AuditEntry.objects.filter(seq=2).delete()
    assert problems(checkpoint_file) == ["Entry #2 is missing (the next found is #3): removed."]


def test_it_names_two_swapped_entries(chain, checkpoint_file):
    AuditEntry.objects.filter(seq=2).update(seq=1000)
    AuditEntry.objects.filter(seq=3).update(seq=2)
    AuditEntry.objects.filter(seq=1000).update(seq=3)
    found = problems(checkpoint_file)
    assert any("Entry #2 (test.action3) was written as #3: it was moved" in p for p in found)
    assert any("Entry #3 (test.action2) was written as #2: it was moved" in p for p in found)
    assert any("2 entries (#2, #3) differ from the checkpoints" in p for p in found)


def test_it_names_a_cut_tail(chain, checkpoint_file):
    AuditEntry.objects.filter(seq__gte=4).delete()
    assert problems(checkpoint_file) == [
        "Entries after #3 are missing (the newest was #5): the end of the trail was cut.",
        f"Entries #4 to #5 were cut from the end: the checkpoint of {_newest(checkpoint_file)} "
        "shows the trail had reached #5 (cut, or rewound to an older copy of the database).",
    ]


def test_a_cut_tail_is_named_even_with_the_head_record_deleted(chain, checkpoint_file):
    AuditEntry.objects.filter(seq__gte=4).delete()
    AuditHead.objects.all().delete()
    found = problems(checkpoint_file)
    assert found[0] == "The record of the newest entry is missing: removed."
    assert found[1].startswith("Entries #4 to #5 were cut from the end")


def test_it_names_a_forged_head(chain, checkpoint_file):
    AuditEntry.objects.filter(seq=5).delete()
    AuditHead.objects.filter(pk=1).update(seq=4, hash=chain[3].hash)
    found = problems(checkpoint_file)
    assert found[0] == "The record of the newest entry was changed: its seal is wrong (forged)."
    assert found[1].startswith("Entries #5 to #5 were cut from the end")


def test_it_names_a_complete_wipe(chain, checkpoint_file, capsys):
    # Triggers dropped (the fixture), every entry and the head deleted: the chain alone is empty
    # and consistent. Only the checkpoint, outside the database, remembers.
    AuditEntry.objects.all().delete()
    AuditHead.objects.all().delete()
    assert verify() == []  # what the issue found: the chain alone cannot tell
    assert problems(checkpoint_file) == [
        f"The trail is empty, but the checkpoint of {_newest(checkpoint_file)} shows it had "
        "reached #5: it was wiped."
    ]
    assert "wiped" in capsys.readouterr().err


def test_it_names_a_rewind_to_an_older_copy(
    chain, checkpoint_file, django_capture_on_commit_callbacks
):
    # An older copy of the database, restored: entries 1 to 3 and a genuine head for #3.
    AuditEntry.objects.filter(seq__gte=4).delete()
    AuditHead.objects.filter(pk=1).update(seq=3, hash=chain[2].hash, seal=_seal(chain[2]))
    assert verify() == []  # consistent in itself
    assert any("were cut from the end" in p for p in problems(checkpoint_file))
    # Writing on from the older copy: entries #4 and #5 again, but not the ones first written.
    with django_capture_on_commit_callbacks(execute=True):
        record("test.again", data={})
        record("test.again", data={})
    found = problems(checkpoint_file)
    assert found == [
        "2 entries (#4, #5) differ from the checkpoints written when they were made: changed, "
        "or the trail was rewound and written again."
    ]


def test_a_checkpoint_line_written_without_the_key_is_named(chain, checkpoint_file):
    forged = Checkpoint(2, chain[1].hash, "2026-01-01T00:00:00+00:00").line()
    forged = forged.replace('"sig":"', '"sig":"0')[:-2] + '"}'
    with checkpoint_file.open("a") as f:
        f.write(forged + "\n")
    with pytest.raises(CommandError):
        call_command("verify_audit")
    assert read([checkpoint_file]).problems == [
        f"Line 6 of {checkpoint_file} is a checkpoint not signed with the audit key: someone "
        "else wrote it, or changed it."
    ]


def test_a_missing_checkpoint_file_is_named_once_the_trail_has_begun(chain, checkpoint_file):
    checkpoint_file.unlink()
    with pytest.raises(CommandError):
        call_command("verify_audit")
    assert "cannot be read" in read([checkpoint_file]).problems[0]


def test_checkpoints_sent_to_syslog_can_be_compared(
    settings, tmp_path, django_capture_on_commit_callbacks, capsys
):
    listener = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    listener.bind(("127.0.0.1", 0))
    listener.settimeout(5)
    port = listener.getsockname()[1]
    settings.AUDIT_CHECKPOINTS = [f"syslog:127.0.0.1:{port}"]
    with django_capture_on_commit_callbacks(execute=True):
        entry = record("test.syslog", data={})
    received = listener.recv(4096).decode()
    listener.close()
    assert received.startswith("<")  # a syslog priority, then our line
    assert f'"seq":{entry.seq}' in received
    exported = tmp_path / "syslog-export.log"
    exported.write_text(f"Dec  4 21:00:00 host {received}\n")
    call_command("verify_audit", checkpoints=[exported])
    assert f"(#{entry.seq})" in capsys.readouterr().out


def _newest(path: Path) -> str:
    return max(read([path]).checkpoints, key=lambda c: c.seq).when


def _seal(entry: AuditEntry) -> str:
    from seethesigns.audit.models import head_seal

    return head_seal(entry.seq, entry.hash)


def test_the_dpo_is_sent_a_checkpoint_to_keep(chain, checkpoint_file, tmp_path, capsys):
    from django.core import mail

    call_command("audit_checkpoint", email=True)
    [email] = mail.outbox
    assert email.to == ["demo-dpo@example.org"]
    saved = tmp_path / "dpo-mail.txt"
    saved.write_text(email.body)
    # The database wiped, and the site's own file lost too: the DPO's e-mail still tells.
    AuditEntry.objects.all().delete()
    AuditHead.objects.all().delete()
    checkpoint_file.unlink()
    with pytest.raises(CommandError):
        call_command("verify_audit", checkpoints=[saved])
    assert "reached #5: it was wiped." in capsys.readouterr().err


def test_a_years_checkpoints_are_read_in_bounded_memory(tmp_path):
    path = tmp_path / "big.log"
    with path.open("w") as f:
        for seq in range(1, 30_001):
            f.write(
                Checkpoint(seq, f"{seq:064x}", f"2026-01-01T00:00:{seq % 60:02d}").line() + "\n"
            )
    kept = read([path]).checkpoints
    assert len(kept) <= 10_000 + 30 + 1
    assert max(c.seq for c in kept) == 30_000
    assert {1_000, 2_000, 20_000} <= {c.seq for c in kept}
