"""A DSL's referral to children's social care, and the front door's clock for answering it."""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seethesigns.accounts.models import Team
from seethesigns.encryption import unseal
from seethesigns.history import DecisionEntry
from seethesigns.submissions import form_key_field

# The seven golden rules of information sharing, in our words (HM Government 2015 and 2018,
# as set out by Devon and Guernsey ISCP; see docs/screening.md).
GOLDEN_RULES = [
    _(
        "Data protection law is not a barrier to sharing information to keep a child safe; it is a "
        "framework for sharing it properly."
    ),
    _(
        "Be open and honest with the child and family about why, what, how and with whom you will "
        "share, and seek their agreement, unless that would be unsafe."
    ),
    _(
        "Seek advice from your DSL or information governance lead if in doubt, without naming the "
        "child where you can."
    ),
    _(
        "Share with consent where appropriate. You can share without consent when there is good "
        "reason, for example when a child's safety is at risk."
    ),
    _("Think about the safety and wellbeing of the child and of others who may be affected."),
    _(
        "Share only what is necessary, proportionate, relevant, adequate, accurate, timely and "
        "secure."
    ),
    _("Record your decision and your reasons, whether you share or not: what, with whom and why."),
]


class Consent(models.TextChoices):
    GIVEN = "given", _("Asked, and they agreed")
    REFUSED = "refused", _("Asked, and they did not agree")
    NOT_SOUGHT = "not_sought", _("Not asked")


class Decision(models.TextChoices):
    SHARE = "share", _("Share: send the referral")
    NOT_SHARE = "not_share", _("Do not share: record the decision only")


class Outcome(models.TextChoices):
    PROTECTION = "protection", _("Immediate protection")
    S47 = "s47", _("Section 47 enquiry (reasonable cause to suspect significant harm)")
    S17 = "s17", _("Child in need assessment (section 17)")
    EARLY_HELP = "early_help", _("Early help")
    NFA = "nfa", _("No further action, with advice to the referrer")


class ReferralQuerySet(models.QuerySet["Referral"]):
    def sent(self) -> "ReferralQuerySet":
        return self.filter(decision=Decision.SHARE)

    def overdue(self, now: datetime | None = None) -> "ReferralQuerySet":
        return self.sent().filter(outcome="", decision_due_at__lt=now or timezone.now())


class Referral(models.Model):
    child = models.ForeignKey("cases.Child", on_delete=models.PROTECT, related_name="referrals")
    screening = models.ForeignKey(
        "screening.Screening", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    referrer_team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    front_door = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals_received"
    )
    created_at = models.DateTimeField(default=timezone.now)
    consent = models.CharField(_("consent"), max_length=20, choices=Consent.choices)
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    sealed = models.TextField()  # family, done, child_words, concerns, reasons: encrypted
    decision_due_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    escalated_at = models.DateTimeField(null=True, blank=True)
    # The form's own key: the same form sent again (a retry after an outage, a double click)
    # finds this referral instead of making a second.
    submission_key = form_key_field()

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Referral {self.pk}"

    @property
    def contents(self) -> dict[str, Any]:
        return unseal(self.sealed)

    @property
    def is_sent(self) -> bool:
        return self.decision == Decision.SHARE

    def is_overdue(self, now: datetime | None = None) -> bool:
        return self.is_sent and not self.outcome and self.decision_due_at < (now or timezone.now())

    def acknowledgement_overdue(self, now: datetime | None = None) -> bool:
        return self.is_sent and self.acknowledged_at is None and self.is_overdue(now)

    @property
    def status(self) -> str:
        if not self.is_sent:
            return str(_("Decision not to share, recorded"))
        if self.outcome:
            return str(self.get_outcome_display())
        if self.acknowledged_at:
            return str(_("Acknowledged, decision awaited"))
        return str(_("Sent, not yet acknowledged"))


class ReferralDecision(DecisionEntry):
    """The front door's decision on a referral: what, who, when and why. A change is a new entry.

    The database refuses UPDATE and DELETE on this table (seethesigns.appendonly);
    `Referral.outcome` holds the latest, for lists.
    """

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)

    def __str__(self) -> str:
        return f"Decision on referral {self.referral_id}"
