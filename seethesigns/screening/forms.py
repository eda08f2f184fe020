from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from seethesigns import demographics
from seethesigns.limits import TOO_LONG
from seethesigns.screening.models import Indicator, Level, OverruleReason
from seethesigns.screening.rules import EXPLOITER_WORDS, WHEN_WORDS, Answer
from seethesigns.submissions import KeyedForm

STATE_CHOICES = [
    ("present", _("Present")),
    ("not_known", _("Not known")),
    ("not_present", _("Not present")),
]
WHEN_CHOICES = list(WHEN_WORDS.items())
EXPLOITER_CHOICES = list(EXPLOITER_WORDS.items())
# Overruling the suggestion takes a real reason: a sentence, not a letter.
REASON_MIN_CHARACTERS = 40
REASON_MIN_WORDS = 6
LD_CHOICES = [("yes", _("Yes")), ("no", _("No")), ("not_known", _("Not known"))]


class ScreeningForm(forms.Form):
    """One question per indicator: present, not known (the default) or not present; when; the
    evidence (what was seen or said, by whom, when) and where it came from."""

    age = forms.IntegerField(
        label=_("How old is the child?"),
        help_text=_("In years. Leave empty if you don't know."),
        required=False,
        min_value=0,
        max_value=25,
        error_messages={
            "invalid": _("Enter the age as a whole number, like 14"),
            "min_value": _("Enter an age from 0 to 25"),
            "max_value": _("Enter an age from 0 to 25"),
        },
    )
    learning_disability = forms.ChoiceField(
        label=_("Does the child have a learning disability?"),
        choices=LD_CHOICES,
        initial="not_known",
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose yes, no or not known")},
    )
    exploiters = forms.MultipleChoiceField(
        label=_("Who is suspected of harming or exploiting the child?"),
        help_text=_("Tick all that apply. Leave every box empty if no one is suspected."),
        choices=EXPLOITER_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose from the list")},
    )

    def __init__(
        self, *args: Any, indicators: list[Indicator], ask: tuple[str, ...] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        # What the child's record lacks and must be answered before a screening is saved (the
        # recording duty: Casey 2025). "Not known" and "Declined to say" are answers.
        if "ethnicity" in ask:
            self.fields["ethnicity"] = demographics.ethnicity_field(
                required=_("Choose the child's ethnicity, or “Not known”")
            )
        if "nationality" in ask:
            self.fields["nationality"] = demographics.nationality_field(
                required=_("Choose the child's nationality, or “Not known”")
            )
        for indicator in indicators:
            code = indicator.code
            self.fields[f"{code}-state"] = forms.ChoiceField(
                label=indicator.title,
                choices=STATE_CHOICES,
                initial="not_known",
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": _("Choose present, not known or not present")},
            )
            self.fields[f"{code}-when"] = forms.ChoiceField(
                label=_("When it last happened or was seen"),
                choices=WHEN_CHOICES,
                initial="current",
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": _("Choose when it was seen")},
            )
            self.fields[f"{code}-evidence"] = forms.CharField(
                label=_("Evidence: what was seen or said, by whom and when"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"max_length": TOO_LONG},
            )
            self.fields[f"{code}-source"] = forms.CharField(
                label=_("Source: who told you, or which record"),
                required=False,
                max_length=300,
                error_messages={"max_length": TOO_LONG},
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for indicator in self.indicators:
            code = indicator.code
            if data.get(f"{code}-state") == "present" and not data.get(f"{code}-evidence"):
                self.add_error(
                    f"{code}-evidence",
                    _("Say what was seen or said, by whom and when: '%(title)s' is present")
                    % {"title": indicator.title},
                )
        return data

    def demographics(self) -> dict[str, str]:
        """The answers to the questions the child's record lacked."""
        return {
            name: self.cleaned_data[name]
            for name in ("ethnicity", "nationality")
            if self.cleaned_data.get(name)
        }

    def answers(self) -> dict[str, Answer]:
        data = self.cleaned_data
        return {
            i.code: Answer(
                data.get(f"{i.code}-state") or "not_known", data.get(f"{i.code}-when") or "current"
            )
            for i in self.indicators
        }

    def records(self) -> dict[str, dict[str, str]]:
        """Everything recorded per indicator, for saving (sealed) and for the summary."""
        data = self.cleaned_data
        return {
            i.code: {
                "state": data.get(f"{i.code}-state") or "not_known",
                "when": data.get(f"{i.code}-when") or "current",
                "evidence": data.get(f"{i.code}-evidence") or "",
                "source": data.get(f"{i.code}-source") or "",
            }
            for i in self.indicators
        }

    def groups(self) -> list[tuple[str, list[dict[str, Any]]]]:
        """The indicator fields grouped by kind, for the template."""
        titles = {
            "harm": _("Signs that harm is happening or has happened"),
            "risk": _("Signs of risk"),
            "vulnerability": _("Vulnerabilities"),
        }
        groups = []
        for kind in ("harm", "risk", "vulnerability"):
            rows = [
                {
                    "indicator": i,
                    "state": self[f"{i.code}-state"],
                    "when": self[f"{i.code}-when"],
                    "evidence": self[f"{i.code}-evidence"],
                    "source": self[f"{i.code}-source"],
                }
                for i in self.indicators
                if i.kind == kind
            ]
            groups.append((str(titles[kind]), rows))
        return groups


class JudgementForm(KeyedForm):
    """The practitioner's own level. Nothing is chosen for them; choosing another level than the
    suggestion (or any level when none was suggested) takes a kind of reason and a sentence."""

    judgement = forms.ChoiceField(
        label=_("Level of concern"),
        choices=Level.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the level you judge right"),
            "invalid_choice": _("Choose the level you judge right"),
        },
    )
    overrule_reason = forms.ChoiceField(
        label=_("Why does your judgement differ from the suggestion?"),
        choices=OverruleReason.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose why your judgement differs")},
    )
    judgement_reason = forms.CharField(
        label=_("Explain your judgement in a sentence or two"),
        help_text=_("What you know, or what the tool cannot see. It is saved with the screening."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": TOO_LONG},
    )

    def __init__(
        self, *args: Any, suggested: str | None, must_refer: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.suggested = suggested
        self.must_refer = must_refer
        field = cast(forms.ChoiceField, self.fields["judgement"])
        field.choices = [
            (
                value,
                _("%(level)s (the suggestion)") % {"level": label} if value == suggested else label,
            )
            for value, label in Level.choices
        ]

    def differs(self, judgement: str | None) -> bool:
        return bool(judgement) and judgement != self.suggested

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        judgement = data.get("judgement")
        if self.must_refer and judgement and judgement != "significant":
            # The law, not a weighing: what meets the definition is referred.
            self.add_error(
                "judgement",
                _(
                    "What was recorded meets the statutory definition of child sexual "
                    "exploitation, so it is a significant concern and must be referred. If an "
                    "answer is wrong, change the answers"
                ),
            )
            return data
        if not self.differs(judgement):
            data["overrule_reason"] = ""
            return data
        category = data.get("overrule_reason")
        if not category:
            self.add_error("overrule_reason", _("Choose why your judgement differs"))
        elif category == "no-level" and self.suggested is not None:
            self.add_error(
                "overrule_reason", _("The tool suggested a level: choose another reason")
            )
        reason = " ".join(data.get("judgement_reason", "").split())
        if len(reason) < REASON_MIN_CHARACTERS or len(reason.split()) < REASON_MIN_WORDS:
            self.add_error(
                "judgement_reason",
                _(
                    "Explain your judgement in a sentence of at least %(words)d words: what you "
                    "know, or what the tool cannot see"
                )
                % {"words": REASON_MIN_WORDS},
            )
        return data


class TellDslForm(KeyedForm):
    note = forms.CharField(
        label=_("What your DSL needs to know"),
        help_text=_("Who the child is, where they are now, and how to reach you."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": TOO_LONG},
    )


class LocalIndicatorForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            ("vulnerability", _("Vulnerability")),
            ("risk", _("Sign of risk")),
            ("harm", _("Sign of harm")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the kind"), "invalid_choice": _("Choose the kind")},
    )
    band = forms.ChoiceField(
        label=_("Band (signs of risk only)"),
        choices=[
            ("", _("Not a sign of risk")),
            ("moderate", _("Moderate")),
            ("significant", _("Significant")),
        ],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose moderate or significant")},
    )
    title = forms.CharField(
        label=_("The indicator, in plain words"),
        max_length=300,
        error_messages={"required": _("Write the indicator"), "max_length": TOO_LONG},
    )
    ask = forms.CharField(
        label=_("What to find out when it is not known"),
        max_length=300,
        required=False,
        error_messages={"max_length": TOO_LONG},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == "risk" and not data.get("band"):
            self.add_error("band", _("Choose moderate or significant for a sign of risk"))
        if data.get("kind") != "risk":
            data["band"] = ""
        return data


class CloseTaskForm(forms.Form):
    decision = forms.CharField(
        label=_("What you decided, and why"),
        help_text=_("For example: referred to the front door at 10:20, reference R-…"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Write what you decided, and why"),
            "max_length": TOO_LONG,
        },
    )
