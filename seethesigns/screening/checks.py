"""Warn when a contact the screening's next steps name is not a live, confirmed help contact:
practitioners would be told to call a service with no number, or a made-up one."""

from typing import Any

from django.core.checks import CheckMessage, Tags, Warning, register
from django.db import DatabaseError

from seethesigns.screening.config import contact_slugs


def missing_contacts() -> list[str]:
    from seethesigns.website.models import HelpContact

    slugs = contact_slugs()
    try:
        live = set(
            HelpContact.objects.filter(
                slug__in=slugs.values(), live=True, placeholder=False
            ).values_list("slug", flat=True)
        )
    except DatabaseError:
        return []  # not migrated yet
    return [f"{key} ({slug})" for key, slug in slugs.items() if slug not in live]  # or made up


@register(Tags.compatibility, deploy=True)
def check_screening_contacts(**kwargs: Any) -> list[CheckMessage]:
    missing = missing_contacts()
    if not missing:
        return []
    return [
        Warning(
            "The screening tool's next steps name help contacts that are not live: "
            + "; ".join(missing)
            + ". Practitioners would be told to call a service with no number shown.",
            hint="Add each as a help contact in the CMS, or point content/screening/rules.yaml's "
            "contacts at your own.",
            id="seethesigns.W020",
        )
    ]
