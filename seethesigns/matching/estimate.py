"""Splink 4 on DuckDB: the comparison levels as Splink settings, and the unsupervised estimate.

As Splink's own tutorials do: the prior λ from deterministic rules, u from random pairs, m by
expectation-maximisation over pairs blocked on the date of birth and, separately, on the name's
sound (each pass estimates the fields it does not block on). Imported only when estimating or
predicting in batch: Splink, DuckDB and pyarrow load lazily.
"""

from __future__ import annotations

import contextlib
import logging
import math
import re
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


def bound_sql(kind: str, params: dict[str, Any], *, rough: bool = False) -> str:
    """SQL over a blocked pair (columns `l.x`, `r.x`): the match weight Splink will give the
    pair, or with `rough` one no lower (`bound_terms`, summed)."""
    prior, terms = bound_terms(kind, params, rough=rough)
    return " + ".join([prior, *terms])


def bound_terms(
    kind: str, params: dict[str, Any], *, rough: bool = False, words: bool = False
) -> tuple[str, list[str]]:
    """SQL over a blocked pair (columns `l.x`, `r.x`): the prior's weight, and for each field
    the weight Splink will give it: every level tested as Splink tests it, in the same order.

    `rough`: a weight no lower than that, much cheaper, for every blocked pair (`block()`
    tests the exact weight only on the pairs this lets through): a level that compares
    strings by distance or word by word is taken to hold whenever that would weigh more,
    unless a cheap condition it needs fails (`ROUGH_MAYBE`), and a list of one value is
    compared as that value (`scalar_columns()`). So the rough weight is never under the true
    one, and a pair under it can be left out before Splink scores it. `words` (with `rough`):
    two names of two words each are compared exactly, word by word, as Splink does."""
    prior = params["prior"]
    terms = []
    for field in fields.FIELDS[kind]:
        factors = [
            math.log2(params["m"][field.name][i] / params["u"][field.name][i])
            for i in range(len(field.levels))
        ]
        first = field.columns[0]
        term = (
            f"(CASE WHEN l.{first} IS NULL OR r.{first} IS NULL THEN 0.0"
            f" ELSE {_bound_levels(field.levels, factors, rough)} END)"
        )
        if rough and words and field is fields.NAME:
            term = f"(CASE WHEN {_TWO_WORDS} THEN {_two_word_names(factors)} ELSE {term} END)"
        terms.append(term)
    return _number(math.log2(prior / (1 - prior))), terms


# One name on each side, of two words each: the name levels' lambdas come down to four
# Jaro-Winkler similarities of words (j11: the first word of l with the first of r, ...).
_TWO_WORDS = "NOT l.names__many AND NOT r.names__many AND l.names__words = 2 AND r.names__words = 2"


def _two_word_names(factors: list[float]) -> str:
    """fields.NAME's levels, as Splink tests them, for one name of two words on each side."""
    levels = fields.NAME.levels
    limits = [float(level.sql.rsplit(">=", 1)[1]) if ">=" in level.sql else 0.0 for level in levels]
    if [level.sql for level in levels[2:6]] != [
        f"{fields.NAME_JW} >= {limits[2]}",
        "list_has_any(name_sounds_l, name_sounds_r)",
        f"{fields.NAME_COVER} >= {limits[4]}",
        f"{fields.NAME_WORD} >= {limits[5]}",
    ]:
        raise ValueError("fields.NAME changed: change _two_word_names() with it")

    def j(a: int, b: int) -> str:
        return f"jaro_winkler_similarity(l.names__w{a}, r.names__w{b})"

    cover = (
        f"greatest(least(greatest({j(1, 1)}, {j(1, 2)}), greatest({j(2, 1)}, {j(2, 2)})),"
        f" least(greatest({j(1, 1)}, {j(2, 1)}), greatest({j(1, 2)}, {j(2, 2)})))"
    )
    word = f"greatest({j(1, 1)}, {j(1, 2)}, {j(2, 1)}, {j(2, 2)})"
    tests = [
        "l.names__1 = r.names__1",
        "l.names_sorted__1 = r.names_sorted__1",
        f"jaro_winkler_similarity(l.names__1, r.names__1) >= {limits[2]!r}",
        "l.name_sounds__1 = r.name_sounds__1",
        f"{cover} >= {limits[4]!r}",
        f"{word} >= {limits[5]!r}",
    ]
    whens = " ".join(f"WHEN {t} THEN {_number(f)}" for t, f in zip(tests, factors, strict=False))
    return f"CASE {whens} ELSE {_number(factors[6])} END"


