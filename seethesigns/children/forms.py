from datetime import date, datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seethesigns import demographics
from seethesigns.children.models import (
    AbuseReport,
    LearningDisability,
    MissingEpisode,
    NrmDecision,
    NrmReferral,
    PhilomenaProfile,
    Source,
)
from seethesigns.datebox import DateBox
from seethesigns.limits import TOO_LONG
from seethesigns.submissions import KeyedForm

DATE_HINT = _("Enter a date like 2012-03-27")
WHEN_HINT = _("Enter a date and time like 2026-11-24 18:30")
WHEN_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]


def when_field(label: Any, *, required: bool = False) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=WHEN_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        error_messages={"invalid": WHEN_HINT, "required": _("Enter when")},
    )


def text_field(
    label: Any, max_length: int, *, required: Any = "", **kwargs: Any
) -> forms.CharField:
    """A text box; `required` is the message when it is left empty (empty: optional)."""
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=bool(required),
        error_messages={"max_length": TOO_LONG, "required": required},
        **kwargs,
    )


def local_input(value: datetime | None) -> str:
    """A datetime as a datetime-local box shows it."""
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M") if value else ""


def source_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Who told you, or where is it from?"),
        choices=[("", _("Choose a source")), *Source.choices],
        error_messages={
            "required": _("Choose where this came from"),
            "invalid_choice": _("Choose where this came from"),
        },
    )


def not_in_future(day: date) -> date:
    """For a form's clean_<date>(): what happened can't have happened yet."""
    if day > timezone.localdate():
        raise forms.ValidationError(_("The date can't be in the future"))
    return day


class VersionedForm(forms.Form):
    """Carries the version of the record the worker started from (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)


class ChildForm(forms.Form):
    first_name = forms.CharField(
        label=_("First name"),
        max_length=100,
        error_messages={"required": _("Enter the child's first name"), "max_length": TOO_LONG},
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=100,
        error_messages={"required": _("Enter the child's last name"), "max_length": TOO_LONG},
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth (optional)"),
        required=False,
        widget=DateBox(),
        error_messages={"invalid": DATE_HINT},
    )
    learning_disability = forms.ChoiceField(
        label=_("Does the child have a learning disability?"),
        choices=LearningDisability.choices,
        initial=LearningDisability.NOT_KNOWN,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose yes, no or not known"),
            "invalid_choice": _("Choose yes, no or not known"),
        },
    )

    # Who the child is (seethesigns/demographics.py): optional here, asked again at a screening.
    sex = demographics.sex_field()
    ethnicity = demographics.ethnicity_field()
    nationality = demographics.nationality_field()
    nhs_number = demographics.NhsNumberField()

    def clean_date_of_birth(self):  # type: ignore[no-untyped-def]
        born = self.cleaned_data.get("date_of_birth")
        if born and born > timezone.localdate():
            raise forms.ValidationError(_("The date of birth must be in the past"))
        return born


class ChildSearchForm(forms.Form):
    """Who the child is: what the search before create compares with every team's children."""

    first_name = ChildForm.base_fields["first_name"]
    last_name = ChildForm.base_fields["last_name"]
    date_of_birth = ChildForm.base_fields["date_of_birth"]
    address = forms.CharField(
        label=_("Address or postcode (optional)"),
        max_length=300,
        required=False,
        error_messages={"max_length": TOO_LONG},
    )
    nhs_number = forms.CharField(
        label=_("NHS number (optional)"),
        help_text=_("10 digits, like 943 476 5919"),
        max_length=20,
        required=False,
        error_messages={"max_length": TOO_LONG},
    )

    def clean_date_of_birth(self):  # type: ignore[no-untyped-def]
        born = self.cleaned_data.get("date_of_birth")
        if born and born > timezone.localdate():
            raise forms.ValidationError(_("The date of birth must be in the past"))
        return born

    def clean_nhs_number(self) -> str:
        typed = self.cleaned_data.get("nhs_number") or ""
        return demographics.nhs_number(typed) if typed.strip() else ""

    def identity(self) -> dict[str, Any]:
        """What was searched for: the fields of this form, cleaned."""
        return {name: self.cleaned_data.get(name) for name in ChildSearchForm.base_fields}


class NewChildForm(KeyedForm, ChildSearchForm):
    """The record itself, after the search: what was searched for, kept, and the rest."""

    learning_disability = ChildForm.base_fields["learning_disability"]
    sex = ChildForm.base_fields["sex"]
    ethnicity = ChildForm.base_fields["ethnicity"]
    nationality = ChildForm.base_fields["nationality"]
    # Signed proof that these very details were searched for (views.new_child).
    searched = forms.CharField(required=False, widget=forms.HiddenInput)


class ChildEditForm(VersionedForm, ChildForm):
    in_care = forms.TypedChoiceField(
        label=_("Is the child looked after (in care)?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes or no"), "invalid_choice": _("Choose yes or no")},
    )
    placed_out_of_area = forms.TypedChoiceField(
        label=_("Is the child placed outside the partnership's area?"),
        help_text=_(
            "For example in a children's home, with foster carers or at a residential school in "
            "another council's area. If your partnership links its records with other "
            "partnerships, the child is looked for in theirs through a code: their name and "
            "details are not sent."
        ),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes or no"), "invalid_choice": _("Choose yes or no")},
    )


