from datetime import date
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from seethesigns.audit.actions import record
from seethesigns.children.models import (
    Child,
    ChildNameKey,
    ChronologyEntry,
    MissingEpisode,
    PhilomenaProfile,
    Source,
)
from seethesigns.children.search import Found, search, sound_keys
from seethesigns.encryption import seal
from seethesigns.optimistic import Conflict, save_versioned
from seethesigns.submissions import create_once, once, without_key


@transaction.atomic
def do_create_child(
    values: dict[str, Any], *, acting_user: Any, request: HttpRequest | None
) -> Child:
    """Make the record once per form: the same form sent again returns the first one."""
    child, made = once(
        Child,
        values.get("key"),
        lambda found: found.created_by_id == acting_user.pk,
        lambda key: Child.objects.create(
            team_id=acting_user.team_id,
            created_by=acting_user,
            submission_key=key,
            **without_key(values),
        ),
    )
    if made:
        index_names(child)
        record("cases.create_child", actor=acting_user, obj=child, request=request)
    return child


@transaction.atomic
def do_search_children(
    values: dict[str, Any], *, acting_user: Any, request: HttpRequest | None
) -> Found:
    """Search every team's children before a record is made; audit the search and each match
    shown (which child, how it was shown), never what was typed."""
    found = search(values, acting_user)
    given = sorted(name for name, value in values.items() if value)
    record(
        "cases.search_children",
        actor=acting_user,
        request=request,
        data={
            "fields": given,
            "candidates": found.candidates,
            "offered": len(found.openable),
            "elsewhere": [e.team.pk for e in found.elsewhere],
        },
    )
    for child, verdict, openable in found.shown:
        record(
            "cases.match_shown",
            actor=acting_user,
            obj=child,
            request=request,
            data={
                "band": verdict.band,
                "probability": round(verdict.probability, 3),
                "shown": "offered to open" if openable else "team and contact only",
            },
        )
    return found


@transaction.atomic
def do_view_child(
    child: Child,
    *,
    acting_user: Any,
    request: HttpRequest | None,
    page: str = "child",
    episode: int | None = None,
) -> None:
    """Audit one page that shows the child: `page` is its URL name, never anything typed."""
    data: dict[str, Any] = {"page": page}
    if episode is not None:
        data["episode"] = episode
    record("cases.view_child", actor=acting_user, obj=child, request=request, data=data)


@transaction.atomic
def do_update_child(
    child: Child,
    version: int,
    values: dict[str, Any],
    *,
    acting_user: Any,
    request: HttpRequest | None,
) -> Child:
    """Raises optimistic.Conflict if someone saved the record since `version` was read."""
    child = save_versioned(child, version, values)
    if {"first_name", "last_name"} & set(values):
        index_names(child)
    record(
        "cases.update_child",
        actor=acting_user,
        obj=child,
        request=request,
        data={"fields": sorted(values)},
    )
    return child


def add_entry(
    child: Child,
    what: str,
    *,
    kind: str = ChronologyEntry.Kind.NOTE,
    happened_on: date | None = None,
    source: str = Source.OTHER,
    source_detail: str = "",
    amends: ChronologyEntry | None = None,
    author: Any,
    key: Any = None,
) -> ChronologyEntry:
    """Append to the chronology. Call inside the action's transaction; it audits nothing itself."""
    return ChronologyEntry.objects.create(
        submission_key=key,
        child=child,
        kind=kind,
        happened_on=happened_on or timezone.localdate(),
        sealed=ChronologyEntry.seal_what(what),
        source=source,
        source_detail=source_detail,
        author=author,
        amends=amends,
    )


@transaction.atomic
def do_add_chronology_entry(
    child: Child,
    values: dict[str, Any],
    *,
    amends: ChronologyEntry | None = None,
    acting_user: Any,
    request: HttpRequest | None,
) -> ChronologyEntry:
    """Add an entry once per form: the same form sent again returns the first one."""
    entry, made = once(
        ChronologyEntry,
        values.get("key"),
        lambda found: found.author_id == acting_user.pk and found.child_id == child.pk,
        lambda key: add_entry(
            child,
            values["what"],
            kind=ChronologyEntry.Kind.AMENDMENT if amends else ChronologyEntry.Kind.NOTE,
            happened_on=values["happened_on"],
            source=values["source"],
            source_detail=values.get("source_detail", ""),
            amends=amends,
            author=acting_user,
            key=key,
        ),
    )
    if not made:
        return entry
    record(
        "cases.add_chronology_entry",
        actor=acting_user,
        obj=child,
        request=request,
        data={"entry": entry.pk, "amends": amends.pk if amends else None},
    )
    return entry


