"""Parts of one record's page that apps above the record's own app add to it.

The record's app keeps a `PageParts` and the higher apps register into it in their
AppConfig.ready(), so the lower app imports none of them (seethesigns/tests/test_import_graph.py).
A part returns the context its piece of the page uses, as this person may see it.
"""

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.http import HttpRequest

R = TypeVar("R")
Part = Callable[[HttpRequest, R], dict[str, Any]]


class PageParts(Generic[R]):
    def __init__(self) -> None:
        self._parts: dict[str, Part[R]] = {}

    def register(self, name: str, part: Part[R]) -> None:
        """Add a part to the page (again under the same name replaces it)."""
        self._parts[name] = part

    def context_for(self, request: HttpRequest, record: R) -> dict[str, Any]:
        """Every registered part's context for this record."""
        context: dict[str, Any] = {}
        for part in self._parts.values():
            context.update(part(request, record))
        return context
