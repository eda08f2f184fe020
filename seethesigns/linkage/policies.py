"""HubAlertPolicy: who sees the matches the hub found with other partnerships' records.

The CSE coordinator alone: she is the contact the other partnership's coordinator is given, and
she decides whether to call them. Everyone else gets 404. The local record an alert is about is
reached only through its own policy (EntityPolicy or ChildPolicy), never through the alert.
"""

from django.db.models import QuerySet
from django.urls import reverse

from seethesigns.accounts.models import Role
from seethesigns.children.policies import ChildPolicy
from seethesigns.linkage.models import HubAlert, Source
from seethesigns.network.policies import EntityPolicy
from seethesigns.recordpolicy import RecordPolicy

ALERT_READERS = {Role.CSE_COORDINATOR}


class HubAlertPolicy(RecordPolicy[HubAlert, QuerySet[HubAlert]]):
    model = HubAlert
    related = ("decided_by",)

    @property
    def reads(self) -> bool:
        return self.role in ALERT_READERS

    def scope(self, qs: QuerySet[HubAlert]) -> QuerySet[HubAlert]:
        return qs if self.reads else qs.none()

    def waiting(self) -> QuerySet[HubAlert]:
        """Alerts neither closed nor decided, the strongest first ("very_likely" > "possibly")."""
        open_ = self.visible().filter(closed_at__isnull=True, decision="")
        return open_.order_by("-strength", "-raised_at", "-pk")

    def local_record(self, alert: HubAlert) -> tuple[str, str]:
        """(address, reference) of the record here the alert is about, as far as this user may
        know it: the address only if its own policy lets them open it."""
        if alert.source_id is None:
            return "", ""
        if alert.source == Source.ENTITY:
            entity = EntityPolicy(self.user).visible().filter(pk=alert.source_id).first()
            if entity is not None:
                return reverse("pro:links:record", args=[entity.pk]), entity.reference
        elif alert.source == Source.CHILD:
            child = ChildPolicy(self.user).visible().filter(pk=alert.source_id).first()
            if child is not None:
                return reverse("pro:cases:child", args=[child.pk]), child.reference
        return "", ""
