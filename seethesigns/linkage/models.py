"""What this partnership sent to the linkage hub, and the alerts the hub sent back.

Nothing here holds a name, number or plate: a sent record is a random reference, the local
record's type and number, and a keyed digest of what was encoded (to resend only what changed).
An alert holds what the hub says of the other side: the partnership and its CSE coordinator's
name and work phone, how strong the match is, and nothing of their record.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    """The kind of local record an encoding was made from."""

    ENTITY = "entity", _("Person, vehicle, phone or handle record")
    CHILD = "child", _("Child's record")


class Strength(models.TextChoices):
    VERY_LIKELY = "very_likely", _("Very likely")
    POSSIBLY = "possibly", _("Possibly")


class SentRecord(models.Model):
    """One local record as the hub knows it: by a random reference, never by our number.

    `digest` is what was last sent ("" until the hub accepted it); `withdraw` is set, in the
    erasure's own transaction, when the record is erased or no longer qualifies, and the next
    `linkage_sync` withdraws it from the hub and deletes this row.
    """

    ref = models.CharField(max_length=32, unique=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    source_id = models.BigIntegerField()
    kind = models.CharField(max_length=10)  # person, child, vehicle, phone, handle
    digest = models.CharField(max_length=64, blank=True, default="")
    withdraw = models.BooleanField(default=False)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], name="sent_record_once"),
        ]
        indexes = [models.Index(fields=["withdraw"], name="sent_record_withdraw")]

    def __str__(self) -> str:
        return f"{self.source} {self.source_id} as {self.ref[:6]}…"


class HubAlert(models.Model):
    """A record held here may match one held by another partnership (one row per hub match)."""

    class Decision(models.TextChoices):
        CONTACTED = "contacted", _("I contacted their CSE coordinator")
        NOT_SAME = "not_same", _("Not the same: no need to contact them")

    class Closed(models.TextChoices):
        WITHDRAWN = "withdrawn", _("A record on either side was erased or withdrawn")

    match_id = models.BigIntegerField(unique=True)  # the hub's number for the match
    ref = models.CharField(max_length=32, db_index=True)  # our side's reference
    # The local record, kept here so the alert outlives a withdrawal of its SentRecord row.
    source = models.CharField(max_length=10, choices=Source.choices)
    source_id = models.BigIntegerField(null=True, blank=True)
    kind = models.CharField(max_length=10)
    strength = models.CharField(max_length=12, choices=Strength.choices)
    probability = models.FloatField()
    partnership_name = models.CharField(max_length=200)
    coordinator_name = models.CharField(max_length=200, blank=True)
    coordinator_phone = models.CharField(max_length=60, blank=True)
    raised_at = models.DateTimeField()  # when the hub found it
    # The hub's id of the newest event that set the strength: an older one read again is ignored.
    hub_event = models.BigIntegerField(default=0)
    received_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed = models.CharField(max_length=12, choices=Closed.choices, blank=True)
    decision = models.CharField(max_length=12, choices=Decision.choices, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-pk"]

    def __str__(self) -> str:
        return f"hub match {self.match_id} ({self.strength})"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None and not self.decision


class HubCursor(models.Model):
    """The newest hub event read, and recent reads, from which each sync re-reads (one row)."""

    after = models.BigIntegerField(default=0)
    synced_at = models.DateTimeField(null=True, blank=True)
    # [started, ended (epoch seconds), newest id read] of recent reads: a sync re-reads from an
    # old enough one, because the hub may commit an event after a later-numbered one was read.
    readings = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"after event {self.after}"