def _bound_levels(levels: tuple[fields.Level, ...], factors: list[float], rough: bool) -> str:
    level, factor = levels[0], _number(factors[0])
    if level.sql == "ELSE":
        return factor
    rest = _bound_levels(levels[1:], factors[1:], rough)
    maybe = ROUGH_MAYBE.get(level.label) if rough else None
    if maybe:
        return f"CASE WHEN {maybe} THEN greatest({factor}, {rest}) ELSE {rest} END"
    condition = _one_value(level.sql) if rough else level.sql
    if rough and (_costly(level.sql) or _dear(condition)):
        return f"greatest({factor}, {rest})"
    return f"CASE WHEN {_sides(condition)} THEN {factor} ELSE {rest} END"


def _costly(sql: str) -> bool:
    """Every word against every word (`string_split`): too dear for every blocked pair."""
    return "string_split" in sql


def _dear(sql: str) -> bool:
    """A string distance (about 0.4 µs a call) or a lambda."""
    return any(word in sql for word in ("jaro_winkler", "damerau", "->"))


# Cheap conditions that hold whenever the level does, for the rough bound (columns made by
# scalar_columns()).
ROUGH_MAYBE = {
    # One slip in two dates written YYYY-MM-DD (a digit, or two side by side swapped) is in
    # the year, the month or the day, and leaves the other two as they were.
    "one character off, or day and month swapped": "(l.dob__md = r.dob__md"
    " OR (l.dob__year = r.dob__year AND (l.dob__month = r.dob__month OR l.dob__day = r.dob__day"
    " OR (l.dob__month = r.dob__day AND l.dob__day = r.dob__month))))",
    # Only addresses whose house numbers fit are compared by Jaro-Winkler.
    "house numbers fit, a slip apart": "(l.addresses__many OR r.addresses__many"
    " OR l.addresses__number = r.addresses__number OR l.addresses__number = ''"
    " OR r.addresses__number = '')",
}
_PAIRING = re.compile(
    r"list_max\(list_transform\((\w+)_l, x -> list_max\(list_transform\((\w+)_r, y -> (.*)\)\)\)\)"
)
_ANY = re.compile(r"list_has_any\((\w+)_l, (\w+)_r\)")


def _one_value(sql: str) -> str:
    """A level's condition for a pair whose lists (those it reads) hold one value each, as
    plain comparisons of those values (`<column>__1`), which cost a fraction of the lists';
    the lists as they are for any other pair."""
    used = sorted({c for c in LIST_COLUMNS if re.search(rf"\b{c}_[lr]\b", sql)})
    if not used:
        return sql
    scalar = _ANY.sub(r"(\1__1_l = \2__1_r)", sql)
    found = _PAIRING.search(scalar)
    if found:
        left, right, inner = found.groups()
        inner = re.sub(r"\bx\b", f"{left}__1_l", inner)
        inner = re.sub(r"\by\b", f"{right}__1_r", inner)
        scalar = scalar[: found.start()] + f"({inner})" + scalar[found.end() :]
    if "->" in scalar:
        return sql
    many = " OR ".join(f"{c}__many_l OR {c}__many_r" for c in used)
    return f"(CASE WHEN {many} THEN {sql} ELSE {scalar} END)"


