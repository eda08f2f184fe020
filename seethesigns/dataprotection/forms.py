from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from seethesigns.limits import TOO_LONG


class FindChildForm(forms.Form):
    name = forms.CharField(
        label=_("Child's first or last name, or record number"),
        max_length=100,
        error_messages={"required": _("Enter a name or a record number"), "max_length": TOO_LONG},
    )


class EraseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this record being erased?"),
        help_text=_("For example: the request's reference and the lawful basis for erasing."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Enter why the record is being erased")},
    )
    confirm = forms.CharField(
        label=_("Type the record number to confirm"),
        max_length=20,
        error_messages={"required": _("Type the record number to confirm")},
    )

    def __init__(self, *args: Any, record_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.record_id = record_id

    def clean_confirm(self) -> str:
        value = str(self.cleaned_data["confirm"]).strip()
        if value != str(self.record_id):
            raise forms.ValidationError(_("Type the record number shown above to confirm"))
        return value
