"""The CSE coordinator's cohort: every child open to them, with what needs doing for each.

One row per child: the latest screening's suggested level and the practitioner's judgement,
missing episodes (and whether the child goes missing repeatedly), return home interviews due
or late, the next MACE meeting the child is on, and open actions. Built in a fixed number of
queries, whatever the number of children.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from seethesigns.children import missing
from seethesigns.children.models import Child, MissingEpisode
from seethesigns.children.policies import ChildPolicy
from seethesigns.meetings.models import Action, Item
from seethesigns.screening.models import Level, Screening

LEVEL_RANK = {Level.NONE: 0, Level.EMERGING: 1, Level.MODERATE: 2, Level.SIGNIFICANT: 3}
LATE_STATES = {"overdue", "offered_late", "done_late", "missing"}


@dataclass
class CohortRow:
    child: Child
    screening: Screening | None = None
    missing: int = 0
    missing_recent: int = 0
    interviews_due: int = 0
    interviews_late: int = 0
    next_mace: date | None = None
    open_actions: int = 0
    overdue_actions: int = 0
    actions_due_today: int = 0
    episodes: list[MissingEpisode] = field(default_factory=list)

    @property
    def repeat_missing(self) -> bool:
        """The partnership's rule (children/missing.py), on the day the cohort is drawn."""
        return self.missing_recent >= missing.episodes_needed()

    @property
    def level_rank(self) -> int:
        """The higher of the suggested level and the practitioner's judgement."""
        if self.screening is None:
            return -1
        s = self.screening
        return max(
            LEVEL_RANK.get(Level(s.suggested_level), 0), LEVEL_RANK.get(Level(s.judgement), 0)
        )


SORTS = {
    "level": lambda r: (-r.level_rank, r.child.last_name),
    "missing": lambda r: (-r.missing_recent, -r.missing, r.child.last_name),
    "interviews": lambda r: (-r.interviews_late, -r.interviews_due, r.child.last_name),
    "mace": lambda r: (r.next_mace is None, r.next_mace or date.max, r.child.last_name),
    "actions": lambda r: (-r.overdue_actions, -r.open_actions, r.child.last_name),
    "name": lambda r: (r.child.last_name, r.child.first_name),
}
FILTERS = {
    "repeat": lambda r: r.repeat_missing,
    "interviews": lambda r: r.interviews_late > 0 or r.interviews_due > 0,
    "actions": lambda r: r.overdue_actions > 0,
    "significant": lambda r: r.level_rank >= LEVEL_RANK[Level.SIGNIFICANT],
}


def cohort_for(user: Any, now: datetime, *, sort: str = "level", only: str = "") -> list[CohortRow]:
    children = list(ChildPolicy(user).visible().select_related("team").order_by("pk"))
    rows = {c.pk: CohortRow(child=c) for c in children}
    ids = list(rows)
    for s in Screening.objects.filter(child_id__in=ids).order_by("screened_at", "pk"):
        rows[s.child_id].screening = s  # the latest wins
    since, until = missing.window(timezone.localdate(now))
    for e in MissingEpisode.objects.filter(child_id__in=ids):
        row = rows[e.child_id]
        row.episodes.append(e)
        row.missing += 1
        row.missing_recent += since <= e.started_at < until
        state = e.interview_state(now)
        row.interviews_late += state in LATE_STATES
        row.interviews_due += state == "due"
    today = timezone.localdate(now)
    upcoming = Item.objects.filter(child_id__in=ids, meeting__held_on__gte=today)
    for child_id, held_on in upcoming.values_list("child_id", "meeting__held_on"):
        row = rows[child_id]
        row.next_mace = min(filter(None, [row.next_mace, held_on]))
    open_actions: dict[int, list[date]] = defaultdict(list)
    actions = Action.objects.filter(item__child_id__in=ids, done_on__isnull=True)
    for child_id, due_on in actions.values_list("item__child_id", "due_on"):
        open_actions[child_id].append(due_on)
    for child_id, dues in open_actions.items():
        rows[child_id].open_actions = len(dues)
        rows[child_id].overdue_actions = sum(due < today for due in dues)
        rows[child_id].actions_due_today = sum(due == today for due in dues)
    result = [r for r in rows.values() if only not in FILTERS or FILTERS[only](r)]
    return sorted(result, key=SORTS.get(sort, SORTS["level"]))
