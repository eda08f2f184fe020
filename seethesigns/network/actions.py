from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from seethesigns.audit.actions import record
from seethesigns.children.actions import add_entry
from seethesigns.children.models import Child, ChronologyEntry, Source
from seethesigns.encryption import seal
from seethesigns.network import people
from seethesigns.network.matching import (
    EXACT,
    THRESHOLDS,
    close,
    house_numbers,
    normalise,
    similarity,
)
from seethesigns.network.models import (
    PERSON_FIELDS,
    Disruption,
    DisruptionUpdate,
    Entity,
    EntityRevision,
    IntelligenceSubmission,
    Link,
    Match,
    PairDecision,
    PairSuggestion,
    PersonKey,
    Sighting,
    ordered_pair,
)
from seethesigns.network.policies import EntityPolicy
from seethesigns.optimistic import save_versioned
from seethesigns.submissions import once, without_key

CANDIDATES = 50  # the closest fuzzy matches kept per record
MODEL_KINDS = {Match.How.VERY_LIKELY, Match.How.POSSIBLY}


def find_matches(entity: Entity) -> list[tuple[int, str, float]]:
    """Other records that look like this one: (id, how, score), best first."""
    if entity.kind == "person" and entity.pk:
        return [(pk, how, score) for pk, how, score, _ in people.matches_for(entity)]
    same = Entity.objects.filter(kind=entity.kind, normalised=entity.normalised)
    found: list[tuple[int, str, float]] = [
        (pk, Match.How.SAME, 1.0) for pk in same.exclude(pk=entity.pk).values_list("pk", flat=True)
    ]
    if entity.kind in EXACT or not entity.normalised:
        return found
    threshold = THRESHOLDS[entity.kind]
    seen = {pk for pk, _, _ in found} | {entity.pk}
    for pk, other, score in _similar(entity, threshold):
        if pk not in seen and close(entity.kind, entity.normalised, other):
            found.append((pk, Match.How.SIMILAR, round(score, 3)))
    return found


def offers(kind: str, label: str, *, user: Any) -> list[Entity]:
    """The records the user may open that join the dots would match to this value, best first:
    what a sighting offers to link to instead of making a copy."""
    normalised = normalise(kind, label)
    if not normalised:
        return []
    # Unsaved, with a pk no record has, so that find_matches leaves nothing out as "itself".
    probe = Entity(pk=0, kind=kind, normalised=normalised, numbers=house_numbers(kind, normalised))
    ids = [pk for pk, _, _ in find_matches(probe)]
    found = EntityPolicy(user).visible().filter(pk__in=ids).in_bulk()
    return [found[pk] for pk in ids if pk in found]


def _similar(entity: Entity, threshold: float) -> list[tuple[int, str, float]]:
    if connection.vendor == "postgresql":
        return _similar_in_postgresql(entity, threshold)
    others = Entity.objects.filter(kind=entity.kind).exclude(pk=entity.pk)
    if entity.numbers:
        others = others.filter(numbers__in=[entity.numbers, ""])
    scored = [
        (pk, other, similarity(entity.normalised, other))
        for pk, other in others.values_list("pk", "normalised").iterator()
    ]
    kept = [item for item in scored if item[2] >= threshold]
    return sorted(kept, key=lambda item: (-item[2], item[0]))[:CANDIDATES]


def _similar_in_postgresql(entity: Entity, threshold: float) -> list[tuple[int, str, float]]:
    """pg_trgm's candidates; for an address with house numbers, only those that could match.

    Every "… Crescent" shares trigrams with every other, so an address with numbers is compared,
    through the (kind, numbers) index, with the few addresses that have the same numbers, and,
    through a trigram index of their own, with the addresses that have none.
    """
    # The % operator uses a trigram index; the threshold holds for this transaction only.
    found = "SELECT id, normalised FROM links_entity WHERE kind = %s AND normalised %% %s"
    params: list[Any] = [entity.kind, entity.normalised]
    if entity.numbers:
        found += (
            " AND numbers = '' UNION ALL SELECT id, normalised FROM links_entity "
            "WHERE kind = %s AND numbers = %s AND similarity(normalised, %s) >= %s"
        )
        params += [entity.kind, entity.numbers, entity.normalised, threshold]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.similarity_threshold', %s, true)", [str(threshold)]
        )
        cursor.execute(
            f"SELECT id, normalised, similarity(normalised, %s) AS score FROM ({found}) found "  # noqa: S608  (no input in the text)  # nosec B608
            "WHERE id <> %s ORDER BY score DESC, id LIMIT %s",
            [entity.normalised, *params, entity.pk, CANDIDATES],
        )
        return [(pk, other, float(score)) for pk, other, score in cursor.fetchall()]


