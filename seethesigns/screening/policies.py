"""DslTaskPolicy: who may see a practitioner's task for their DSL (anyone else gets 404)."""

from typing import Any

from django.db.models import Q, QuerySet

from seethesigns.accounts.models import Role, User
from seethesigns.accounts.policies import role_of
from seethesigns.children.policies import ChildPolicy
from seethesigns.recordpolicy import RecordPolicy, always
from seethesigns.screening.models import DslTask, DslTaskQuerySet, Screening


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


class DslTaskPolicy(RecordPolicy[DslTask, DslTaskQuerySet]):
    model = DslTask
    related = ("sent_by", "child", "done_by")
    needs = {"open": always, "close": lambda policy, task: policy.can_close(task)}

    def scope(self, qs: DslTaskQuerySet) -> DslTaskQuerySet:
        """Tasks they sent, and, for a DSL, every task sent to their organisation."""
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


class ScreeningPolicy(RecordPolicy[Screening, QuerySet[Screening]]):
    """A saved screening is part of its child's record: seen by whoever may open the child."""

    model = Screening
    related = ("child", "screened_by")

    def scope(self, qs: QuerySet[Screening]) -> QuerySet[Screening]:
        return qs.filter(child__in=ChildPolicy(self.user).visible())
