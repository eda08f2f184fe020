"""Who a child or person is, in words: ethnicity, nationality, the NHS number as it is written."""

from django import template

from seethesigns import demographics

register = template.Library()


@register.filter
def ethnicity_words(code: str) -> str:
    return demographics.ethnicity_words(code)


@register.filter
def nationality_words(code: str) -> str:
    return demographics.nationality_words(code)


@register.filter
def nhs_number(digits: str) -> str:
    return demographics.masked_nhs_number(digits)
