"""ChildPolicy: who may know of and open a child's record (anyone else gets 404)."""

from typing import Any

from django.db.models import Q

from seethesigns.accounts.models import Role
from seethesigns.accounts.policies import role_of
from seethesigns.children.models import Child

# Roles that keep children's records. Others (admin, editor, DPO, analyst) see none by default.
RECORD_KEEPERS = {Role.PRACTITIONER, Role.DSL, Role.FRONT_DOOR, Role.CSE_COORDINATOR}


class ChildPolicy:
    def __init__(self, user: Any) -> None:
        self.user = user
        self.role = role_of(user)

    @property
    def can_create(self) -> bool:
        return self.role in RECORD_KEEPERS and self.user.team_id is not None

    def visible(self) -> Any:
        """What they created, what their team holds, or what was shared with them."""
        if not self.role:
            return Child.objects.none()
        mine = Q(created_by=self.user) | Q(shared_with=self.user)
        if self.role in RECORD_KEEPERS:
            mine |= Q(team_id=self.user.team_id)
        return Child.objects.filter(mine).distinct()

    def can_open(self, child: Child) -> bool:
        return self.visible().filter(pk=child.pk).exists()

    def can_screen(self, child: Child) -> bool:
        return self.role in RECORD_KEEPERS and self.can_open(child)

    def can_edit(self, child: Child) -> bool:
        """Change the record, write to its chronology, record missing episodes and links."""
        return self.role in RECORD_KEEPERS and self.can_open(child)
