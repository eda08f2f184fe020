from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser

from seethesigns.accounts.models import User


class AccountBackend(ModelBackend):
    """Django's backend, refusing demo accounts in production whatever their password."""

    def user_can_authenticate(self, user: User | AnonymousUser | None) -> bool:
        if settings.PRODUCTION and getattr(user, "is_demo", False):
            return False
        return super().user_can_authenticate(user)

    def get_user(self, user_id: Any) -> User | None:
        user = super().get_user(user_id)
        if user is not None and not self.user_can_authenticate(user):
            return None
        return user
