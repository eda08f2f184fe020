"""The model's parameters are estimated from the records themselves (no labels), kept, and used."""

import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from seethesigns.matching import api, fields
from seethesigns.matching.models import MatchingModel

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))
from records import generated_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def sources():
    """A source registered the way network and children register theirs in AppConfig.ready()."""
    saved = dict(api._sources)
    api._sources.clear()  # only this test's source: not the ones the apps registered
    people = [r for _, r in generated_people("person", 1500, seed=7)]
    api.register_source("person", lambda: iter(people))
    yield people
    api._sources.clear()
    api._sources.update(saved)


def test_estimation_recovers_sensible_parameters(sources):
    from seethesigns.matching import estimate

    params, count, pairs = estimate.estimate("person", sources)
    assert count == 1500 and pairs > 0
    assert 0 < params["prior"] < 0.01
    for field in fields.FIELDS["person"]:
        m, u = params["m"][field.name], params["u"][field.name]
        assert all(0 < p < 1 for p in m + u)
        # The closest level is more common among true matches than among random pairs (far
        # more, for a field that tells people apart), and the furthest ("different") less.
        assert m[0] > (1 if field.name == "sex" else 10) * u[0], field.name
        assert m[-1] < u[-1], field.name
    name, dob = params["m"]["name"], params["m"]["dob"]
    assert name[0] > 0.3 and dob[0] > 0.3  # most repeats keep the name and date of birth


def test_the_command_stores_an_estimate_that_compare_then_uses(sources):
    out = StringIO()
    call_command("estimate_matching", "--kind", "person", stdout=out)
    stored = MatchingModel.objects.get(kind="person")
    assert stored.records == 1500 and stored.pairs > 0
    assert "person: estimated from 1,500 records" in out.getvalue()
    assert api.parameters("person") == stored.parameters
    assert api.parameters("person") != api.default_parameters("person")
    # What it prints says nothing a record says.
    assert not any(name.split()[-1] in out.getvalue() for r in sources for name in r.names)


def test_the_command_without_a_source(sources):
    out = StringIO()
    call_command("estimate_matching", stdout=out)  # both kinds: the child one is skipped
    assert "child: no source registered, skipped" in out.getvalue()
    api._sources.pop("person")
    with pytest.raises(CommandError):
        call_command("estimate_matching", "--kind", "person")


def test_an_estimate_for_other_fields_is_not_used():
    MatchingModel.objects.create(kind="child", parameters={"prior": 0.1, "m": {}, "u": {}})
    assert api.parameters("child") == api.default_parameters("child")


def test_a_kind_must_be_known():
    with pytest.raises(ValueError, match="kind"):
        api.register_source("place", list)