def _store_matches(entity: Entity, *, acting_user: Any, request: HttpRequest | None) -> list[Match]:
    """Store what the record's label matches, keeping every match found for an earlier label.

    Each value that matches is on the audit (which records, never the value): a worker who
    types plates, names or handles to see whether they are known elsewhere leaves a trace.
    A person of concern is matched by the model on everything known (`_store_person_matches`).
    """
    if entity.kind == "person":
        return _store_person_matches(entity, acting_user=acting_user, request=request)
    pairs = Match.objects.filter(Q(entity=entity) | Q(other=entity))
    known = {pk for pair in pairs.values_list("entity_id", "other_id") for pk in pair}
    found = [(pk, how, score) for pk, how, score in find_matches(entity) if pk not in known]
    if found:
        record(
            "links.match_found",
            actor=acting_user,
            obj=entity,
            request=request,
            data={"matches": [pk for pk, _, _ in found], "kind": entity.kind},
        )
    return Match.objects.bulk_create(
        Match(entity=entity, other_id=pk, how=how, score=score) for pk, how, score in found
    )


def _store_person_matches(
    entity: Entity, *, acting_user: Any, request: HttpRequest | None
) -> list[Match]:
    """Score the person against the candidates the indexes give, and store each verdict.

    A pair stored earlier keeps its row: a model verdict is brought up to date (the person may
    have gained a date of birth or a phone since), a match found another way stays as it was;
    nothing is removed, so a match found for an earlier label stays seen.
    """
    _write_person_keys(entity)
    pairs = Match.objects.filter(Q(entity=entity) | Q(other=entity))
    stored = {(m.other_id if m.entity_id == entity.pk else m.entity_id): m for m in pairs}
    made: list[Match] = []
    changed: list[Match] = []
    for pk, how, score, fields in people.matches_for(entity):
        match = stored.get(pk)
        if match is None:
            made.append(Match(entity=entity, other_id=pk, how=how, score=score, **fields))
        elif match.how in MODEL_KINDS and (match.how, match.agree, match.disagree) != (
            how,
            fields["agree"],
            fields["disagree"],
        ):
            match.how, match.score = how, score
            match.agree, match.disagree = fields["agree"], fields["disagree"]
            changed.append(match)
    if made or changed:
        record(
            "links.match_found",
            actor=acting_user,
            obj=entity,
            request=request,
            data={
                "matches": [m.other_id for m in made],
                "updated": [m.pk for m in changed],
                "kind": entity.kind,
            },
        )
    Match.objects.bulk_update(changed, ["how", "score", "agree", "disagree"])
    return Match.objects.bulk_create(made) + changed


def _entity_for(values: dict[str, Any], *, acting_user: Any, request: HttpRequest | None) -> Entity:
    """The record the worker's team holds with this exact value, or a new one for the team."""
    existing = (
        EntityPolicy(acting_user)
        .visible()
        .filter(
            kind=values["kind"],
            normalised=normalise(values["kind"], values["label"]),
            team_id=acting_user.team_id,
        )
        .order_by("pk")
        .first()
    )
    if existing is not None and existing.kind == "person":
        _fill_particulars(existing, values)
    return existing or _new_entity(values, acting_user=acting_user, request=request)


def _particulars(values: dict[str, Any]) -> dict[str, Any]:
    """A person's particulars from a form (none for other kinds); an age is given as of today."""
    if values.get("kind") != "person":
        return {}
    found = {name: values.get(name) for name in PERSON_FIELDS if values.get(name) not in (None, "")}
    if found.get("age_low") is not None:
        found["age_on"] = timezone.localdate()
    return found


