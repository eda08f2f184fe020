"""RecordPolicy: the one door to a protected record type.

Every protected app's policies.py subclasses it: `visible(qs=None)` is what the user may know of,
and `get_for(request, pk, need=...)` is the record for a view, or 404 for anyone without access or
without the need, exactly as if the record did not exist. Views never call `.objects` on a
protected model (seethesigns/tests/test_one_door.py keeps it so).

The view audit entry is not written here: pages write it when they render (children/pages.py and
each app's do_view_*), so that a POST which redirects, or a 409 conflict page, writes exactly the
entries it wrote before this door existed.
"""

from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Generic, TypeVar, cast

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

M = TypeVar("M", bound=Model)
QS = TypeVar("QS", bound=QuerySet[Any])


def role_of(user: Any) -> str:
    """The user's workspace role: none for someone signed out or deactivated."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ""
    return str(user.role or "")


def always(policy: Any, record: Any) -> bool:
    return True


class RecordPolicy(Generic[M, QS]):
    """Who may know of a record type, and what each need (open, edit, ...) asks of them."""

    model: ClassVar[type[Any]]
    # Looked up by this field in get_for (a concern by its reference, the rest by pk).
    lookup: ClassVar[str] = "pk"
    # Loaded with the record in get_for: what its pages show on every request.
    related: ClassVar[tuple[str, ...]] = ()
    # need -> may this user do it to this record (already known to be visible)?
    needs: ClassVar[Mapping[str, Callable[[Any, Any], bool]]] = {"open": always}

    def __init__(self, user: Any) -> None:
        self.user = user
        self.role = role_of(user)

    def scope(self, qs: QS) -> QS:
        """The rule: the part of qs this (signed-in, active) user may know of."""
        return qs.none()

    def visible(self, qs: QS | None = None) -> QS:
        """What this user may know of: among qs, or among every record of the type."""
        qs = cast(QS, self.model._default_manager.all()) if qs is None else qs
        return self.scope(qs) if self.role else qs.none()

    def reach(self, need: str) -> QS:
        """Where get_for looks for a record with this need: what they may know of, by default."""
        return self.visible()

    def get_for(self, request: HttpRequest, pk: Any, *, need: str = "open") -> M:
        rule = self.needs[need]  # an unknown need is a bug, not a 404
        reached = self.reach(need)
        if self.related:  # select_related() with no names would follow every foreign key
            reached = reached.select_related(*self.related)
        found = reached.filter(**{self.lookup: pk}).first()
        if found is None or not rule(self, found):
            raise Http404
        return cast(M, found)
