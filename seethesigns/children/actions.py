from datetime import date
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from seethesigns.accounts.models import Role, User
from seethesigns.audit.actions import record
from seethesigns.children import missing
from seethesigns.children.models import (
    Child,
    ChronologyEntry,
    MissingEpisode,
    PhilomenaProfile,
    RepeatMissingAlert,
    Source,
)
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
        record("cases.create_child", actor=acting_user, obj=child, request=request)
    return child


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
    _alert_if_repeat_missing(child, episode, acting_user=acting_user, request=request)
    return episode


def _alert_if_repeat_missing(
    child: Child, episode: MissingEpisode, *, acting_user: Any, request: HttpRequest | None
) -> RepeatMissingAlert | None:
    """Tell the coordinator when this episode makes the child repeat missing today: once per
    crossing, so a fourth episode in the window raises nothing new. Inside the caller's
    transaction; the child's row is locked so that two episodes recorded at once take turns."""
    Child.objects.select_for_update().filter(pk=child.pk).first()
    today = timezone.localdate()
    counted = list(missing.counted_episodes(child, today).values_list("pk", flat=True))
    needed = missing.episodes_needed()
    if episode.pk not in counted or len(counted) < needed or len(counted) - 1 >= needed:
        return None
    alert = RepeatMissingAlert.objects.create(
        child=child, episode=episode, episodes=len(counted), coordinator=coordinator_for(child)
    )
    record(
        "cases.repeat_missing",
        actor=acting_user,
        obj=child,
        request=request,
        data={"alert": alert.pk, "episode": episode.pk, "episodes": len(counted)},
    )
    return alert


def coordinator_for(child: Child) -> User | None:
    """The CSE coordinator of the child's team; failing that, the partnership's first one."""
    contact = child.team.cse_contact
    if contact is not None and contact.is_active:
        return contact
    coordinators = User.objects.filter(role=Role.CSE_COORDINATOR, is_active=True)
    return coordinators.order_by("pk").first()


@transaction.atomic
def do_mark_repeat_missing_seen(
    alert: RepeatMissingAlert, *, acting_user: Any, request: HttpRequest | None
) -> RepeatMissingAlert:
    """The coordinator has seen the alert: it leaves their home page. Seen twice: no change."""
    if alert.seen_at is not None:
        return alert
    alert.seen_at = timezone.now()
    alert.seen_by = acting_user
    alert.save(update_fields=["seen_at", "seen_by"])
    record(
        "cases.repeat_missing_seen",
        actor=acting_user,
        obj=alert.child,
        request=request,
        data={"alert": alert.pk},
    )
    return alert


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