def _fill_particulars(entity: Entity, values: dict[str, Any]) -> None:
    """What a link tells of a person already recorded fills only what their record lacks."""
    blank = {
        name: value
        for name, value in _particulars(values).items()
        if getattr(entity, name) in (None, "")
    }
    if "age_low" not in blank:
        blank.pop("age_on", None)
        blank.pop("age_high", None)
    if blank:
        Entity.objects.filter(pk=entity.pk).update(**blank)
        for name, value in blank.items():
            setattr(entity, name, value)


def _new_entity(
    values: dict[str, Any], *, acting_user: Any, request: HttpRequest | None, key: Any = None
) -> Entity:
    """A record held by the worker's team, with its matches in every team's records."""
    kind = values["kind"]
    normalised = normalise(kind, values["label"])
    entity = Entity.objects.create(
        kind=kind,
        label=values["label"].strip(),
        normalised=normalised,
        numbers=house_numbers(kind, normalised),
        place_kind=values.get("place_kind", "") if kind == "place" else "",
        details=values.get("details", ""),
        team_id=acting_user.team_id,
        created_by=acting_user,
        submission_key=key,
        **_particulars(values),
    )
    _store_matches(entity, acting_user=acting_user, request=request)
    return entity


def _write_person_keys(entity: Entity) -> None:
    """Make the person's keys what the record says now (a changed name drops its old keys)."""
    want = people.keys_of(entity)
    have = set(PersonKey.objects.filter(entity=entity).values_list("key", flat=True))
    PersonKey.objects.filter(entity=entity, key__in=have - want).delete()
    PersonKey.objects.bulk_create(PersonKey(entity=entity, key=key) for key in want - have)


def _rematch_people(*entities: Entity | None, acting_user: Any, request: Any) -> None:
    """A record linked to a person changes what the person is matched on: match them again."""
    for entity in entities:
        if entity is not None and entity.kind == "person":
            _store_person_matches(entity, acting_user=acting_user, request=request)


def _new_link(
    entity: Entity, values: dict[str, Any], *, acting_user: Any, key: Any, **to: Any
) -> Link:
    """A link from `entity` to a child (child=…) or to another record (other=…)."""
    return Link.objects.create(
        entity=entity,
        nature=values["nature"],
        linked_on=values["linked_on"],
        source=values["source"],
        created_by=acting_user,
        submission_key=key,
        **to,
    )


@transaction.atomic
def do_link_child(
    child: Child, values: dict[str, Any], *, acting_user: Any, request: HttpRequest | None
) -> Link:
    """Link a child to a person, place, vehicle, phone, handle or group, and join the dots.

    Once per form: the same form sent again returns the first link.
    """
    link, made = once(
        Link,
        values.get("key"),
        lambda found: found.created_by_id == acting_user.pk and found.child_id == child.pk,
        lambda key: _new_link(
            _entity_for(values, acting_user=acting_user, request=request),
            values,
            acting_user=acting_user,
            key=key,
            child=child,
        ),
    )
    if not made:
        return link
    entity = link.entity
    add_entry(
        child,
        f"Linked to {entity.get_kind_display().lower()} {entity.label}: {link.nature}.",
        kind=ChronologyEntry.Kind.LINK,
        happened_on=link.linked_on,
        source=link.source,
        author=acting_user,
    )
    record(
        "links.link_child",
        actor=acting_user,
        obj=child,
        request=request,
        data={"link": link.pk, "entity": entity.pk},
    )
    return link


@transaction.atomic
def do_create_entity(
    values: dict[str, Any], *, acting_user: Any, request: HttpRequest | None
) -> Entity:
    """Make the record once per form: the same form sent again returns the first one."""
    entity, made = once(
        Entity,
        values.get("key"),
        lambda found: found.created_by_id == acting_user.pk,
        lambda key: _new_entity(values, acting_user=acting_user, request=request, key=key),
    )
    if made:
        record("links.create_entity", actor=acting_user, obj=entity, request=request)
    return entity


