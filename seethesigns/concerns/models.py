"""Concerns sent through "Tell someone", and what the front door does with them.

What a person wrote, and anything that could identify anyone, is kept only in `sealed`
(encrypted with DATA_KEYS). The other columns say only what kind of concern it is and where it
stands, so lists and overdue checks never need to decrypt.
"""

import secrets
import uuid
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seethesigns.accounts.models import Team
from seethesigns.encryption import unseal
from seethesigns.history import DecisionEntry
from seethesigns.referrals.models import Consent

REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # nothing that reads as another character


def new_reference() -> str:
    chars = [secrets.choice(REFERENCE_ALPHABET) for _ in range(8)]
    return "TS-" + "".join(chars[:4]) + "-" + "".join(chars[4:])


class ReporterKind(models.TextChoices):
    YOUNG_PERSON = "young_person", _("A young person worried about themselves")
    FRIEND = "friend", _("A friend")
    PARENT = "parent", _("A parent or carer")
    PROFESSIONAL = "professional", _("A professional")
    PUBLIC = "public", _("A member of the public")


class StatedUrgency(models.TextChoices):
    NOW = "now", _("Someone is in danger right now")
    SOON = "soon", _("Something could happen in the next few days")
    NOT_URGENT = "not_urgent", _("It is not urgent, but I am worried")
    NOT_SURE = "not_sure", _("I'm not sure")


class Decision(models.TextChoices):
    NO_FURTHER_ACTION = "nfa", _("No further action")
    ADVICE = "advice", _("Advice and signposting")
    SCREENING = "screening", _("Screening")
    STRATEGY = "strategy", _("Strategy discussion")


class TriageUrgency(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediate: act today")
    HIGH = "high", _("High: within one working day")
    ROUTINE = "routine", _("Routine")


class ConcernQuerySet(models.QuerySet["Concern"]):
    def overdue(self, now: datetime | None = None) -> "ConcernQuerySet":
        return self.filter(decision="", decision_due_at__lt=now or timezone.now())

    def awaiting_decision(self) -> "ConcernQuerySet":
        return self.filter(decision="")

    def danger_now_first(self) -> "ConcernQuerySet":
        """Someone in danger right now at the top, then the soonest due."""
        danger = Q(stated_urgency=StatedUrgency.NOW) | Q(triage_urgency=TriageUrgency.IMMEDIATE)
        rank = Case(When(danger, then=Value(0)), default=Value(1), output_field=IntegerField())
        return self.order_by(rank, "decision_due_at", "pk")

    def held_by_team_of(self, user: Any) -> "ConcernQuerySet":
        return self.filter(Q(team_id=user.team_id) | Q(team=None))


class Concern(models.Model):
    reference = models.CharField(_("reference"), max_length=16, unique=True)
    submission_key = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    reporter_kind = models.CharField(_("sent by"), max_length=20, choices=ReporterKind.choices)
    stated_urgency = models.CharField(
        _("urgency given"), max_length=20, choices=StatedUrgency.choices
    )
    sealed = models.TextField()  # encrypted JSON: see ConcernDetails
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="concerns"
    )
    decision_due_at = models.DateTimeField(_("decision due"))
    triage_urgency = models.CharField(
        _("urgency"), max_length=20, choices=TriageUrgency.choices, blank=True
    )
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    shared_with = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="concerns_shared"
    )
    restricted = models.BooleanField(
        _("restricted"),
        default=False,
        help_text=_("Only the named people may open it, for example a staff member's own child."),
    )
    named_people = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="concerns_named"
    )

    objects = ConcernQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return self.reference

    @property
    def details(self) -> dict[str, Any]:
        return unseal(self.sealed)

    def is_overdue(self, now: datetime | None = None) -> bool:
        return not self.decision and self.decision_due_at < (now or timezone.now())

    @property
    def danger_now(self) -> bool:
        """The sender said someone is in danger right now, or the front door judged it so."""
        return (
            self.stated_urgency == StatedUrgency.NOW
            or self.triage_urgency == TriageUrgency.IMMEDIATE
        )


class ConcernDecision(DecisionEntry):
    """One decision on a concern: what, who, when and why. A change of mind is a new entry.

    The database refuses UPDATE and DELETE on this table (migration 0002, seethesigns.appendonly);
    `Concern.decision` holds the latest, for lists.
    """

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="decisions")
    # Blank: the concern was reopened, not decided after all.
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices, blank=True)
    urgency = models.CharField(_("urgency"), max_length=20, choices=TriageUrgency.choices)

    def __str__(self) -> str:
        return f"Decision on {self.concern_id}"


class ConcernNote(models.Model):
    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)
    sealed = models.TextField()  # encrypted {"text": …}

    class Meta:
        ordering = ["written_at", "pk"]

    def __str__(self) -> str:
        return f"Note on {self.concern_id}"

    @property
    def text(self) -> str:
        return str(unseal(self.sealed).get("text", ""))


class BreakGlass(models.Model):
    """Time-limited access to a restricted concern, with the written reason. The DPO is told."""

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="break_glass")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sealed_reason = models.TextField()  # encrypted {"reason": …}: it may name the child
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Break-glass on {self.concern_id} by {self.user_id}"

    @property
    def reason(self) -> str:
        return str(unseal(self.sealed_reason).get("reason", ""))


class ConcernChild(models.Model):
    """The front door's finding that a concern is about a child it knows from a record or a
    referral: one child, many routes."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="children")
    child = models.ForeignKey("cases.Child", on_delete=models.CASCADE, related_name="concerns")
    referral = models.ForeignKey(
        "referrals.Referral", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["linked_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["concern", "child"], name="concern_child_once")
        ]

    def __str__(self) -> str:
        return f"{self.concern_id} about {self.child_id}"


class OutsideShare(models.Model):
    """A concern shared with an agency outside this partnership, and the information-sharing
    decision behind it, recorded as a referral records it: with whom, what, consent and why.

    Sent by the agreed secure route, not through this site: this is the record of the decision.
    The database refuses UPDATE and DELETE on this table (migration 0004, seethesigns.appendonly).
    """

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="outside_shares")
    # Another council's front door, when it is one this site knows; else the agency is typed in.
    front_door = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    consent = models.CharField(_("consent"), max_length=20, choices=Consent.choices)
    # Encrypted {agency, what, consent_reason, reason}: it may name the child.
    sealed = models.TextField()
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    shared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["shared_at", "pk"]

    def __str__(self) -> str:
        return f"Outside share of {self.concern_id}"

    @property
    def decision(self) -> dict[str, Any]:
        return unseal(self.sealed)

    @property
    def shared_with(self) -> str:
        """The agency's name: the front door's team, or the name typed in."""
        if self.front_door is not None:
            return f"{self.front_door.name} ({self.front_door.organisation.name})"
        return str(self.decision.get("agency", ""))
