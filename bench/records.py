"""The CSE team's records at scale, and how well join-the-dots finds what it should.

    python bench/records.py quality   # precision and recall on 10,000 generated records
    python bench/records.py scale     # 1,000,000 linked rows: link lookup on save, chronology page

`generated_people()` (no database) makes whole people of concern and children, with repeats
written by other workers, for the matching model's bench (`bench/matching.py`).

Both start a throwaway PostgreSQL (bench/run.py), migrate it, and run Django in this process
with production settings. `scale` measures first with 1 % of the rows and then with all of them,
and prints the ratio side by side. Figures go to docs/benchmarks.md and docs/join-the-dots.md.
"""

from __future__ import annotations

import os
import random
import statistics
import string
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from run import machine, manage, production_env, start_postgres

from testing.pgserver import Processes

FIRST = [
    "Jason",
    "Mohammed",
    "Liam",
    "Noah",
    "Oliver",
    "Harry",
    "Jack",
    "Charlie",
    "Thomas",
    "Jacob",
    "Oscar",
    "George",
    "James",
    "William",
    "Ryan",
    "Kyle",
    "Dean",
    "Connor",
    "Tyler",
    "Callum",
    "Aaron",
    "Jordan",
    "Lewis",
    "Reece",
    "Bradley",
    "Nathan",
    "Adam",
    "Shane",
    "Wayne",
    "Darren",
    "Imran",
    "Bilal",
    "Hamza",
    "Tariq",
    "Kamran",
    "Arjun",
    "Ravi",
    "Sunil",
    "Piotr",
    "Marek",
    "Andrei",
    "Florin",
    "Luca",
    "Marco",
    "Kwame",
    "Kofi",
    "Tunde",
    "Emeka",
    "Dwayne",
    "Marcus",
    "Leon",
    "Jerome",
    "Craig",
    "Stuart",
    "Gary",
    "Lee",
    "Paul",
    "Mark",
    "Steven",
]
LAST = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Wood",
    "Jackson",
    "Clarke",
    "Khan",
    "Ahmed",
    "Hussain",
    "Ali",
    "Patel",
    "Begum",
    "Shah",
    "Akhtar",
    "Malik",
    "Iqbal",
    "Kowalski",
    "Nowak",
    "Popescu",
    "Ionescu",
    "Rossi",
    "Mensah",
    "Okafor",
    "Adeyemi",
    "Campbell",
    "Murphy",
    "Kelly",
    "Doyle",
    "Byrne",
    "Gallagher",
    "McDonald",
    "Stewart",
    "Fraser",
    "Hughes",
    "Edwards",
    "Lloyd",
    "Price",
    "Morgan",
    "Griffiths",
]
STREETS = [
    "Station",
    "Mill",
    "Church",
    "Victoria",
    "Albert",
    "Park",
    "Queen",
    "King",
    "High",
    "Market",
    "Bridge",
    "Chapel",
    "Canal",
    "Castle",
    "Wellington",
    "Nelson",
    "Trafalgar",
    "Milton",
    "Shelley",
    "Byron",
    "Hawthorn",
    "Rowan",
    "Willow",
    "Cedar",
    "Beech",
    "Elm",
    "Oak",
    "Ash",
    "Birch",
    "Maple",
    "Holly",
    "Ivy",
    "Laurel",
    "Hazel",
    "Chestnut",
    "Poplar",
    "Sycamore",
    "Linden",
    "Alder",
    "Spruce",
]
SUFFIXES = [
    ("Road", "Rd"),
    ("Street", "St"),
    ("Lane", "Ln"),
    ("Avenue", "Ave"),
    ("Close", "Cl"),
    ("Drive", "Dr"),
    ("Court", "Ct"),
    ("Crescent", "Cres"),
    ("Terrace", "Ter"),
]
PLACES = [
    "Kebab House",
    "Chicken Shack",
    "Pizza Palace",
    "Riverside Hotel",
    "Station Hotel",
    "Budget Inn",
    "Park Flats",
    "Corner Shop",
    "Snooker Club",
    "Vape Shop",
    "Car Wash",
]


