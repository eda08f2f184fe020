"""A person of concern matched on everything known about them (issue 20).

A person's `Record` for the model (seethesigns.matching) is built from the record itself (its
label and aliases, date of birth or age range, sex) and from the records linked to it (addresses,
phones, handles, vehicles: network `Link`s between records, either way round).

At save, candidates come from indexes only, never from a scan of every person:
- the trigram index on the normalised name (pg_trgm; SQLite compares in Python), for the label
  and for each alias;
- `PersonKey` (written by actions._write_person_keys): the sound-alike key of each name and
  alias, and each alias written plainly;
- the date of birth (a partial index on people with one);
- the phones, vehicles, handles and addresses linked to the person: the same value held in
  another record (its normalised value, indexed), and the people linked to that record.
Each candidate is scored by `compare("person", …)`; a verdict of "very likely" or "possibly" is
stored as a `Match` with the names of the fields that agree and disagree.

The overnight batch (`manage.py match_people`, `batch.py`) reads `person_records()`, the same
records, for the whole partnership.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from seethesigns.matching.api import Record, Verdict, compare, compare_features, name_sound_keys
from seethesigns.matching.fields import features
from seethesigns.network.matching import close, normalise, similarity
from seethesigns.network.models import Entity, Link, Match, PersonKey

# What a linked record adds to a person's Record.
LINKED = {"place": "addresses", "phone": "phones", "handle": "handles", "vehicle": "plates"}
BANDS = {"very_likely": Match.How.VERY_LIKELY, "possibly": Match.How.POSSIBLY}
PER_INDEX = 30  # candidates kept from each index
MOST_CANDIDATES = 120  # the model scores at most this many (in the order the indexes gave them)
NAMES_SEARCHED = 3  # the label and the first two aliases go through the trigram index
TRIGRAM = 0.3


def names_of(entity: Entity) -> list[str]:
    """The label first, then each alias (one per line), without blanks or repeats."""
    names = [entity.label.strip()]
    for line in (entity.aliases or "").splitlines():
        if line.strip() and line.strip() not in names:
            names.append(line.strip())
    return [name for name in names if name]


def sound_key(name: str) -> str:
    """The sound of the whole name, its words in order of sound: "Steven Smith", "Stephen
    Smyth" and "Smith Steven" share "SM0 STFN"."""
    return " ".join(sorted(name_sound_keys(name)))


def keys_of(entity: Entity) -> set[str]:
    """The PersonKey rows a person is found by."""
    keys: set[str] = set()
    for n, name in enumerate(names_of(entity)):
        if sound := sound_key(name):
            keys.add(f"sound:{sound}"[:120])
        if n:
            keys.add(f"alias:{normalise('person', name)}"[:120])
    return keys


def _linked_values(person_ids: Iterable[int]) -> dict[int, dict[str, list[str]]]:
    """Each person's linked addresses, phones, handles and plates (labels), in two queries."""
    ids = list(person_ids)
    found: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    kinds = list(LINKED)
    outward = Link.objects.filter(entity_id__in=ids, other__kind__in=kinds)
    for person, kind, label in outward.values_list("entity_id", "other__kind", "other__label"):
        found[person][LINKED[kind]].append(label)
    inward = Link.objects.filter(other_id__in=ids, entity__kind__in=kinds)
    for person, kind, label in inward.values_list("other_id", "entity__kind", "entity__label"):
        found[person][LINKED[kind]].append(label)
    return found


def record_of(entity: Entity, linked: dict[str, list[str]] | None = None) -> Record:
    """The model's view of a person: everything the record and its links say."""
    if linked is None:
        linked = _linked_values([entity.pk]).get(entity.pk, {})
    return Record(
        names=tuple(names_of(entity)),
        date_of_birth=entity.date_of_birth,
        age_low=entity.age_low,
        age_high=entity.age_high,
        age_on=entity.age_on,
        sex=entity.sex or "",
        addresses=tuple(dict.fromkeys(linked.get("addresses", []))),
        phones=tuple(dict.fromkeys(linked.get("phones", []))),
        handles=tuple(dict.fromkeys(linked.get("handles", []))),
        plates=tuple(dict.fromkeys(linked.get("plates", []))),
        nhs_number="",
    )


