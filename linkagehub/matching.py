"""Store arriving encodings, match each against other partnerships' sharing a block key, withdraw.

Storing and matching are two steps: the encodings are committed first, then matched against what
is committed. Two partnerships uploading the same car at the same moment then each see the
other's (at worst both find the pair; the unique live-match constraint keeps one). A request's
encodings are stored and matched in a few queries for the whole batch, not a few for each.
"""

from __future__ import annotations

import base64
import logging
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from linkagehub.models import AlertEvent, BlockKey, Encoding, Match, ModelParameters, Partnership
from pprl.compare import (
    DEFAULT_THRESHOLDS,
    FIELDS,
    SHIPPED_FOR,
    check_parameters,
    default_parameters,
    for_size,
    score,
)

log = logging.getLogger(__name__)
CHUNK = 2000  # values in one SQL IN list (SQLite allows 32,766 variables a statement)


@dataclass(frozen=True)
class Incoming:
    ref: str
    kind: str
    fields: dict[str, str]  # base64, checked by the view
    blocks: tuple[str, ...]


def _decoded(fields: dict[str, str]) -> dict[str, bytes]:
    return {name: base64.b64decode(value) for name, value in fields.items()}


def _chunks(values: Sequence[object]) -> Iterable[Sequence[object]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def store(partnership: Partnership, incoming: Iterable[Incoming]) -> list[Encoding]:
    """Save (or replace, by ref) the encodings and their block keys; the saved encodings."""
    latest = {item.ref: item for item in incoming}  # the same ref twice: the last one counts
    with transaction.atomic():
        existing: dict[str, Encoding] = {}
        for refs in _chunks(list(latest)):
            existing |= {
                e.ref: e for e in Encoding.objects.filter(partnership=partnership, ref__in=refs)
            }
        now = timezone.now()
        for ref, encoding in existing.items():
            encoding.kind, encoding.fields = latest[ref].kind, latest[ref].fields
            encoding.updated = now  # bulk_update does not set auto_now fields
        Encoding.objects.bulk_update(existing.values(), ["kind", "fields", "updated"])
        for ids in _chunks([e.pk for e in existing.values()]):
            BlockKey.objects.filter(encoding_id__in=ids).delete()
        created = Encoding.objects.bulk_create(
            Encoding(partnership=partnership, ref=ref, kind=item.kind, fields=item.fields)
            for ref, item in latest.items()
            if ref not in existing
        )
        saved = [*existing.values(), *created]
        BlockKey.objects.bulk_create(
            (
                BlockKey(encoding=e, partnership=partnership, kind=e.kind, key=key)
                for e in saved
                for key in set(latest[e.ref].blocks)
            ),
            batch_size=CHUNK,
        )
    return saved


def _raise_events(match: Match, event: str) -> None:
    AlertEvent.objects.bulk_create(
        AlertEvent(
            partnership_id=mine,
            match=match,
            event=event,
            ref=ref,
            other_id=theirs,
            kind=match.kind,
            band=match.band,
            probability=match.probability,
        )
        for mine, ref, theirs in (
            (match.a_partnership_id, match.a_ref, match.b_partnership_id),
            (match.b_partnership_id, match.b_ref, match.a_partnership_id),
        )
    )


def _withdraw_match(match: Match) -> None:
    match.withdrawn = timezone.now()
    match.save(update_fields=["withdrawn"])
    _raise_events(match, "withdrawn")


def _restrength(match: Match, kind: str, probability: float, band: str) -> None:
    """A live match whose strength (or kind) changed: kept, and both sides told again."""
    match.kind, match.probability, match.band = kind, probability, band
    match.save(update_fields=["band", "probability", "kind"])
    _raise_events(match, "raised")


def parameters(kind: str) -> dict[str, Any] | None:
    """What `kind` is scored with now: the newest parameters the operator set (pprl's shipped
    ones until then), with the prior scaled from the records they were made for to the encodings
    of the kind the hub holds (`pprl.compare.for_size`). None for vehicles, phones and handles,
    which are scored on fixed levels.

    Read for each request, so a new set is used from the next request in every worker. Parameters
    that no longer fit pprl's fields (set before an upgrade changed a field's levels) are skipped
    with a warning, as the app skips an estimate that no longer fits."""
    if kind not in FIELDS:
        return None
    chosen, made_for = default_parameters(kind), SHIPPED_FOR
    newest = ModelParameters.objects.filter(kind=kind).first()
    if newest is not None:
        try:
            chosen = check_parameters(kind, newest.parameters)
            made_for = newest.records or SHIPPED_FOR
        except ValueError as wrong:
            log.warning(
                "the %s parameters set on %s do not fit; shipped ones used: %s",
                kind,
                newest.set_at,
                wrong,
            )
    return for_size(chosen, made_for, held(kind))


_HELD: dict[str, tuple[float, int]] = {}
HELD_SECONDS = 300  # how long a worker keeps its count of what the hub holds


def held(kind: str) -> int:
    """Encodings of `kind` the active partnerships hold; counted at most every five minutes
    by each worker (a count of millions of rows is not for every request)."""
    now = time.monotonic()
    counted = _HELD.get(kind)
    if counted is None or now - counted[0] > HELD_SECONDS:
        total = Encoding.objects.filter(kind=kind, partnership__active=True).count()
        _HELD[kind] = counted = (now, total)
    return counted[1]


def candidates(
    encodings: Sequence[Encoding],
    blocks: dict[int, set[str]],
    live: dict[int, dict[int, Match]] | None = None,
) -> dict[int, list[int]]:
    """For each encoding, the ids of other partnerships' encodings of its kind sharing a block key.

    One indexed lookup of (kind, key) for the whole batch; never a scan of what the hub holds.
    Only active partnerships' encodings are candidates. Past HUB_MAX_CANDIDATES, those sharing
    the most block keys are kept, and always the encoding's live matches that still share one,
    so that a crowded key never withdraws a match only to raise it again later."""
    by_key: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    kinds = sorted({e.kind for e in encodings})
    keys = sorted({key for e in encodings for key in blocks[e.pk]})
    for chunk in _chunks(keys):
        # A deactivated partnership's encodings are kept but match nothing.
        rows = BlockKey.objects.filter(
            kind__in=kinds, key__in=chunk, partnership__active=True
        ).values_list("kind", "key", "encoding_id", "partnership_id")
        for kind, key, encoding_id, partnership_id in rows:
            by_key[(kind, key)].append((encoding_id, partnership_id))
    found: dict[int, list[int]] = {}
    limit = settings.HUB_MAX_CANDIDATES
    for encoding in encodings:
        shared: Counter[int] = Counter(
            other
            for key in blocks[encoding.pk]
            for other, partnership_id in by_key.get((encoding.kind, key), ())
            if partnership_id != encoding.partnership_id
        )
        if len(shared) > limit:
            log.warning("an encoding had more than %d candidates", limit)
            kept = set((live or {}).get(encoding.pk, {})) & set(shared)
            ranked = sorted(shared, key=lambda other: (-shared[other], other))
            for other in ranked:
                if len(kept) >= limit:
                    break
                kept.add(other)
            found[encoding.pk] = sorted(kept)
        else:
            found[encoding.pk] = sorted(shared)
    return found


def _live_matches(ids: Sequence[int]) -> dict[int, dict[int, Match]]:
    """Live matches of these encodings: {encoding id: {the other encoding's id: match}}."""
    live: dict[int, dict[int, Match]] = defaultdict(dict)
    for chunk in _chunks(ids):
        # Locked until the transaction ends: two uploads touching one match change it in turn.
        for m in (
            Match.objects.filter(withdrawn__isnull=True)
            .filter(Q(a_id__in=chunk) | Q(b_id__in=chunk))
            .order_by("pk")  # every upload locks in the same order: no deadlock between two
            .select_for_update()
        ):
            if m.a_id is not None and m.b_id is not None:
                live[m.a_id][m.b_id] = m
                live[m.b_id][m.a_id] = m
    return live


def match(encodings: Sequence[Encoding], blocks: dict[int, set[str]]) -> int:
    """Match stored encodings against their candidates; how many matches were raised or changed."""
    live = _live_matches([e.pk for e in encodings])
    found = candidates(encodings, blocks, live)
    others: dict[int, Encoding] = {}
    for chunk in _chunks(sorted({i for ids in found.values() for i in ids})):
        others |= {e.pk: e for e in Encoding.objects.filter(pk__in=chunk)}
    chosen = {kind: parameters(kind) for kind in {e.kind for e in encodings}}
    changed = 0
    for encoding in encodings:
        mine = _decoded(encoding.fields)
        existing_for = live.get(encoding.pk, {})
        seen: set[int] = set()
        for other_id in found[encoding.pk]:
            other = others.get(other_id)
            if other is None or other.kind != encoding.kind:
                continue  # withdrawn or changed in between
            seen.add(other_id)
            result = score(
                encoding.kind,
                mine,
                _decoded(other.fields),
                thresholds=DEFAULT_THRESHOLDS,
                params=chosen[encoding.kind],
            )
            existing = existing_for.get(other_id)
            if existing is not None and existing.withdrawn is None:
                if not result.band:
                    _withdraw_match(existing)
                    changed += 1
                elif existing.band != result.band or existing.kind != encoding.kind:
                    _restrength(existing, encoding.kind, result.probability, result.band)
                    changed += 1
            elif result.band:
                changed += _create(encoding, other, result.probability, result.band)
        # A live match whose other side no longer shares a block key (this record was changed).
        for other_id, existing in existing_for.items():
            if other_id not in seen and existing.withdrawn is None:
                _withdraw_match(existing)
                changed += 1
    return changed


def _create(encoding: Encoding, other: Encoding, probability: float, band: str) -> int:
    a, b = (other, encoding) if other.pk < encoding.pk else (encoding, other)
    try:
        with transaction.atomic():
            created = Match.objects.create(
                kind=encoding.kind,
                a=a,
                b=b,
                a_partnership_id=a.partnership_id,
                b_partnership_id=b.partnership_id,
                a_ref=a.ref,
                b_ref=b.ref,
                probability=probability,
                band=band,
            )
            _raise_events(created, "raised")
    except IntegrityError:
        return 0  # the other side's upload found the pair first
    return 1


def store_and_match(partnership: Partnership, incoming: Sequence[Incoming]) -> tuple[int, int]:
    """Store the encodings, then match them: (how many stored, matches raised or changed)."""
    blocks_of = {item.ref: set(item.blocks) for item in incoming}
    saved = store(partnership, incoming)
    blocks = {e.pk: blocks_of[e.ref] for e in saved}
    with transaction.atomic():
        changed = match(saved, blocks)
    return len(saved), changed


def rematch(kind: str, batch: int = 500) -> tuple[int, int]:
    """Match every held encoding of `kind` again (after new parameters): (encodings, matches
    raised, changed or withdrawn). In batches, each its own transaction, oldest first."""
    held = changed = 0
    last = 0
    while True:
        encodings = list(Encoding.objects.filter(kind=kind, pk__gt=last).order_by("pk")[:batch])
        if not encodings:
            return held, changed
        last = encodings[-1].pk
        blocks: dict[int, set[str]] = {e.pk: set() for e in encodings}
        for encoding_id, key in BlockKey.objects.filter(encoding_id__in=list(blocks)).values_list(
            "encoding_id", "key"
        ):
            blocks[encoding_id].add(key)
        with transaction.atomic():
            changed += match(encodings, blocks)
        held += len(encodings)


def withdraw(partnership: Partnership, refs: Iterable[str]) -> int:
    """Delete the partnership's encodings of these refs; tell both sides of their matches."""
    with transaction.atomic():
        ids = list(
            Encoding.objects.filter(partnership=partnership, ref__in=list(refs)).values_list(
                "pk", flat=True
            )
        )
        for chunk in _chunks(ids):
            for live in Match.objects.filter(withdrawn__isnull=True).filter(
                Q(a_id__in=chunk) | Q(b_id__in=chunk)
            ):
                _withdraw_match(live)
            Encoding.objects.filter(pk__in=chunk).delete()
    return len(ids)


def deactivate(partnership: Partnership) -> int:
    """Mark the partnership inactive and withdraw its live matches (both sides are told)."""
    with transaction.atomic():
        Partnership.objects.filter(pk=partnership.pk).update(active=False)
        live = Match.objects.filter(withdrawn__isnull=True).filter(
            Q(a_partnership=partnership) | Q(b_partnership=partnership)
        )
        withdrawn = 0
        for found in live.select_for_update():
            _withdraw_match(found)
            withdrawn += 1
    return withdrawn