def scalar_columns(con: Any) -> None:
    """Give `records` what the rough bound compares: each list's first value (`<column>__1`)
    and whether it holds more than one (`<column>__many`), the first address's house number,
    the year, month and day of the date of birth."""
    added = ", ".join(
        f"{c}[1] AS {c}__1, coalesce(len({c}), 0) > 1 AS {c}__many" for c in sorted(LIST_COLUMNS)
    )
    con.execute(
        f"CREATE OR REPLACE TABLE records AS SELECT *, {added},"  # noqa: S608  # nosec B608
        " split_part(addresses[1], '|', 1) AS addresses__number,"
        " substr(dob, 1, 4) AS dob__year, substr(dob, 6, 2) AS dob__month,"
        " substr(dob, 9, 2) AS dob__day, substr(dob, 6, 5) AS dob__md,"
        " string_split(names[1], ' ')[1] AS names__w1, string_split(names[1], ' ')[2] AS names__w2,"
        " len(string_split(names[1], ' ')) AS names__words FROM records"
    )


_SIDES = re.compile(
    r"\b("
    + "|".join(
        [
            *fields.COLUMNS,
            *(f"{c}__1" for c in LIST_COLUMNS),
            *(f"{c}__many" for c in LIST_COLUMNS),
        ]
    )
    + r")_([lr])\b"
)


def _sides(sql: str) -> str:
    """A level's condition on `name_l`, `name_r` as a blocking rule's `l.name`, `r.name`."""
    return _SIDES.sub(r"\2.\1", sql)


def _number(value: float) -> str:
    return f"CAST({value!r} AS DOUBLE)"


def block(
    con: Any, kind: str, params: dict[str, Any], floor: float, wanted: float | None = None
) -> tuple[int, int]:
    """Block the `records` table (`load()`) as Splink would with the prediction rules (each
    pair once, under the first rule that finds it), but keep in `records_paired` only the
    pairs whose bound (`bound_terms`) reaches the weight of probability `wanted`, or reaches
    that of `floor` with no field's bound against the pair (under a Bayes factor of one).
    Every pair Splink would put over `wanted`, and every pair over `floor` on which no field
    disagrees, is among them. (pairs the rules block, pairs kept)

    Splink's own blocking tests a rule's whole condition again for each later rule, so a bound
    written into every rule would be worked out a dozen times a pair; here it is worked out
    once. The kept pairs reach Splink as an exploded key (`pair_keys`, see `PAIRED_RULE`)."""
    low, high = con.execute("SELECT min(unique_id), max(unique_id) FROM records").fetchall()[0]
    if low is not None and not (low >= 0 and high < 2**31):
        raise ValueError("block() needs unique ids from 0 to 2^31 - 1")
    scalar_columns(con)

    def weight(probability: float) -> str:  # a hair under: rounding drops no pair
        return _number(math.log2(probability / (1 - probability)) - 1e-6)

    def keeps(prior: str, columns: list[str]) -> str:
        total = " + ".join([prior, *columns])
        return (
            f"{total} >= {weight(floor)} AND ({total} >= {weight(wanted or floor)}"
            f" OR least({', '.join(columns)}) >= -1e-9)"
        )

    def keeping(kept: str, ids: str, source: str, rough: bool) -> str:
        prior, terms = bound_terms(kind, params, rough=rough)
        named = ", ".join(f"{term} AS f{n}" for n, term in enumerate(terms))
        columns = [f"f{n}" for n in range(len(terms))]
        chosen = f"SELECT {ids}, {named} {source}"
        if rough:
            # Names word by word only for the pairs the rough weight lets by: their columns
            # go along (as l__x, r__x) to the query around.
            _, worded = bound_terms(kind, params, rough=True, words=True)
            carried = sorted(set(re.findall(r"\b[lr]\.(\w+)", worded[0])))
            carry = ", ".join(f"{side}.{c} AS {side}__{c}" for side in "lr" for c in carried)
            chosen = f"SELECT {ids}, {named}, {carry} {source}"
            words = re.sub(r"\b([lr])\.(\w+)", r"\1__\2", worded[0])
            chosen = (
                f"SELECT a, b, {words} AS f0, {', '.join(columns[1:])}"  # noqa: S608  # nosec B608
                f" FROM ({chosen}) WHERE {keeps(prior, columns)}"
            )
        return (
            f"INSERT INTO {kept} SELECT a, b FROM ({chosen})"  # noqa: S608  # nosec B608
            f" WHERE {keeps(prior, columns)}"
        )

    con.execute("CREATE OR REPLACE TEMP TABLE rough_pairs (a BIGINT, b BIGINT)")
    blocked = 0
    for n, rule in enumerate(PREDICTION_RULES):
        earlier = "".join(f" AND NOT coalesce(({r}), false)" for r in PREDICTION_RULES[:n])
        pairs = f"FROM records l JOIN records r ON {rule} WHERE l.unique_id < r.unique_id{earlier}"
        blocked += con.execute(f"SELECT count(*) {pairs}").fetchall()[0][0]  # nosec B608
        # The rough bound settles most pairs cheaply; the exact one only sees what it lets by.
        con.execute(keeping("rough_pairs", "l.unique_id AS a, r.unique_id AS b", pairs, True))
    con.execute("CREATE OR REPLACE TEMP TABLE kept_pairs (a BIGINT, b BIGINT)")
    joined = (
        "FROM rough_pairs p JOIN records l ON l.unique_id = p.a JOIN records r ON r.unique_id = p.b"
    )
    con.execute(keeping("kept_pairs", "p.a AS a, p.b AS b", joined, False))
    kept = con.execute("SELECT count(*) FROM kept_pairs").fetchall()[0][0]
    # Each kept pair's key, held by both its records: a unique id below 2^31 (checked) times
    # 2^32 plus the other's.
    con.execute(
        "CREATE OR REPLACE TABLE records_paired AS SELECT records.*, keys.pair_keys"
        " FROM records LEFT JOIN (SELECT id, list(key) AS pair_keys FROM ("
        " SELECT a AS id, a * 4294967296 + b AS key FROM kept_pairs"
        " UNION ALL SELECT b, a * 4294967296 + b FROM kept_pairs) GROUP BY id) AS keys"
        " ON records.unique_id = keys.id"
    )
    con.execute("DROP TABLE kept_pairs")
    con.execute("DROP TABLE rough_pairs")
    return int(blocked), int(kept)


