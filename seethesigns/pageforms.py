"""Pages with more than one form: each form says which it is in one hidden field, `form`.

Every form of such a page has its name as its prefix, so two forms may share a field name
(a reason, a note) and still have their own ids on the page. The template posts the name with
`{% include "includes/form_name.html" with name="…" %}`.
"""

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.http import HttpRequest

FIELD = "form"  # the hidden field that names the form that was sent

FormMaker = Callable[..., forms.BaseForm]  # a form class, or a partial with its arguments


def posted_form(request: HttpRequest) -> str:
    """The name of the form that was sent ("" on a GET)."""
    return request.POST.get(FIELD, "") if request.method == "POST" else ""


def page_forms(request: HttpRequest, makers: Mapping[str, FormMaker]) -> dict[str, Any]:
    """Every form of the page: the one that was sent bound to what was typed, the others empty."""
    posted = posted_form(request)
    return {
        name: make(request.POST, prefix=name, auto_id="%s")
        if name == posted
        else make(prefix=name, auto_id="%s")
        for name, make in makers.items()
    }
