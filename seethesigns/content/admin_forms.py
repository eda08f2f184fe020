"""The CMS's edit form for a help contact: its "details last checked" date keeps itself true."""

from typing import Any

from django.utils import timezone
from wagtail.admin.forms import WagtailAdminModelForm

from seethesigns.content.compare import normalise_html

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


class HelpContactForm(WagtailAdminModelForm):
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