ALIASES = ["Jay", "Kaz", "Big T", "Smithy", "Romey", "Dee", "Mo", "Tiny", "Boss", "Ace"]


# The columns of links_entity the benches write by COPY, in the order their rows give them.
ENTITY_COLUMNS = [
    "id",
    "kind",
    "label",
    "normalised",
    "numbers",
    "place_kind",
    "details",
    "aliases",
    "date_of_birth",
    "sex",
    "ethnicity",
    "nationality",
    "team_id",
    "created_by_id",
    "created_at",
    "version",
]


def setup(work: Path, processes: Processes) -> None:
    url = start_postgres(work, processes)
    env = production_env(work, url, 0)
    env["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    manage(env, "migrate", "--no-input")
    manage(env, "collectstatic", "--no-input")  # production serves hashed file names
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "seethesigns.settings"
    import django

    django.setup()


def team_and_people() -> tuple[Any, Any, Any]:
    """Two teams: the benchmark's worker holds records in one and reads the other's alerts."""
    from seethesigns.accounts.models import Organisation, Role, Team, User

    org = Organisation.objects.create(name="Bench Social Care", kind="social_care")
    ours = Team.objects.create(organisation=org, name="Exploitation Team")
    theirs = Team.objects.create(organisation=org, name="Other Team")
    worker = User.objects.create(username="bench-worker", role=Role.CSE_COORDINATOR, team=ours)
    other = User.objects.create(username="bench-other", role=Role.FRONT_DOOR, team=theirs)
    return worker, other, (ours, theirs)


# ---- Variants of one thing, as different people would write it ------------------------------


def plate(rng: random.Random) -> str:
    letters = string.ascii_uppercase
    return (
        f"{rng.choice(letters)}{rng.choice(letters)}{rng.randint(10, 99)} "
        f"{rng.choice(letters)}{rng.choice(letters)}{rng.choice(letters)}"
    )


def plate_variant(value: str, rng: random.Random) -> str:
    squashed = value.replace(" ", "")
    return rng.choice(
        [
            squashed.lower(),
            value.lower(),
            f"{squashed[:4]}-{squashed[4:]}",
            " ".join(squashed),
            squashed,
        ]
    )


def phone(rng: random.Random) -> str:
    return f"07{rng.randint(100, 999)} {rng.randint(100000, 999999)}"


def phone_variant(value: str, rng: random.Random) -> str:
    digits = value.replace(" ", "")
    return rng.choice(
        [
            f"+44 {digits[1:5]} {digits[5:]}",
            f"0044{digits[1:]}",
            f"+44 (0){digits[1:]}",
            f"{digits[:5]}-{digits[5:]}",
            digits,
        ]
    )


def handle(rng: random.Random) -> str:
    word = rng.choice(FIRST).lower() + rng.choice(["_", ".", ""]) + rng.choice(LAST).lower()[:4]
    return word + str(rng.randint(1, 999))


def handle_variant(value: str, rng: random.Random) -> str:
    return rng.choice(
        [
            f"@{value}",
            value.upper(),
            f"instagram.com/{value}",
            f"snapchat.com/add/{value}",
            f" @{value.capitalize()} ",
        ]
    )


def name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def typo(word: str, rng: random.Random) -> str:
    """One slip: a letter doubled, dropped, swapped with the next, or replaced."""
    i = rng.randrange(1, len(word) - 1) if len(word) > 3 else 1
    how = rng.choice(["double", "drop", "swap", "replace"])
    if how == "double":
        return word[:i] + word[i] + word[i:]
    if how == "drop":
        return word[:i] + word[i + 1 :]
    if how == "swap" and i + 1 < len(word):
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + rng.choice("aeiouy") + word[i + 1 :]


def name_variant(value: str, rng: random.Random) -> str:
    first, last = value.split(" ", 1)
    return rng.choice(
        [
            f"{typo(first, rng)} {last}",
            f"{first} {typo(last, rng)}",
            value.upper(),
            f"{first.lower()} {last.lower()}",
            f"{first}  {last}.",
        ]
    )


def address(rng: random.Random) -> str:
    street, (suffix, _) = rng.choice(STREETS), rng.choice(SUFFIXES)
    if rng.random() < 0.3:
        return f"{rng.choice(PLACES)}, {rng.randint(1, 200)} {street} {suffix}"
    return f"{rng.randint(1, 200)} {street} {suffix}"


def address_variant(value: str, rng: random.Random) -> str:
    for suffix, short in SUFFIXES:
        if value.endswith(suffix):
            shortened = value[: -len(suffix)] + short
            return rng.choice(
                [
                    shortened,
                    value.replace(",", ""),
                    value.lower(),
                    shortened.replace(",", "") + ".",
                    typo(value, rng),
                ]
            )
    return value


KINDS: dict[str, tuple[Callable[[random.Random], str], Callable[[str, random.Random], str]]] = {
    "vehicle": (plate, plate_variant),
    "phone": (phone, phone_variant),
    "handle": (handle, handle_variant),
    "person": (name, name_variant),
    "place": (address, address_variant),
}


# ---- Whole people and children, for the matching model (bench/matching.py) ---------------------

GIRLS = [
    "Amy",
    "Chloe",
    "Jade",
    "Ellie",
    "Leah",
    "Mia",
    "Holly",
    "Lily",
    "Megan",
    "Sophie",
    "Aisha",
    "Fatima",
    "Zara",
    "Amira",
    "Hana",
    "Maria",
    "Natalia",
    "Roxana",
    "Ama",
    "Chioma",
    "Shannon",
    "Courtney",
    "Kayleigh",
    "Jessica",
    "Demi",
    "Paige",
    "Tia",
    "Keira",
    "Laila",
    "Nia",
]
STREET_NAMES = ["Tiny", "Blade", "Kash", "Smokey", "Zee", "Ghost", "Lil J", "Trigga", "Bugsy"]
SOUNDS_LIKE = [("ph", "f"), ("y", "i"), ("ck", "k"), ("ie", "y"), ("mm", "m"), ("ll", "l")]


def postcode(rng: random.Random) -> str:
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    return (
        f"{rng.choice(['M', 'B', 'LS', 'OL', 'BD', 'SK'])}{rng.randint(1, 40)} "
        f"{rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"
    )


def date_slip(day: date, rng: random.Random) -> date:
    """One digit typed wrong, or the day and month swapped (only where both make a date)."""
    text = day.strftime("%Y%m%d")
    for _ in range(20):
        if rng.random() < 0.3 and day.day <= 12 and day.day != day.month:
            return date(day.year, day.day, day.month)
        i = rng.choice([2, 3, 5, 7])  # a digit of the year, the month or the day
        changed = text[:i] + str(rng.randint(0, 9)) + text[i + 1 :]
        try:
            slipped = date(int(changed[:4]), int(changed[4:6]), int(changed[6:]))
        except ValueError:
            continue
        if slipped != day:
            return slipped
    return day


def sounds_like(word: str) -> str:
    for a, b in SOUNDS_LIKE:
        if a in word.lower():
            return word.lower().replace(a, b, 1).capitalize()
    return typo(word, rng=random.Random(word))  # noqa: S311  (test data, not secrets)


def whole(kind: str, rng: random.Random) -> Any:
    """One person of concern (kind "person") or child ("child") as first recorded."""
    from seethesigns.matching.api import Record

    child = kind == "child"
    girl = rng.random() < (0.6 if child else 0.08)
    first, last = rng.choice(GIRLS if girl else FIRST), rng.choice(LAST)
    names = [f"{first} {last}"]
    if not child and rng.random() < 0.25:
        names.append(rng.choice([rng.choice(STREET_NAMES), f"{first} {rng.choice(LAST)}"]))
    born = date(2008, 1, 1) if child else date(1965, 1, 1)
    span = 6 * 365 if child else 43 * 365
    number = rng.randint(1, 200)
    street = f"{rng.choice(STREETS)} {rng.choice(SUFFIXES)[0]}"
    home = f"{number} {street}" + (f", {postcode(rng)}" if rng.random() < 0.5 else "")
    return Record(
        names=tuple(names),
        date_of_birth=born + timedelta(days=rng.randrange(span)),
        sex="female" if girl else "male",
        addresses=(home,) if rng.random() < 0.7 else (),
        phones=(phone(rng),) if rng.random() < (0.4 if child else 0.6) else (),
        handles=(handle(rng),) if rng.random() < (0.3 if child else 0.35) else (),
        plates=(plate(rng),) if not child and rng.random() < 0.2 else (),
        nhs_number=nhs(rng) if child and rng.random() < 0.5 else "",
    )


def nhs(rng: random.Random) -> str:
    """A ten-digit number with a valid check digit (NHS Digital's modulus 11)."""
    while True:
        digits = [rng.randint(0, 9) for _ in range(9)]
        check = 11 - sum(d * (10 - i) for i, d in enumerate(digits)) % 11
        if check == 11:
            check = 0
        if check != 10:
            return "".join(map(str, digits)) + str(check)


def relative(original: Any, rng: random.Random) -> Any:
    """Someone else in the same home: a father with the son's name, or a brother or sister."""
    from dataclasses import replace

    last = original.names[0].split(" ", 1)[1]
    dob = original.date_of_birth
    if rng.random() < 0.3:  # father and son with one name
        return replace(
            original,
            date_of_birth=dob - timedelta(days=rng.randint(18, 35) * 365),
            handles=(),
            phones=(),
            plates=(),
            nhs_number="",
            names=(original.names[0],),
        )
    sister = rng.random() < 0.5
    return replace(
        original,
        names=(f"{rng.choice(GIRLS if sister else FIRST)} {last}",),
        date_of_birth=dob + timedelta(days=rng.choice([-1, 1]) * rng.randint(300, 6 * 365)),
        sex="female" if sister else "male",
        phones=(),
        handles=(),
        plates=(),
        nhs_number="",
    )


def rewritten(original: Any, rng: random.Random, on: date) -> Any:
    """The same person written again by another worker: slips, gaps, other ways of writing."""
    from dataclasses import replace

    names = list(original.names)
    first, last = names[0].split(" ", 1)
    roll = rng.random()
    if roll < 0.15:
        names[0] = f"{typo(first, rng)} {last}"
    elif roll < 0.3:
        names[0] = f"{first} {typo(last, rng)}"
    elif roll < 0.38:
        names[0] = f"{last} {first}"
    elif roll < 0.45:
        names[0] = f"{first} {sounds_like(last)}"
    elif roll < 0.5:
        names[0] = names[0].upper()
    elif roll < 0.55 and len(names) > 1:
        names = names[1:] + names[:1]  # known by the alias first
    if len(names) > 1 and rng.random() < 0.4:
        names = names[:1]
    born: date = original.date_of_birth
    dob: date | None = born
    age_low = age_high = None
    roll = rng.random()
    if roll < 0.12:
        dob = date_slip(born, rng)
    elif roll < 0.3:
        dob = None
    elif roll < 0.4:
        age = (on - born).days // 365
        age_low, age_high, dob = age - rng.randint(0, 2), age + rng.randint(0, 2), None
    roll = rng.random()
    addresses = original.addresses
    if addresses:
        if roll < 0.35:
            addresses = (address_variant(addresses[0].split(",")[0], rng),)
        elif roll < 0.55:
            addresses = ()
        elif roll < 0.7:
            addresses = (address(rng),)  # moved
    roll = rng.random()
    sex = original.sex if roll < 0.85 else rng.choice(["", "not-known"]) if roll < 0.98 else "other"

    def kept(
        values: tuple[str, ...],
        make: Callable[[random.Random], str],
        vary: Callable[[str, random.Random], str],
    ) -> tuple[str, ...]:
        roll = rng.random()
        if not values or roll < 0.35:
            return ()
        if roll < 0.45:
            return (make(rng),)  # a new phone, a new account, another car
        return (vary(values[0], rng),) if roll < 0.85 else values

    return replace(
        original,
        names=tuple(names),
        date_of_birth=dob,
        age_low=age_low,
        age_high=age_high,
        age_on=on if age_low is not None else None,
        sex=sex,
        addresses=addresses,
        phones=kept(original.phones, phone, phone_variant),
        handles=kept(original.handles, handle, handle_variant),
        plates=kept(original.plates, plate, plate_variant),
        nhs_number=original.nhs_number if rng.random() < 0.6 else "",
    )


def generated_people(kind: str, total: int, seed: int = 2026) -> list[tuple[int, Any]]:
    """`total` records (identity, Record): three in ten people are recorded again one to three
    times, one in twelve has a relative in the same home (a father with the same name, a brother
    or sister), and the names come from short lists, so many different people share a name."""
    rng = random.Random(seed)  # noqa: S311  (test data, not secrets)
    on = date(2026, 11, 1)
    made: list[tuple[int, Any]] = []
    identity = 0
    while len(made) < total:
        identity += 1
        original = whole(kind, rng)
        made.append((identity, original))
        if rng.random() < 0.3:
            made += [(identity, rewritten(original, rng, on)) for _ in range(rng.randint(1, 3))]
        if rng.random() < 1 / 12:
            identity += 1
            made.append((identity, relative(original, rng)))
    return made[:total]


# ---- Precision and recall ---------------------------------------------------------------------


def quality(total: int) -> None:
    """Save `total` generated records one by one, as workers would, and score what matched."""
    from seethesigns.children.models import Child
    from seethesigns.network.actions import do_link_child
    from seethesigns.network.matching import normalise
    from seethesigns.network.models import Entity, Match

    rng = random.Random(2026)  # noqa: S311  (test data, not secrets)
    worker, other, _ = team_and_people()
    # One record in ten gets one to three variants saved by other teams' workers later.
    plan: list[tuple[str, str, int]] = []  # (kind, label, identity)
    identity = 0
    used: set[tuple[str, str]] = set()
    while len(plan) < total:
        kind = rng.choice(list(KINDS))
        make, vary = KINDS[kind]
        original = make(rng)
        # Two different things are never written identically (nor two businesses at one address).
        key = (kind, normalise(kind, original.split(",")[-1]))
        if key in used:
            continue
        used.add(key)
        identity += 1
        plan.append((kind, original, identity))
        if rng.random() < 0.1:
            plan += [(kind, vary(original, rng), identity) for _ in range(rng.randint(1, 3))]
    plan = plan[:total]
    rng.shuffle(plan)
    children = [
        Child(
            first_name="C",
            last_name=str(i),
            team=(worker if i % 2 else other).team,
            created_by=worker if i % 2 else other,
        )
        for i in range(total // 5)
    ]
    Child.objects.bulk_create(children)
    truth: dict[int, int] = {}
    started = time.perf_counter()
    for n, (kind, label, ident) in enumerate(plan):
        child = children[n % len(children)]
        user = worker if child.team_id == worker.team_id else other
        values = {
            "kind": kind,
            "label": label,
            "place_kind": "",
            "nature": "seen",
            "linked_on": date(2026, 11, 1),
            "source": "police",
        }
        entity = do_link_child(child, values, acting_user=user, request=None).entity
        truth.setdefault(entity.pk, ident)
    seconds = time.perf_counter() - started
    # A pair of records is "the same" when they share an identity; found when a Match joins them.
    by_identity: dict[int, list[int]] = {}
    for pk, ident in truth.items():
        by_identity.setdefault(ident, []).append(pk)
    kind_of = dict(Entity.objects.values_list("pk", "kind"))
    should = {frozenset((a, b)) for pks in by_identity.values() for a in pks for b in pks if a < b}
    found = {frozenset(pair) for pair in Match.objects.values_list("entity_id", "other_id")}
    print(
        f"Records saved: {len(plan):,} ({len(truth):,} distinct records after the same team's "
        f"repeats were merged), {seconds:.0f} s, {1000 * seconds / len(plan):.1f} ms a save"
    )
    print(f"{'kind':<10}{'pairs that should match':>26}{'found':>8}{'wrong':>8}", end="")
    print(f"{'precision':>11}{'recall':>8}")
    for kind in [*KINDS, "all"]:
        want = {p for p in should if kind in ("all", kind_of[min(p)])}
        got = {p for p in found if kind in ("all", kind_of[min(p)])}
        right = want & got
        precision = len(right) / len(got) if got else 1.0
        recall = len(right) / len(want) if want else 1.0
        print(
            f"{kind:<10}{len(want):>26,}{len(right):>8,}{len(got - want):>8,}"
            f"{precision:>11.3f}{recall:>8.3f}"
        )
    missed = sorted(should - found, key=sorted)[:8]
    wrong = sorted(found - should, key=sorted)[:8]
    labels = dict(Entity.objects.values_list("pk", "label"))
    how = {
        frozenset((a, b)): (h, score)
        for a, b, h, score in Match.objects.values_list("entity_id", "other_id", "how", "score")
    }
    for title, pairs in [("Missed, for example", missed), ("Wrongly matched, for example", wrong)]:
        print(title + ":")
        for pair in pairs:
            a, b = sorted(pair)
            found_how = how.get(pair)
            print(
                f"  {labels[a]!r} ~ {labels[b]!r}"
                + (f"  ({found_how[0]}, {found_how[1]})" if found_how else "")
            )


# ---- A million rows ----------------------------------------------------------------------------


def copy_rows(table: str, columns: list[str], rows: Iterator[tuple[Any, ...]]) -> int:
    from django.db import connection

    count = 0
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def generate(rng: random.Random, share: float, worker: Any, other: Any) -> dict[str, int]:
    """Children, records, links, chronology entries and matches: `share` of a million rows."""
    from django.db import connection
    from django.utils import timezone

    from seethesigns.children.models import Child, ChronologyEntry
    from seethesigns.network.matching import house_numbers, normalise
    from seethesigns.network.models import Entity
    from seethesigns.network.people import keys_of

    def person_keys(label: str, aliases: str) -> set[str]:
        return keys_of(Entity(kind="person", label=label, aliases=aliases))

    counts = {
        "children": int(20_000 * share),
        "records": int(200_000 * share),
        "links": int(480_000 * share),
        "entries": int(300_000 * share),
    }
    first_child = (Child.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    first_entity = (Entity.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    now = timezone.now()
    teams = [worker, other]
    copy_rows(
        "cases_child",
        [
            "id",
            "first_name",
            "last_name",
            "learning_disability",
            "team_id",
            "created_by_id",
            "created_at",
            "in_care",
            "version",
            "sex",
            "ethnicity",
            "nationality",
            "nhs_number",
            "address",
        ],
        (
            (
                first_child + i,
                rng.choice(FIRST),
                rng.choice(LAST),
                "no",
                teams[i % 2].team_id,
                teams[i % 2].pk,
                now,
                False,
                1,
                "",
                "",
                "",
                "",
                "",
            )
            for i in range(counts["children"])
        ),
    )
    kinds = ["person"] * 3 + ["place"] * 2 + ["vehicle"] * 2 + ["phone"] * 2 + ["handle"]

    keys: list[tuple[int, str]] = []  # a person's PersonKey rows (people.keys_of)
    by_kind: dict[str, list[int]] = {kind: [] for kind in KINDS}

    def records() -> Iterator[tuple[Any, ...]]:
        for i in range(counts["records"]):
            kind = kinds[i % len(kinds)]
            label = KINDS[kind][0](rng)
            owner = teams[i % 2]
            normalised = normalise(kind, label)
            pk = first_entity + i
            by_kind[kind].append(pk)
            aliases, born, sex = "", None, ""
            if kind == "person":
                # Most people of concern have a date of birth or nothing; some have a nickname.
                aliases = rng.choice(ALIASES) if rng.random() < 0.2 else ""
                if rng.random() < 0.6:
                    born = date(1960, 1, 1) + timedelta(days=rng.randrange(16_000))
                sex = "male" if rng.random() < 0.9 else ""
                keys.extend((pk, key) for key in person_keys(label, aliases))
            yield (
                pk,
                kind,
                label,
                normalised,
                house_numbers(kind, normalised),
                "",
                "",
                aliases,
                born,
                sex,
                "",
                "",
                owner.team_id,
                owner.pk,
                now,
                1,
            )

    copy_rows(
        "links_entity",
        ENTITY_COLUMNS,
        records(),
    )
    copy_rows("links_personkey", ["entity_id", "key"], iter(keys))
    # A person's phones, vehicles, handles and addresses: one record-to-record link in ten.
    things = [pk for kind in ("phone", "vehicle", "handle", "place") for pk in by_kind[kind]]
    copy_rows(
        "links_link",
        ["entity_id", "other_id", "nature", "linked_on", "source", "created_by_id", "created_at"],
        (
            (
                rng.choice(by_kind["person"]),
                rng.choice(things),
                "uses",
                date(2026, 1, 1) + timedelta(days=rng.randrange(320)),
                "police",
                worker.pk,
                now,
            )
            for _ in range(counts["links"] // 10)
        ),
    )
    copy_rows(
        "links_link",
        ["entity_id", "child_id", "nature", "linked_on", "source", "created_by_id", "created_at"],
        (
            (
                first_entity + rng.randrange(counts["records"]),
                first_child + rng.randrange(counts["children"]),
                "seen with",
                date(2026, 1, 1) + timedelta(days=rng.randrange(320)),
                "police",
                worker.pk,
                now,
            )
            for _ in range(counts["links"])
        ),
    )
    sealed = [
        ChronologyEntry.seal_what(
            f"Generated entry {i}: seen near the station with an older man; school told."
        )
        for i in range(500)
    ]
    # A few children have long chronologies (several pages); most have a handful of entries.
    heavy = [first_child + i for i in range(0, counts["children"], 97)]

    def entries() -> Iterator[tuple[Any, ...]]:
        for i in range(counts["entries"]):
            child = (
                rng.choice(heavy) if i % 4 == 0 else first_child + rng.randrange(counts["children"])
            )
            yield (
                child,
                "note",
                date(2025, 1, 1) + timedelta(days=rng.randrange(690)),
                sealed[i % len(sealed)],
                "school",
                "",
                worker.pk,
                now,
            )

    copy_rows(
        "cases_chronologyentry",
        [
            "child_id",
            "kind",
            "happened_on",
            "sealed",
            "source",
            "source_detail",
            "author_id",
            "recorded_at",
        ],
        entries(),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO links_match (entity_id, other_id, how, score, found_at, agree, disagree)
            SELECT a.id, b.id, 'same', 1.0, now(), '[]', '[]' FROM links_entity a
            JOIN links_entity b ON a.kind = b.kind AND a.normalised = b.normalised AND a.id < b.id
            WHERE a.id >= %s ON CONFLICT DO NOTHING""",
            [first_entity],
        )
        matches = cursor.rowcount
        for table in [
            "cases_child",
            "links_entity",
            "links_link",
            "links_match",
            "links_personkey",
            "cases_chronologyentry",
        ]:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608  (our names)
                f"(SELECT max(id) FROM {table}))"
            )
        cursor.execute("ANALYZE")
    return {**counts, "matches": matches}


def rows_now() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("""SELECT (SELECT count(*) FROM cases_child) + (SELECT count(*) FROM
            links_entity) + (SELECT count(*) FROM links_link) + (SELECT count(*) FROM links_match)
            + (SELECT count(*) FROM cases_chronologyentry)""")
        return int(cursor.fetchone()[0])


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure(rng: random.Random, worker: Any, samples: int) -> dict[str, list[float]]:
    from django.test import Client

    from seethesigns.children.models import Child
    from seethesigns.network.actions import do_link_child
    from seethesigns.network.models import Entity

    client = Client()
    _sign_in(client, worker)
    ids = list(Child.objects.filter(team_id=worker.team_id).values_list("pk", flat=True))
    heavy = [pk for pk in ids if pk % 97 == 1] or ids
    known = list(Entity.objects.order_by("?").values_list("kind", "label")[:samples])
    times: dict[str, list[float]] = {
        "link lookup on save": [],
        "  of which people": [],
        "chronology page": [],
        "child's record page": [],
    }
    for i in range(samples):
        child = Child.objects.get(pk=rng.choice(ids))
        # Half the saves repeat a value some record already holds (written another way).
        if i % 2 and known:
            kind, label = known[i % len(known)]
            label = KINDS[kind][1](label, rng) if kind in KINDS else label
        else:
            kind = rng.choice(list(KINDS))
            label = KINDS[kind][0](rng)
        values = {
            "kind": kind,
            "label": label,
            "place_kind": "",
            "nature": "seen with",
            "linked_on": date(2026, 11, 1),
            "source": "police",
        }
        if kind == "person" and rng.random() < 0.6:  # scored by the model on more than a name
            values["date_of_birth"] = date(1960, 1, 1) + timedelta(days=rng.randrange(16_000))
        started = time.perf_counter()
        do_link_child(child, values, acting_user=worker, request=None)
        times["link lookup on save"].append(time.perf_counter() - started)
        if kind == "person":  # the model's candidate search and scoring (network/people.py)
            times["  of which people"].append(time.perf_counter() - started)
    for i in range(samples):
        pk = rng.choice(heavy) if i % 2 else rng.choice(ids)
        page = "?page=2" if i % 5 == 0 else ""
        for name, path in [
            ("chronology page", f"/pro/children/{pk}/chronology/{page}"),
            ("child's record page", f"/pro/children/{pk}/"),
        ]:
            started = time.perf_counter()
            response = client.get(path)
            elapsed = time.perf_counter() - started
            if response.status_code != 200:
                raise SystemExit(f"bench: {path} answered {response.status_code}")
            times[name].append(elapsed)
    return times


def _sign_in(client: Any, user: Any) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()


def scale(samples: int) -> None:
    rng = random.Random(1)  # noqa: S311  (test data, not secrets)
    worker, other, _ = team_and_people()
    results = []
    size = float(os.environ.get("RECORDS_SIZE", "1"))  # a smaller trial while developing
    for share in (0.01 * size, 0.99 * size):
        started = time.perf_counter()
        made = generate(rng, share, worker, other)
        total = rows_now()
        print(
            f"Generated {sum(made.values()):,} rows in {time.perf_counter() - started:.0f} s "
            f"({made}); now {total:,} rows"
        )
        measure(rng, worker, 30)  # warm up caches and connections
        results.append((total, measure(rng, worker, samples)))
    (small_rows, small), (big_rows, big) = results
    targets = {
        "link lookup on save": 0.050,
        "  of which people": None,
        "chronology page": 0.100,
        "child's record page": None,
    }
    print(f"\n{samples} samples each, in one process, on 127.0.0.1")
    print(
        f"{'measure':<22}{'p50 ' + f'{small_rows:,}':>16}{'p95 ' + f'{small_rows:,}':>16}"
        f"{'p50 ' + f'{big_rows:,}':>18}{'p95 ' + f'{big_rows:,}':>18}"
        f"{'p95 ratio':>11}{'target':>9}"
    )
    failed = False
    for name, target in targets.items():
        p95_small, p95_big = percentile(small[name], 0.95), percentile(big[name], 0.95)
        met = target is None or p95_big <= target
        failed |= not met
        print(
            f"{name:<22}{1000 * statistics.median(small[name]):>13.1f} ms"
            f"{1000 * p95_small:>13.1f} ms{1000 * statistics.median(big[name]):>15.1f} ms"
            f"{1000 * p95_big:>15.1f} ms{p95_big / p95_small:>11.2f}"
            f"{'' if target is None else f'{1000 * target:.0f} ms':>9}{'' if met else '  MISSED'}"
        )
    if failed:
        raise SystemExit("bench: a target was missed")


def main() -> None:
    what = sys.argv[1] if len(sys.argv) > 1 else "scale"
    work = Path(tempfile.mkdtemp(prefix="seethesigns-records-"))
    work.chmod(0o755)
    processes = Processes()
    try:
        try:
            print(f"Machine: {machine()}")
        except OSError:
            print(f"Machine: {os.cpu_count()} CPUs")
        setup(work, processes)
        if what == "quality":
            quality(int(os.environ.get("QUALITY_RECORDS", "10000")))
        else:
            scale(int(os.environ.get("RECORDS_SAMPLES", "400")))
    finally:
        from django.db import connections

        connections.close_all()
        processes.stop_all()
        import shutil

        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
