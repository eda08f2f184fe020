from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from seethesigns.website.models import Sign, SignWording
from seethesigns.website.models import signs_for as _signs_for
from seethesigns.website.outbound import mark_other_sites
from seethesigns.website.telephone import link_phone_numbers

register = template.Library()


@register.simple_tag
def signs_for(sign_list: str) -> list[tuple[Sign, SignWording]]:
    return _signs_for(sign_list)


@register.filter
def phone_links(html: str) -> SafeString:
    """Make the phone numbers in HTML (rich text, our Markdown) tappable; plain text is escaped."""
    return mark_safe(link_phone_numbers(conditional_escape(html)))  # nosec B308 B703


@register.filter
def other_sites(html: str) -> SafeString:
    """Rich text (already made safe by Wagtail) with its links to other sites marked."""
    return mark_safe(mark_other_sites(str(html)))  # nosec B308 B703
