from datetime import date
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seethesigns.children.forms import (
    DATE_HINT,
    VersionedForm,
    not_in_future,
    source_field,
    text_field,
)
from seethesigns.datebox import DateBox
from seethesigns.limits import TOO_LONG
from seethesigns.network.matching import normalise
from seethesigns.network.models import (
    Disruption,
    Entity,
    IntelligenceSubmission,
    Kind,
    PlaceKind,
)
from seethesigns.submissions import KeyedForm

NONE_MATCHES = "new"  # the analyst's answer when no record offered is the one seen
LABEL_HINT = _(
    "A name, an address or place, a registration like AB12 CDE, a phone number, or an online "
    "handle like @name"
)


class RecordFields(forms.Form):
    kind = forms.ChoiceField(
        label=_("What is it?"),
        choices=[("", _("Choose one")), *Kind.choices],
        error_messages={
            "required": _("Choose what kind of record it is"),
            "invalid_choice": _("Choose what kind of record it is"),
        },
    )
    label = text_field(
        _("Name, address, registration, number or handle"),
        300,
        required=_("Enter the name, address, registration, number or handle"),
        help_text=LABEL_HINT,
    )
    place_kind = forms.ChoiceField(
        label=_("If it is a place: what kind?"),
        choices=[("", _("Not a place")), *PlaceKind.choices],
        required=False,
        error_messages={"invalid_choice": _("Choose a kind of place")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") and data.get("label") and not normalise(data["kind"], data["label"]):
            self.add_error("label", _("Enter letters or numbers"))
        return data


class LinkForm(KeyedForm, RecordFields):
    nature = text_field(
        _("How are they linked?"),
        200,
        required=_("Enter how they are linked"),
        help_text=_(
            "For example: picked the child up from school; the child stayed there; "
            "on the child's phone"
        ),
    )
    linked_on = forms.DateField(
        label=_("When? (the date it was seen or said)"),
        widget=DateBox(),
        error_messages={"required": _("Enter the date"), "invalid": DATE_HINT},
    )
    source = source_field()

    def clean_linked_on(self) -> date:
        return not_in_future(self.cleaned_data["linked_on"])


class EntityForm(KeyedForm, RecordFields):
    details = text_field(
        _("Details (optional)"),
        2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Facts only, with where they came from"),
    )


class EntityEditForm(VersionedForm):
    label = text_field(
        _("Name, address, registration, number or handle"),
        300,
        required=_("Enter the name, address, registration, number or handle"),
    )
    place_kind = forms.ChoiceField(
        label=_("If it is a place: what kind?"),
        choices=[("", _("Not a place")), *PlaceKind.choices],
        required=False,
        error_messages={"invalid_choice": _("Choose a kind of place")},
    )
    details = text_field(_("Details (optional)"), 2000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("label") and not normalise(self.kind, data["label"]):
            self.add_error("label", _("Enter letters or numbers"))
        return data


class DisruptionForm(KeyedForm):
    kind = forms.ChoiceField(
        label=_("What action?"),
        choices=[("", _("Choose one")), *Disruption.Kind.choices],
        error_messages={
            "required": _("Choose the action"),
            "invalid_choice": _("Choose the action"),
        },
    )
    started_on = forms.DateField(
        label=_("Issued or started on"),
        widget=DateBox(),
        error_messages={"required": _("Enter when it was issued or started"), "invalid": DATE_HINT},
    )
    review_on = forms.DateField(
        label=_("Review by"),
        widget=DateBox(),
        error_messages={"required": _("Enter when it must be reviewed"), "invalid": DATE_HINT},
    )
    details = text_field(_("Details (optional)"), 500)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("started_on")
            and data.get("review_on")
            and data["review_on"] < data["started_on"]
        ):
            self.add_error("review_on", _("The review can't be before the action started"))
        return data


class DisruptionUpdateForm(forms.Form):
    do = forms.ChoiceField(choices=[("review", "review"), ("end", "end")])
    disruption = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    review_on = forms.DateField(required=False, error_messages={"invalid": DATE_HINT})
    note = forms.CharField(required=False, max_length=500)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("do") == "review":
            if not data.get("review_on"):
                self.add_error("review_on", _("Enter when it must next be reviewed"))
            elif data["review_on"] < timezone.localdate():
                self.add_error("review_on", _("The next review is in the past: choose a later day"))
        return data


class IntelligenceForm(forms.Form):
    """A 3x5x2 submission: the grading, the handling code and the intelligence itself."""

    source_evaluation = forms.ChoiceField(
        label=_("Source evaluation"),
        help_text=_("How far the source can be relied on, from what is known of it."),
        choices=IntelligenceSubmission.Source.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Evaluate the source"),
            "invalid_choice": _("Evaluate the source"),
        },
    )
    assessment = forms.ChoiceField(
        label=_("Intelligence evaluation"),
        help_text=_("How the source came to know it."),
        choices=IntelligenceSubmission.Assessment.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Evaluate the intelligence"),
            "invalid_choice": _("Evaluate the intelligence"),
        },
    )
    handling = forms.ChoiceField(
        label=_("Handling code"),
        choices=IntelligenceSubmission.Handling.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the handling code"),
            "invalid_choice": _("Choose the handling code"),
        },
    )
    conditions = text_field(
        _("Conditions on sharing (for handling code C)"),
        1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    intelligence = text_field(
        _("The intelligence"),
        5000,
        required=_("Write the intelligence"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "What is known, when and where, in plain words. Name children by reference and "
            "initials only; never say who the source is."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("handling") == "C" and not data.get("conditions"):
            self.add_error("conditions", _("Say the conditions on sharing for handling code C"))
        return data


class OfferField(forms.ChoiceField):
    """Radios for the records join the dots offers: the view sets them after the form is valid,
    and SightingForm.choose checks the answer against them."""

    def valid_value(self, value: Any) -> bool:
        return True


class SightingForm(KeyedForm):
    """What was seen, where and when. The records join the dots finds are offered by the view;
    `place` and `vehicle_record` hold the analyst's choice: a record's number, or "new"."""

    where = text_field(
        _("Where? (the place's name or address)"),
        300,
        required=_("Enter where it was seen"),
        help_text=_("For example: Station Hotel, 1 Station Road"),
    )
    seen_on = forms.DateField(
        label=_("When? (the date it was seen)"),
        widget=DateBox(),
        error_messages={"required": _("Enter the date"), "invalid": DATE_HINT},
    )
    vehicle = text_field(
        _("Vehicle registration, if one was seen (optional)"),
        20,
        help_text=_("Like AB12 CDE"),
    )
    what = text_field(
        _("Who or what was seen"),
        2000,
        required=_("Say who or what was seen"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Name children by reference and initials only; never say who the source is."),
    )
    source = source_field()
    place = OfferField(
        label=_("Is it one of these places?"), required=False, widget=forms.RadioSelect
    )
    vehicle_record = OfferField(
        label=_("Is it one of these vehicles?"), required=False, widget=forms.RadioSelect
    )

    def clean_seen_on(self) -> date:
        return not_in_future(self.cleaned_data["seen_on"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("vehicle") and not normalise("vehicle", data["vehicle"]):
            self.add_error("vehicle", _("Enter a registration like AB12 CDE"))
        return data

    def choose(
        self, places: list[Entity], vehicles: list[Entity]
    ) -> tuple[Entity | None, Entity | None] | None:
        """Offer the matching records; the (place, vehicle) chosen, None for "none matches",
        or None overall while a record was offered and not yet chosen."""
        picked: list[Entity | None] = []
        ready = True
        for name, found in (("place", places), ("vehicle_record", vehicles)):
            field = cast(forms.ChoiceField, self.fields[name])
            field.choices = [
                *((str(e.pk), f"{e.label} ({e.reference})") for e in found),
                (NONE_MATCHES, _("None of these: make a new record")),
            ]
            value = self.data.get(name, "")
            by_pk = {str(e.pk): e for e in found}
            if not found or value == NONE_MATCHES or value in by_pk:
                picked.append(by_pk.get(value))
                continue
            ready = False
            if value:
                self.add_error(name, _("Choose one of the records, or say none of them matches"))
        self.offered = {"place": places, "vehicle": vehicles}
        return (picked[0], picked[1]) if ready else None


class PairDecisionForm(forms.Form):
    """The coordinator's answer: the same person or not, and why, if she wants to say."""

    same = forms.TypedChoiceField(
        label=_("Are these records one person?"),
        choices=[
            ("yes", _("Yes, the same person: link the two records")),
            ("no", _("No, two different people")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether they are the same person"),
            "invalid_choice": _("Choose whether they are the same person"),
        },
    )
    note = forms.CharField(
        label=_("Why (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": TOO_LONG},
    )
