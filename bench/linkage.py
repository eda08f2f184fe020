"""Linkage through the encodings against plain text, on the same records: precision and recall.

    python bench/linkage.py            # the generated people and children, then FEBRL3
    python bench/linkage.py febrl      # FEBRL3 only
    python bench/linkage.py generated  # the generated set only (MATCHING_RECORDS, 10,000)
    python bench/linkage.py exposure   # what the hub can count, a frequency attack, and how
                                       # close it can place dates of birth (fast)

Plain text is the product's model, exactly as bench/matching.py runs it: estimated on the set
itself (unsupervised, Splink on DuckDB), then every blocked pair scored by Splink. Through the
encodings: each record is encoded with a key (`pprl.encode`), and the encodings are scored by
`pprl.compare` with the same parameters (a partnership estimates them on its own records and
shares them with the others; the hub needs no plain value for them), on two sets of pairs:
- "same pairs": the pairs plain text compared (so the comparison alone is measured);
- "own blocks": the pairs sharing one of the encodings' own keyed block keys (what the hub does);
- "shipped defaults": the own blocks scored with pprl's shipped parameters instead of the set's
  estimate (what a hub does until its operator sets parameters), to show what setting them buys.
A pair "should match" when both records were written for one person; it is found at a threshold
when its probability reaches it. Also printed: how often each field's level through the
encodings is the level plain text gives (the Dice thresholds in pprl/compare.py are tuned on it),
and what the hub could count on one field's encodings (docs/linkage-hub.md, "Attacks on the
encodings").
"""

from __future__ import annotations

import bisect
import dataclasses
import os
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from matching import febrl3, measure, score

from pprl import compare, encode
from seethesigns.matching import api, estimate, fields

KEY = b"bench key: any 32 bytes will do."  # fixed, so that runs can be compared
Pairs = dict[tuple[int, int], float]
Labelled = list[tuple[Any, Any]]
ALLOWED = 0.02  # the target: within 0.02 of plain text
WITH_WORDS = "with word filters"  # the encodings with each word's filter (not sent: see encode.py)
# The encodings as sent, on the hub's own blocks, scored with pprl's shipped parameters instead of
# the set's estimate: what a hub given no parameters (`python -m linkagehub set_parameters`) does.
SHIPPED = "shipped defaults"


def encode_all(kind: str, records: Labelled, *, words: bool | None = None) -> list[encode.Encoded]:
    """Every record encoded with the bench's key, as sent (`encode.WORD_FILTERS`), or with the
    words' filters (`words=True`) or without them (`words=False`)."""
    sent = encode.WORD_FILTERS
    encode.WORD_FILTERS = sent if words is None else words
    try:
        return [encode.encode(kind, dataclasses.asdict(record), KEY) for _, record in records]
    finally:
        encode.WORD_FILTERS = sent


