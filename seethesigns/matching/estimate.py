"""Splink 4 on DuckDB: the comparison levels as Splink settings, and the unsupervised estimate.

As Splink's own tutorials do: the prior λ from deterministic rules, u from random pairs, m by
expectation-maximisation over pairs blocked on the date of birth and, separately, on the name's
sound (each pass estimates the fields it does not block on). Imported only when estimating or
predicting in batch: Splink, DuckDB and pyarrow load lazily.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable
from typing import Any

from seethesigns.matching import fields

logger = logging.getLogger(__name__)
logging.getLogger("splink").setLevel(logging.ERROR)  # its progress lines would flood the logs

LIST_COLUMNS = {"names", "names_sorted", "name_sounds", "addresses", "streets", "postcodes"}
LIST_COLUMNS |= {"phones", "handles", "plates"}
BLOCKING_COLUMNS = (
    "name_key",
    "first_key",
    "last_key",
    "name_prefix",
    "birth_year",
    "address_key",
    "postcode",
    "phone",
    "handle",
    "plate",
)

# Pairs the batch compares: any of these in common (people's batch may add its own).
PREDICTION_RULES = [
    "l.dob = r.dob",
    "l.first_key = r.first_key AND l.last_key = r.last_key",
    "l.first_key = r.last_key AND l.last_key = r.first_key",
    "l.name_prefix = r.name_prefix",
    "l.last_key = r.last_key AND l.birth_year = r.birth_year",
    "l.first_key = r.first_key AND l.birth_year = r.birth_year",
    "l.address_key = r.address_key",
    "l.postcode = r.postcode",
    "l.phone = r.phone",
    "l.handle = r.handle",
    "l.plate = r.plate",
    "l.nhs = r.nhs",
]
# Pairs surely the same, for the prior: the same date of birth and the same sounding name.
DETERMINISTIC_RULES = [
    "l.dob = r.dob AND l.name_key = r.name_key",
    "l.nhs = r.nhs",
    "l.phone = r.phone AND l.name_key = r.name_key",
]
# No level is ever taken as impossible among true matches: EM on a partnership's records can
# see no pair of one person with two phone numbers, and would then let one phone rule a match out.
M_FLOOR = 0.001
EM_RULES = ["l.dob = r.dob", "l.name_key = r.name_key"]


def settings(kind: str, params: dict[str, Any]) -> dict[str, Any]:
    comparisons = []
    for field in fields.FIELDS[kind]:
        first = field.columns[0]
        levels: list[dict[str, Any]] = [
            {
                "sql_condition": f"{first}_l IS NULL OR {first}_r IS NULL",
                "label_for_charts": "missing",
                "is_null_level": True,
            }
        ]
        for i, level in enumerate(field.levels):
            levels.append(
                {
                    "sql_condition": level.sql,
                    "label_for_charts": level.label,
                    "m_probability": params["m"][field.name][i],
                    "u_probability": params["u"][field.name][i],
                    "fix_m_probability": level.fixed_m,
                }
            )
        comparisons.append(
            {
                "output_column_name": field.name,
                "comparison_description": field.words,
                "comparison_levels": levels,
            }
        )
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": params["prior"],
        "comparisons": comparisons,
        "blocking_rules_to_generate_predictions": list(PREDICTION_RULES),
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": False,
        "additional_columns_to_retain": [],
    }


def connection() -> Any:
    """A DuckDB connection the levels' SQL runs on (its `x -> …` lambdas)."""
    import duckdb

    con = duckdb.connect()
    with contextlib.suppress(duckdb.Error):  # older DuckDB: the arrow is the only syntax
        con.execute("SET lambda_syntax = 'ENABLE_SINGLE_ARROW'")
    return con


def table(rows: list[dict[str, Any]]) -> Any:
    """`api.splink_rows()` plus the blocking columns, as a typed Arrow table (a column all
    missing keeps its type)."""
    import pyarrow as pa  # type: ignore[import-untyped]

    for row in rows:
        row.update(blocking_columns(row))
    types: dict[str, Any] = {"unique_id": pa.int64()}
    for column in fields.COLUMNS + BLOCKING_COLUMNS:
        types[column] = pa.list_(pa.string()) if column in LIST_COLUMNS else pa.string()
    return pa.Table.from_pylist(rows, schema=pa.schema(list(types.items())))


def blocking_columns(row: dict[str, Any]) -> dict[str, str | None]:
    """One value per blocking column (the main name, the first address, phone...)."""
    from seethesigns.matching.api import name_sound_keys

    names = row["names"] or []
    words = name_sound_keys(names[0]) if names else []

    def first(column: str) -> str | None:
        return (row[column] or [None])[0]

    return {
        "name_key": (row["name_sounds"] or [None])[0],
        "first_key": words[0] if words else None,
        "last_key": words[-1] if len(words) > 1 else None,
        "name_prefix": _prefix(names[0]) if names else None,
        "birth_year": row["birth_lo"][:4] if row["dob"] else None,
        "address_key": first("streets"),
        "postcode": first("postcodes"),
        "phone": first("phones"),
        "handle": first("handles"),
        "plate": first("plates"),
    }


