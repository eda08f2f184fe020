"""Demo concerns for the front door's inbox, as the public sends them (never in production)."""

import uuid
from datetime import timedelta

from django.utils import timezone

from seethesigns.concerns.actions import do_submit_concern
from seethesigns.concerns.models import Concern
from seethesigns.dates import add_working_days

AFTER: tuple[str, ...] = ()

DEMO_CONCERNS = [
    # (days ago, sent by, urgency, what, about, where and when)
    (
        4,
        "parent",
        "soon",
        "My daughter (14) has a new phone and expensive trainers and won't say where they came "
        "from. A man in a silver car picks her up from the end of our road after school.",
        "Mia, 14, Northbridge Academy",
        "Most weekdays around 4pm, Station Road.",
    ),
    (
        0,
        "friend",
        "not_sure",
        "My friend keeps going to parties at a flat above the takeaway. She says older lads give "
        "her vodka there and she's been missing school.",
        "My friend in year 10",
        "Friday and Saturday nights.",
    ),
    (
        0,
        "professional",
        "now",
        "A year 9 pupil told me an adult she met online has asked her to meet him tonight and "
        "to keep it secret. Her parents don't know.",
        "Year 9 pupil, name on request",
        "Tonight, meeting point not known",
    ),
]


def load() -> list[str]:
    """Three concerns sent through "Tell someone", one of them four days old."""
    now = timezone.now()
    for number, (days_ago, kind, urgency, what, about, where_when) in enumerate(DEMO_CONCERNS):
        key = uuid.uuid5(uuid.NAMESPACE_URL, f"seethesigns-demo-concern-{number}")
        if Concern.objects.filter(submission_key=key).exists():
            continue
        values = {
            "reporter_kind": kind,
            "urgency": urgency,
            "your_name": "Sam Example" if kind == "professional" else "",
            "your_organisation": "Northbridge Academy" if kind == "professional" else "",
            "contact": "01632 960 000" if kind == "professional" else "",
            "what": what,
            "about": about,
            "where_when": where_when,
        }
        concern, _ = do_submit_concern(values, key=key, alert=False)
        if days_ago:
            received = now - timedelta(days=days_ago)
            concern.received_at = received
            concern.decision_due_at = add_working_days(received, 1)
            concern.save(update_fields=["received_at", "decision_due_at"])
    return []