PERSON_FIELDS = [
    "pk",
    "label",
    "aliases",
    "date_of_birth",
    "age_low",
    "age_high",
    "age_on",
    "sex",
    "kind",
]


def records_for(ids: Iterable[int]) -> dict[int, Record]:
    """The Records of these people, in three queries."""
    people = list(Entity.objects.filter(pk__in=list(ids), kind="person").only(*PERSON_FIELDS))
    linked = _linked_values(p.pk for p in people)
    return {p.pk: record_of(p, linked.get(p.pk, {})) for p in people}


def person_records(chunk: int = 20_000) -> Iterator[tuple[int, Record]]:
    """Every person of concern in the partnership, with their Record: the model's "person"
    source (registered in apps.py) and what the overnight batch deduplicates."""
    ids = list(Entity.objects.filter(kind="person").order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), chunk):
        found = records_for(ids[start : start + chunk])
        yield from sorted(found.items())


# ---- candidates --------------------------------------------------------------------------------


def candidates(entity: Entity) -> list[int]:
    """People who may be this one, from the indexes only (see the module's docstring)."""
    found: dict[int, None] = {}
    for pk in [  # the strongest evidence first, in case there are too many to score
        *_by_linked(entity),
        *_by_key(entity),
        *_by_birth(entity),
        *_by_name(entity),
    ]:
        if pk != entity.pk:
            found.setdefault(pk)
    return list(found)


def _by_name(entity: Entity) -> list[int]:
    """Trigram neighbours of the label and of each alias."""
    found: list[int] = []
    for name in names_of(entity)[:NAMES_SEARCHED]:
        normalised = normalise("person", name)
        if normalised:
            found += _trigram_neighbours(normalised, entity.pk)
    return found


def _trigram_neighbours(normalised: str, exclude: int) -> list[int]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('pg_trgm.similarity_threshold', %s, true)", [str(TRIGRAM)]
            )
            cursor.execute(
                "SELECT id FROM links_entity WHERE kind = 'person' AND normalised %% %s "
                "AND id <> %s ORDER BY similarity(normalised, %s) DESC, id LIMIT %s",
                [normalised, exclude, normalised, PER_INDEX],
            )
            return [pk for (pk,) in cursor.fetchall()]
    people = Entity.objects.filter(kind="person").exclude(pk=exclude)
    scored = [
        (similarity(normalised, other), pk)
        for pk, other in people.values_list("pk", "normalised").iterator()
    ]
    kept = sorted((-score, pk) for score, pk in scored if score >= TRIGRAM)
    return [pk for _, pk in kept[:PER_INDEX]]


def _by_key(entity: Entity) -> list[int]:
    """People sharing a sound-alike key or an alias written plainly, also against their label."""
    keys = keys_of(entity) | {f"alias:{entity.normalised}"}
    rows = PersonKey.objects.filter(key__in=keys).exclude(entity_id=entity.pk)
    found = list(rows.order_by("-entity_id").values_list("entity_id", flat=True)[:PER_INDEX])
    aliases = [normalise("person", name) for name in names_of(entity)[1:]]
    if aliases:
        same = Entity.objects.filter(kind="person", normalised__in=aliases).exclude(pk=entity.pk)
        found += list(same.values_list("pk", flat=True)[:PER_INDEX])
    return found


def _by_birth(entity: Entity) -> list[int]:
    if entity.date_of_birth is None:
        return []
    born = Entity.objects.filter(kind="person", date_of_birth=entity.date_of_birth)
    return list(born.exclude(pk=entity.pk).order_by("pk").values_list("pk", flat=True)[:PER_INDEX])


