"""EntityPolicy: who may open a person, place, vehicle, phone, handle or group record.

A team's records are its own. The CSE coordinator and the police analyst, whose work is to join
the dots across teams, see every such record and the network; they still see a child's record
only where ChildPolicy lets them. Everyone else learns of a match only as a number and a contact.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from seethesigns.accounts.models import Role, Team, User
from seethesigns.children.policies import RECORD_KEEPERS
from seethesigns.network.models import (
    Entity,
    IntelligenceSubmission,
    PairDecision,
    PairSuggestion,
    Sighting,
)
from seethesigns.recordpolicy import RecordPolicy, always

NETWORK_ROLES = {Role.CSE_COORDINATOR, Role.POLICE_ANALYST}


class EntityPolicy(RecordPolicy[Entity, QuerySet[Entity]]):
    model = Entity
    related = ("team", "created_by")
    needs = {"open": always, "edit": lambda policy, entity: policy.can_edit(entity)}

    @property
    def sees_network(self) -> bool:
        return self.role in NETWORK_ROLES

    @property
    def can_create(self) -> bool:
        return (self.role in RECORD_KEEPERS or self.sees_network) and self.user.team_id is not None

    def scope(self, qs: QuerySet[Entity]) -> QuerySet[Entity]:
        if self.sees_network:
            return qs
        if self.role not in RECORD_KEEPERS:
            return qs.none()
        return qs.filter(Q(team_id=self.user.team_id) | Q(created_by=self.user))

    def can_open(self, entity: Entity) -> bool:
        return self.visible().filter(pk=entity.pk).exists()

    def can_edit(self, entity: Entity) -> bool:
        return self.can_create and self.can_open(entity)


def contact_for(team: Team) -> User | None:
    """The owning team's CSE coordinator; failing that, the partnership's first coordinator."""
    return own_contact(team) or partnership_coordinator()


def own_contact(team: Team) -> User | None:
    if team.cse_contact is not None and team.cse_contact.is_active:
        return team.cse_contact
    return None


def partnership_coordinator() -> User | None:
    return User.objects.filter(role=Role.CSE_COORDINATOR, is_active=True).order_by("pk").first()


class IntelligencePolicy(RecordPolicy[IntelligenceSubmission, QuerySet[IntelligenceSubmission]]):
    """The police analyst hands intelligence to the police: she makes a 3x5x2 submission from a
    record she may open, and her team reads its submissions. Nobody else sees them."""

    model = IntelligenceSubmission
    related = ("entity", "created_by", "team__organisation")

    def can_create(self, entity: Entity) -> bool:
        return self.role == Role.POLICE_ANALYST and EntityPolicy(self.user).can_open(entity)

    def scope(self, qs: QuerySet[IntelligenceSubmission]) -> QuerySet[IntelligenceSubmission]:
        if self.role != Role.POLICE_ANALYST or self.user.team_id is None:
            return qs.none()
        return qs.filter(team_id=self.user.team_id)


class SightingPolicy(RecordPolicy[Sighting, QuerySet[Sighting]]):
    """The police analyst records what was seen where, and her team reads its sightings."""

    model = Sighting
    related = ("place", "vehicle", "created_by")

    @property
    def can_create(self) -> bool:
        return self.role == Role.POLICE_ANALYST and self.user.team_id is not None

    def scope(self, qs: QuerySet[Sighting]) -> QuerySet[Sighting]:
        if not self.can_create:
            return qs.none()
        return qs.filter(team_id=self.user.team_id)


# Whoever decides whether two person records are one person. The CSE coordinator alone: she
# holds the partnership's view of the people of concern and chairs MACE, where such a decision
# is answered for. The police analyst sees every record too, but a wrong "same" would join two
# people's histories, so she raises a pair with the coordinator rather than deciding it.
PAIR_REVIEWERS = {Role.CSE_COORDINATOR}


class PairPolicy(RecordPolicy[PairSuggestion, QuerySet[PairSuggestion]]):
    """The review queue, "these records may be one person": the coordinator's, 404 to others."""

    model = PairSuggestion
    related = ("entity__team__organisation", "other__team__organisation")

    @property
    def reviews(self) -> bool:
        return self.role in PAIR_REVIEWERS

    def scope(self, qs: QuerySet[PairSuggestion]) -> QuerySet[PairSuggestion]:
        return qs if self.reviews else qs.none()

    def waiting(self) -> QuerySet[PairSuggestion]:
        """Suggestions not yet decided, likeliest first."""
        decided = PairDecision.objects.filter(
            entity_id=OuterRef("entity_id"), other_id=OuterRef("other_id")
        )
        return self.visible().filter(~Exists(decided))

    def decision_on(self, suggestion: PairSuggestion) -> PairDecision | None:
        pair = {"entity_id": suggestion.entity_id, "other_id": suggestion.other_id}
        found = PairDecision.objects.filter(**pair).select_related("decided_by")
        return found.order_by("pk").first()
