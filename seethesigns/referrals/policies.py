"""ReferralPolicy: who may see, make, answer and escalate a referral. Anyone else gets 404."""

from django.db.models import Q

from seethesigns.accounts.models import Role
from seethesigns.children.models import Child
from seethesigns.children.policies import ChildPolicy
from seethesigns.recordpolicy import RecordPolicy
from seethesigns.referrals.models import Referral, ReferralQuerySet


class ReferralPolicy(RecordPolicy[Referral, ReferralQuerySet]):
    model = Referral
    related = ("child", "referrer", "referrer_team", "front_door")

    @property
    def works_the_front_door(self) -> bool:
        team = getattr(self.user, "team", None)
        return self.role == Role.FRONT_DOOR and team is not None and team.is_front_door

    def can_refer(self, child: Child) -> bool:
        """A designated safeguarding lead refers a child whose record they can open."""
        return self.role == Role.DSL and ChildPolicy(self.user).can_open(child)

    def scope(self, referrals: ReferralQuerySet) -> ReferralQuerySet:
        """Referrals they made, their team made, or (sent ones) their front door received."""
        seen = Q(referrer=self.user)
        if self.role in (Role.DSL, Role.PRACTITIONER) and self.user.team_id:
            seen |= Q(referrer_team_id=self.user.team_id)
        if self.works_the_front_door:
            seen |= Q(front_door_id=self.user.team_id, decision="share")
        return referrals.filter(seen)

    def can_open(self, referral: Referral) -> bool:
        return self.visible().filter(pk=referral.pk).exists()

    def can_answer(self, referral: Referral) -> bool:
        return (
            self.works_the_front_door
            and referral.is_sent
            and referral.front_door_id == self.user.team_id
        )

    def can_escalate(self, referral: Referral) -> bool:
        on_their_side = referral.referrer_id == self.user.pk or (
            self.role == Role.DSL and referral.referrer_team_id == self.user.team_id
        )
        return on_their_side and referral.is_sent and not referral.outcome
