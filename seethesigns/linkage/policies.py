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

    def local_records(self, alerts: list[HubAlert]) -> dict[int, tuple[str, str]]:
        """local_record() of each alert (by its pk), in one query per kind of record."""
        found: dict[int, tuple[str, str]] = {}
        ids = {a.source_id for a in alerts if a.source == Source.ENTITY and a.source_id}
        entities = {e.pk: e for e in EntityPolicy(self.user).visible().filter(pk__in=ids)}
        ids = {a.source_id for a in alerts if a.source == Source.CHILD and a.source_id}
        children = {c.pk: c for c in ChildPolicy(self.user).visible().filter(pk__in=ids)}
        for alert in alerts:
            held = (entities if alert.source == Source.ENTITY else children).get(
                alert.source_id or 0
            )
            if held is None:
                continue
            name = "pro:links:record" if alert.source == Source.ENTITY else "pro:cases:child"
            found[alert.pk] = (reverse(name, args=[held.pk]), held.reference)
        return found

    def local_record(self, alert: HubAlert) -> tuple[str, str]:
        """(address, reference) of the record here the alert is about, as far as this user may
        know it: only if its own policy (EntityPolicy, ChildPolicy) lets them open it."""
        return self.local_records([alert]).get(alert.pk, ("", ""))
