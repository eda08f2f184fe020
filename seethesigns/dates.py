"""Working days in England and Wales: weekends and bank holidays (content/bank-holidays.yaml)."""

from datetime import date, datetime, timedelta
from functools import cache
from typing import Any, TypeVar

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from seethesigns.website.loading import CONTENT_DIR, read_yaml


@cache
def bank_holidays() -> frozenset[date]:
    raw = read_yaml(CONTENT_DIR / "bank-holidays.yaml")["england-and-wales"]
    return frozenset(day for days in raw.values() for day in days)


def last_year_known() -> int:
    return max(day.year for day in bank_holidays())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays()


def add_working_days(start: datetime, days: int) -> datetime:
    """The same local time of day `days` working days later (skipping weekends, bank holidays)."""
    local = timezone.localtime(start)
    result = local
    while days > 0:
        result += timedelta(days=1)
        if is_working_day(result.date()):
            days -= 1
    # Keep the local time of day, even when the clocks change in between.
    return timezone.make_aware(result.replace(tzinfo=None), timezone.get_current_timezone())


def is_working_hours(moment: datetime) -> bool:
    """The front door's office hours (settings.FRONT_DOOR_HOURS) on a working day, local time."""
    local = timezone.localtime(moment)
    opens, closes = settings.FRONT_DOOR_HOURS
    return is_working_day(local.date()) and opens <= local.hour < closes


def duration_in_words(delta: timedelta) -> str:
    """A whole number of the largest unit that fits: "3 days", "2 hours", "1 minute"."""
    seconds = abs(int(delta.total_seconds()))
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            n = seconds // size
            return f"{n} {unit}" if n == 1 else f"{n} {unit}s"
    return "less than a minute"


def due_in_words(due: datetime, now: datetime) -> str:
    """How a deadline stands, in words: "overdue by 3 days" or "due in 40 minutes"."""
    if due < now:
        return f"overdue by {duration_in_words(now - due)}"
    return f"due in {duration_in_words(due - now)}"


def done_in_words(due: datetime, done: datetime) -> str:
    """Whether something was done in time: "on time" or "2 days late"."""
    if done <= due:
        return "on time"
    return f"{duration_in_words(done - due)} late"


def end_of_today(now: datetime) -> datetime:
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)


Waiting = TypeVar("Waiting", bound=QuerySet[Any])


def due_filter(qs: Waiting, due: str, field: str, now: datetime) -> Waiting:
    """Narrow a list of waiting work to what is due today (and not yet late), or late."""
    if due == "overdue":
        return qs.filter(**{f"{field}__lt": now})
    if due == "today":
        today = {f"{field}__gte": now, f"{field}__lt": end_of_today(now)}
        return qs.filter(**today)
    return qs
