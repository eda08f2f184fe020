"""The browser's own date picker, holding a date it can show."""

from typing import Any

from django import forms


class DateBox(forms.DateInput):
    """An `<input type="date">` whose value is always written yyyy-mm-dd.

    Django writes a date in the language's first input format (en-GB: 27/03/2012); a browser
    shows a date box holding anything but yyyy-mm-dd as empty, so a form sent back unchanged
    would lose its date.
    """

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")