# Splink's blocking over `records_paired`: two records meet when they hold the same pair key.
PAIRED_RULE = {"blocking_rule": "l.pair_keys = r.pair_keys", "arrays_to_explode": ["pair_keys"]}


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
    con = connection()
    load(con, rows)
    return linker_on(con, kind, params, rules)


def load(con: Any, rows: list[dict[str, Any]]) -> None:
    """Add `rows` (`api.splink_rows()`) to the connection's `records` table (made if new):
    a large source goes in a chunk at a time, each chunk's Arrow copy dropped once it is in."""
    con.register("records_arrow", table(rows))
    try:
        exists = con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'records'"
        ).fetchall()[0][0]
        if exists:
            con.execute("INSERT INTO records SELECT * FROM records_arrow")
        else:
            con.execute("CREATE TABLE records AS SELECT * FROM records_arrow")
    finally:
        con.unregister("records_arrow")


def linker_on(
    con: Any,
    kind: str,
    params: dict[str, Any],
    rules: list[Any] | None = None,
    *,
    table_name: str = "records",
    gammas: bool = False,
) -> Any:
    """A Splink Linker over a table already in `con` (`load()`); `gammas` keeps each field's
    level (`gamma_<field>`) in the prediction."""
    from splink import DuckDBAPI, Linker

    chosen = settings(kind, params)
    if rules is not None:
        chosen["blocking_rules_to_generate_predictions"] = rules
    chosen["retain_intermediate_calculation_columns"] = gammas
    return Linker(table_name, chosen, db_api=DuckDBAPI(connection=con))


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
