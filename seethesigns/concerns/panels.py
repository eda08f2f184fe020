"""The concerns the front door linked to a child, on the child's page, and to a referral, on the
referral's page."""

from typing import Any

from django.http import HttpRequest

from seethesigns.children.models import Child
from seethesigns.children.policies import ChildPolicy
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


def referral_section(request: HttpRequest, referral: Any) -> dict[str, Any]:
    return {"concerns_linked": _concerns_linked(referral, request.user)}


def _concerns_linked(referral: Any, user: Any) -> list[tuple[Any, bool]]:
    """Concerns the front door linked to this referral, by the child's page's rule: the reference
    for those who may open the child's record, what it says only for those who may open the
    concern. Anyone else who reads the referral learns nothing of them."""
    concern_policy = ConcernPolicy(user)
    links = referral.child.concerns.filter(referral=referral).select_related("concern")
    links = links.order_by("-concern__received_at")
    rows = [(a, concern_policy.can_open(a.concern)) for a in links]
    if not rows:
        return []
    knows_the_child = ChildPolicy(user).can_open(referral.child)
    return [(a, can_open) for a, can_open in rows if can_open or knows_the_child]
