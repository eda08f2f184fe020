"""How deadlines stand, in words, for every workspace page: {% load clock %}."""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format

from seethesigns.dates import done_in_words, due_in_words

register = template.Library()


@register.filter
def due_words(due: datetime | None) -> str:
    """ "overdue by 3 days" or "due in 40 minutes", from now."""
    return due_in_words(due, timezone.now()) if due else ""


@register.filter
def done_words(done: datetime | None, due: datetime | None) -> str:
    """ "on time" or "2 days late": `{{ done_at|done_words:due_at }}`."""
    return done_in_words(due, done) if done and due else ""


@register.filter
def human_datetime(value: str | datetime | None) -> str:
    """A date and time stored as text (ISO 8601) as people read it: "Fri 4 Dec 2026, 20:25"."""
    if not value:
        return ""
    moment = parse_datetime(value) if isinstance(value, str) else value
    if moment is None:
        return str(value)
    return date_format(timezone.localtime(moment), "D j M Y, H:i")


@register.filter
def human_day(value: str | None) -> str:
    """A day stored as text (ISO 8601) as people read it: "25 Nov 2026"."""
    if not value:
        return ""
    day = parse_date(value)
    return date_format(day, "j M Y") if day else value
