import json
import uuid
from datetime import datetime
from typing import Any, cast

from django import forms
from django.core import signing
from django.db.models import QuerySet
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from seethesigns.accounts.models import Team, User
from seethesigns.concerns.models import Decision, ReporterKind, StatedUrgency, TriageUrgency
from seethesigns.limits import TOO_LONG
from seethesigns.referrals.models import Consent

TOKEN_SALT = "seethesigns.tell-someone"  # noqa: S105  (a namespace, not a secret)  # nosec B105
TOKEN_MAX_AGE = 60 * 60 * 24 * 2  # a form left open for two days still sends


class ConcernForm(forms.Form):
    """The public "Tell someone" form. Questions as GOV.UK asks them; errors say what to do."""

    reporter_kind = forms.ChoiceField(
        label=_("Who are you?"),
        choices=ReporterKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose who you are"),
            "invalid_choice": _("Choose who you are"),
        },
    )
    your_name = forms.CharField(
        label=_("Your name"),
        required=False,
        max_length=200,
        error_messages={"max_length": TOO_LONG},
    )
    your_organisation = forms.CharField(
        label=_("Where you work"),
        required=False,
        max_length=200,
        error_messages={"max_length": TOO_LONG},
    )
    contact = forms.CharField(
        label=_("How can we contact you?"),
        help_text=_("A phone number or e-mail address. Only give one that is safe for us to use."),
        required=False,
        max_length=300,
        error_messages={"max_length": TOO_LONG},
    )
    what = forms.CharField(
        label=_("What is worrying you?"),
        help_text=_("Tell us what you have seen, heard or been told. Write it in your own words."),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Tell us what is worrying you"), "max_length": TOO_LONG},
    )
    about = forms.CharField(
        label=_("Who are you worried about? (optional)"),
        help_text=_("Their name, age, school or where they live. Write as much as you know."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": TOO_LONG},
    )
    where_when = forms.CharField(
        label=_("Where and when did it happen? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": TOO_LONG},
    )
    urgency = forms.ChoiceField(
        label=_("How urgent is it?"),
        choices=StatedUrgency.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how urgent it is"),
            "invalid_choice": _("Choose how urgent it is"),
        },
    )
    # Rendered by hand in the template: the form's identity, and the site's signature on it.
    key = forms.CharField(required=False, max_length=100)
    token = forms.CharField(required=False, max_length=500)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reporter_kind") == ReporterKind.PROFESSIONAL:
            # Professionals may not stay anonymous: the front door must be able to call back.
            for field, message in [
                ("your_name", _("Enter your name: professionals cannot stay anonymous")),
                ("your_organisation", _("Enter where you work")),
                ("contact", _("Enter a phone number or e-mail address we can reach you on")),
            ]:
                if not data.get(field, "").strip():
                    self.add_error(field, message)
        return data

    def values(self) -> dict[str, str]:
        """What to store, without the form's own fields."""
        fields = ["reporter_kind", "urgency", "your_name", "your_organisation", "contact"]
        fields += ["what", "about", "where_when"]
        return {name: self.cleaned_data.get(name) or "" for name in fields}


SAME_SEND_WINDOW = 15 * 60  # seconds in which the same words count as the same send


def content_key(values: dict[str, str], when: datetime) -> uuid.UUID:
    """A key made from what was written and the quarter hour it was sent in.

    A double click, the back button or a retry with the same words within those minutes stores
    one concern; the same words sent later (it happened again) are a new concern. Keyed with the
    site's secret, so the key says nothing of the words to anyone without it.
    """
    window = int(when.timestamp()) // SAME_SEND_WINDOW
    text = json.dumps({**values, "window": window}, sort_keys=True)
    digest = salted_hmac("seethesigns.concerns.content_key", text, algorithm="sha256").digest()
    return uuid.UUID(bytes=digest[:16], version=4)


def issue_token(key: uuid.UUID) -> str:
    return signing.dumps(str(key), salt=TOKEN_SALT)


def token_matches(token: str, key: str) -> bool:
    """Whether the token was issued by this site for this form, recently."""
    if not token or not key:
        return False
    try:
        return bool(signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE) == key)
    except signing.BadSignature:
        return False


class TriageForm(forms.Form):
    urgency = forms.ChoiceField(
        label=_("How urgent is it?"),
        choices=TriageUrgency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how urgent it is")},
    )
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("", _("Not decided yet")), *Decision.choices],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the decisions")},
    )
    reason = forms.CharField(
        label=_("Why? (needed for every decision and every change)"),
        help_text=_(
            "Who it was discussed with and what it rests on. The earlier decision is kept."
        ),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": TOO_LONG},
    )

    def __init__(self, *args: Any, current: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.current = current

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        decision = data.get("decision")
        if decision is not None and decision != self.current and not data.get("reason"):
            if decision == Decision.NO_FURTHER_ACTION:
                message = _("Say why no further action is needed")
            elif decision:
                message = _("Say why you made this decision")
            else:
                message = _("Say why the decision is being reopened")
            self.add_error("reason", message)
        return data


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Add a note"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write the note"), "max_length": TOO_LONG},
    )


class PersonChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: Any) -> str:
        team = f", {obj.team.name}" if obj.team else ""
        return f"{obj.display_name} ({obj.get_role_display()}{team})"


class PeopleChoiceField(forms.ModelMultipleChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name} ({obj.get_role_display()})"


class AssignForm(forms.Form):
    assignee = PersonChoiceField(
        label=_("Who is working on it"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody"),
        error_messages={"invalid_choice": _("Choose someone from the list")},
    )

    def __init__(self, *args: Any, team_id: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField[User], self.fields["assignee"])
        field.queryset = User.objects.filter(is_active=True, team_id=team_id).select_related("team")


class ShareForm(forms.Form):
    person = PersonChoiceField(
        label=_("Share with a professional who needs to know"),
        help_text=_(
            "Only people in this partnership whose role can act on it. Sharing outside the "
            "partnership is an information-sharing decision: record it under Share outside the "
            "partnership, as you would for a referral."
        ),
        queryset=User.objects.none(),
        empty_label=_("Choose someone"),
        error_messages={
            "required": _("Choose who to share it with"),
            "invalid_choice": _("Choose someone from the list"),
        },
    )

    def __init__(self, *args: Any, people: QuerySet[User] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField[User], self.fields["person"])
        field.queryset = people if people is not None else User.objects.none()


class RestrictForm(forms.Form):
    people = PeopleChoiceField(
        label=_("Who may open it"),
        help_text=_("You stay on the list. Everyone else will need to break the glass."),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose people from the list")},
    )

    def __init__(self, *args: Any, team_id: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(PeopleChoiceField, self.fields["people"])
        field.queryset = User.objects.filter(is_active=True, team_id=team_id)


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need to open this restricted record now?"),
        help_text=_("The data protection officer is told, and reads your reason."),
        min_length=20,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Write why you need to open it"),
            "min_length": _("Write a fuller reason: at least 20 characters"),
            "max_length": TOO_LONG,
        },
    )


class FrontDoorChoiceField(forms.ModelChoiceField[Team]):
    def label_from_instance(self, obj: Team) -> str:
        return f"{obj.name} ({obj.organisation.name})"


class OutsideShareForm(forms.Form):
    """Sharing outside the partnership: the information-sharing decision, as a referral records
    it (with whom, what, whether consent was asked, and why)."""

    front_door = FrontDoorChoiceField(
        label=_("Another council's front door"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=_("None of these"),
        error_messages={"invalid_choice": _("Choose a front door from the list")},
    )
    agency = forms.CharField(
        label=_("Or another agency outside the partnership"),
        help_text=_("Its name and team, for example a housing association's safeguarding lead."),
        required=False,
        max_length=300,
        error_messages={"max_length": TOO_LONG},
    )
    what = forms.CharField(
        label=_("What you are sharing"),
        help_text=_("Only what they need: necessary, proportionate, relevant and accurate."),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what you are sharing"), "max_length": TOO_LONG},
    )
    consent = forms.ChoiceField(
        label=_("Did you ask the child and family for their agreement to share?"),
        choices=Consent.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Say whether you asked for agreement to share"),
            "invalid_choice": _("Say whether you asked for agreement to share"),
        },
    )
    consent_reason = forms.CharField(
        label=_("Why you are sharing without agreement, or did not ask"),
        help_text=_(
            "For example: asking would put the child at risk, or could warn the person "
            "harming them."
        ),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": TOO_LONG},
    )
    reason = forms.CharField(
        label=_("Why you are sharing, and on what basis"),
        help_text=_(
            "Why they need to know, and what the sharing rests on (for example the child's "
            "safety, or a duty to protect children at risk of harm)."
        ),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Record why you are sharing and on what basis"),
            "max_length": TOO_LONG,
        },
    )

    def __init__(
        self, *args: Any, front_doors: QuerySet[Team] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = cast(FrontDoorChoiceField, self.fields["front_door"])
        field.queryset = front_doors if front_doors is not None else Team.objects.none()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        front_door, agency = data.get("front_door"), data.get("agency", "").strip()
        if not front_door and not agency and "front_door" not in self.errors:
            message = _("Choose a front door or name the agency you are sharing with")
            self.add_error("agency", message)
        elif front_door and agency:
            self.add_error("agency", _("Choose a front door or name an agency, not both"))
        if (
            data.get("consent") in (Consent.REFUSED, Consent.NOT_SOUGHT)
            and not data.get("consent_reason", "").strip()
        ):
            self.add_error(
                "consent_reason",
                _("Say why you are sharing without agreement, or why you did not ask"),
            )
        return data
