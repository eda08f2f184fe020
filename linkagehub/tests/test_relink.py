"""The full re-linkage (linkagehub/relink.py, linkagehub/engine.py) without a Spark cluster: the
snapshot is read back, its rows sorted by block key as Spark's shuffle gives them, and scored by
the same function Spark's Python workers run. `make bench-hub` runs the job on Spark itself."""

import base64
from datetime import timedelta

import pandas as pd  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
from django.core.management import CommandError, call_command
from django.utils import timezone

from linkagehub import engine
from linkagehub.models import AlertEvent, Encoding, Match, ModelParameters
from linkagehub.relink import Found, parameters, reconcile, snapshot
from linkagehub.tests.encodings import item
from pprl.compare import default_parameters
from pprl.schema import KINDS

from .test_protocol import CAR_EF, CAR_NB, PERSON_EF, PERSON_NB


def settled():
    """As if the uploads were made long before the snapshot (relink.MARGIN)."""
    Encoding.objects.update(updated=timezone.now() - timedelta(minutes=30))
    Match.objects.update(created=timezone.now() - timedelta(minutes=30))


def relink_here(tmp_path, kinds=KINDS):
    """The job as Spark runs it, on one machine: snapshot, explode, sort by key, score."""
    since, files = snapshot(tmp_path / "snapshot", kinds)
    rows = []
    for path in files:
        for row in pq.read_table(path).to_pylist():
            rows += [{**row, "block": block} for block in row["blocks"]]
    rows.sort(key=lambda row: (row["kind"], row["block"]))
    batches = [pd.DataFrame(rows[i : i + 3]) for i in range(0, len(rows), 3)]  # keys straddle
    frames = list(engine.matched_pairs(iter(batches), parameters(kinds)))
    found = [
        Found(int(r.a), int(r.b), r.kind, float(r.probability), r.band)
        for frame in frames
        for r in frame.itertuples()
    ]
    return found, reconcile(found, since, kinds)


def upload(northbridge, eastfield):
    northbridge.post(
        "/v1/encodings", {"encodings": [item("vehicle", CAR_NB), item("person", PERSON_NB)]}
    )
    eastfield.post(
        "/v1/encodings", {"encodings": [item("vehicle", CAR_EF), item("person", PERSON_EF)]}
    )


def test_the_snapshot_holds_the_active_partnerships_encodings_and_their_keys(
    northbridge, eastfield, side, tmp_path
):
    upload(northbridge, eastfield)
    gone = side("gone", "Gone Safeguarding Children Partnership")
    gone.post("/v1/encodings", {"encodings": [item("vehicle", CAR_NB)]})
    gone.partnership.active = False
    gone.partnership.save()
    _, files = snapshot(tmp_path, KINDS)
    rows = [row for path in files for row in pq.read_table(path).to_pylist()]
    assert sorted(row["id"] for row in rows) == sorted(
        Encoding.objects.exclude(partnership=gone.partnership).values_list("pk", flat=True)
    )
    car = next(row for row in rows if row["kind"] == "vehicle")
    held = Encoding.objects.get(pk=car["id"])
    assert set(car["blocks"]) == set(held.block_keys.values_list("key", flat=True))
    assert dict(car["fields"])["value"] == base64.b64decode(held.fields["value"])


def test_the_re_linkage_finds_what_arrival_matching_found_and_changes_nothing(
    northbridge, eastfield, tmp_path
):
    upload(northbridge, eastfield)
    settled()
    held = set(Match.objects.filter(withdrawn__isnull=True).values_list("a_id", "b_id"))
    assert len(held) == 2  # the car and the person
    events = AlertEvent.objects.count()
    found, done = relink_here(tmp_path)
    assert {(f.a, f.b) for f in found} == held
    assert (done.raised, done.changed, done.withdrawn) == (0, 0, 0)
    assert AlertEvent.objects.count() == events


def test_new_parameters_raise_and_withdraw_through_the_re_linkage(northbridge, eastfield, tmp_path):
    upload(northbridge, eastfield)
    person = Match.objects.get(kind="person", withdrawn__isnull=True)
    # A prior so low that the person pair falls below "possibly": the re-linkage withdraws it.
    low = default_parameters("person") | {"prior": 1e-30}
    ModelParameters.objects.create(kind="person", parameters=low, set_by="test")
    settled()
    _, done = relink_here(tmp_path)
    assert done.withdrawn == 1
    person.refresh_from_db()
    assert person.withdrawn is not None
    assert AlertEvent.objects.filter(match=person, event="withdrawn").count() == 2  # both sides
    # Back to the shipped ones: raised again, both sides told.
    ModelParameters.objects.all().delete()
    _, done = relink_here(tmp_path)
    assert done.raised == 1
    assert Match.objects.filter(kind="person", withdrawn__isnull=True).count() == 1


def test_an_encoding_changed_since_the_snapshot_is_left_to_its_arrival(northbridge, eastfield):
    upload(northbridge, eastfield)
    car = Match.objects.get(kind="vehicle")
    since = timezone.now() - timedelta(minutes=1)  # the snapshot was older than the encodings
    done = reconcile([], since, KINDS)
    assert done.withdrawn == 0 and Match.objects.get(pk=car.pk).withdrawn is None
    assert car.a_id is not None and car.b_id is not None
    done = reconcile([Found(car.a_id, car.b_id, "vehicle", 0.99, "very_likely")], since, KINDS)
    assert done.skipped == 1 and done.raised == 0


def test_relink_without_pyspark_says_what_it_needs(db, monkeypatch):
    import builtins

    real = builtins.__import__

    def no_pyspark(name, *args, **kwargs):
        if name.startswith("pyspark"):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyspark)
    try:
        call_command("relink", "--master", "spark://127.0.0.1:1")
    except CommandError as error:
        assert "requirements/bench.txt" in str(error)
    else:
        raise AssertionError("relink ran without pyspark")


def test_just_sent_encodings_are_left_to_their_arrival(northbridge, eastfield, tmp_path):
    """An upload stamps its encodings before it commits, and clocks differ: what was sent
    within MARGIN of the snapshot is not raised, changed or withdrawn by the re-linkage."""
    upload(northbridge, eastfield)
    ModelParameters.objects.create(
        kind="person", parameters=default_parameters("person") | {"prior": 1e-30}, set_by="t"
    )
    found, done = relink_here(tmp_path)
    assert done.withdrawn == 0 and done.skipped == len(found)
    assert Match.objects.filter(withdrawn__isnull=True).count() == 2


def test_with_block_keys_left_out_nothing_is_withdrawn(northbridge, eastfield):
    """A live match may share only a key the job left out (arrival matching keeps it)."""
    upload(northbridge, eastfield)
    settled()
    done = reconcile([], timezone.now(), KINDS, complete=False)
    assert done.kept and done.withdrawn == 0
    assert Match.objects.filter(withdrawn__isnull=True).count() == 2
    assert reconcile([], timezone.now(), KINDS).withdrawn == 2  # the same, complete
