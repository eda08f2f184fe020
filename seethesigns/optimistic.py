"""Optimistic locking: an edit names the version it started from; a stale edit is refused.

Two workers open the same record. The first to save wins and the version goes up by one; the
second gets `Conflict` with the record as it is now, and a page that shows both versions, so
nobody's work is silently overwritten.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.db.models import F, Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

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


def save_or_conflict(
    request: HttpRequest,
    form: forms.Form,
    save: Callable[[Any, dict[str, Any]], object],
    *,
    back: str,
    seen: Callable[[], object],
    saved_values: Callable[[Any], dict[str, Any]] | None = None,
) -> HttpResponse | None:
    """Save a valid edit at the version the person opened: None once saved, else the conflict page.

    `save(version, values)` writes through the record's action; `seen()` writes the view entry
    the conflict page owes, since it shows the record as it is now. The person's input travels
    on the conflict page, so nothing they typed is lost.
    """
    values = {name: value for name, value in form.cleaned_data.items() if name != "version"}
    try:
        save(form.cleaned_data["version"], values)
    except Conflict as conflict:
        seen()
        current = saved_values(conflict.current) if saved_values else None
        return conflict_page(request, form, conflict.current, back, current_values=current)
    return None


def conflict_page(
    request: HttpRequest,
    form: forms.Form,
    current: Any,
    back: str,
    *,
    current_values: dict[str, Any] | None = None,
) -> HttpResponse:
    """Show the saved version beside the worker's own, and let them save theirs on top (409)."""
    rows = []
    for name, field in form.fields.items():
        if name == "version":
            continue
        saved = (current_values or {}).get(name, getattr(current, name, ""))
        mine = form.cleaned_data.get(name, "")
        rows.append(
            {
                "label": field.label,
                "saved": _shown(field, saved),
                "mine": _shown(field, mine),
                "differs": _shown(field, saved) != _shown(field, mine),
            }
        )
    hidden = [
        (name, value)
        for name in form.fields
        if name != "version"
        for value in request.POST.getlist(name)
    ]
    context = {
        "rows": rows,
        "hidden": hidden,
        "version": current.version,
        "action": request.path,
        "back": back,
    }
    return render(request, "pro/conflict.html", context, status=409)


def _shown(field: Any, value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    choices = dict(getattr(field, "choices", []) or [])
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        return timezone.localtime(value).strftime("%d %b %Y %H:%M")
    return str(choices.get(value, value))
