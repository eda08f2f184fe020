"""DslTaskPolicy: who may see a practitioner's task for their DSL (anyone else gets 404)."""

from typing import Any

from django.db.models import Q
from django.http import Http404, HttpRequest

from seethesigns.accounts.models import Role, User
from seethesigns.accounts.policies import role_of
from seethesigns.screening.models import DslTask


def designated_leads(user: Any) -> list[User]:
    """The DSLs of the user's organisation, whom a practitioner tells."""
    if not getattr(user, "team_id", None):
        return []
    leads = User.objects.filter(
        role=Role.DSL, is_active=True, team__organisation_id=user.team.organisation_id
    )
    return list(leads.select_related("team").order_by("last_name", "first_name", "pk"))


def tells_a_dsl(user: Any) -> bool:
    """A practitioner cannot refer: they tell their DSL, who can."""
    return role_of(user) == Role.PRACTITIONER


def reader_of(user: Any) -> str:
    """Whom a result speaks to (steps.READERS): a practitioner, the front door, or a referrer."""
    role = role_of(user)
    if role == Role.PRACTITIONER:
        return "practitioner"
    return "front_door" if role == Role.FRONT_DOOR else "referrer"


class DslTaskPolicy:
    def __init__(self, user: Any) -> None:
        self.user = user
        self.role = role_of(user)

    def visible(self, qs: Any = None) -> Any:
        """Tasks they sent, and, for a DSL, every task sent to their organisation."""
        qs = DslTask.objects.all() if qs is None else qs
        if not self.role:
            return qs.none()
        mine = Q(sent_by=self.user)
        if self.role == Role.DSL and self.user.team_id:
            mine |= Q(organisation_id=self.user.team.organisation_id)
        return qs.filter(mine)

    def can_close(self, task: DslTask) -> bool:
        return (
            self.role == Role.DSL
            and self.user.team_id is not None
            and task.organisation_id == self.user.team.organisation_id
        )

    def get_for(self, request: HttpRequest, pk: int, *, need: str = "open") -> DslTask:
        task = self.visible().select_related("sent_by", "child", "done_by").filter(pk=pk).first()
        if task is None or (need == "close" and not self.can_close(task)):
            raise Http404
        return task
