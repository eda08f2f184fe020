"""The profile's filters: a period of whole months, by month or quarter, and a team."""

import re
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seethesigns.accounts.models import Team
from seethesigns.problemprofile.figures import Filters

LONGEST = 36  # months: a longer period is a different question (and a slower page)
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


def month_after(first: date, months: int = 1) -> date:
    index = first.month - 1 + months
    return date(first.year + index // 12, index % 12 + 1, 1)


def default_months() -> tuple[date, date]:
    """The last twelve months, this one included."""
    this = timezone.localdate().replace(day=1)
    return month_after(this, -11), this


def _month(value: str, name: str) -> date:
    found = MONTH.match(value.strip())
    if not found or not 1 <= int(found.group(2)) <= 12 or not 2000 <= int(found.group(1)) <= 2100:
        raise forms.ValidationError(
            _("Enter the %(name)s as a year and month, like 2026-04."), params={"name": name}
        )
    return date(int(found.group(1)), int(found.group(2)), 1)


class FilterForm(forms.Form):
    start = forms.CharField(
        label=_("From (month)"), max_length=7, help_text=_("Year and month, like 2026-01.")
    )
    end = forms.CharField(
        label=_("To (month)"), max_length=7, help_text=_("Year and month, like 2026-12.")
    )
    by = forms.ChoiceField(
        label=_("Show each"), choices=[("month", _("Month")), ("quarter", _("Quarter"))]
    )
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.select_related("organisation"),
        required=False,
        empty_label=_("Every team"),
    )

    def __init__(self, data: Any = None) -> None:
        first, last = default_months()
        initial = {"start": f"{first:%Y-%m}", "end": f"{last:%Y-%m}", "by": "month"}
        super().__init__(
            {**initial, **{k: v for k, v in (data or {}).items() if k in self.base_fields}}
        )

    def clean_start(self) -> date:
        return _month(self.cleaned_data["start"], str(_("first month")))

    def clean_end(self) -> date:
        return _month(self.cleaned_data["end"], str(_("last month")))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, date) and isinstance(end, date):
            if end < start:
                self.add_error("end", _("The last month must be the same as or after the first."))
            elif month_after(start, LONGEST) <= end:
                self.add_error("end", _("Choose a period of at most 36 months."))
        return data

    def filters(self) -> Filters:
        """The chosen filters, or the last twelve months for every team if the form is wrong."""
        if self.is_valid():
            data = self.cleaned_data
            team = data.get("team")
            return Filters(
                data["start"], month_after(data["end"]), data["by"], team.pk if team else None
            )
        first, last = default_months()
        return Filters(first, month_after(last))

    def audited(self) -> dict[str, str]:
        f = self.filters()
        return {
            "from": f"{f.start:%Y-%m}",
            "to": f"{f.last_day:%Y-%m}",
            "by": f.by,
            "team": str(f.team_id or ""),
        }


def quarter(value: str) -> Filters | None:
    """The board report's quarter, "2026-Q3", as filters; None if it is not one."""
    found = QUARTER.match((value or "").strip())
    if not found or not 2000 <= int(found.group(1)) <= 2100:
        return None
    first = date(int(found.group(1)), (int(found.group(2)) - 1) * 3 + 1, 1)
    return Filters(first, month_after(first, 3), "month")


def last_quarter() -> str:
    today = timezone.localdate()
    number = (today.month - 1) // 3  # the quarter before this one, 0 meaning last year's fourth
    return f"{today.year}-Q{number}" if number else f"{today.year - 1}-Q4"
