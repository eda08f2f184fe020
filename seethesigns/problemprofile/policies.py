"""ProfilePolicy: who reads the partnership's problem profile, and which records it links to.

The profile shows counts only. Its links to records (a place among the most linked, a record to
complete on the scorecard) go through each record's own policy, so a link is offered only to
someone that record's page would open for; everyone else sees the count and no link.
"""

from typing import Any

from django.db.models import QuerySet

from seethesigns.accounts.models import Role
from seethesigns.children.models import Child
from seethesigns.children.policies import ChildPolicy
from seethesigns.network.models import Entity
from seethesigns.network.policies import EntityPolicy
from seethesigns.recordpolicy import role_of

READERS = {Role.CSE_COORDINATOR, Role.POLICE_ANALYST, Role.PARTNERSHIP_ADMIN}


class ProfilePolicy:
    """The profile's needs: read it (and download it), and open the records it counts."""

    needs = {"read": lambda policy: policy.role in READERS}

    def __init__(self, user: Any) -> None:
        self.user = user
        self.role = role_of(user)

    def may(self, need: str) -> bool:
        return bool(self.needs[need](self))

    def children(self) -> QuerySet[Child]:
        """The children whose records this reader may open: links to the rest are not shown."""
        return ChildPolicy(self.user).visible()

    def entities(self) -> QuerySet[Entity]:
        return EntityPolicy(self.user).visible()
