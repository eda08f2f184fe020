"""What the front door is told to do with a concern about someone in danger right now."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings

from seethesigns.dates import is_working_hours
from seethesigns.website.models import HelpContact


@dataclass(frozen=True)
class OutOfHours:
    """Outside the front door's hours: who to pass a danger-now concern to, with numbers."""

    contacts: list[HelpContact]


def out_of_hours_help(now: datetime) -> OutOfHours | None:
    """The emergency duty team and the police (local contacts, editable in the CMS), or None
    during the front door's hours."""
    if is_working_hours(now):
        return None
    slugs = list(settings.OUT_OF_HOURS_CONTACTS)
    found: dict[str, HelpContact] = {}
    for contact in HelpContact.objects.filter(slug__in=slugs, live=True).order_by("pk"):
        found.setdefault(contact.slug, contact)
    return OutOfHours([found[slug] for slug in slugs if slug in found])
