from django import forms
from django.utils.translation import gettext_lazy as _

from seethesigns.cases.models import LearningDisability
from seethesigns.concerns.forms import TOO_LONG


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
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date like 2012-03-27")},
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

    def clean_date_of_birth(self):  # type: ignore[no-untyped-def]
        from django.utils import timezone

        born = self.cleaned_data.get("date_of_birth")
        if born and born > timezone.localdate():
            raise forms.ValidationError(_("The date of birth must be in the past"))
        return born
