"""What apps above referrals show on a referral's page (the concerns linked to it).

An app registers its section in its AppConfig.ready(), so referrals imports none of the apps
that build on it. A section returns the context its part of the page uses, as this person may
see it.
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from seethesigns.referrals.models import Referral

Section = Callable[[HttpRequest, Referral], dict[str, Any]]

_sections: dict[str, Section] = {}


def register(name: str, section: Section) -> None:
    """Add a section to the referral's page (again under the same name replaces it)."""
    _sections[name] = section


def context_for(request: HttpRequest, referral: Referral) -> dict[str, Any]:
    """Every registered section's context for this referral, as this person may see it."""
    context: dict[str, Any] = {}
    for section in _sections.values():
        context.update(section(request, referral))
    return context
