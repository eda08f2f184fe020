"""ErasurePolicy: the log of erased records is the data protection officer's alone."""

from django.db.models import QuerySet

from seethesigns.accounts.models import Role
from seethesigns.dataprotection.models import Erasure
from seethesigns.recordpolicy import RecordPolicy


class ErasurePolicy(RecordPolicy[Erasure, QuerySet[Erasure]]):
    model = Erasure

    def scope(self, qs: QuerySet[Erasure]) -> QuerySet[Erasure]:
        return qs if self.role == Role.DPO else qs.none()