def _by_linked(entity: Entity) -> list[int]:
    """People linked to a phone, vehicle, handle or address this person is linked to, or to
    another record of the same value (the same once normalised, or matched when it was saved)."""
    mine = set(
        Link.objects.filter(entity=entity, other__kind__in=list(LINKED)).values_list(
            "other_id", flat=True
        )
    ) | set(
        Link.objects.filter(other=entity, entity__kind__in=list(LINKED)).values_list(
            "entity_id", flat=True
        )
    )
    if not mine:
        return []
    values = Entity.objects.filter(pk__in=mine).values_list("kind", "normalised")
    same = Q()
    for kind, normalised in values:
        same |= Q(kind=kind, normalised=normalised)
    things = set(Entity.objects.filter(same).values_list("pk", flat=True)[: PER_INDEX * 2]) | mine
    pairs = Match.objects.filter(Q(entity_id__in=things) | Q(other_id__in=things))
    for a, b in pairs.values_list("entity_id", "other_id")[: PER_INDEX * 2]:
        things |= {a, b}
    out = Link.objects.filter(other_id__in=things, entity__kind="person").exclude(entity=entity)
    into = Link.objects.filter(entity_id__in=things, other__kind="person").exclude(other=entity)
    return [
        *out.values_list("entity_id", flat=True)[:PER_INDEX],
        *into.values_list("other_id", flat=True)[:PER_INDEX],
    ]


# ---- scoring -----------------------------------------------------------------------------------


def judge(
    a: Record,
    b: Record,
    features: tuple[Any, Any] | None = None,
    *,
    params: dict[str, Any] | None = None,
) -> Verdict:
    """The model's verdict, with one floor: two people whose names are the same but for a slip
    (network.matching.close, the rule names were matched by before the model) and on whom no
    field disagrees are at least "possibly the same": when all that is recorded of a person is
    a name, the name is all the evidence there is, and the worker is asked to check, as before.
    The same rule at save and overnight. `features`: the two records' model features, when
    already worked out (one record is compared with many); `params`: the model's parameters
    when not the partnership's stored ones (the bench's, estimated on its own set)."""
    if features is None:
        verdict = compare("person", a, b, params=params)
    else:
        verdict = compare_features("person", *features, params)
    if settled(verdict) or not _names_close(a.names, b.names):
        return verdict
    return replace(verdict, band="possibly")


def settled(verdict: Verdict) -> bool:
    """Whether judge() gives the model's verdict whatever the names say: the floor lifts only
    a pair the model leaves out and on which no field disagrees."""
    return bool(verdict.band or verdict.disagree)


def _names_close(first: tuple[str, ...], second: tuple[str, ...]) -> bool:
    mine = [normalise("person", name) for name in first]
    theirs = [normalise("person", name) for name in second]
    return any(x == y or close("person", x, y) for x in mine for y in theirs if x and y)


def score(entity: Entity) -> list[tuple[int, Verdict]]:
    """The candidates the model says are very likely or possibly this person, best first."""
    ids = candidates(entity)[:MOST_CANDIDATES]
    if not ids:
        return []
    others = records_for(ids)
    mine = record_of(entity)
    today = timezone.localdate()
    own = features(mine, today)
    verdicts = [
        (pk, judge(mine, others[pk], (own, features(others[pk], today))))
        for pk in ids
        if pk in others
    ]
    kept = [(pk, verdict) for pk, verdict in verdicts if verdict.band in BANDS]
    return sorted(kept, key=lambda item: (-item[1].probability, item[0]))


def matches_for(entity: Entity) -> list[tuple[int, str, float, dict[str, list[str]]]]:
    """(other person, Match.How, probability, {"agree": […], "disagree": […]}), best first."""
    return [
        (
            pk,
            BANDS[verdict.band],
            round(float(verdict.probability), 4),
            {"agree": list(verdict.agree), "disagree": list(verdict.disagree)},
        )
        for pk, verdict in score(entity)
    ]


def describe(fields: Iterable[str]) -> list[str]:
    """The fields as the worker reads them: the model words them already ("date of birth")."""
    return [str(name) for name in fields]


def source() -> Iterator[Record]:
    """The "person" source for the model's estimation: every person's Record."""
    return (record for _, record in person_records())
