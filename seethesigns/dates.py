"""Working days in England and Wales: weekends and bank holidays (content/bank-holidays.yaml)."""

from datetime import date, datetime, timedelta
from functools import cache

from django.utils import timezone

from seethesigns.content.loading import CONTENT_DIR, read_yaml


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
