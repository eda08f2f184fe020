"""Search before create: is the child being added already known to any team?

Candidates come from indexes (the name's sound-alike keys, a trigram index of the full name on
PostgreSQL, the date of birth, the NHS number) and are scored with the matching's model for
children (`seethesigns.matching.api.compare("child", …)`). A child the worker may open is
offered to open. Of any other child the worker learns only which team may know them and whom
to contact there: never the record, its name, date of birth or anything else. So that the
search cannot be used to find out who is known where one guess at a time, a child the worker
may not open is named only on a "very likely" match, each search counts against a per-worker
limit, and every search and every match shown is audited (never what was typed).
"""

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core import signing
from django.db import connection
from django.db.models import Q

from seethesigns.accounts.models import Role, Team, User
from seethesigns.children.models import Child, ChildNameKey
from seethesigns.children.policies import ChildPolicy
from seethesigns.matching.api import Record, Verdict, compare, name_sound_keys

CANDIDATES = 200  # at most this many children scored per search
NAME_SIMILARITY = 0.4  # pg_trgm's similarity of the full names, for a candidate
# Bands that name another team: weaker matches of children the worker may not open stay unsaid.
NAMED_ELSEWHERE = {"very_likely"}


@dataclass(frozen=True)
class Elsewhere:
    """A team that may know the child, and whom to contact there. Nothing of the child."""

    team: Team
    contact: User | None


@dataclass
class Found:
    openable: list[tuple[Child, Verdict]] = field(default_factory=list)
    elsewhere: list[Elsewhere] = field(default_factory=list)
    # For the audit: every child a match was shown about, with its band and how it was shown.
    shown: list[tuple[Child, Verdict, bool]] = field(default_factory=list)
    candidates: int = 0


def record_of(child: Child) -> Record:
    """The child as the matching compares them."""
    return Record(
        names=(f"{child.first_name} {child.last_name}",),
        date_of_birth=child.date_of_birth,
        sex=child.sex,
        addresses=(child.address,) if child.address else (),
        nhs_number=child.nhs_number,
    )


def probe_of(values: dict[str, Any]) -> Record:
    """What the worker typed, as the matching compares it."""
    address = (values.get("address") or "").strip()
    return Record(
        names=(f"{values['first_name']} {values['last_name']}",),
        date_of_birth=values.get("date_of_birth"),
        addresses=(address,) if address else (),
        nhs_number=values.get("nhs_number") or "",
    )


def every_record() -> Iterator[Record]:
    """Every child as a Record: the source the matching's estimation reads (apps.py)."""
    children = Child.objects.order_by("pk").only(
        "first_name", "last_name", "date_of_birth", "sex", "address", "nhs_number"
    )
    for child in children.iterator(chunk_size=2000):
        yield record_of(child)


def sound_keys(first_name: str, last_name: str) -> list[str]:
    return name_sound_keys(f"{first_name} {last_name}")


def candidates(values: dict[str, Any]) -> list[Child]:
    """Children of every team that share a key with what was typed; the likeliest first."""
    keys = sound_keys(values["first_name"], values["last_name"])
    born: date | None = values.get("date_of_birth")
    nhs = values.get("nhs_number") or ""
    near = Q(pk__in=_similar_names(values)) | Q(pk__in=_sharing_every_key(keys))
    if born is not None:
        near |= Q(date_of_birth=born)
    if nhs:
        near |= Q(nhs_number=nhs)
    found = Child.objects.filter(near).select_related("team__organisation", "team__cse_contact")
    return list(found.order_by("pk")[:CANDIDATES])


def _sharing_every_key(keys: list[str]) -> list[int]:
    """Children whose name has every sound-alike key typed ("Stephen Smyth" for "Steven Smith")."""
    if not keys:
        return []
    rows = ChildNameKey.objects.filter(key__in=keys).values_list("child_id", "key")
    have: dict[int, set[str]] = {}
    for child_id, key in rows[: CANDIDATES * len(keys)]:
        have.setdefault(child_id, set()).add(key)
    return [pk for pk, got in have.items() if got >= set(keys)]


def _similar_names(values: dict[str, Any]) -> list[int]:
    """Children whose full name is spelt alike: pg_trgm's index on PostgreSQL (none on SQLite,
    where the sound-alike keys do the work)."""
    if connection.vendor != "postgresql":
        return []
    name = f"{values['first_name']} {values['last_name']}".lower()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.similarity_threshold', %s, true)", [str(NAME_SIMILARITY)]
        )
        cursor.execute(
            "SELECT id FROM cases_child WHERE lower(first_name || ' ' || last_name) %% %s "
            "ORDER BY similarity(lower(first_name || ' ' || last_name), %s) DESC, id LIMIT %s",
            [name, name, CANDIDATES],
        )
        return [pk for (pk,) in cursor.fetchall()]


def search(values: dict[str, Any], user: Any) -> Found:
    """What the worker may be told about children like the one they are adding."""
    probe = probe_of(values)
    pool = candidates(values)
    scored = [(child, compare("child", probe, record_of(child))) for child in pool]
    matched = sorted(
        [(c, v) for c, v in scored if v.band],
        key=lambda item: (-item[1].probability, item[0].pk),
    )
    openable_ids = set(
        ChildPolicy(user)
        .visible()
        .filter(pk__in=[c.pk for c, _ in matched])
        .values_list("pk", flat=True)
    )
    found = Found(candidates=len(pool))
    teams: dict[int, Team] = {}
    for child, verdict in matched:
        if child.pk in openable_ids:
            found.openable.append((child, verdict))
            found.shown.append((child, verdict, True))
        elif verdict.band in NAMED_ELSEWHERE:
            teams.setdefault(child.team_id, child.team)
            found.shown.append((child, verdict, False))
    found.elsewhere = [Elsewhere(team, contact_for(team)) for team in teams.values()]
    return found


def contact_for(team: Team) -> User | None:
    """Whom to ask about a child the team holds: its named CSE contact; else its designated
    safeguarding lead; else the partnership's CSE coordinator."""
    if team.cse_contact is not None and team.cse_contact.is_active:
        return team.cse_contact
    active = User.objects.filter(is_active=True).order_by("pk")
    return (
        active.filter(team=team, role=Role.DSL).first()
        or active.filter(role=Role.CSE_COORDINATOR).first()
    )


# The record is made only from details that were searched for (views.new_child): the form
# carries this signed digest of them from the search to the "Add the record" button.
SEARCHED_FOR = 3600  # seconds a search stands for the record made after it


def _digest(identity: dict[str, Any]) -> str:
    typed = json.dumps({k: str(v or "") for k, v in sorted(identity.items())})
    return hashlib.sha256(typed.encode()).hexdigest()


def searched_token(identity: dict[str, Any]) -> str:
    return signing.dumps(_digest(identity), salt="cases.searched")


def was_searched(identity: dict[str, Any], token: str) -> bool:
    try:
        signed = signing.loads(token, salt="cases.searched", max_age=SEARCHED_FOR)
    except signing.BadSignature:
        return False
    return bool(signed == _digest(identity))