@transaction.atomic
def do_view_entity(
    entity: Entity, *, acting_user: Any, request: HttpRequest | None, page: str = "record"
) -> None:
    """Audit one page that shows the record: `page` is its URL name, never anything typed."""
    record("links.view_entity", actor=acting_user, obj=entity, request=request, data={"page": page})


@transaction.atomic
def do_show_matches(
    subject: Any, matches: list[int], *, acting_user: Any, request: HttpRequest | None
) -> None:
    """Audit the people matches an alert showed on a page about `subject` (a record or a
    child): which records, never what they hold. Nothing is written when none was shown."""
    if matches:
        data = {"matches": matches}
        record("links.show_matches", actor=acting_user, obj=subject, request=request, data=data)


def do_view_network(
    since: Any, until: Any, *, acting_user: Any, request: HttpRequest | None
) -> None:
    """Audit a look at the network: the dates asked for, nothing of what it showed."""
    data = {"from": str(since or ""), "to": str(until or "")}
    record("links.view_network", actor=acting_user, request=request, data=data)


@transaction.atomic
def do_update_entity(
    entity: Entity,
    version: int,
    values: dict[str, Any],
    *,
    acting_user: Any,
    request: HttpRequest | None,
) -> Entity:
    """Raises optimistic.Conflict if someone saved the record since `version` was read.

    A new label never loses the old one: it is kept as a revision, and the old label's matches
    stay stored beside the new label's, so the teams it matched still see it in their alerts.
    """
    normalised = normalise(entity.kind, values["label"])
    values = {
        **values,
        "normalised": normalised,
        "numbers": house_numbers(entity.kind, normalised),
    }
    if "age_low" in values:  # a person's age is kept with the day it was given
        ages = (values.get("age_low"), values.get("age_high"))
        if ages[0] is None:
            values["age_on"] = None
        elif ages != (entity.age_low, entity.age_high):
            values["age_on"] = timezone.localdate()
    before = EntityRevision(
        entity=entity, label=entity.label, normalised=entity.normalised, changed_by=acting_user
    )
    particulars = [getattr(entity, name) for name in PERSON_FIELDS]
    entity = save_versioned(entity, version, values)
    data: dict[str, Any] = {"fields": sorted(values)}
    if entity.label != before.label:
        before.save()
        data["revision"] = before.pk
    if entity.normalised != before.normalised or (
        entity.kind == "person" and particulars != [getattr(entity, n) for n in PERSON_FIELDS]
    ):
        _store_matches(entity, acting_user=acting_user, request=request)
    record("links.update_entity", actor=acting_user, obj=entity, request=request, data=data)
    return entity


@transaction.atomic
def do_link_records(
    entity: Entity, values: dict[str, Any], *, acting_user: Any, request: HttpRequest | None
) -> Link:
    """Link this record to another one: a person drives a vehicle, a phone is a person's."""
    link, made = once(
        Link,
        values.get("key"),
        lambda found: (
            found.created_by_id == acting_user.pk
            and found.entity_id == entity.pk
            and found.child_id is None
        ),
        lambda key: _new_link(
            entity,
            values,
            acting_user=acting_user,
            key=key,
            other=_entity_for(values, acting_user=acting_user, request=request),
        ),
    )
    if made:
        data = {"link": link.pk, "other": link.other_id}
        record("links.link_records", actor=acting_user, obj=entity, request=request, data=data)
        _rematch_people(entity, link.other, acting_user=acting_user, request=request)
    return link


@transaction.atomic
def do_add_disruption(
    entity: Entity,
    values: dict[str, Any],
    *,
    child: Child | None,
    acting_user: Any,
    request: HttpRequest | None,
) -> Disruption:
    action, made = once(
        Disruption,
        values.get("key"),
        lambda found: (
            found.created_by_id == acting_user.pk
            and found.entity_id == entity.pk
            and found.child_id == (child.pk if child else None)
        ),
        lambda key: Disruption.objects.create(
            entity=entity,
            child=child,
            created_by=acting_user,
            submission_key=key,
            **without_key(values),
        ),
    )
    if not made:
        return action
    if child is not None:
        add_entry(
            child,
            f"{action.get_kind_display()} about {entity.label}, "
            f"review by {action.review_on:%d %b %Y}.",
            kind=ChronologyEntry.Kind.DISRUPTION,
            happened_on=action.started_on,
            author=acting_user,
        )
    record(
        "links.add_disruption",
        actor=acting_user,
        obj=entity,
        request=request,
        data={"disruption": action.pk, "child": child.pk if child else None},
    )
    return action


