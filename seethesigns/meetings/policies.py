"""MeetingPolicy: the CSE coordinator runs MACE meetings; the police analyst reads the packs.

Minutes restricted to an agency are read only by people whose organisation is of that kind.
"""

from typing import Any

from django.db.models import Q, QuerySet

from seethesigns.accounts.models import Role
from seethesigns.accounts.policies import role_of
from seethesigns.meetings.models import Meeting, Minute


class MeetingPolicy:
    def __init__(self, user: Any) -> None:
        self.user = user
        self.role = role_of(user)

    @property
    def can_read(self) -> bool:
        return self.role in {Role.CSE_COORDINATOR, Role.POLICE_ANALYST}

    @property
    def can_run(self) -> bool:
        return self.role == Role.CSE_COORDINATOR

    def visible(self) -> QuerySet[Meeting]:
        return Meeting.objects.all() if self.can_read else Meeting.objects.none()

    @property
    def agency(self) -> str:
        team = getattr(self.user, "team", None)
        return str(team.organisation.kind) if team is not None else ""

    def minutes(self, meeting: Meeting) -> QuerySet[Minute]:
        return meeting.minutes.filter(Q(restricted_to="") | Q(restricted_to=self.agency))
