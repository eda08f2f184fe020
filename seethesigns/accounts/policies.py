"""Who may use which part of the workspace. Record-level rules live in each app's policies.py."""

from typing import Any

from django.urls import reverse

from seethesigns.accounts.models import Role


def role_of(user: Any) -> str:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ""
    return str(user.role or "")


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
