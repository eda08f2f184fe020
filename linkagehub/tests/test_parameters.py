"""The hub scores with the parameters its operator set (`set_parameters`), else the shipped ones."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from linkagehub.models import Match, ModelParameters
from linkagehub.tests.encodings import item
from pprl.compare import default_parameters

# Only a name and sex in common: 0.40 with the shipped prior (1 in 10,000), below "possibly".
NAME_ONLY = {"names": ("Jordan Smith",), "sex": "male"}
# Name, sex and date of birth: 0.9994 with the shipped prior, "very likely".
NAME_AND_DOB = {**NAME_ONLY, "date_of_birth": "1999-04-02"}


def with_prior(prior, kind="person"):
    params = default_parameters(kind)
    params["prior"] = prior
    return params


def set_parameters(tmp_path, params, *extra, kind="person"):
    path = tmp_path / f"{kind}.json"
    path.write_text(json.dumps(params))
    out = io.StringIO()
    call_command("set_parameters", f"--kind={kind}", f"--file={path}", *extra, stdout=out)
    return out.getvalue()


def bands(side):
    response = side.get("/v1/alerts?after=0")
    assert response.status_code == 200, response.content
    return [(a["event"], a["strength"]) for a in response.json()["alerts"]]


def send_both(northbridge, eastfield, identifiers):
    northbridge.post("/v1/encodings", {"encodings": [item("person", identifiers)]})
    eastfield.post("/v1/encodings", {"encodings": [item("person", identifiers)]})


def test_with_no_parameters_set_the_shipped_ones_decide(northbridge, eastfield):
    send_both(northbridge, eastfield, NAME_ONLY)
    assert bands(northbridge) == bands(eastfield) == []


def test_a_higher_prior_set_by_the_operator_raises_a_pair_the_shipped_ones_do_not(
    northbridge, eastfield, tmp_path
):
    set_parameters(tmp_path, with_prior(0.01))
    send_both(northbridge, eastfield, NAME_ONLY)
    assert bands(northbridge) == bands(eastfield) == [("raised", "very_likely")]
    assert Match.objects.get().probability > 0.95


def test_a_lower_prior_set_by_the_operator_keeps_a_pair_the_shipped_ones_raise(
    northbridge, eastfield, tmp_path
):
    send_both(northbridge, eastfield, NAME_AND_DOB)
    assert bands(eastfield) == [("raised", "very_likely")]  # the shipped ones
    set_parameters(tmp_path, with_prior(1e-9))
    send_both(northbridge, eastfield, {**NAME_AND_DOB, "names": ("Sam Jones",)})
    assert bands(eastfield) == [("raised", "very_likely")]  # nothing new for the second pair
    assert Match.objects.count() == 1


def test_the_newest_parameters_of_the_kind_are_used(northbridge, eastfield, tmp_path):
    set_parameters(tmp_path, with_prior(0.01))
    set_parameters(tmp_path, with_prior(0.0001))  # back to the shipped prior
    set_parameters(tmp_path, with_prior(0.5, "child"), kind="child")  # another kind's
    send_both(northbridge, eastfield, NAME_ONLY)
    assert bands(northbridge) == []


def test_rematch_scores_what_the_hub_holds_with_the_new_parameters(
    northbridge, eastfield, tmp_path
):
    send_both(northbridge, eastfield, NAME_ONLY)
    assert bands(northbridge) == []
    said = set_parameters(tmp_path, with_prior(0.01), "--rematch")
    assert "Scored 2 held person encodings again: 1 matches" in said
    assert bands(northbridge) == bands(eastfield) == [("raised", "very_likely")]
    said = set_parameters(tmp_path, with_prior(0.0001), "--rematch")
    assert "1 matches raised, changed or withdrawn" in said
    assert bands(northbridge)[-1] == ("withdrawn", "very_likely")
    assert Match.objects.get().withdrawn is not None


def test_set_parameters_keeps_who_when_and_whose(tmp_path, db):
    said = set_parameters(
        tmp_path, with_prior(0.002), "--source=Northbridge's estimate of 2026-12-01", "--by=ops"
    )
    assert "Set the person parameters (prior 0.002 for 10,000 records" in said and "by ops" in said
    kept = ModelParameters.objects.get()
    assert (kept.kind, kept.set_by, kept.source) == (
        "person",
        "ops",
        "Northbridge's estimate of 2026-12-01",
    )
    assert kept.set_at is not None and kept.parameters == with_prior(0.002)


def test_parameters_that_no_longer_fit_are_skipped(northbridge, eastfield, tmp_path):
    """A row from before an upgrade that changed a field's levels: the shipped ones decide."""
    stale = with_prior(0.01)
    stale["m"]["name"] = stale["m"]["name"][:-1]
    ModelParameters.objects.create(kind="person", parameters=stale, set_by="ops")
    send_both(northbridge, eastfield, NAME_ONLY)
    assert bands(northbridge) == []


