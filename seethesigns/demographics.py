"""Who a child or a person of concern is, in the words the partnership must record and report.

Baroness Casey's National Audit on Group-based Child Sexual Exploitation and Abuse (2025) found
the ethnicity of suspects unrecorded in about two thirds of cases and recommended recording the
ethnicity and nationality of victims and suspects. Ethnicity uses the 19 categories of the ONS
2021 Census for England and Wales (ONS, 2021,
https://www.ons.gov.uk/census/census2021dictionary/variablesbytopic/ethnicgroupnationalidentitylanguageandreligionvariablescensus2021/ethnicgroup),
plus "not known" and "declined". A blank field is "not recorded": the profile counts it as a
category of its own, so a gap in the recording is seen, never hidden.

The NHS number is checked by its check digit (NHS Digital, "NHS number",
https://www.datadictionary.nhs.uk/attributes/nhs_number.html): a mistyped number is refused at
once rather than stored and never matched.
"""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

NOT_KNOWN = "not-known"
DECLINED = "declined"


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Described in another way")
    NOT_KNOWN = NOT_KNOWN, _("Not known")


# (group, [(code, words)]): the ONS 2021 categories under their five groups.
ETHNIC_GROUPS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Asian or Asian British",
        [
            ("asian-bangladeshi", "Bangladeshi"),
            ("asian-chinese", "Chinese"),
            ("asian-indian", "Indian"),
            ("asian-pakistani", "Pakistani"),
            ("asian-other", "Any other Asian background"),
        ],
    ),
    (
        "Black, Black British, Caribbean or African",
        [
            ("black-african", "African"),
            ("black-caribbean", "Caribbean"),
            ("black-other", "Any other Black, Black British or Caribbean background"),
        ],
    ),
    (
        "Mixed or multiple ethnic groups",
        [
            ("mixed-white-asian", "White and Asian"),
            ("mixed-white-black-african", "White and Black African"),
            ("mixed-white-black-caribbean", "White and Black Caribbean"),
            ("mixed-other", "Any other Mixed or multiple ethnic background"),
        ],
    ),
    (
        "White",
        [
            ("white-british", "English, Welsh, Scottish, Northern Irish or British"),
            ("white-irish", "Irish"),
            ("white-gypsy-traveller", "Gypsy or Irish Traveller"),
            ("white-roma", "Roma"),
            ("white-other", "Any other White background"),
        ],
    ),
    (
        "Other ethnic group",
        [
            ("other-arab", "Arab"),
            ("other-any", "Any other ethnic group"),
        ],
    ),
]
UNANSWERED = [(NOT_KNOWN, "Not known"), (DECLINED, "Declined to say")]


def ethnicity_choices() -> list[tuple[str, object]]:
    """Grouped for a <select> with <optgroup>s; "not known" and "declined" after the groups."""
    grouped: list[tuple[str, object]] = [(group, items) for group, items in ETHNIC_GROUPS]
    return grouped + list(UNANSWERED)


ETHNICITY_WORDS = dict(code for _group, items in ETHNIC_GROUPS for code in items) | dict(UNANSWERED)
ETHNIC_GROUP_OF = {code: group for group, items in ETHNIC_GROUPS for code, _words in items}


def nationality_choices() -> list[tuple[str, str]]:
    """ISO 3166 countries by name (django-countries), then stateless, not known and declined."""
    from django_countries import countries  # reads settings: imported when choices are asked

    return [(code, name) for code, name in countries] + [
        ("stateless", "Stateless"),
        (NOT_KNOWN, "Not known"),
        (DECLINED, "Declined to say"),
    ]


def nationality_words(code: str) -> str:
    return dict(nationality_choices()).get(code, "Not recorded") if code else "Not recorded"


def ethnicity_words(code: str) -> str:
    return ETHNICITY_WORDS.get(code, "Not recorded") if code else "Not recorded"


def nhs_number(value: str) -> str:
    """The ten digits of an NHS number, spaces and dashes dropped; ValidationError if invalid."""
    digits = re.sub(r"[\s-]", "", value or "")
    if not re.fullmatch(r"[0-9]{10}", digits):  # \d would take other scripts' digits too
        raise ValidationError(_("An NHS number is 10 digits, like 943 476 5919."), code="format")
    total = sum(int(d) * weight for d, weight in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    if check == 10 or check != int(digits[9]):
        raise ValidationError(
            _("This is not a valid NHS number: please check each digit."), code="check_digit"
        )
    return digits


def validate_nhs_number(value: str) -> None:
    nhs_number(value)


# Form fields: one way to ask each question, wherever it is asked (a child's record, a screening,
# a person of concern). `required` is the message when it is left unanswered; empty: optional.

CHOOSE = ("", _("Choose one"))


class GroupedChoiceField(forms.ChoiceField):
    """A <select> with <optgroup>s: includes/select_grouped.html draws `groups`, then `after`."""

    groups = ETHNIC_GROUPS
    after = UNANSWERED


def sex_field(*, required: Any = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Sex"),
        choices=Sex.choices,
        required=bool(required),
        widget=forms.RadioSelect,
        error_messages={"required": required, "invalid_choice": _("Choose one of the answers")},
    )


def ethnicity_field(*, required: Any = "") -> GroupedChoiceField:
    return GroupedChoiceField(
        label=_("Ethnicity"),
        help_text=_("The ONS 2021 Census groups. Choose “Not known” if you do not know."),
        choices=[CHOOSE, *ethnicity_choices()],
        required=bool(required),
        error_messages={"required": required, "invalid_choice": _("Choose an ethnicity")},
    )


def nationality_field(*, required: Any = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Nationality"),
        help_text=_("Choose “Not known” if you do not know."),
        choices=lambda: [CHOOSE, *UNANSWERED_NATIONALITY, *nationality_choices()[:-2]],
        required=bool(required),
        error_messages={"required": required, "invalid_choice": _("Choose a nationality")},
    )


UNANSWERED_NATIONALITY = [(NOT_KNOWN, "Not known"), (DECLINED, "Declined to say")]


class NhsNumberField(forms.CharField):
    """Optional; typed with or without spaces; cleaned to its ten digits, or a clear message."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("NHS number (optional)"))
        kwargs.setdefault("help_text", _("10 digits, like 943 476 5919"))
        super().__init__(required=False, max_length=20, **kwargs)

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        return nhs_number(value) if value else ""


def masked_nhs_number(digits: str) -> str:
    """Shown as the NHS writes it: 943 476 5919."""
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}" if len(digits) == 10 else digits
