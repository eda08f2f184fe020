"""CompletionPolicy: a professional's own passes; the partnership admin counts everyone's."""

import uuid
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from seethesigns.accounts.models import Role
from seethesigns.recordpolicy import RecordPolicy
from seethesigns.training.models import Completion


class CompletionPolicy(RecordPolicy[Completion, QuerySet[Completion]]):
    model = Completion
    lookup = "certificate"
    needs = {
        # A certificate is its holder's alone, whoever else may count it.
        "certificate": lambda policy, completion: completion.user_id == policy.user.pk,
    }

    def scope(self, qs: QuerySet[Completion]) -> QuerySet[Completion]:
        """Their own passes; for the partnership admin, everyone's (the completion report)."""
        return qs if self.role == Role.PARTNERSHIP_ADMIN else qs.filter(user=self.user)

    def mine(self) -> QuerySet[Completion]:
        return self.visible().filter(user=self.user)

    def get_for(self, request: HttpRequest, pk: Any, *, need: str = "certificate") -> Completion:
        try:
            certificate = uuid.UUID(str(pk))
        except ValueError:
            raise Http404 from None
        return super().get_for(request, certificate, need=need)
