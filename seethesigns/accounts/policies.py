"""Who may use which part of the workspace. Record-level rules live in each app's policies.py."""

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from seethesigns.accounts.models import Invitation, InvitationQuerySet, Role, User, token_hash
from seethesigns.recordpolicy import RecordPolicy, always, role_of

__all__ = ["UserPolicy", "WorkspacePolicy", "has_second_factor", "invitation_for", "role_of"]


class WorkspacePolicy:
    """The parts of the workspace a signed-in professional may open, by role."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self.role = role_of(user)

    @property
    def can_enter(self) -> bool:
        return bool(self.role)

    @property
    def edits_the_website_only(self) -> bool:
        """An editor or safeguarding lead of the public site who has no workspace role."""
        return not self.role and bool(
            getattr(self.user, "is_authenticated", False)
            and self.user.is_active
            and self.user.has_perm("wagtailadmin.access_admin")
        )

    @property
    def home(self) -> str:
        """Where sign-in ends: the workspace, or the CMS for someone who only edits the site."""
        return reverse("wagtailadmin_home" if self.edits_the_website_only else "pro:home")

    @property
    def can_manage_users(self) -> bool:
        return self.role == Role.PARTNERSHIP_ADMIN

    @property
    def can_search_audit(self) -> bool:
        return self.role == Role.DPO

    @property
    def can_handle_data_protection(self) -> bool:
        """Subject access, erasure and the retention schedule: the DPO alone."""
        return self.role == Role.DPO

    @property
    def can_edit_content(self) -> bool:
        return self.role == Role.CONTENT_EDITOR or bool(getattr(self.user, "is_superuser", False))

    @property
    def works_across_cases(self) -> bool:
        """The CSE coordinator and the police analyst: the network and MACE meetings."""
        return self.role in {Role.CSE_COORDINATOR, Role.POLICE_ANALYST}


class UserPolicy(RecordPolicy[User, QuerySet[User]]):
    """Accounts as the partnership admin manages them: everyone with a workspace role.

    The DPO reaches any account by name, only to search the audit (need="audit")."""

    model = User
    needs = {
        "open": always,
        # Nobody deactivates themself: the partnership would be left without its admin.
        "manage": lambda policy, person: person.pk != policy.user.pk,
        "audit": lambda policy, person: policy.role == Role.DPO,
    }

    def scope(self, qs: QuerySet[User]) -> QuerySet[User]:
        return qs.exclude(role="") if self.role == Role.PARTNERSHIP_ADMIN else qs.none()

    def reach(self, need: str) -> QuerySet[User]:
        if need == "audit":
            everyone = User.objects.all()
            return everyone if self.role == Role.DPO else everyone.none()
        return self.visible()

    def enrolled(self) -> set[int]:
        """Of the people they manage, those who have set up two-factor sign-in."""
        confirmed = TOTPDevice.objects.filter(confirmed=True, user__in=self.visible())
        return set(confirmed.values_list("user_id", flat=True))

    def invitations(self) -> InvitationQuerySet:
        """Invitations still waiting to be accepted."""
        usable = Invitation.objects.usable()
        return usable if self.role == Role.PARTNERSHIP_ADMIN else usable.none()


def has_second_factor(user: Any) -> bool:
    """Whether the user has finished setting up their authenticator app."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def invitation_for(token: str) -> Invitation | None:
    """The usable invitation a link's token opens: the token is the only key to it."""
    return Invitation.objects.usable().filter(token_hash=token_hash(token)).first()
