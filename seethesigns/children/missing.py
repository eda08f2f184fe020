"""Repeat missing: a child who went missing several times in a short time (default 3 in 90 days).

Going missing again and again is one of the strongest signs that a child is being exploited.
Police forces flag it (Essex Police missing persons procedure B1601 uses "missing 3 times in 90
days"), and the statutory guidance asks local authorities to look again at a child who repeatedly
runs away or goes missing and to gather what the episodes have in common (Department for
Education, "Statutory guidance on children who run away or go missing from home or care",
January 2014, "Children who repeatedly run away and go missing",
https://www.gov.uk/government/publications/children-who-run-away-or-go-missing-from-home-or-care).

The rule, set by REPEAT_MISSING_EPISODES and REPEAT_MISSING_DAYS in settings: on a given day a
child is repeat missing when at least that many episodes *started* within the window of that many
days ending on the day, the day itself counted (local dates, Europe/London). With the defaults an
episode that started on 1 March counts on 1 March and 89 days after it (its 90th day, 29 May) and no
longer on its 91st day.

Nothing is stored for the flag: it is worked out from the episodes on the day it is shown, so it
goes by itself when the episodes grow older than the window. What is stored is the coordinator's
alert, raised once each time a recorded episode makes the rule hold (children.actions).
"""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, DateField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from seethesigns.children.models import Child, MissingEpisode


def episodes_needed() -> int:
    return int(settings.REPEAT_MISSING_EPISODES)


def window_days() -> int:
    return int(settings.REPEAT_MISSING_DAYS)


def first_day(on: date) -> date:
    """The first day of the window that ends on `on` (both counted)."""
    return on - timedelta(days=window_days() - 1)


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def window(on: date) -> tuple[datetime, datetime]:
    """The window ending on `on` as instants: from (included) and until (excluded)."""
    return _start_of(first_day(on)), _start_of(on + timedelta(days=1))


def rule_words() -> str:
    """The rule as the flag explains it: "3 times in 90 days"."""
    return f"{episodes_needed()} times in {window_days()} days"


def counted_episodes(child: Child, on: date) -> QuerySet[MissingEpisode]:
    """The episodes the rule counts for this child on this day, newest first."""
    since, until = window(on)
    return MissingEpisode.objects.filter(
        child=child, started_at__gte=since, started_at__lt=until
    ).order_by("-started_at", "-pk")


def is_repeat_missing(child: Child, on: date) -> bool:
    return counted_episodes(child, on).count() >= episodes_needed()


def repeat_missing_children(
    children: QuerySet[Child], on: date, until: date | None = None
) -> QuerySet[Child]:
    """The children of `children` who are repeat missing on `on`, or on any day from `on` to
    `until` (both included) for a period. One SQL query when evaluated; chain it freely.

    Over a period the rule holds on some day exactly when it holds on the period's first day or
    on a day one of the period's episodes started: a window holding enough episodes can slide
    back until it ends on the newest of them, or on the period's first day.
    """
    since, end = window(on)
    enough_on_first_day = _enough(
        MissingEpisode.objects.filter(
            child=OuterRef("pk"), started_at__gte=since, started_at__lt=end
        )
    )
    if until is None or until <= on:
        return children.filter(enough_on_first_day)
    _, end = window(until)
    back = timedelta(days=window_days() - 1)
    before_it = MissingEpisode.objects.annotate(day=TruncDate("started_at")).filter(
        child=OuterRef("child"),
        day__lte=OuterRef("day"),
        day__gte=ExpressionWrapper(OuterRef("day") - back, output_field=DateField()),
    )
    crossings = (
        MissingEpisode.objects.filter(
            child=OuterRef("pk"), started_at__gte=_start_of(on), started_at__lt=end
        )
        .annotate(day=TruncDate("started_at"))
        .filter(_enough(before_it))
    )
    return children.filter(enough_on_first_day | Q(Exists(crossings)))


def _enough(episodes: QuerySet[MissingEpisode]) -> Q:
    """EXISTS (the episodes, grouped by child, HAVING as many as the rule needs)."""
    grouped = episodes.values("child").annotate(n=Count("pk")).filter(n__gte=episodes_needed())
    return Q(Exists(grouped))


def repeat_missing_counts(children: QuerySet[Child], periods: list[tuple[date, date]]) -> list[int]:
    """How many of `children` are repeat missing on some day of each period (first and last day
    both included): the same answer as repeat_missing_children(...).count() for each period, in
    one query for all of them.

    Each child's episodes in order of starting: with n the episodes the rule needs, the rule holds
    on day d exactly when some episode started on a day up to d and the episode n - 1 before it
    started no earlier than d's window allows (the n episodes from it are then all in the window;
    and the newest of any n in a window is such an episode). So each episode makes the rule hold
    from its own day to the day its (n - 1)th predecessor leaves the window (no day at all if that
    comes first), and a child counts in a period when one of those spans meets it. The predecessor
    comes from a window function (lag), so each episode is read once, not once per period.
    """
    if not periods:
        return []
    back = window_days() - 1
    zone = timezone.get_current_timezone_name()
    since = _start_of(min(first for first, _last in periods) - timedelta(days=back))
    until = _start_of(max(last for _first, last in periods) + timedelta(days=1))
    kids_sql, kids_params = children.values("pk").query.sql_with_params()
    values = ", ".join("(%s, %s::date, %s::date)" for _ in periods)
    day = "(x.started_at AT TIME ZONE %s)::date"
    sql = (
        f"WITH e AS (SELECT x.child_id, {day} AS day, "  # noqa: S608  (our own names)
        f"lag({day}, %s) OVER (PARTITION BY x.child_id ORDER BY x.started_at, x.id) AS back "
        f"FROM {MissingEpisode._meta.db_table} x "
        f"WHERE x.started_at >= %s AND x.started_at < %s AND x.child_id IN ({kids_sql})) "
        "SELECT p.n, count(DISTINCT e.child_id) "
        f"FROM e JOIN (VALUES {values}) AS p(n, first, last) "
        "ON e.day <= e.back + %s AND e.day <= p.last AND e.back >= p.first - %s GROUP BY p.n"
    )
    params: list[Any] = [zone, zone, episodes_needed() - 1, since, until, *kids_params]
    for n, (first, last) in enumerate(periods):
        params += [n, first, last]
    params += [back, back]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = dict(cursor.fetchall())
    return [int(found.get(n, 0)) for n in range(len(periods))]
