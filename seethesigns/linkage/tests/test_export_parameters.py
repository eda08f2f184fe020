"""`manage.py export_matching_parameters`: what the partnership gives the linkage hub's operator."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from pprl import compare
from pprl.compare import check_parameters
from seethesigns.matching import api
from seethesigns.matching.models import MatchingModel
from seethesigns.network.batch import SHIPPED_FOR

pytestmark = pytest.mark.django_db


def export(kind: str) -> tuple[object, str]:
    """The parameters printed, without "records" (checked apart), and what went to stderr."""
    printed, said = export_with_records(kind)
    assert isinstance(printed, dict)
    printed.pop("records")
    return printed, said


def export_with_records(kind: str) -> tuple[object, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("export_matching_parameters", f"--kind={kind}", stdout=out, stderr=err)
    return json.loads(out.getvalue()), err.getvalue()


@pytest.fixture(autouse=True)
def _fresh_parameters():
    api.forget_parameters()
    yield
    api.forget_parameters()


def test_without_an_estimate_it_prints_the_shipped_defaults_and_says_so():
    printed, said = export("person")
    assert printed == api.parameters("person") == api.default_parameters("person")
    assert "No usable person estimate" in said


@pytest.mark.parametrize("kind", api.KINDS)
def test_it_prints_the_newest_estimate_as_api_parameters_gives_it(kind):
    estimate = api.default_parameters(kind)
    estimate["prior"] = 0.0042
    estimate["m"]["sex"] = [0.9, 0.1]
    MatchingModel.objects.create(kind=kind, parameters=estimate, records=1234, pairs=56789)
    printed, said = export(kind)
    assert printed == api.parameters(kind) == estimate
    assert f"The {kind} estimate of " in said and "1,234 records and 56,789 pairs" in said
    # What the hub's set_parameters checks it against.
    assert check_parameters(kind, printed) == estimate


def test_an_estimate_that_no_longer_fits_is_not_exported():
    MatchingModel.objects.create(kind="child", parameters={"prior": 0.1, "m": {}, "u": {}})
    printed, said = export("child")
    assert printed == api.default_parameters("child")
    assert "No usable child estimate" in said


def test_a_kind_without_a_model_is_refused():
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("export_matching_parameters", "--kind=vehicle")


def test_it_says_how_many_records_the_prior_was_made_for():
    """The hub scales the prior from it to what it holds (pprl.compare.for_size)."""
    assert export_with_records("person")[0]["records"] == SHIPPED_FOR  # type: ignore[index]
    MatchingModel.objects.create(
        kind="person", parameters=api.default_parameters("person") | {"prior": 0.002},
        records=48_000, pairs=1,
    )  # fmt: skip
    assert export_with_records("person")[0]["records"] == 48_000  # type: ignore[index]
    assert SHIPPED_FOR == compare.SHIPPED_FOR  # the hub's figure for the shipped prior
