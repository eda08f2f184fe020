"""What is waiting for someone, for the workspace home: counts, each one click from its list."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from seethesigns.children.policies import ChildPolicy
from seethesigns.concerns.policies import ConcernPolicy
from seethesigns.dates import due_filter, end_of_today
from seethesigns.linkage.policies import HubAlertPolicy
from seethesigns.meetings.cohort import LATE_STATES, cohort_for
from seethesigns.meetings.policies import MeetingPolicy
from seethesigns.network.policies import PairPolicy
from seethesigns.referrals.policies import ReferralPolicy


@dataclass(frozen=True)
class Tally:
    """One kind of work: how many wait, how many are due today and how many are late."""

    title: str
    url: str  # the list of everything waiting
    waiting: int
    due_today: int
    overdue: int
    today_url: str = ""
    overdue_url: str = ""

    def __post_init__(self) -> None:
        # By default the list itself narrows with ?due=today and ?due=overdue.
        if not self.today_url:
            object.__setattr__(self, "today_url", f"{self.url}?due=today")
        if not self.overdue_url:
            object.__setattr__(self, "overdue_url", f"{self.url}?due=overdue")


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
    # The duty to report child sexual abuse is personal: what this person recorded calls for it.
    reports = ChildPolicy(user).reports_due_for_me()
    if reports.exists():
        url = reverse("pro:cases:reports_due")
        tallies.append(_tally("Reports of sexual abuse to make", url, reports, "due_by", now))
    concerns = ConcernPolicy(user)
    if concerns.works_the_front_door:
        waiting = concerns.visible().awaiting_decision().filter(restricted=False)
        url = reverse("pro:concerns:inbox")
        tallies.append(_tally("Concerns awaiting a decision", url, waiting, "decision_due_at", now))
    referrals = ReferralPolicy(user)
    if referrals.role:
        sent = referrals.visible().sent().filter(outcome="")
        title = (
            "Referrals to decide"
            if referrals.works_the_front_door
            else "Your referrals awaiting the front door"
        )
        url = reverse("pro:referrals:list")
        if sent.exists() or referrals.works_the_front_door:
            tallies.append(_tally(title, url, sent, "decision_due_at", now))
    if MeetingPolicy(user).can_run:
        tallies += _cohort_tallies(user, now)
    pairs = PairPolicy(user)
    if pairs.reviews:
        # Pairs have no due date: a count of what waits, nothing due or late.
        url = reverse("pro:links:pairs")
        pending = pairs.waiting().count()
        tallies.append(
            Tally(
                "Records that may be one person", url, pending, 0, 0, today_url=url, overdue_url=url
            )
        )
    hub_alerts = HubAlertPolicy(user)
    if hub_alerts.reads and hub_alerts.visible().exists():
        # Matches with other partnerships' records (the linkage hub): no due date either.
        url = reverse("pro:linkage:alerts")
        pending = hub_alerts.waiting().count()
        tallies.append(
            Tally(
                "Matches with other partnerships",
                url,
                pending,
                0,
                0,
                today_url=url,
                overdue_url=url,
            )
        )
    return tallies


def _cohort_tallies(user: Any, now: datetime) -> list[Tally]:
    """For the CSE coordinator: return home interviews and MACE actions across the cohort."""
    rows = cohort_for(user, now)
    base = reverse("pro:cohort")
    interviews = [e for r in rows for e in r.episodes]
    due = [e for e in interviews if e.interview_state(now) == "due"]
    late = [e for e in interviews if e.interview_state(now) in LATE_STATES]
    interviews_url = f"{base}?only=interviews&sort=interviews"
    actions_url = f"{base}?only=actions&sort=actions"
    end = end_of_today(now)
    return [
        Tally(
            title="Return home interviews",
            url=interviews_url,
            waiting=len(due) + len(late),
            due_today=sum(1 for e in due if e.interview_due_by and e.interview_due_by < end),
            overdue=len(late),
            today_url=interviews_url,
            overdue_url=interviews_url,
        ),
        Tally(
            title="MACE actions",
            url=f"{base}?sort=actions",
            waiting=sum(r.open_actions for r in rows),
            due_today=sum(r.actions_due_today for r in rows),
            overdue=sum(r.overdue_actions for r in rows),
            today_url=f"{base}?sort=actions",
            overdue_url=actions_url,
        ),
    ]
