"""ChildPolicy: who may know of and open a child's record (anyone else gets 404)."""

from django.db.models import Q, QuerySet
from django.http import Http404

from seethesigns.accounts.models import Role
from seethesigns.children.models import (
    Child,
    MissingEpisode,
    PhilomenaProfile,
    RepeatMissingAlert,
)
from seethesigns.recordpolicy import RecordPolicy, always

# Roles that keep children's records. Others (admin, editor, DPO, analyst) see none by default.
RECORD_KEEPERS = {Role.PRACTITIONER, Role.DSL, Role.FRONT_DOOR, Role.CSE_COORDINATOR}


class ChildPolicy(RecordPolicy[Child, QuerySet[Child]]):
    model = Child
    related = ("team",)
    needs = {
        "open": always,
        "screen": lambda policy, child: policy.role in RECORD_KEEPERS,
        "edit": lambda policy, child: policy.role in RECORD_KEEPERS,
        # Subject access and erasure: the DPO alone, for any child (see reach).
        "data_protection": lambda policy, child: policy.role == Role.DPO,
    }

    @property
    def can_create(self) -> bool:
        return self.role in RECORD_KEEPERS and self.user.team_id is not None

    def scope(self, qs: QuerySet[Child]) -> QuerySet[Child]:
        """What they created, what their team holds, or what was shared with them."""
        mine = Q(created_by=self.user) | Q(shared_with=self.user)
        if self.role in RECORD_KEEPERS:
            mine |= Q(team_id=self.user.team_id)
        return qs.filter(mine).distinct()

    def reach(self, need: str) -> QuerySet[Child]:
        """The DPO reaches every child for data protection, and no child's record otherwise."""
        if need == "data_protection":
            everyone = Child.objects.all()
            return everyone if self.role == Role.DPO else everyone.none()
        return self.visible()

    def can_open(self, child: Child) -> bool:
        return self.visible().filter(pk=child.pk).exists()

    def can_screen(self, child: Child) -> bool:
        return self.needs["screen"](self, child) and self.can_open(child)

    def can_edit(self, child: Child) -> bool:
        """Change the record, write to its chronology, record missing episodes and links."""
        return self.needs["edit"](self, child) and self.can_open(child)

    # A child's own parts, for a child that came through get_for.

    def episode_of(self, child: Child, episode_id: int) -> MissingEpisode:
        episode = MissingEpisode.objects.filter(child=child, pk=episode_id).first()
        if episode is None:
            raise Http404
        return episode

    def philomena_of(self, child: Child) -> PhilomenaProfile | None:
        return PhilomenaProfile.objects.filter(child=child).first()


class RepeatMissingAlertPolicy(RecordPolicy[RepeatMissingAlert, QuerySet[RepeatMissingAlert]]):
    """The coordinator an alert was raised for reads it and marks it seen; nobody else knows of
    it. Of a child they may not open, the alert tells only its reference and the holding team."""

    model = RepeatMissingAlert
    related = ("child__team", "episode")

    def scope(self, qs: QuerySet[RepeatMissingAlert]) -> QuerySet[RepeatMissingAlert]:
        if self.role != Role.CSE_COORDINATOR:
            return qs.none()
        return qs.filter(coordinator=self.user)

    def waiting(self) -> list[tuple[RepeatMissingAlert, bool]]:
        """Alerts not yet seen, newest first, each with whether its child may be opened."""
        alerts = list(self.visible().filter(seen_at__isnull=True).select_related(*self.related))
        children = ChildPolicy(self.user).visible().filter(pk__in={a.child_id for a in alerts})
        can_open = set(children.values_list("pk", flat=True))
        return [(alert, alert.child_id in can_open) for alert in alerts]
