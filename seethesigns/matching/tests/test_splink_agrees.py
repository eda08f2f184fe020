"""The online compare() and Splink's batch prediction give the same answer for the same pair."""

import random
from datetime import date

import pytest

from seethesigns.matching import api, estimate, fields
from seethesigns.matching.api import Record

pytestmark = pytest.mark.django_db

FIRST = ["John", "Jon", "Mary", "Steven", "Stephen", "Ali", "Mohammed", "Kyle", "Wayne", "Dwayne"]
LAST = ["Smith", "Smyth", "Brown", "Brawn", "Khan", "Patel", "Walker", "Wlaker"]
ADDRESSES = ["14 Station Rd", "14 station road M14 5AB", "41 Station Road", "9 Mill Lane, M14 5AB"]


def records(count: int, seed: int) -> list[Record]:
    """Records that hit every level of every field, missing values included."""
    rng = random.Random(seed)
    made = []
    for _ in range(count):
        made.append(
            Record(
                names=tuple(
                    f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(rng.randint(0, 2))
                ),
                date_of_birth=rng.choice(
                    [None, date(2000 + rng.randint(0, 9), rng.randint(1, 12), rng.randint(1, 12))]
                ),
                age_low=rng.choice([None, 14, 20]),
                age_high=rng.choice([None, 17, 25]),
                age_on=date(2025, 1, 1),
                sex=rng.choice(["", "male", "female", "not-known"]),
                addresses=tuple(rng.choice(ADDRESSES) for _ in range(rng.randint(0, 2))),
                phones=tuple(
                    rng.choice(["07700900123", "+447700900123", "07700900999"])
                    for _ in range(rng.randint(0, 1))
                ),
                handles=tuple(rng.choice(["@ab", "AB", "cd"]) for _ in range(rng.randint(0, 1))),
                plates=tuple(
                    rng.choice(["AB12CDE", "ab12 cde", "XY1"]) for _ in range(rng.randint(0, 1))
                ),
                nhs_number=rng.choice(["", "9434765919", "4010232137"]),
            )
        )
    return made


@pytest.mark.parametrize("kind", ["person", "child"])
def test_online_and_batch_give_the_same_probability(kind):
    sample = records(150, seed=20)
    params = api.default_parameters(kind)
    params["prior"] = 0.01  # probabilities in the middle, where a difference would show
    frame = estimate.predict(kind, api.splink_rows(enumerate(sample)), params, rules=[])
    assert len(frame) == 150 * 149 // 2  # every pair
    seen_levels: dict[str, set[int]] = {f.name: set() for f in fields.FIELDS[kind]}
    for row in frame.itertuples():
        a, b = sample[row.unique_id_l], sample[row.unique_id_r]
        verdict = api.compare(kind, a, b, params=params)
        assert verdict.weight == pytest.approx(row.match_weight, abs=1e-6), (a, b)
        assert verdict.probability == pytest.approx(row.match_probability, abs=1e-6), (a, b)
        fa, fb = (fields.features(r, date(2025, 6, 1)) for r in (a, b))
        for field in fields.FIELDS[kind]:
            at = fields.level(field, fa, fb)
            seen_levels[field.name].add(-1 if at is None else at)
    # The sample reached the missing level and at least two others of every field.
    for name, levels in seen_levels.items():
        assert -1 in levels and len(levels) >= 3, (name, levels)


@pytest.mark.parametrize("kind", ["person", "child"])
def test_the_batch_bounds_weigh_as_splink_does_or_more(kind):
    """estimate.block() leaves out a pair only when its rough weight, or its exact one, is
    under the floor: the exact one must be Splink's, and the rough one never under it."""
    sample = records(120, seed=21)
    params = api.default_parameters(kind)
    params["prior"] = 0.01
    model = estimate.linker(kind, api.splink_rows(enumerate(sample)), params, rules=[])
    con = model._db_api._con
    weights = model.inference.predict().physical_name
    estimate.scalar_columns(con)
    prior, worded = estimate.bound_terms(kind, params, rough=True, words=True)
    rough, exact = (estimate.bound_sql(kind, params, rough=flag) for flag in (True, False))
    rows = con.execute(
        f"SELECT p.match_weight, {rough}, {exact}, {' + '.join([prior, *worded])}"  # noqa: S608
        f" FROM {weights} p"
        " JOIN records l ON l.unique_id = p.unique_id_l"
        " JOIN records r ON r.unique_id = p.unique_id_r"
    ).fetchall()
    assert len(rows) == 120 * 119 // 2
    for weight, rough_weight, exact_weight, worded_weight in rows:
        assert exact_weight == pytest.approx(weight, abs=1e-9)
        assert rough_weight >= exact_weight - 1e-9
        assert worded_weight >= exact_weight - 1e-9
    # Neither is trivially high: for many pairs each is the weight itself; and names of two
    # words compared word by word are closer to it.
    assert sum(abs(row[1] - row[0]) < 1e-9 for row in rows) > len(rows) / 4
    assert sum(row[3] < row[1] - 1e-9 for row in rows) > 0


@pytest.mark.parametrize("floor", [0.001, 0.02, 0.5])
def test_blocking_with_the_bound_finds_what_splinks_own_blocking_finds(floor):
    """With `wanted` left out, block() keeps every pair over the floor (and Splink scores
    those as its own blocking would)."""
    sample = records(300, seed=22)
    params = api.default_parameters("person")
    rows = api.splink_rows(enumerate(sample))
    plain = estimate.linker("person", [dict(row) for row in rows], params)
    expected = plain.inference.predict(threshold_match_probability=floor).as_pandas_dataframe()
    con = estimate.connection()
    estimate.load(con, rows[:100])
    estimate.load(con, rows[100:])  # in two chunks
    blocked, kept = estimate.block(con, "person", params, floor)
    assert blocked >= kept > 0
    bounded = estimate.linker_on(
        con, "person", params, [estimate.PAIRED_RULE], table_name="records_paired"
    )
    found = bounded.inference.predict(threshold_match_probability=floor).as_pandas_dataframe()
    assert len(expected) > 0

    def listed(frame):
        return sorted(
            (r.unique_id_l, r.unique_id_r, round(r.match_weight, 9)) for r in frame.itertuples()
        )

    assert listed(found) == listed(expected)
    rules = ") OR (".join(estimate.PREDICTION_RULES)
    pairs = "FROM records l JOIN records r ON l.unique_id < r.unique_id"
    union = f"SELECT count(*) {pairs} AND (({rules}))"
    counted = plain._db_api._con.execute(union).fetchall()[0][0]
    assert blocked == counted