@transaction.atomic
def do_record_missing(
    child: Child, values: dict[str, Any], *, acting_user: Any, request: HttpRequest | None
) -> MissingEpisode:
    """Record it once per form: the same form sent again returns the first episode."""
    episode, made = create_once(MissingEpisode, values, child=child, recorded_by=acting_user)
    if not made:
        return episode
    started = timezone.localtime(episode.started_at)
    add_entry(
        child,
        f"Went missing at {started:%H:%M}. Reported by {episode.reported_by}."
        + (f" Police reference {episode.police_reference}." if episode.police_reference else ""),
        kind=ChronologyEntry.Kind.MISSING,
        happened_on=started.date(),
        source=Source.OTHER,
        author=acting_user,
    )
    if episode.ended_at:
        _returned_entry(episode, acting_user)
    record(
        "cases.record_missing",
        actor=acting_user,
        obj=child,
        request=request,
        data={"episode": episode.pk},
    )
    return episode


@transaction.atomic
def do_update_missing(
    episode: MissingEpisode,
    version: int,
    values: dict[str, Any],
    *,
    acting_user: Any,
    request: HttpRequest | None,
) -> MissingEpisode:
    """Record the return, the safe and well check and the interview. Conflict if stale."""
    before = {name: getattr(episode, name) for name in values}
    episode = save_versioned(episode, version, values)
    if before.get("ended_at") is None and episode.ended_at is not None:
        _returned_entry(episode, acting_user)
    if values.get("interview") and values["interview"] != before.get("interview"):
        words = {
            MissingEpisode.Interview.OFFERED: "Return home interview offered.",
            MissingEpisode.Interview.DONE: "Return home interview done.",
            MissingEpisode.Interview.DECLINED: "Return home interview declined: "
            + episode.declined_reason,
        }[values["interview"]]
        when = episode.interview_at or timezone.now()
        add_entry(
            episode.child,
            words,
            kind=ChronologyEntry.Kind.INTERVIEW,
            happened_on=timezone.localtime(when).date(),
            author=acting_user,
        )
    record(
        "cases.update_missing",
        actor=acting_user,
        obj=episode.child,
        request=request,
        data={"episode": episode.pk, "fields": sorted(values)},
    )
    return episode


def _returned_entry(episode: MissingEpisode, author: Any) -> None:
    if episode.ended_at is None:
        return
    back = timezone.localtime(episode.ended_at)
    words = f"Came back or was found at {back:%H:%M}."
    if episode.where_found:
        words += f" Where: {episode.where_found}."
    if episode.who_with:
        words += f" With: {episode.who_with}."
    add_entry(
        episode.child,
        words,
        kind=ChronologyEntry.Kind.RETURNED,
        happened_on=back.date(),
        author=author,
    )


@transaction.atomic
def do_save_philomena(
    child: Child,
    version: int | None,
    values: dict[str, Any],
    *,
    acting_user: Any,
    request: HttpRequest | None,
) -> PhilomenaProfile:
    """Create the profile (version None) or update it. Conflict if stale."""
    fields = {"sealed": seal(values), "updated_at": timezone.now(), "updated_by": acting_user}
    Child.objects.select_for_update().filter(pk=child.pk).first()  # two first saves take turns
    profile = PhilomenaProfile.objects.filter(child=child).first()
    if profile is None:
        profile = PhilomenaProfile.objects.create(child=child, **fields)
    elif version is None:
        raise Conflict(profile)  # someone else wrote the first one meanwhile
    else:
        profile = save_versioned(profile, version, fields)
    record("cases.save_philomena", actor=acting_user, obj=child, request=request)
    return profile


def index_names(child: Child) -> None:
    """Keep the child's sound-alike keys (the index the search finds candidates by)."""
    keys = set(sound_keys(child.first_name, child.last_name))
    stored = set(ChildNameKey.objects.filter(child=child).values_list("key", flat=True))
    ChildNameKey.objects.filter(child=child, key__in=stored - keys).delete()
    ChildNameKey.objects.bulk_create(ChildNameKey(child=child, key=k) for k in keys - stored)
