from django import template

from seethesigns.content.models import Sign, SignWording
from seethesigns.content.models import signs_for as _signs_for

register = template.Library()


@register.simple_tag
def signs_for(sign_list: str) -> list[tuple[Sign, SignWording]]:
    return _signs_for(sign_list)
