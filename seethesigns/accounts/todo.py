"""What is waiting for someone, for the workspace home: counts, each one click from its list."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from seethesigns.concerns.models import Concern
from seethesigns.concerns.policies import ConcernPolicy
from seethesigns.dates import due_filter
from seethesigns.referrals.models import Referral
from seethesigns.referrals.policies import ReferralPolicy


@dataclass(frozen=True)
class Tally:
    """One kind of work: how many wait, how many are due today and how many are late."""

    title: str
    url: str  # the list; "?due=today" and "?due=overdue" narrow it
    waiting: int
    due_today: int
    overdue: int


def _tally(title: str, url: str, waiting: QuerySet[Any], field: str, now: datetime) -> Tally:
    return Tally(
        title=title,
        url=url,
        waiting=waiting.count(),
        due_today=due_filter(waiting, "today", field, now).count(),
        overdue=due_filter(waiting, "overdue", field, now).count(),
    )


def todo_for(user: Any, now: datetime | None = None) -> list[Tally]:
    """The work waiting for this person, by kind, as their role sees it."""
    now = now or timezone.now()
    tallies = []
    concerns = ConcernPolicy(user)
    if concerns.works_the_front_door:
        waiting = (
            concerns.listed(Concern.objects.all()).awaiting_decision().filter(restricted=False)
        )
        url = reverse("pro:concerns:inbox")
        tallies.append(_tally("Concerns awaiting a decision", url, waiting, "decision_due_at", now))
    referrals = ReferralPolicy(user)
    if referrals.role:
        sent = referrals.visible(Referral.objects.all()).sent().filter(outcome="")
        title = (
            "Referrals to decide"
            if referrals.works_the_front_door
            else "Your referrals awaiting the front door"
        )
        url = reverse("pro:referrals:list")
        if sent.exists() or referrals.works_the_front_door:
            tallies.append(_tally(title, url, sent, "decision_due_at", now))
    return tallies
