"""The retention schedule and the job that flags and erases what is past it."""

from datetime import date, datetime
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
import yaml
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.db.models import Q

from seethesigns.accounts.models import User
from seethesigns.audit.actions import verify
from seethesigns.audit.models import AuditEntry
from seethesigns.children.models import Child
from seethesigns.dataprotection.actions import APPEND_ONLY
from seethesigns.dataprotection.models import Erasure
from seethesigns.dataprotection.retention import REGISTRY, load_schedule
from seethesigns.dataprotection.tests.plant import plant
from seethesigns.network.actions import do_create_entity, do_update_entity
from seethesigns.network.models import Entity, EntityRevision, Match
from seethesigns.referrals.models import Referral
from seethesigns.screening.models import Screening
from seethesigns.training.models import Completion

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def _run(*args: str) -> str:
    out = StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def test_the_shipped_schedule_names_every_kind_of_record_and_keeps_the_audit_longest():
    schedule = load_schedule()
    assert set(schedule.rules) == {rt.key for rt in REGISTRY}
    audit_years = schedule.rules["audit_entry"].years
    assert all(rule.years <= audit_years for rule in schedule.rules.values())


# Tables the schedule does not cover, and why. Every other table is a kind of record in it.
NOT_IN_THE_SCHEDULE = {
    "accounts.Organisation": "the partnership's organisations: no one's personal data",
    "accounts.Team": "teams and their CSE contact, a staff account",
    "accounts.User": "staff accounts: the partnership admin deactivates them; the audit names them",
    "accounts.Invitation": "a staff member's e-mail address, for an invitation",
    "audit.AuditHead": "the newest audit entry's number and hash",
    "links.Match": "two record numbers; deleted with either record",
    "linkage.SentRecord": (
        "a random reference, a record's number and a keyed digest; withdrawn with the record"
    ),
    "linkage.HubCursor": "the number of the newest linkage hub event read",
    "cases.ChildNameKey": "a sound-alike key of a child's name, for search; deleted with the child",
    "links.PairSuggestion": "two record numbers and a score; deleted with either record",
    "links.PairDecision": "a coordinator's answer about two records; deleted with either record",
    "links.PersonKey": "a sound-alike key or alias, for search; deleted with the person",
    "matching.MatchingModel": "the model's probabilities, estimated over everyone: about no one",
    "meetings.Action": "part of a meeting; deleted with it",
    "meetings.ActionUpdate": "part of a meeting's action; deleted with it",
    "links.DisruptionUpdate": "part of a disruption action; deleted with it",
    "concerns.ConcernChild": "two record numbers; deleted with the concern or the child",
    "meetings.Minute": "part of a meeting; deleted with it",
    "screening.Indicator": "the indicator catalogue",
    "screening.NextSteps": "the indicator catalogue's next steps",
}


def test_every_table_that_may_hold_personal_data_is_in_the_schedule():
    scheduled = {rt.model._meta.label for rt in REGISTRY}
    ours = {
        model._meta.label
        for model in apps.get_models()
        if model.__module__.startswith("seethesigns.")
        and model._meta.app_label not in {"content", "stories"}  # published pages and snippets
    }
    assert ours - scheduled - set(NOT_IN_THE_SCHEDULE) == set()
    assert set(NOT_IN_THE_SCHEDULE) <= ours - scheduled  # no stale or doubled names


def test_a_schedule_missing_a_kind_of_record_is_refused(tmp_path: Path):
    data = yaml.safe_load(Path("content/retention.yaml").read_text())
    del data["records"]["screening"]
    path = tmp_path / "retention.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(ImproperlyConfigured, match="missing \\['screening'\\]"):
        load_schedule(path)