def own_pairs(encoded: list[encode.Encoded]) -> set[tuple[int, int]]:
    """Pairs sharing a block key, as the hub finds them."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, found in enumerate(encoded):
        for block in found.blocks:
            blocks[block].append(i)
    pairs: set[tuple[int, int]] = set()
    for members in blocks.values():
        for at, a in enumerate(members):
            pairs.update((a, b) for b in members[at + 1 :])
    return pairs


def score_encoded(
    kind: str,
    encoded: list[encode.Encoded],
    pairs: Iterable[tuple[int, int]],
    params: dict[str, Any],
) -> Pairs:
    return {
        (a, b): compare.score(kind, encoded[a].fields, encoded[b].fields, params=params).probability
        for a, b in pairs
    }


def level_agreement(
    kind: str, records: Labelled, encoded: list[encode.Encoded], pairs: Iterable[tuple[int, int]]
) -> dict[str, tuple[int, int, Counter[tuple[int, int]]]]:
    """Per field: (pairs with both sides present, pairs whose levels agree, the disagreements
    as (plain level, encoded level) counts)."""
    today = date.today()  # noqa: DTZ011
    feats = [fields.features(r, today) for _, r in records]
    by_name = {f.name: f for f in fields.FIELDS[kind]}
    found: dict[str, tuple[int, int, Counter[tuple[int, int]]]] = {}
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    wrong: dict[str, Counter[tuple[int, int]]] = defaultdict(Counter)
    for a, b in pairs:
        got = compare.levels(kind, encoded[a].fields, encoded[b].fields)
        for name, field in by_name.items():
            plain = fields.level(field, feats[a], feats[b])
            through = got.get(name, (None, 0.0))[0]
            if plain is None and through is None:
                continue
            counts[name][0] += 1
            if plain == through:
                counts[name][1] += 1
            else:
                wrong[name][
                    (-1 if plain is None else plain, -1 if through is None else through)
                ] += 1
    for name in by_name:
        found[name] = (counts[name][0], counts[name][1], wrong[name])
    return found


def truth_of(records: Labelled) -> set[tuple[int, int]]:
    by_identity: dict[Any, list[int]] = defaultdict(list)
    for i, (who, _) in enumerate(records):
        by_identity[who].append(i)
    return {(a, b) for ids in by_identity.values() for a in ids for b in ids if a < b}


def side_by_side(
    label: str, truth: set[tuple[int, int]], plain: Pairs, through: dict[str, Pairs]
) -> list[tuple[str, str, str, float, float]]:
    """Print plain against each way through the encodings; return the differences."""
    bands = api.thresholds()
    # The app's two bands, and the hub's own "possibly" (pprl.compare.DEFAULT_THRESHOLDS).
    chosen = [(band, bands[band]) for band in ("very_likely", "possibly")]
    if compare.DEFAULT_THRESHOLDS["possibly"] != bands["possibly"]:
        chosen.append(("hub possibly", compare.DEFAULT_THRESHOLDS["possibly"]))
    gaps = []
    for band, at in chosen:
        _, _, p0, r0, f0 = measure(plain, truth, at)
        print(
            f"{label:<22}{band + ' ' + str(at):<18}{'plain text':<28}"
            f"{p0:>10.3f}{r0:>8.3f}{f0:>7.3f}"
        )
        for how, found in through.items():
            _, _, p1, r1, f1 = measure(found, truth, at)
            print(
                f"{'':<40}{'encodings, ' + how:<28}{p1:>10.3f}{r1:>8.3f}{f1:>7.3f}"
                f"   difference {p1 - p0:+.3f} {r1 - r0:+.3f} {f1 - f0:+.3f}"
            )
            gaps.append((f"{label} {band} {at}, {how}", band, how, p1 - p0, r1 - r0))
    return gaps


def header() -> None:
    print(f"{'set':<22}{'band, threshold':<18}{'how':<28}{'precision':>10}{'recall':>8}{'F1':>7}")


def show_levels(
    label: str, agreement: dict[str, tuple[int, int, Counter[tuple[int, int]]]]
) -> None:
    print(f"  {label}: the field's level through the encodings is plain text's level in")
    for name, (total, same, wrong) in agreement.items():
        if not total:
            continue
        worst = ", ".join(f"{p}->{e}: {n}" for (p, e), n in wrong.most_common(4))
        print(f"    {name:<8}{same / total:>8.4f} of {total:>9,} pairs  {worst}")


def frequency_attack(values: list[str | None], seen: list[int | None]) -> tuple[int, int, int]:
    """A hub that knows how often each value occurs (here: exactly, from the plain records, the
    best an attacker could hope for) lines the encodings it holds up with the values by rank:
    the commonest encoding is the commonest value, and so on. Returns (records, records whose
    value it guessed right, values it guessed right among the ten commonest). Values as often
    as each other are told apart by chance: the attacker's list is not in the records' order."""
    shuffled = [v for v in values if v is not None]
    random.Random(21).shuffle(shuffled)  # noqa: S311  (not a secret)
    plain = Counter(shuffled)
    held = Counter(s for s in seen if s is not None)
    guess = {
        token: value
        for (token, _), (value, _) in zip(held.most_common(), plain.most_common(), strict=False)
    }
    right = sum(1 for v, s in zip(values, seen, strict=True) if s is not None and guess[s] == v)
    behind = {s: v for v, s in zip(values, seen, strict=True) if s is not None}
    top = sum(1 for token, _ in held.most_common(10) if guess[token] == behind[token])
    return sum(1 for s in seen if s is not None), right, top


def exposure(label: str, kind: str, records: Labelled, encoded: list[encode.Encoded]) -> None:
    """What the hub can learn by counting one field's encodings without the key: how many
    records share the commonest name's encoding, and how well lining up encodings with known
    value frequencies re-identifies values (names, each word of a name, dates of birth,
    postcodes). See docs/linkage-hub.md, "Attacks on the encodings"."""
    today = date.today()  # noqa: DTZ011
    feats = [fields.features(r, today) for _, r in records]
    names = [f["names"][0] if f["names"] else None for f in feats]
    commonest, times = Counter(n for n in names if n).most_common(1)[0]
    blobs = {e.fields["name"] for e, n in zip(encoded, names, strict=True) if n == commonest}
    print(
        f"  {label} exposure: the commonest name is on {times} records and has {len(blobs)} "
        f"distinct encoding(s); a frequency attack lining encodings up with known frequencies"
    )

    def part(field: str, at: int) -> list[int | None]:
        found: list[int | None] = []
        for e in encoded:
            blob = e.fields.get(field)
            parts = compare.sections(blob) if blob else ()
            items = parts[at] if len(parts) > at else ()
            found.append(items[0] if items else None)
        return found

    firsts = [n.split()[0] if n else None for n in names]
    lasts = [n.split()[-1] if n and len(n.split()) > 1 else None for n in names]
    first_seen = part("name", 4)
    last_seen: list[int | None] = []
    for e, last in zip(encoded, lasts, strict=True):
        blob = e.fields.get("name")
        parts = compare.sections(blob) if blob else ()
        words = parts[4] if len(parts) > 4 else ()
        last_seen.append(words[-1] if last and len(words) > 1 else None)
    dobs = [f["dob"] for f in feats]
    codes = [(f["postcodes"] or [None])[0] for f in feats]
    for what, values, seen in (
        ("full names (name token)", names, part("name", 0)),
        ("first names (word filter)", firsts, first_seen),
        ("last names (word filter)", lasts, last_seen),
        ("dates of birth (dob token)", dobs, part("dob", 0)),
        ("postcodes (postcode token)", codes, part("address", 3)),
    ):
        held, right, top = frequency_attack(values, seen)
        if held:
            print(
                f"    {what:<28} {right:>6,} of {held:>6,} records right "
                f"({right / held:.1%}); of the ten commonest, {top} named right"
            )


# How close two dates of birth must be for the hub to see them share a date token: what the
# hub can tell from the section and the token's place in it, without the key. Masked positions
# (YYYY-MM-DD): the day's units or tens, or anything within the year, keep the year.
MASK_DAYS = {9: 9, 8: 30, 6: 365, 5: 365, 4: 0, 7: 0, 3: 366 * 10}
CLOSE_DAYS = (7, 31, 365)


def date_tokens(blob: bytes) -> list[tuple[int, int]]:
    """An exact date of birth's tokens with how many days apart, at most, two dates sharing one
    are (swapped dates are left out: the hub cannot tell which characters were swapped)."""
    parts = compare.sections(blob)
    found = [(token, 0) for token in parts[0]]
    found += [(token, MASK_DAYS.get(at, 1 << 20)) for at, token in enumerate(parts[2])]
    found += [(token, 365) for token in parts[3]]
    found += [(token, (1 << level) - 1) for level, token in enumerate(parts[4])]
    found += [(token, 0) for token in parts[5]]
    # The year's dyadic blocks: within 2**level years. (Those of the year five years before say
    # "five years apart" when they meet another's year: left out here.)
    found += [(token, 366 * (1 << level) - 1) for level, token in enumerate(parts[6])]
    return found


def date_exposure(label: str, records: Labelled, encoded: list[encode.Encoded]) -> None:
    """How many pairs of records with different exact dates of birth the hub can place within
    7, 31 and 365 days of each other by the date tokens they share, against how many are."""
    today = date.today()  # noqa: DTZ011
    dobs = [fields.features(r, today)["dob"] for _, r in records]
    by_token: dict[int, list[int]] = defaultdict(list)
    bound: dict[int, int] = {}
    for i, (e, dob) in enumerate(zip(encoded, dobs, strict=True)):
        if dob and "dob" in e.fields:
            for token, days in date_tokens(e.fields["dob"]):
                if days <= max(CLOSE_DAYS):
                    by_token[token].append(i)
                    bound[token] = days
    exact = [i for i, d in enumerate(dobs) if d]
    days_of = {i: date.fromisoformat(dobs[i]).toordinal() for i in exact}
    said = []
    for limit in CLOSE_DAYS:
        placed: set[tuple[int, int]] = set()
        for token, members in by_token.items():
            if bound[token] <= limit:
                ids = sorted(set(members))
                placed.update((a, b) for n, a in enumerate(ids) for b in ids[n + 1 :])
        placed = {(a, b) for a, b in placed if dobs[a] != dobs[b]}
        wrong = sum(1 for a, b in placed if abs(days_of[a] - days_of[b]) > limit)
        ordered = sorted(days_of[i] for i in exact)
        are = sum(_within(ordered, n, limit) for n in range(len(ordered)))
        are -= sum(c * (c - 1) // 2 for c in Counter(dobs[i] for i in exact).values())
        said.append(
            f"within {limit} days {len(placed):,} of {are:,}"
            + (f" ({wrong} wrong)" if wrong else "")
        )
    print(
        f"    {label}: pairs of {len(exact):,} exact dates of birth (different dates) the hub "
        f"places by shared date tokens, of those that are: " + "; ".join(said)
    )


def _within(ordered: list[int], n: int, limit: int) -> int:
    """How many later dates in `ordered` (sorted) are within `limit` days of the n-th."""
    return bisect.bisect_right(ordered, ordered[n] + limit) - n - 1


def run(
    label: str, kind: str, records: Labelled, params: dict[str, Any] | None = None
) -> tuple[set[tuple[int, int]], Pairs, dict[str, Pairs], list[Any]]:
    started = time.perf_counter()
    if params is None:
        params, _, _ = estimate.estimate(kind, [r for _, r in records])
    plain, truth = score(kind, records, params)
    plain_s = time.perf_counter() - started
    started = time.perf_counter()
    encoded = encode_all(kind, records)
    encode_s = time.perf_counter() - started
    started = time.perf_counter()
    same = score_encoded(kind, encoded, plain.keys(), params)
    ours = own_pairs(encoded)
    own = score_encoded(kind, encoded, ours, params)
    words = score_encoded(kind, encode_all(kind, records, words=True), ours, params)
    shipped = score_encoded(kind, encoded, ours, compare.default_parameters(kind))
    compare_s = time.perf_counter() - started
    print(
        f"{label}: {len(records):,} records; plain text {len(plain):,} pairs compared "
        f"({plain_s:.0f} s with the estimate); encoded in {encode_s:.1f} s "
        f"({1000 * encode_s / len(records):.2f} ms a record); own blocks {len(ours):,} pairs, "
        f"reaching {len(truth & ours) / len(truth):.3f} of the true pairs (plain's blocking "
        f"{len(truth & set(plain)) / len(truth):.3f}); both scored in {compare_s:.0f} s"
    )
    if os.environ.get("LINKAGE_LEVELS", "1") == "1":
        show_levels(label, level_agreement(kind, records, encoded, plain.keys()))
    exposure(label, kind, records, encoded)
    date_exposure(label, records, encoded)
    through = {"same pairs": same, "own blocks": own, WITH_WORDS: words, SHIPPED: shipped}
    return truth, plain, through, encoded


def run_generated(total: int) -> list[Any]:
    from records import generated_people

    gaps = []
    results = []
    for kind in api.KINDS:
        records = generated_people(kind, total // 2, seed=2026 if kind == "person" else 2027)
        truth, plain, through, _ = run(f"generated {kind}", kind, records)
        results.append((truth, plain, through))
    # Both kinds together, as bench/matching.py's "all" (pair numbers offset per kind).
    offset = 1 << 32
    truth_all: set[tuple[int, int]] = set()
    plain_all: Pairs = {}
    through_all: dict[str, Pairs] = {
        "same pairs": {},
        "own blocks": {},
        WITH_WORDS: {},
        SHIPPED: {},
    }
    for n, (truth, plain, through) in enumerate(results):
        shift = n * offset
        truth_all |= {(a + shift, b + shift) for a, b in truth}
        plain_all |= {(a + shift, b + shift): p for (a, b), p in plain.items()}
        for how, found in through.items():
            through_all[how] |= {(a + shift, b + shift): p for (a, b), p in found.items()}
    print()
    header()
    for kind, (truth, plain, through) in zip(api.KINDS, results, strict=True):
        gaps += side_by_side(f"generated {kind}", truth, plain, through)
    gaps += side_by_side("generated, all", truth_all, plain_all, through_all)
    return gaps


def run_febrl() -> list[Any]:
    records = febrl3()
    truth, plain, through, _ = run("FEBRL3", "person", records)
    print()
    header()
    return side_by_side("FEBRL3 all fields", truth, plain, through)


def verdict(gaps: list[Any]) -> None:
    """The largest difference from plain text of the encodings as sent at the hub's thresholds
    (the target: the hub alerts at nothing else), and, for what they trade, at the app's
    "possibly" line, with the words' filters, and scored with the shipped defaults."""
    hub = {"very_likely", "hub possibly"}
    if compare.DEFAULT_THRESHOLDS["possibly"] == api.thresholds()["possibly"]:
        hub.add("possibly")
    for title, chosen in (
        (
            "the encodings as sent, at the hub's thresholds (the target)",
            [g for g in gaps if g[1] in hub and g[2] not in (WITH_WORDS, SHIPPED)],
        ),
        (
            "the encodings as sent, at the app's possibly line (never a hub alert)",
            [g for g in gaps if g[1] not in hub and g[2] not in (WITH_WORDS, SHIPPED)],
        ),
        (
            "with the words' filters, at the hub's thresholds",
            [g for g in gaps if g[1] in hub and g[2] == WITH_WORDS],
        ),
        (
            "with the words' filters, at the app's possibly line",
            [g for g in gaps if g[1] not in hub and g[2] == WITH_WORDS],
        ),
        (
            "scored with the shipped defaults (a hub given no parameters), at its thresholds",
            [g for g in gaps if g[1] in hub and g[2] == SHIPPED],
        ),
    ):
        if not chosen:
            continue
        worst = max(chosen, key=lambda g: max(abs(g[3]), abs(g[4])))
        largest = max(abs(worst[3]), abs(worst[4]))
        print(
            f"Largest difference from plain text in precision or recall, {title}: {largest:.3f} "
            f"({worst[0]}); within {ALLOWED}: {'yes' if largest <= ALLOWED else 'NO'}"
        )


def exposure_only() -> None:
    """The exposure figures alone (no Splink): FEBRL3 and the generated people."""
    from records import generated_people

    total = int(os.environ.get("MATCHING_RECORDS", "10000"))
    for label, kind, records in (
        ("FEBRL3", "person", febrl3()),
        ("generated person", "person", generated_people("person", total // 2, seed=2026)),
        ("generated child", "child", generated_people("child", total // 2, seed=2027)),
    ):
        encoded = encode_all(kind, records)
        exposure(label, kind, records, encoded)
        date_exposure(label, records, encoded)
        exposure(f"{label}, {WITH_WORDS}", kind, records, encode_all(kind, records, words=True))


def main() -> None:
    what = sys.argv[1] if len(sys.argv) > 1 else "all"
    if what == "exposure":
        exposure_only()
        return
    gaps: list[Any] = []
    print("Linkage through the encodings (pprl.encode, pprl.compare) against plain text")
    if what in ("all", "generated"):
        gaps += run_generated(int(os.environ.get("MATCHING_RECORDS", "10000")))
    if what in ("all", "febrl"):
        gaps += run_febrl()
    print()
    verdict(gaps)


if __name__ == "__main__":
    main()
