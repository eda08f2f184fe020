from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from seethesigns.limits import TOO_LONG
from seethesigns.referrals.models import Consent, Decision, Outcome
from seethesigns.submissions import KeyedForm


def text(label: Any, *, required: bool, missing: Any = "", rows: int = 4, hint: Any = "") -> Any:
    return forms.CharField(
        label=label,
        help_text=hint,
        required=required,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": missing, "max_length": TOO_LONG},
    )


def radios(label: Any, choices: Any, missing: Any) -> forms.ChoiceField:
    """A question answered by one radio: no answer, or one not offered, gets `missing`."""
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": missing, "invalid_choice": missing},
    )


class ReferralForm(KeyedForm):
    family = text(
        _("The child's family"),
        required=True,
        missing=_("Say who the child lives with, and how to contact them"),
        hint=_(
            "Parents or carers: names, address, phone. Say if contacting them could put the "
            "child at risk."
        ),
    )
    done = text(
        _("What has been done so far"),
        required=True,
        missing=_("Say what has been done so far, even if it is nothing yet"),
    )
    child_words = text(
        _("The child's own words"),
        required=False,
        hint=_(
            "What the child said, as they said it, and when. Leave empty if they have said nothing."
        ),
    )
    consent = radios(
        _("Did you ask the child and family for their agreement to share?"),
        Consent.choices,
        _("Say whether you asked for agreement to share"),
    )
    consent_reason = text(
        _("Why you are sharing without agreement, or did not ask"),
        required=False,
        rows=3,
        hint=_(
            "For example: asking would put the child at risk, or could warn the person "
            "harming them."
        ),
    )
    decision = radios(_("Your decision"), Decision.choices, _("Choose whether to share"))
    decision_reason = text(
        _("The reasons for your decision"),
        required=True,
        rows=3,
        missing=_("Record the reasons for your decision, whether you share or not"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("consent") in (Consent.REFUSED, Consent.NOT_SOUGHT)
            and not data.get("consent_reason", "").strip()
        ):
            self.add_error(
                "consent_reason",
                _("Say why you are sharing without agreement, or why you did not ask"),
            )
        return data


class OutcomeForm(forms.Form):
    outcome = radios(_("The front door's decision"), Outcome.choices, _("Choose the decision"))
    reason = text(
        _("Why? (needed for every decision and every change)"),
        required=True,
        rows=3,
        missing=_("Say why you made this decision"),
        hint=_("What it rests on. A change of decision keeps the earlier one, with its reason."),
    )
    note = text(_("A note for the referrer (optional)"), required=False, rows=3)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == Outcome.NFA and "reason" in self.errors:
            message = str(_("Say why no further action is needed"))
            self.errors["reason"] = self.error_class([message])
        return data


class EscalateForm(forms.Form):
    reason = text(
        _("Why you are escalating"),
        required=True,
        rows=3,
        missing=_("Say why you are escalating"),
    )
