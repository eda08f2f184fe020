"""ConcernPolicy: the one place that decides who may know of, open or act on a concern."""

import re
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from seethesigns.accounts.models import Role, Team, User
from seethesigns.concerns.models import BreakGlass, Concern, ConcernQuerySet
from seethesigns.recordpolicy import RecordPolicy, always

REFERENCE = re.compile(r"TS-[A-Z0-9]{4}-[A-Z0-9]{4}")


class ConcernPolicy(RecordPolicy[Concern, ConcernQuerySet]):
    """Need to know: the front-door team that holds a concern, people it was shared with, and,
    for a restricted concern, only the named people (or someone who broke the glass).

    get_for finds a concern its reader may know of; whether they may open what it says is
    can_open (a restricted one shows only its reference, and the break-glass page)."""

    model = Concern
    lookup = "reference"
    related = ("team", "assigned_to", "decided_by")
    needs = {
        "open": always,
        # The DPO looks a reference up to search the audit; no more.
        "audit": lambda policy, concern: policy.role == Role.DPO,
    }

    @property
    def works_the_front_door(self) -> bool:
        team = getattr(self.user, "team", None)
        return self.role == Role.FRONT_DOOR and team is not None and team.is_front_door

    def _holds(self, concern: Concern) -> bool:
        return self.works_the_front_door and concern.team_id in (None, self.user.team_id)

    def scope(self, concerns: ConcernQuerySet) -> ConcernQuerySet:
        """The concerns this person may know exist (restricted ones show only their reference)."""
        known = Q(shared_with=self.user, restricted=False) | Q(named_people=self.user)
        if self.works_the_front_door:
            known |= Q(team_id=self.user.team_id) | Q(team=None)
        return concerns.filter(known).distinct()

    def reach(self, need: str) -> ConcernQuerySet:
        if need == "audit":
            every = Concern.objects.all()
            return every if self.role == Role.DPO else every.none()
        return self.visible()

    def glass_broken(self) -> QuerySet[BreakGlass]:
        """Every break-glass grant, newest first: for the DPO, who watches them."""
        grants = BreakGlass.objects.select_related("user", "concern").order_by("-granted_at")
        return grants if self.role == Role.DPO else grants.none()

    def get_for(self, request: HttpRequest, pk: Any, *, need: str = "open") -> Concern:
        if not REFERENCE.fullmatch(str(pk)):
            raise Http404
        return super().get_for(request, pk, need=need)

    def can_open(self, concern: Concern) -> bool:
        if not self.role:
            return False
        if concern.restricted:
            return self._is_named(concern) or self._has_broken_glass(concern)
        return self._holds(concern) or concern.shared_with.filter(pk=self.user.pk).exists()

    def can_act(self, concern: Concern) -> bool:
        """Triage, decide, assign, note, share and restrict: the holding front-door team; for a
        restricted concern, only its named people. Breaking the glass lets someone read, no more."""
        if concern.restricted:
            return self._holds(concern) and self._is_named(concern)
        return self._holds(concern)

    def can_break_glass(self, concern: Concern) -> bool:
        return concern.restricted and self._holds(concern) and not self.can_open(concern)

    def _is_named(self, concern: Concern) -> bool:
        return concern.named_people.filter(pk=self.user.pk).exists()

    def _has_broken_glass(self, concern: Concern) -> bool:
        return BreakGlass.objects.filter(
            concern=concern, user=self.user, expires_at__gt=timezone.now()
        ).exists()


def already_received(key: Any) -> bool:
    """Whether the public form's words were stored already (a retry): its key says no more."""
    return Concern.objects.filter(submission_key=key).exists()


# Roles that can act on a concern once the front door shares it: a school's safeguarding lead or
# practitioner, the CSE team and the police. Never the CMS editor, the partnership admin or the
# DPO: they keep the service running and have no part in a child's case.
SHARE_ROLES = [Role.DSL, Role.PRACTITIONER, Role.CSE_COORDINATOR, Role.POLICE_ANALYST]


def share_candidates(concern: Concern, sharer: Any) -> QuerySet[User]:
    """Whom a concern may be shared with, by need to know, within this partnership.

    The partnership is everyone outside another council's children's services: an organisation
    that has a front door other than the one holding the concern belongs to another council.
    Sharing outside the partnership is an information-sharing decision, as for a referral.
    """
    other_councils = Team.objects.filter(is_front_door=True).exclude(pk=concern.team_id or 0)
    elsewhere = other_councils.values("organisation_id")
    colleagues = Q(role=Role.FRONT_DOOR, team_id=concern.team_id)
    people = User.objects.filter(is_active=True, team__isnull=False)
    people = people.filter(Q(role__in=SHARE_ROLES) | colleagues)
    people = people.exclude(team__organisation_id__in=elsewhere).exclude(pk=sharer.pk)
    return people.exclude(pk__in=concern.shared_with.values("pk")).select_related(
        "team__organisation"
    )


def linkable_children(user: Any) -> QuerySet[Any]:
    """Children the front door may link a concern to: those of the referrals it received, and
    any whose record it may open. Nobody else's children are searched."""
    from seethesigns.children.models import Child
    from seethesigns.children.policies import ChildPolicy
    from seethesigns.referrals.policies import ReferralPolicy

    referred = ReferralPolicy(user).visible().values("child_id")
    own = ChildPolicy(user).visible().values("pk")
    return Child.objects.filter(Q(pk__in=referred) | Q(pk__in=own)).select_related(
        "team__organisation"
    )


def outside_front_doors(concern: Concern, sharer: Any) -> QuerySet[Team]:
    """Other councils' front doors: a concern goes to them only as a recorded decision to share
    outside the partnership, never through the ordinary Share list."""
    mine = [concern.team_id or 0, getattr(sharer, "team_id", None) or 0]
    return (
        Team.objects.filter(is_front_door=True)
        .exclude(pk__in=mine)
        .select_related("organisation")
        .order_by("organisation__name", "name")
    )
