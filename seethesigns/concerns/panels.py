"""The concerns the front door linked to a child, on the child's page."""

from typing import Any

from django.http import HttpRequest

from seethesigns.children.models import Child
from seethesigns.concerns.policies import ConcernPolicy


def child_panel(request: HttpRequest, child: Child) -> dict[str, Any]:
    return {"concerns_about": _concerns_about(child, request.user)}


def _concerns_about(child: Child, user: Any) -> list[tuple[Any, bool]]:
    """Concerns the front door linked to this child: the reference for everyone who may open the
    child's record; what it says only for those who may open the concern."""
    concern_policy = ConcernPolicy(user)
    return [
        (a, concern_policy.can_open(a.concern))
        for a in child.concerns.select_related("concern").order_by("-concern__received_at")
    ]
