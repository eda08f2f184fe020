"""The weekly list to the editors of help contacts nobody has checked for a while."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone

from seethesigns.accounts.models import User
from seethesigns.website.editorial import EDITORS, LEADS
from seethesigns.website.models import HelpContact


@dataclass(frozen=True)
class Sent:
    cutoff: date
    contacts: int
    recipients: int


def stale_contacts(today: date) -> tuple[date, list[HelpContact]]:
    """Return the cut-off and the live contacts last checked before it, oldest first."""
    cutoff = today - timedelta(days=settings.CONTACTS_CHECK_EVERY_DAYS)
    contacts = HelpContact.objects.filter(live=True, last_checked__lt=cutoff).order_by(
        "last_checked", "name"
    )
    return cutoff, list(contacts)


def send_stale_contacts() -> Sent:
    """E-mail the list to every active editor and safeguarding lead; nothing when it is empty."""
    cutoff, contacts = stale_contacts(timezone.localdate())
    recipients = sorted(
        User.objects.filter(is_active=True, groups__name__in=[EDITORS, LEADS])
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if not contacts or not recipients:
        return Sent(cutoff, len(contacts), 0)
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    lines = [
        f"- {c.name}: last checked {c.last_checked:%-d %B %Y}"
        f"{' (a placeholder, not shown)' if c.placeholder else ''}\n"
        f"  {base}{reverse('wagtailsnippets_content_helpcontact:edit', args=[c.pk])}"
        for c in contacts
    ]
    body = (
        f"These help contacts on {settings.PARTNERSHIP_NAME}'s site have not been checked since "
        f"{cutoff:%-d %B %Y}. People in trouble will call these numbers: please ring or visit "
        "each service, check every detail, and change the contact in the CMS (its date moves to "
        "the day you change it; if nothing changed, put in today's date yourself).\n\n"
        + "\n".join(lines)
    )
    subject = f"{len(contacts)} help contact(s) to check"
    send_mail(subject, body, None, recipients)
    return Sent(cutoff, len(contacts), len(recipients))
