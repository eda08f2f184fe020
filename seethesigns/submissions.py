"""One record per form: a form sent twice (a retry after an outage, a double click) stores once.

The form carries a key made when it is first shown (`KeyedForm`). The action stores the key with
the record, under a unique index, and `once` answers a second send of the same key with the
record the first send made. A key that belongs to someone else's record is not theirs to reuse:
their record is stored without one.
"""

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.db import IntegrityError, models, transaction
from django.http import QueryDict

Stored = TypeVar("Stored", bound=models.Model)


class KeyedForm(forms.Form):
    # Made when the form is first shown; sent back with every retry of the same form.
    key = forms.UUIDField(required=False, widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        name = self.add_prefix("key")
        if self.is_bound and not self.data.get(name):
            # Sent without one (a page from before keys): shown again, the form has one now.
            data = QueryDict(mutable=True)
            data.update(self.data)
            data[name] = str(uuid.uuid4())
            self.data = data


def form_key_field() -> models.UUIDField:  # type: ignore[type-arg]
    """The key of the form that made the record, so that the same form sent again finds it."""
    return models.UUIDField(null=True, blank=True, unique=True, editable=False)


def without_key(values: dict[str, Any]) -> dict[str, Any]:
    """A form's cleaned data less its key: the fields of the record it makes."""
    return {name: value for name, value in values.items() if name != "key"}


def once(
    model: type[Stored],
    key: Any,
    ours: Callable[[Stored], bool],
    create: Callable[[Any], Stored],
) -> tuple[Stored, bool]:
    """The record this form made, or `create(key)`'s new one; True when it is new.

    Call inside the action's transaction; `ours` says whether a record found by the key was
    made by this person for the same purpose.
    """
    existing, key = _made_by(model, key, ours)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return create(key), True
    except IntegrityError:
        # The same form sent twice at once: the other request made it.
        existing, _key = _made_by(model, key, ours)
        if existing is None:
            raise
        return existing, False


def create_once(model: type[Stored], values: dict[str, Any], **owners: Any) -> tuple[Stored, bool]:
    """`once` for a record made of the form's fields and its owners (`meeting=…, created_by=…`):
    a send found again by its key counts as this one only when it has the same owners."""
    return once(
        model,
        values.get("key"),
        lambda found: all(
            getattr(found, f"{name}_id") == owner.pk for name, owner in owners.items()
        ),
        lambda key: model._default_manager.create(
            submission_key=key, **owners, **without_key(values)
        ),
    )


def _made_by(
    model: type[Stored], key: Any, ours: Callable[[Stored], bool]
) -> tuple[Stored | None, Any]:
    """The record made with this key, and the key to store (None if the key is not theirs)."""
    existing = model._default_manager.filter(submission_key=key).first() if key else None
    if existing is None:
        return None, key
    if ours(existing):
        return existing, key
    return None, None
