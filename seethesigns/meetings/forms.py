from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seethesigns.accounts.models import Organisation
from seethesigns.children.forms import DATE_HINT, text_field
from seethesigns.datebox import DateBox
from seethesigns.meetings.models import Rag
from seethesigns.submissions import KeyedForm


def date_field(label: Any, required: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DateBox(),
        error_messages={"required": required, "invalid": DATE_HINT},
    )


class MeetingForm(KeyedForm):
    title = text_field(_("Title"), 200, required=_("Enter a title"))
    held_on = date_field(_("Meeting date"), _("Enter the meeting date"))


class ItemForm(KeyedForm):
    """What goes on the list: a child's reference (C-7KQ2MX) or a record's (R-4HW9TC)."""

    reference = text_field(
        _("Child's reference (like C-7KQ2MX) or record's reference (like R-4HW9TC)"),
        20,
        required=_("Enter a child's reference or a record number"),
    )
    rag = forms.ChoiceField(
        label=_("Rating"),
        choices=Rag.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose red, amber or green"),
            "invalid_choice": _("Choose red, amber or green"),
        },
    )
    reason = text_field(_("Why is it on the list?"), 500, required=_("Enter why it is on the list"))


PAST_DUE = _("The due date is in the past: choose today or a later day")


def not_in_the_past(day: date) -> date:
    if day < timezone.localdate():
        raise forms.ValidationError(PAST_DUE)
    return day


class ActionForm(KeyedForm):
    text = text_field(_("Action"), 500, required=_("Enter the action"))
    owner = text_field(_("Owner (person and agency)"), 200, required=_("Enter who owns the action"))
    due_on = date_field(_("Due by"), _("Enter when it is due"))

    def clean_due_on(self) -> date:
        return not_in_the_past(self.cleaned_data["due_on"])


class ActionUpdateForm(forms.Form):
    do = forms.ChoiceField(choices=[("move", "move"), ("done", "done")])
    due_on = forms.DateField(required=False, error_messages={"invalid": DATE_HINT})
    note = forms.CharField(required=False, max_length=500)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("do") == "move":
            if not data.get("due_on"):
                self.add_error("due_on", _("Enter the new due date"))
            elif data["due_on"] < timezone.localdate():
                self.add_error("due_on", PAST_DUE)
        return data


class MinuteForm(KeyedForm):
    text = text_field(
        _("Minute"), 4000, required=_("Enter the minute"), widget=forms.Textarea(attrs={"rows": 4})
    )
    restricted_to = forms.ChoiceField(
        label=_("Who may read it?"),
        choices=[("", _("Every agency at the meeting")), *Organisation.Kind.choices],
        required=False,
        error_messages={"invalid_choice": _("Choose who may read it")},
    )
