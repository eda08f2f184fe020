from django import forms
from django.utils.translation import gettext_lazy as _

from seethesigns.linkage.models import HubAlert


class AlertDecisionForm(forms.Form):
    """The coordinator's answer to a match with another partnership's record."""

    decision = forms.ChoiceField(
        label=_("What did you do?"),
        choices=HubAlert.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what you did about this match"),
            "invalid_choice": _("Choose what you did about this match"),
        },
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        help_text=_("For example when you called. Do not write the other side's details here."),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