def test_the_job_flags_what_is_nearly_due_and_erases_what_is_past_it():
    dsl = User.objects.get(username="demo-dsl")
    old = plant(dsl, date_of_birth=date(2000, 1, 10))  # 25 years end on 10 January 2025
    soon = plant(dsl, first_name="Soon", date_of_birth=date(2000, 4, 1))  # within 90 days
    young = plant(dsl, first_name="Young", date_of_birth=date(2012, 5, 5))
    with time_machine.travel(datetime(2015, 3, 1, 12, tzinfo=LONDON), tick=False):
        training = Completion.objects.create(user=dsl, module="language", score=90)
    entries = AuditEntry.objects.count()

    with time_machine.travel(datetime(2025, 2, 1, 12, tzinfo=LONDON), tick=False):
        dry = _run("--dry-run")
        assert f"would erase child {old.pk}" in dry
        assert f"flag  child {soon.pk}: to be erased on 2025-04-02" in dry
        assert AuditEntry.objects.count() == entries  # a dry run changes nothing
        assert Child.objects.filter(pk=old.pk).exists()

        done = _run()
    assert f"erase child {old.pk}" in done
    assert f"erase training_completion {training.pk}" in done
    assert not Child.objects.filter(pk=old.pk).exists()
    assert not Screening.objects.filter(child_id=old.pk).exists()
    assert not Referral.objects.filter(child_id=old.pk).exists()
    assert not Completion.objects.filter(pk=training.pk).exists()
    assert Child.objects.filter(pk__in=[soon.pk, young.pk]).count() == 2
    # Each erasure is its own audit entry, naming the record by number only; the chain holds.
    erased = AuditEntry.objects.filter(action="dataprotection.erase")
    assert {(e.object_type, e.object_id) for e in erased} >= {
        ("cases.child", str(old.pk)),
        ("training.completion", str(training.pk)),
        ("screening.screening", str(Erasure.objects.filter(record_type="screening")[0].record_id)),
    }
    assert all(e.data["why"] == "retention" and e.actor is None for e in erased)
    run = AuditEntry.objects.filter(action="dataprotection.apply_retention").get()
    assert run.data["erased"]["child"] == 1
    assert run.data["flagged"]["child"] == 1
    assert verify() == []


def test_the_job_erases_a_record_with_its_earlier_labels_and_what_it_matched():
    dsl = User.objects.get(username="demo-dsl")
    with time_machine.travel(datetime(2000, 3, 1, 12, tzinfo=LONDON), tick=False):
        old = do_create_entity(
            {"kind": "vehicle", "label": "NB12 XYZ"}, acting_user=dsl, request=None
        )
        values = {"label": "ZZ99 ZZZ", "place_kind": "", "details": ""}
        do_update_entity(old, old.version, values, acting_user=dsl, request=None)
    matched = Match.objects.filter(Q(entity=old) | Q(other=old))
    [earlier] = old.revisions.all()
    assert matched.count() == 2

    with time_machine.travel(datetime(2025, 6, 1, 12, tzinfo=LONDON), tick=False):
        done = _run()
    # The earlier label is due with its record; the database lets it go only for an erasure.
    assert f"erase record_revision {earlier.pk}" in done
    assert f"erase record {old.pk}" in done
    assert not Entity.objects.filter(pk=old.pk).exists()
    assert not EntityRevision.objects.filter(entity_id=old.pk).exists()
    assert not matched.exists()
    assert Erasure.objects.filter(record_type="record_revision", record_id=str(earlier.pk))
    assert verify() == []


def _tables_only_an_erasure_may_delete_from() -> set[str]:
    """Read from the database: tables whose delete trigger lets an erasure permit through."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname LIKE '%_no_delete' AND encode(t.tgargs, 'escape') LIKE 'true%'"
            )
        else:
            cursor.execute(
                "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE '%_no_delete' AND sql LIKE '%appendonly_permit%'"
            )
        return {name for (name,) in cursor.fetchall()}


def test_an_erasure_holds_a_permit_for_every_append_only_table_it_may_empty():
    assert _tables_only_an_erasure_may_delete_from() == set(APPEND_ONLY)
