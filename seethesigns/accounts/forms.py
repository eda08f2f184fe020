from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from seethesigns.accounts.models import Invitation, Role, Team, User
from seethesigns.datebox import DateBox


class SignInForm(forms.Form):
    username = forms.CharField(
        label=_("Username"), max_length=150, error_messages={"required": _("Enter your username")}
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=1000,
        widget=forms.PasswordInput,
        error_messages={"required": _("Enter your password")},
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        help_text=_("The 6-digit code from your authenticator app, or one of your recovery codes."),
        max_length=40,
        error_messages={"required": _("Enter the code from your authenticator app")},
    )

    def clean_code(self) -> str:
        return "".join(str(self.cleaned_data["code"]).split())


class InviteForm(forms.Form):
    first_name = forms.CharField(
        label=_("First name"), max_length=150, error_messages={"required": _("Enter a first name")}
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, error_messages={"required": _("Enter a last name")}
    )
    phone = forms.CharField(
        label=_("Work phone (optional)"),
        help_text=_(
            "Shown to colleagues who need to reach them: a designated safeguarding lead's to "
            "their practitioners."
        ),
        max_length=40,
        required=False,
        error_messages={"max_length": _("Enter a phone number of 40 characters or fewer")},
    )
    email = forms.EmailField(
        label=_("Work e-mail address"),
        max_length=254,
        error_messages={
            "required": _("Enter an e-mail address"),
            "invalid": _("Enter an e-mail address like name@example.org"),
        },
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a role"), "invalid_choice": _("Choose a role")},
    )
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.select_related("organisation"),
        empty_label=_("Choose a team"),
        error_messages={
            "required": _("Choose a team"),
            "invalid_choice": _("Choose a team from the list"),
        },
    )

    def clean_email(self) -> str:
        email = str(self.cleaned_data["email"]).lower()
        if User.objects.filter(username__iexact=email).exists():
            raise forms.ValidationError(
                _("Someone with this e-mail address already has an account")
            )
        if Invitation.objects.usable().filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("This address already has an invitation that has not been used yet")
            )
        return email


class SetPasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Choose a password"),
        help_text=_(
            "At least 12 characters. A good way to make one: three random words, like "
            "'teapot river lantern'. Common passwords are refused."
        ),
        max_length=1000,
        widget=forms.PasswordInput,
        error_messages={"required": _("Choose a password")},
    )
    password_again = forms.CharField(
        label=_("Type the password again"),
        max_length=1000,
        widget=forms.PasswordInput,
        error_messages={"required": _("Type the password again")},
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password = data.get("password")
        if password and data.get("password_again") and password != data["password_again"]:
            self.add_error("password_again", _("The two passwords are different: type them again"))
        elif password:
            try:
                password_validation.validate_password(password, self.user)
            except forms.ValidationError as e:
                self.add_error("password", e)
        return data


class AuditSearchForm(forms.Form):
    person = forms.CharField(label=_("Person (username)"), required=False, max_length=150)
    record = forms.CharField(
        label=_("Record"),
        help_text=_("A reference such as TS-ABCD-2345, C-7KQ2MX or R-4HW9TC, or a record number."),
        required=False,
        max_length=100,
    )
    action = forms.CharField(label=_("Action"), required=False, max_length=100)
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=DateBox(),
        error_messages={"invalid": _("Enter a date like 2026-11-24")},
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=DateBox(),
        error_messages={"invalid": _("Enter a date like 2026-11-24")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error(
                "date_to", _("The 'to' date must be the same as or after the 'from' date")
            )
        return data
