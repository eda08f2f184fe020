"""Store arriving encodings, match each against other partnerships' sharing a block key, withdraw.

Storing and matching are two steps: the encodings are committed first, then matched against what
is committed. Two partnerships uploading the same car at the same moment then each see the
other's (at worst both find the pair; the unique live-match constraint keeps one).
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from linkagehub.models import AlertEvent, BlockKey, Encoding, Match, Partnership
from pprl.compare import DEFAULT_THRESHOLDS, score

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Incoming:
    ref: str
    kind: str
    fields: dict[str, str]  # base64, checked by the view
    blocks: tuple[str, ...]


def _decoded(fields: dict[str, str]) -> dict[str, bytes]:
    return {name: base64.b64decode(value) for name, value in fields.items()}


def store(partnership: Partnership, incoming: Iterable[Incoming]) -> list[int]:
    """Save (or replace, by ref) the encodings and their block keys; their ids."""
    ids = []
    with transaction.atomic():
        for item in incoming:
            encoding, _ = Encoding.objects.update_or_create(
                partnership=partnership,
                ref=item.ref,
                defaults={"kind": item.kind, "fields": item.fields},
            )
            BlockKey.objects.filter(encoding=encoding).delete()
            BlockKey.objects.bulk_create(
                BlockKey(encoding=encoding, partnership=partnership, kind=item.kind, key=key)
                for key in set(item.blocks)
            )
            ids.append(encoding.pk)
    return ids


def _raise_events(match: Match, event: str) -> None:
    AlertEvent.objects.bulk_create(
        [
            AlertEvent(
                partnership_id=match.a_partnership_id,
                match=match,
                event=event,
                ref=match.a_ref,
                other_id=match.b_partnership_id,
                kind=match.kind,
                band=match.band,
                probability=match.probability,
            ),
            AlertEvent(
                partnership_id=match.b_partnership_id,
                match=match,
                event=event,
                ref=match.b_ref,
                other_id=match.a_partnership_id,
                kind=match.kind,
                band=match.band,
                probability=match.probability,
            ),
        ]
    )


def _withdraw_match(match: Match) -> None:
    match.withdrawn = timezone.now()
    match.save(update_fields=["withdrawn"])
    _raise_events(match, "withdrawn")


def candidates(encoding: Encoding) -> list[Encoding]:
    """Other partnerships' encodings of the same kind sharing a block key (an indexed lookup)."""
    keys = BlockKey.objects.filter(encoding=encoding).values_list("key", flat=True)
    found = (
        BlockKey.objects.filter(kind=encoding.kind, key__in=list(keys))
        .exclude(partnership_id=encoding.partnership_id)
        .values_list("encoding_id", flat=True)
        .distinct()[: settings.HUB_MAX_CANDIDATES + 1]
    )
    ids = list(found)
    if len(ids) > settings.HUB_MAX_CANDIDATES:
        log.warning("an encoding had more than %d candidates", settings.HUB_MAX_CANDIDATES)
        ids = ids[: settings.HUB_MAX_CANDIDATES]
    return list(Encoding.objects.filter(pk__in=ids, kind=encoding.kind))


def match_one(encoding: Encoding) -> int:
    """Match one stored encoding against its candidates; how many matches it raised or changed."""
    mine = _decoded(encoding.fields)
    live = {
        (m.a_id if m.b_id == encoding.pk else m.b_id): m
        for m in Match.objects.filter(withdrawn__isnull=True).filter(
            Q(a_id=encoding.pk) | Q(b_id=encoding.pk)
        )
    }
    changed = 0
    seen: set[int] = set()
    for other in candidates(encoding):
        seen.add(other.pk)
        result = score(encoding.kind, mine, _decoded(other.fields), thresholds=DEFAULT_THRESHOLDS)
        existing = live.get(other.pk)
        if not result.band:
            if existing:
                _withdraw_match(existing)
                changed += 1
            continue
        if existing:
            if existing.band != result.band or existing.kind != encoding.kind:
                existing.band, existing.probability = result.band, result.probability
                existing.kind = encoding.kind
                existing.save(update_fields=["band", "probability", "kind"])
                _raise_events(existing, "raised")
                changed += 1
            continue
        a, b = (other, encoding) if other.pk < encoding.pk else (encoding, other)
        try:
            with transaction.atomic():
                match = Match.objects.create(
                    kind=encoding.kind,
                    a=a,
                    b=b,
                    a_partnership_id=a.partnership_id,
                    b_partnership_id=b.partnership_id,
                    a_ref=a.ref,
                    b_ref=b.ref,
                    probability=result.probability,
                    band=result.band,
                )
                _raise_events(match, "raised")
                changed += 1
        except IntegrityError:
            continue  # the other side's upload found the pair first
    # A live match whose other side no longer shares a block key (this record was changed).
    for other_id, existing in live.items():
        if other_id not in seen:
            _withdraw_match(existing)
            changed += 1
    return changed


def withdraw(partnership: Partnership, refs: Iterable[str]) -> int:
    """Delete the partnership's encodings of these refs; tell both sides of their matches."""
    with transaction.atomic():
        encodings = list(Encoding.objects.filter(partnership=partnership, ref__in=list(refs)))
        ids = [e.pk for e in encodings]
        for match in Match.objects.filter(withdrawn__isnull=True).filter(
            Q(a_id__in=ids) | Q(b_id__in=ids)
        ):
            _withdraw_match(match)
        Encoding.objects.filter(pk__in=ids).delete()
    return len(ids)
