"""MeetingPolicy: the CSE coordinator runs MACE meetings; the police analyst reads the packs.

Minutes restricted to an agency are read only by people whose organisation is of that kind.
"""

from django.db.models import Q, QuerySet

from seethesigns import references
from seethesigns.accounts.models import Role
from seethesigns.children.models import Child
from seethesigns.meetings.models import Meeting, Minute
from seethesigns.network.models import Entity
from seethesigns.recordpolicy import RecordPolicy


class MeetingPolicy(RecordPolicy[Meeting, QuerySet[Meeting]]):
    model = Meeting

    @property
    def can_read(self) -> bool:
        return self.role in {Role.CSE_COORDINATOR, Role.POLICE_ANALYST}

    @property
    def can_run(self) -> bool:
        return self.role == Role.CSE_COORDINATOR

    def scope(self, qs: QuerySet[Meeting]) -> QuerySet[Meeting]:
        return qs if self.can_read else qs.none()

    @property
    def agency(self) -> str:
        team = getattr(self.user, "team", None)
        return str(team.organisation.kind) if team is not None else ""

    def minutes(self, meeting: Meeting) -> QuerySet[Minute]:
        return meeting.minutes.filter(Q(restricted_to="") | Q(restricted_to=self.agency))

    def listable(self, reference: str) -> Child | Entity | None:
        """C-7KQ2MX is a child, R-… a record. The coordinator may list any of them."""
        found = references.decode(reference) if self.can_run else None
        if found is None:
            return None
        kind, pk = found
        if kind == "C":
            return Child.objects.filter(pk=pk).first()
        if kind == "R":
            return Entity.objects.filter(pk=pk).first()
        return None

    def linked_children(self, entity_ids: list[int]) -> QuerySet[Child]:
        """Children linked to the records on the list: the pack masks their names."""
        if not self.can_read:
            return Child.objects.none()
        return Child.objects.filter(links__entity_id__in=entity_ids).distinct()