@transaction.atomic
def do_update_disruption(
    disruption: Disruption, kind: str, review_on: Any, note: str, *, acting_user: Any, request: Any
) -> DisruptionUpdate:
    """Review a disruption action (setting the next review) or end it; each change is kept."""
    return DisruptionUpdate.add(
        disruption, kind, review_on, note, acting_user=acting_user, request=request
    )


@transaction.atomic
def do_submit_intelligence(
    entity: Entity,
    values: dict[str, Any],
    *,
    acting_user: Any,
    request: HttpRequest | None,
    sighting: Sighting | None = None,
) -> IntelligenceSubmission:
    """Make a 3x5x2 submission from a record (or a sighting of it); its words are sealed, its
    grading audited."""
    grading = {k: values[k] for k in ("source_evaluation", "assessment", "handling")}
    words = {"intelligence": values["intelligence"], "conditions": values["conditions"]}
    made = {"entity": entity, "team_id": acting_user.team_id, "created_by": acting_user}
    sub = IntelligenceSubmission.objects.create(
        sealed=seal(words), sighting=sighting, **made, **grading
    )
    data: dict[str, Any] = {"submission": sub.pk, "grading": sub.grading}
    if sighting is not None:
        data["sighting"] = sighting.pk
    record("links.submit_intelligence", actor=acting_user, obj=entity, request=request, data=data)
    return sub


@transaction.atomic
def do_view_intelligence(
    sub: IntelligenceSubmission, fmt: str, *, acting_user: Any, request: HttpRequest
) -> None:
    """Audit one look at (or export of) a submission: page, pdf or json."""
    action = "links.view_intelligence" if fmt == "page" else "links.export_intelligence"
    data = {"record": sub.entity_id, "format": fmt}
    record(action, actor=acting_user, obj=sub, request=request, data=data)


@transaction.atomic
def do_record_sighting(
    values: dict[str, Any],
    place: Entity | None,
    vehicle: Entity | None,
    *,
    acting_user: Any,
    request: HttpRequest | None,
) -> Sighting:
    """Record a sighting linked to the place (and vehicle) the analyst chose; None for either
    means she said none matches, and only then is a new record made (its matches stored).

    Once per form: the same form sent again returns the first sighting.
    """

    def make(key: Any) -> Sighting:
        where = place or _entity_for(
            {"kind": "place", "label": values["where"]}, acting_user=acting_user, request=request
        )
        seen = vehicle
        if seen is None and values.get("vehicle"):
            seen = _entity_for(
                {"kind": "vehicle", "label": values["vehicle"]},
                acting_user=acting_user,
                request=request,
            )
        words = {k: values.get(k, "") for k in ("where", "vehicle", "what")}
        return Sighting.objects.create(
            place=where,
            vehicle=seen,
            seen_on=values["seen_on"],
            source=values["source"],
            sealed=seal(words),
            team_id=acting_user.team_id,
            created_by=acting_user,
            submission_key=key,
        )

    sighting, made = once(
        Sighting, values.get("key"), lambda found: found.created_by_id == acting_user.pk, make
    )
    if made:
        data = {
            "sighting": sighting.pk,
            "place": sighting.place_id,
            "vehicle": sighting.vehicle_id,
            "new_place": place is None,
            "new_vehicle": vehicle is None and sighting.vehicle_id is not None,
        }
        record("links.record_sighting", actor=acting_user, obj=sighting, request=request, data=data)
    return sighting


@transaction.atomic
def do_view_sighting(
    sighting: Sighting, *, acting_user: Any, request: HttpRequest | None, page: str = "sighting"
) -> None:
    """Audit one page that shows a sighting: `page` is its URL name."""
    record(
        "links.view_sighting", actor=acting_user, obj=sighting, request=request, data={"page": page}
    )


