"""Links in rich text to other sites, marked on the page as film links are: "(another website)".

Someone reading about exploitation should know before they press a link that it leaves this
site (and that the other site may keep a record of the visit). Film links say so in their
template; links an editor puts in rich text say so here, wherever rich text is shown (the
website app's copy of wagtailcore/shared/richtext.html runs every rich text through this).
"""

import re
from html import unescape
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.html import escape
from django.utils.translation import gettext as _

LINK = re.compile(r"<a\b([^>]*)>(.*?)</a>", re.IGNORECASE | re.DOTALL)
HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)


def our_hosts() -> list[str]:
    """The names this site answers to: ALLOWED_HOSTS (".example.org" takes in its subdomains)."""
    hosts = [h.lower() for h in settings.ALLOWED_HOSTS if h != "*"]
    base = urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname
    return hosts + ([base.lower()] if base else [])


def is_other_site(href: str) -> bool:
    parts = urlsplit(href.strip())
    if parts.scheme not in ("http", "https", "") or not parts.netloc:
        return False  # this site's own paths, #anchors, mailto: and tel:
    host = (parts.hostname or "").lower()
    for ours in our_hosts():
        if host == ours.lstrip(".") or (ours.startswith(".") and host.endswith(ours)):
            return False
    return True


def mark_other_sites(html: str) -> str:
    """Return rich text with each link to another site saying so after it."""

    def mark(match: re.Match[str]) -> str:
        attributes, text = match.group(1), match.group(2)
        found = HREF.search(attributes)
        if not found or not is_other_site(unescape(found.group(1) or found.group(2) or "")):
            return match.group(0)
        if "rel=" not in attributes.lower():
            attributes += ' rel="noreferrer"'
        note = escape(_("(another website)"))
        if "class=" not in attributes.lower():
            attributes += ' class="other-site"'
        return f"<a{attributes}>{text}</a> {note}"

    return LINK.sub(mark, html)
