"""The CMS's edit form for a help contact: its "details last checked" date keeps itself true."""

from typing import Any

from django import forms
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm

from seethesigns.website.compare import normalise_html

RICH_TEXT = {"how"}

# What someone reads to reach the service: a change to any of these is a fresh check of them.
CONTACT_DETAILS = [
    "name",
    "who_for",
    "phone",
    "text_number",
    "url",
    "hours",
    "cost",
    "anonymous",
    "how",
]


class LimitsShown:
    """Say every length limit beside its field: the browser stops typing there without a word."""

    fields: dict[str, Any]

    def show_limits(self) -> None:
        for field in self.fields.values():
            limit = getattr(field, "max_length", None)
            if limit and not isinstance(field.widget, forms.HiddenInput):
                note = _("At most %(limit)s characters.") % {"limit": limit}
                field.help_text = f"{field.help_text} {note}".strip() if field.help_text else note
                field.error_messages["max_length"] = _(
                    "This is %(show_value)d characters long; it can be at most %(limit_value)d. "
                    "Nothing was saved: shorten it and save again."
                )


class SearchableCheckboxes(forms.CheckboxSelectMultiple):
    """A box per source to tick, and (static/js/cms.js) a search box above: there are 100+."""

    def __init__(self, attrs: dict[str, Any] | None = None, choices: Any = ()) -> None:
        super().__init__({"class": "searchable-choices", **(attrs or {})}, choices)


def note_for_lead() -> forms.CharField:
    """Not saved with the content: kept with a submission, for the safeguarding leads."""
    return forms.CharField(
        label=_("Note for the safeguarding lead"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Sent to the safeguarding lead when you submit this for approval, and shown to them "
            "beside it: what you changed and why, or what to check. Not shown on the site."
        ),
    )


class SnippetForm(LimitsShown, WagtailAdminModelForm):
    note_for_lead = note_for_lead()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.show_limits()


class PageForm(LimitsShown, WagtailAdminPageForm):
    note_for_lead = note_for_lead()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.show_limits()


class HelpContactForm(SnippetForm):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        details_changed = any(self._really_changed(name) for name in CONTACT_DETAILS)
        if details_changed and "last_checked" not in self.changed_data:
            # The editor has just put these details in: they were checked today, not when the
            # old ones were (a new phone number under "checked 24 November" misleads).
            cleaned["last_checked"] = timezone.localdate()
        return cleaned

    def _really_changed(self, name: str) -> bool:
        if name not in self.changed_data:
            return False
        # The editor resaves rich text in its own markup: only a change of text or tags counts.
        before, after = self.initial.get(name), self.cleaned_data.get(name)
        return normalise_html(before) != normalise_html(after) if name in RICH_TEXT else True


class SignForm(SnippetForm):
    """A new sign's identifier and place in the lists are made for the editor."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("slug", "sort_order"):
            if name in self.fields:
                self.fields[name].required = False
        if "slug" in self.fields:
            self.fields["slug"].help_text = _(
                "Made from the sign's first wording if left empty. Stable once made: other "
                "parts of the site link to it."
            )
        if "sort_order" in self.fields and not self.instance.pk:
            self.fields["sort_order"].help_text = _("Left empty, the sign goes at the end.")
            self.initial["sort_order"] = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        model = type(self.instance)
        if not cleaned.get("slug"):
            words = str(self.data.get("wordings-0-title", "")) or _("sign")
            base = slugify(words)[:70] or "sign"
            slug, n = base, 2
            while model.objects.filter(slug=slug).exclude(pk=self.instance.pk).exists():
                slug, n = f"{base}-{n}", n + 1
            cleaned["slug"] = slug
        if cleaned.get("sort_order") in (None, ""):
            last = model.objects.aggregate(Max("sort_order"))["sort_order__max"]
            cleaned["sort_order"] = (last or 0) + 1
        return cleaned