# The review queue: "these records may be one person" (issue 20).

SuggestedPair = tuple[int, int, float, str, dict[str, Any]]


@transaction.atomic
def do_suggest_pairs(pairs: Iterable[SuggestedPair], *, run_label: str) -> int:
    """Store new suggestions for the coordinator; how many were added.

    Each pair is (entity_id_a, entity_id_b, probability, band, {"agree": [...], "disagree":
    [...]}). A pair already decided, or already waiting, is skipped whichever way round it
    comes; so is a record paired with itself. Made by the matching at save and by the
    overnight run, so no one's name is on it; the audit says how many, never who.
    """
    wanted: dict[tuple[int, int], PairSuggestion] = {}
    for a, b, probability, band, fields in pairs:
        if a == b:
            continue
        lower, higher = ordered_pair(int(a), int(b))
        wanted.setdefault(
            (lower, higher),
            PairSuggestion(
                entity_id=lower,
                other_id=higher,
                probability=float(probability),
                band=band,
                agree=list(fields.get("agree", ())),
                disagree=list(fields.get("disagree", ())),
                run_label=run_label[:100],
            ),
        )
    if not wanted:
        return 0
    known = _pairs_among(PairSuggestion, wanted) | _pairs_among(PairDecision, wanted)
    new = [suggestion for pair, suggestion in wanted.items() if pair not in known]
    PairSuggestion.objects.bulk_create(new, ignore_conflicts=True)
    if new:
        record("links.suggest_pairs", data={"run": run_label[:100], "added": len(new)})
    return len(new)


def _pairs_among(model: Any, wanted: dict[tuple[int, int], Any]) -> set[tuple[int, int]]:
    """Which of these (lower, higher) pairs the table already holds, in one query per 500."""
    found: set[tuple[int, int]] = set()
    pairs = list(wanted)
    for start in range(0, len(pairs), 500):
        chunk = pairs[start : start + 500]
        lowers = {a for a, _ in chunk}
        rows = model.objects.filter(entity_id__in=lowers).values_list("entity_id", "other_id")
        found |= set(rows) & set(chunk)
    return found


def do_view_pair_queue(waiting: int, *, acting_user: Any, request: HttpRequest | None) -> None:
    """Audit a look at the review queue: how many pairs it listed."""
    record("links.view_pair_queue", actor=acting_user, request=request, data={"pairs": waiting})


def do_view_pair(
    suggestion: PairSuggestion, *, acting_user: Any, request: HttpRequest | None
) -> None:
    """Audit a look at one pair, side by side: both records, by number."""
    record(
        "links.view_pair",
        actor=acting_user,
        obj=suggestion,
        request=request,
        data={"records": [suggestion.entity_id, suggestion.other_id]},
    )


@transaction.atomic
def do_decide_pair(
    suggestion: PairSuggestion,
    same: bool,
    note: str,
    *,
    acting_user: Any,
    request: HttpRequest | None,
) -> PairDecision:
    """The coordinator's answer, kept for good; "same" links the two records as one person.

    A pair already decided (a second tab, a double click) keeps its first decision.
    """
    pair = {"entity_id": suggestion.entity_id, "other_id": suggestion.other_id}
    earlier = PairDecision.objects.filter(**pair).order_by("pk").first()
    if earlier is not None:
        return earlier
    decision = PairDecision.objects.create(
        **pair,
        same=same,
        note=note,
        probability=suggestion.probability,
        decided_by=acting_user,
    )
    link = None
    if same:
        who = acting_user.get_full_name() or acting_user.username
        link = Link.objects.create(
            **pair,
            nature=f"The same person — decided by {who}"[:200],
            linked_on=timezone.localdate(),
            source=Source.OTHER,
            created_by=acting_user,
        )
    record(
        "links.decide_pair",
        actor=acting_user,
        obj=decision,
        request=request,
        data={
            "records": [suggestion.entity_id, suggestion.other_id],
            "same": same,
            "link": link.pk if link else None,
        },
    )
    return decision
