"""Optimistic locking: an edit names the version it started from; a stale edit is refused.

Two workers open the same record. The first to save wins and the version goes up by one; the
second gets `Conflict` with the record as it is now, and a page that shows both versions, so
nobody's work is silently overwritten.
"""

from typing import Any, TypeVar

from django.db.models import F, Model

M = TypeVar("M", bound=Model)


class Conflict(Exception):
    def __init__(self, current: Model) -> None:
        super().__init__("The record was changed by someone else since it was opened.")
        self.current = current


def save_versioned(obj: M, expected_version: int, values: dict[str, Any]) -> M:
    """Write `values` only if the row is still at `expected_version`; return the saved row."""
    model = type(obj)
    updated = model._default_manager.filter(pk=obj.pk, version=expected_version).update(
        version=F("version") + 1, **values
    )
    fresh = model._default_manager.get(pk=obj.pk)
    if not updated:
        raise Conflict(fresh)
    return fresh