def _prefix(name: str) -> str | None:
    """The first three letters of the first and last words, in alphabetical order, so a slip
    late in either word, or the two swapped, keeps the pair together: "jak|wes"."""
    words = name.split()
    if len(words) < 2:
        return None
    return "|".join(sorted((words[0][:3], words[-1][:3])))


def linker(
    kind: str,
    rows: list[dict[str, Any]],
    params: dict[str, Any],
    rules: list[str] | None = None,
) -> Any:
    """A Splink Linker over `rows` (`api.splink_rows()`) in a DuckDB of its own; `rules` replace
    the prediction's blocking rules ([] compares every pair: small sets only)."""
    from splink import DuckDBAPI, Linker

    con = connection()
    records = table(rows)
    con.register("records_arrow", records)
    con.execute("CREATE TABLE records AS SELECT * FROM records_arrow")
    chosen = settings(kind, params)
    if rules is not None:
        chosen["blocking_rules_to_generate_predictions"] = rules
    return Linker("records", chosen, db_api=DuckDBAPI(connection=con))


def predict(
    kind: str,
    rows: list[dict[str, Any]],
    params: dict[str, Any],
    rules: list[str] | None = None,
    threshold: float | None = None,
) -> Any:
    """Splink's batch prediction: a pandas frame of unique_id_l, unique_id_r, match_weight,
    match_probability (and gamma_<field>, the level, -1 for missing) for the blocked pairs."""
    model = linker(kind, rows, params, rules)
    return model.inference.predict(threshold_match_probability=threshold).as_pandas_dataframe()


def estimate(
    kind: str, records: Iterable[Any], *, max_pairs: float = 2e6, seed: int = 2026
) -> tuple[dict[str, Any], int, int]:
    """(parameters, records read, pairs compared by EM) estimated from `records` (api.Record)."""
    from seethesigns.matching import api

    rows = api.splink_rows(enumerate(records))
    if len(rows) < 2:
        raise ValueError("at least two records are needed to estimate the model")
    start = api.default_parameters(kind)
    model = linker(kind, rows, start)
    model.training.estimate_probability_two_random_records_match(DETERMINISTIC_RULES, recall=0.8)
    model.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)
    pairs = 0
    for rule in EM_RULES:
        pairs += _count(model, rule)
        try:
            model.training.estimate_parameters_using_expectation_maximisation(
                rule, fix_u_probabilities=True
            )
        except Exception as error:  # too few pairs for a pass: keep the others
            logger.warning("EM pass %r skipped: %s", rule, type(error).__name__)
    return from_splink(kind, model.misc.save_model_to_json(), start), len(rows), pairs


def _count(model: Any, rule: str) -> int:
    from splink.blocking_analysis import count_comparisons_from_blocking_rule

    counted = count_comparisons_from_blocking_rule(
        table_or_tables="records",
        blocking_rule=rule,
        link_type="dedupe_only",
        db_api=model._db_api,
    )
    return int(counted["number_of_comparisons_to_be_scored_post_filter_conditions"])


def from_splink(kind: str, splink_json: dict[str, Any], fallback: dict[str, Any]) -> dict[str, Any]:
    """Splink's trained settings as our parameters. A level Splink could not estimate (never
    seen in the data) keeps its fallback value; every probability stays inside (0, 1)."""
    prior = splink_json.get("probability_two_random_records_match")
    if not isinstance(prior, (int, float)) or not 0 < prior < 1:
        prior = fallback["prior"]  # too few records to tell: the shipped prior stands
    params: dict[str, Any] = {"prior": float(prior)}
    params["m"], params["u"] = {}, {}
    by_name = {c["output_column_name"]: c for c in splink_json["comparisons"]}
    for field in fields.FIELDS[kind]:
        if field.name not in by_name:  # Splink left out a field the records never fill
            params["m"][field.name] = list(fallback["m"][field.name])
            params["u"][field.name] = list(fallback["u"][field.name])
            continue
        levels = [
            lv for lv in by_name[field.name]["comparison_levels"] if not lv.get("is_null_level")
        ]
        for key in ("m", "u"):
            values = []
            for i, level in enumerate(levels):
                value = level.get(f"{key}_probability")
                if not isinstance(value, (int, float)) or not 0 < value < 1:
                    value = fallback[key][field.name][i]
                low = M_FLOOR if key == "m" else 1e-9
                values.append(min(max(float(value), low), 1 - 1e-9))
            params[key][field.name] = values
    return params