def _without(params, which, field):
    del params[which][field]
    return params


BAD = [
    ("not json", "{prior: 0.1", "is not JSON"),
    ("a list", "[0.1]", "must be a JSON object"),
    ("no u", json.dumps({k: v for k, v in with_prior(0.1).items() if k != "u"}),
     "exactly prior, m and u (missing u)"),
    ("an extra key", json.dumps({**with_prior(0.1), "pairs": 5}), "(unknown pairs)"),
    ("prior 1", json.dumps(with_prior(1)), "prior must be a number above 0 and below 1"),
    ("prior text", json.dumps(with_prior("0.1")), "prior must be a number"),
    ("prior true", json.dumps(with_prior(True)), "prior must be a number"),
    ("a field missing", json.dumps(_without(with_prior(0.1), "m", "plate")),
     "m must have the person fields name, dob, sex, address, phone, handle, plate (missing plate)"),
    ("a child's field", json.dumps(default_parameters("child")), "unknown nhs"),
    ("a level short",
     json.dumps({**with_prior(0.1), "u": {**with_prior(0.1)["u"], "dob": [0.5, 0.5]}}),
     "u['dob'] must be a list of 6 probabilities"),
    ("a zero u",
     json.dumps({**with_prior(0.1), "u": {**with_prior(0.1)["u"], "sex": [0.5, 0]}}),
     "u['sex'] must hold numbers above 0 and at most 1"),
    ("NaN", json.dumps(with_prior(float("nan"))), "prior must be a number"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "text", "message"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_parameters_file_is_refused_with_a_message(tmp_path, db, case, text, message):
    path = tmp_path / "params.json"
    path.write_text(text)
    with pytest.raises(CommandError, match=r"cannot be used for person|is not JSON") as refused:
        call_command("set_parameters", "--kind=person", f"--file={path}")
    assert message in str(refused.value)
    assert not ModelParameters.objects.exists()


def test_a_missing_file_or_a_kind_without_parameters_is_refused(tmp_path, db):
    with pytest.raises(CommandError, match=r"cannot read .*nothing\.json"):
        call_command("set_parameters", "--kind=person", f"--file={tmp_path / 'nothing.json'}")
    path = tmp_path / "params.json"
    path.write_text(json.dumps(with_prior(0.1)))
    with pytest.raises(CommandError, match="invalid choice: 'vehicle'"):
        call_command("set_parameters", "--kind=vehicle", f"--file={path}")
    assert not ModelParameters.objects.exists()


def test_the_prior_falls_as_the_hub_holds_more_than_it_was_made_for(
    northbridge, eastfield, tmp_path, monkeypatch
):
    """With a national store, one partnership's prior would raise a wrong alert for every right
    one (docs/linkage-hub.md): the prior is scaled from the records it was made for to what the
    hub holds. A name, sex and date of birth in common is "very likely" among 10,000 records,
    not among 10 million."""
    from linkagehub import matching

    assert matching.parameters("person") == default_parameters("person")  # a small hub
    monkeypatch.setattr(matching, "held", lambda kind: 10_000_000)
    assert (matching.parameters("person") or {})["prior"] == pytest.approx(
        1e-4 * 10_000 / 10_000_000
    )
    send_both(northbridge, eastfield, NAME_AND_DOB)
    assert bands(northbridge) == bands(eastfield) == [("raised", "possibly")]
    # An estimate made on 5 million records is scaled by half, and says so when set.
    said = set_parameters(tmp_path, {**with_prior(0.002), "records": 5_000_000})
    assert "for 5,000,000 records" in said
    assert ModelParameters.objects.get().records == 5_000_000
    assert (matching.parameters("person") or {})["prior"] == pytest.approx(0.001)
    said = set_parameters(tmp_path, with_prior(0.002), "--records=20000000")
    assert (matching.parameters("person") or {})["prior"] == pytest.approx(0.002)  # never raised
    said = set_parameters(tmp_path, with_prior(0.002))
    assert "the shipped figure: none given" in said


def test_the_count_of_what_is_held_is_kept_for_a_few_minutes(northbridge, monkeypatch):
    from linkagehub import matching

    monkeypatch.setattr(matching, "_HELD", {})
    assert matching.held("vehicle") == 0
    northbridge.post("/v1/encodings", {"encodings": [item("vehicle", {"value": "AB12CDE"})]})
    assert matching.held("vehicle") == 0  # counted a moment ago
    monkeypatch.setattr(matching, "HELD_SECONDS", -1)
    assert matching.held("vehicle") == 1


@pytest.mark.parametrize("records", [0, -5, "many", 10, 2**31, True])
def test_a_bad_records_figure_is_refused(tmp_path, db, records):
    with pytest.raises(CommandError, match="a slip of a few noughts"):
        set_parameters(tmp_path, {**with_prior(0.002), "records": records})
    assert not ModelParameters.objects.exists()
