"""What apps above referrals show on a referral's page (the concerns linked to it).

An app registers its section in its AppConfig.ready() (seethesigns/pageparts.py), so referrals
imports none of the apps that build on it.
"""

from seethesigns.pageparts import PageParts
from seethesigns.referrals.models import Referral

_sections = PageParts[Referral]()
register = _sections.register
context_for = _sections.context_for
