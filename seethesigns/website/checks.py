from typing import Any

from django.core.checks import CheckMessage, Tags, Warning, register
from django.db import DatabaseError


def unconfirmed_placeholders() -> list[str]:
    """Names of live help contacts still marked as placeholders (made-up details)."""
    from seethesigns.website.models import HelpContact

    try:
        contacts = HelpContact.objects.filter(live=True, placeholder=True).order_by("name")
        return list(contacts.values_list("name", flat=True))
    except DatabaseError:
        return []  # Not migrated yet: nothing to find.


@register(Tags.security, deploy=True)
def check_placeholder_contacts(**kwargs: Any) -> list[CheckMessage]:
    """Warn while a shipped placeholder contact is unconfirmed: the public would not see it."""
    names = unconfirmed_placeholders()
    if not names:
        return []
    listed = "; ".join(names)
    return [
        Warning(
            f"Help contacts still marked as placeholders, so not shown to anyone: {listed}.",
            hint="In the CMS (Snippets > Help contacts) put in your own services' real details "
            "and untick 'placeholder', or delete them.",
            id="seethesigns.W010",
        )
    ]
