"""What other apps show on a child's page: screenings, referrals, concerns, links and alerts.

Each of those apps registers its panel in its AppConfig.ready() (seethesigns/pageparts.py), so
the children app, which they all build on, imports none of them.
"""

from seethesigns.children.models import Child
from seethesigns.pageparts import PageParts

_panels = PageParts[Child]()
register = _panels.register
context_for = _panels.context_for