class ChronologyForm(KeyedForm):
    disclosure = forms.BooleanField(
        label=_("The child disclosed sexual abuse (even if they later took it back)"),
        help_text=_(
            "Tick this if the child told you, or someone, that they are being or have been "
            "sexually abused or exploited. A report to the police or children's social care is "
            "then due today."
        ),
        required=False,
    )
    happened_on = forms.DateField(
        label=_("When did it happen?"),
        widget=DateBox(),
        error_messages={"required": _("Enter the date it happened"), "invalid": DATE_HINT},
    )
    what = forms.CharField(
        label=_("What happened?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Facts: what was seen, heard or said, and by whom. "
            "Use the child's own words where you can."
        ),
        error_messages={"required": _("Enter what happened"), "max_length": TOO_LONG},
    )
    source = source_field()
    source_detail = text_field(
        _("Source detail (optional)"), 200, help_text=_("For example a name, role or document")
    )

    def clean_happened_on(self) -> date:
        return not_in_future(self.cleaned_data["happened_on"])


class MissingForm(KeyedForm):
    started_at = when_field(_("When did the child go missing?"), required=True)
    reported_by = text_field(
        _("Who reported it?"), 200, required=_("Enter who reported the child missing")
    )
    police_reference = text_field(_("Police reference (optional)"), 50)
    ended_at = when_field(
        _("When did they come back or were found? (leave empty if still missing)")
    )
    where_found = text_field(_("Where were they found? (optional)"), 300)
    who_with = text_field(_("Who were they with? (optional)"), 300)
    safe_and_well_at = when_field(_("When was the safe and well check? (optional)"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        started, ended = data.get("started_at"), data.get("ended_at")
        now = timezone.now()
        if started and started > now:
            self.add_error("started_at", _("This can't be in the future"))
        if started and ended and ended < started:
            self.add_error("ended_at", _("They can't come back before they went missing"))
        if ended and ended > now:
            self.add_error("ended_at", _("This can't be in the future"))
        return data


class MissingUpdateForm(VersionedForm):
    ended_at = when_field(
        _("When did they come back or were found? (leave empty if still missing)")
    )
    where_found = text_field(_("Where were they found? (optional)"), 300)
    who_with = text_field(_("Who were they with? (optional)"), 300)
    safe_and_well_at = when_field(_("When was the safe and well check? (optional)"))
    interview = forms.ChoiceField(
        label=_("Return home interview"),
        choices=MissingEpisode.Interview.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose what happened to the interview")},
    )
    interview_at = when_field(_("When was it offered or done?"))
    declined_reason = text_field(_("If declined: why? In the child's words if you can"), 500)

    def __init__(self, *args: Any, episode: MissingEpisode, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.episode = episode

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        ended = data.get("ended_at")
        if ended and ended < self.episode.started_at:
            self.add_error("ended_at", _("They can't come back before they went missing"))
        if data.get("interview") and not ended:
            self.add_error("interview", _("Record when they came back before the interview"))
        if data.get("interview") and not data.get("interview_at"):
            self.add_error("interview_at", _("Enter when the interview was offered or done"))
        if data.get("interview") == MissingEpisode.Interview.DECLINED and not data.get(
            "declined_reason"
        ):
            self.add_error("declined_reason", _("Enter why the interview was declined"))
        return data


class PhilomenaForm(VersionedForm):
    description = text_field(
        _("What does the child look like? (height, build, hair, clothes they often wear)"),
        1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    medical_needs = text_field(
        _("Medical needs and medication"), 1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    phone_numbers = text_field(_("Phone numbers and online accounts they use"), 500)
    places_may_go = text_field(
        _("Places they may go"), 1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    people_may_be_with = text_field(
        _("People they may be with"), 1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    risks = text_field(
        _("Known risks, including exploitation"), 1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    previous_missing = text_field(
        _("What happened when they went missing before"),
        1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(name) for name in PhilomenaProfile.FIELDS):
            raise forms.ValidationError(_("Fill in at least one part of the form"))
        return data


class AbuseReportForm(KeyedForm):
    """A report of sexual abuse made to the police or children's social care."""

    reported_to = forms.ChoiceField(
        label=_("Who did you report it to?"),
        choices=AbuseReport.To.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose who you reported it to"),
            "invalid_choice": _("Choose who you reported it to"),
        },
    )
    reported_at = when_field(_("When did you report it?"), required=True)
    reference = text_field(
        _("The reference you were given"),
        100,
        required=_("Enter the reference you were given, or who you spoke to if there was none"),
        help_text=_("For example an incident number. If none was given, write who you spoke to."),
    )
    known_on = forms.DateField(
        label=_("When did you come to know of the abuse?"),
        widget=DateBox(),
        error_messages={"required": _("Enter the date you came to know"), "invalid": DATE_HINT},
    )
    delay_reason = text_field(
        _("If it was not reported the same day: why not?"),
        1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "A report is made as soon as practicable; a delay is allowed only where reporting at "
            "once would put the child at risk."
        ),
    )

    def __init__(self, *args: Any, known_on: date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fixed_known_on = known_on
        if known_on is not None:  # a report that was due: known since the day it was recorded
            self.fields["known_on"].required = False
            self.fields["known_on"].widget = forms.HiddenInput()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.fixed_known_on is not None:
            data["known_on"] = self.fixed_known_on
        known, reported = data.get("known_on"), data.get("reported_at")
        if known and known > timezone.localdate():
            self.add_error("known_on", _("The date can't be in the future"))
        if reported and reported > timezone.now():
            self.add_error("reported_at", _("This can't be in the future"))
        if known and reported:
            day = timezone.localtime(reported).date()
            if day < known:
                self.add_error("reported_at", _("The report can't be before you came to know"))
            elif day > known and not data.get("delay_reason", "").strip():
                self.add_error(
                    "delay_reason",
                    _("It was reported after the day you came to know: say why it was not sooner"),
                )
            elif day == known:
                data["delay_reason"] = ""
        return data


DECISION_CHOICES = NrmDecision.choices


class NrmForm(forms.Form):
    """A National Referral Mechanism referral and its two decisions (Home Office, 2024)."""

    referred_on = forms.DateField(
        label=_("Referral date"),
        widget=DateBox(),
        error_messages={"required": _("Enter the referral date"), "invalid": DATE_HINT},
    )
    first_responder = forms.ChoiceField(
        label=_("First responder organisation"),
        choices=[("", _("Choose one")), *NrmReferral.FirstResponder.choices],
        error_messages={
            "required": _("Choose the first responder organisation"),
            "invalid_choice": _("Choose the first responder organisation"),
        },
    )
    first_responder_name = text_field(
        _("The organisation's name (optional)"), 200, help_text=_("For example Northby Council")
    )
    reasonable_grounds = forms.ChoiceField(
        label=_("Reasonable grounds decision"),
        choices=DECISION_CHOICES,
        initial=NrmDecision.PENDING,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the reasonable grounds decision"),
            "invalid_choice": _("Choose the reasonable grounds decision"),
        },
    )
    reasonable_grounds_on = forms.DateField(
        label=_("Reasonable grounds decision date"),
        help_text=_("Leave empty while the decision is pending"),
        required=False,
        widget=DateBox(),
        error_messages={"invalid": DATE_HINT},
    )
    conclusive_grounds = forms.ChoiceField(
        label=_("Conclusive grounds decision"),
        choices=DECISION_CHOICES,
        initial=NrmDecision.PENDING,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the conclusive grounds decision"),
            "invalid_choice": _("Choose the conclusive grounds decision"),
        },
    )
    conclusive_grounds_on = forms.DateField(
        label=_("Conclusive grounds decision date"),
        help_text=_("Leave empty while the decision is pending"),
        required=False,
        widget=DateBox(),
        error_messages={"invalid": DATE_HINT},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate()
        referred = data.get("referred_on")
        if referred and referred > today:
            self.add_error("referred_on", _("The date can't be in the future"))
        pending = NrmDecision.PENDING
        reasonable_on = self._decision_date(data, "reasonable_grounds", "reasonable grounds")
        conclusive_on = self._decision_date(data, "conclusive_grounds", "conclusive grounds")
        if referred and reasonable_on and reasonable_on < referred:
            self.add_error("reasonable_grounds_on", _("The decision can't be before the referral"))
        if data.get("conclusive_grounds") not in (None, "", pending):
            if data.get("reasonable_grounds") != NrmDecision.POSITIVE:
                self.add_error(
                    "conclusive_grounds",
                    _("A conclusive grounds decision follows a positive reasonable grounds one"),
                )
            elif conclusive_on and reasonable_on and conclusive_on < reasonable_on:
                self.add_error(
                    "conclusive_grounds_on",
                    _("The conclusive grounds decision can't be before the reasonable grounds one"),
                )
            elif conclusive_on and referred and conclusive_on < referred:
                self.add_error(
                    "conclusive_grounds_on", _("The decision can't be before the referral")
                )
        return data

    def _decision_date(self, data: dict[str, Any], name: str, words: str) -> date | None:
        """A decision made has its date; a pending one has none."""
        decided = data.get(name) not in (None, "", NrmDecision.PENDING)
        day = data.get(f"{name}_on")
        if decided and not day:
            self.add_error(
                f"{name}_on", _("Enter the date of the %(words)s decision") % {"words": words}
            )
        elif not decided and day and name in data:
            data[f"{name}_on"] = None
            return None
        if day and day > timezone.localdate():
            self.add_error(f"{name}_on", _("The date can't be in the future"))
        return day if isinstance(day, date) else None


class NewNrmForm(KeyedForm, NrmForm):
    pass


class NrmEditForm(VersionedForm, NrmForm):
    pass
