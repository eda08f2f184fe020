"""What other apps show on a child's page: screenings, referrals, concerns, links and alerts.

Each of those apps registers its panel in its AppConfig.ready(), so the children app, which
they all build on, imports none of them. A panel returns the context its part of the page uses.
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from seethesigns.children.models import Child

Panel = Callable[[HttpRequest, Child], dict[str, Any]]

_panels: dict[str, Panel] = {}


def register(name: str, panel: Panel) -> None:
    """Add a panel to the child's page (again under the same name replaces it)."""
    _panels[name] = panel


def context_for(request: HttpRequest, child: Child) -> dict[str, Any]:
    """Every registered panel's context for this child, as this person may see it."""
    context: dict[str, Any] = {}
    for panel in _panels.values():
        context.update(panel(request, child))
    return context
