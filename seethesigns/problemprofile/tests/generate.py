"""A seeded generator of a partnership's records, for checking the profile against raw SQL.

Every field the profile counts takes each of its values, blank included, and every date falls
somewhere in the period, the period before, or just outside, so a boundary mistake shows.
"""

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from seethesigns import demographics
from seethesigns.accounts.models import Team, User
from seethesigns.children.models import Child, MissingEpisode
from seethesigns.concerns.models import Concern, ConcernChild, new_reference
from seethesigns.encryption import seal
from seethesigns.meetings.models import Action, Item, Meeting
from seethesigns.network.models import Disruption, Entity, Link
from seethesigns.referrals.models import Referral
from seethesigns.screening.models import Screening

ETHNICITIES = [*demographics.ETHNICITY_WORDS, ""]
NATIONALITIES = [
    "GB",
    "GB",
    "GB",
    "PL",
    "RO",
    "AF",
    "ER",
    "IE",
    "stateless",
    "not-known",
    "declined",
    "",
    "",
]
SEXES = ["female", "male", "other", "not-known", ""]


def _moment(rng: random.Random, start: date, end: date) -> datetime:
    """Any moment from a week before start to a week after end, local time."""
    span = (end - start).days + 14
    day = start - timedelta(days=7) + timedelta(days=rng.randrange(span))
    clock = time(rng.randrange(24), rng.choice([0, 30, 59]))
    return timezone.make_aware(datetime.combine(day, clock))


def _day(rng: random.Random, start: date, end: date) -> date:
    return timezone.localdate(_moment(rng, start, end))


def generate(seed: int, start: date, end: date, scale: int = 1) -> dict[str, int]:
    """Records across two teams, in and around [start, end) and the period before it."""
    rng = random.Random(seed)
    before = start - (end - start)
    teams = list(Team.objects.filter(name__in=["Safeguarding", "Child Exploitation Unit"]))
    user = User.objects.get(username="demo-coordinator")
    made: dict[str, int] = {}

    def maybe(value: Any, blank: Any = "") -> Any:
        return value if rng.random() < 0.75 else blank

    children = [
        Child.objects.create(
            first_name=f"Gen{i}",
            last_name="Child",
            team=rng.choice(teams),
            created_by=user,
            created_at=_moment(rng, before, end),
            date_of_birth=maybe(
                date(2026, 1, 1) - timedelta(days=rng.randrange(365 * 6, 365 * 20)), None
            ),
            learning_disability=rng.choice(["yes", "no", "not_known"]),
            in_care=rng.random() < 0.3,
            sex=rng.choice(SEXES),
            ethnicity=rng.choice(ETHNICITIES),
            nationality=rng.choice(NATIONALITIES),
        )
        for i in range(40 * scale)
    ]
    made["children"] = len(children)
    for _ in range(90 * scale):
        received = _moment(rng, start, end)
        decided = rng.random() < 0.7
        Concern.objects.create(
            reference=new_reference(),
            received_at=received,
            sealed=seal({}),
            reporter_kind=rng.choice(
                ["young_person", "friend", "parent", "professional", "public", ""]
            ),
            stated_urgency=rng.choice(["now", "soon", "not_urgent", "not_sure"]),
            team=rng.choice([*teams, None]),
            decision_due_at=received + timedelta(days=1),
            triage_urgency=rng.choice(["immediate", "high", "routine", ""]),
            decision=rng.choice(["nfa", "advice", "screening", "strategy"]) if decided else "",
            decided_at=received + timedelta(hours=rng.choice([2, 20, 30, 80])) if decided else None,
        )
    for _ in range(70 * scale):
        Screening.objects.create(
            child=rng.choice(children),
            screened_at=_moment(rng, start, end),
            screened_by=user,
            learning_disability="no",
            sealed=seal({}),
            enough_known=True,
            judgement=rng.choice(["none", "emerging", "moderate", "significant", ""]),
        )
    for _ in range(60 * scale):
        child = rng.choice(children)
        created = _moment(rng, start, end)
        decided = rng.random() < 0.6
        Referral.objects.create(
            child=child,
            referrer=user,
            referrer_team=child.team,
            created_at=created,
            consent="given",
            decision=rng.choice(["share", "share", "share", "not_share"]),
            sealed=seal({}),
            decision_due_at=created + timedelta(days=1),
            outcome=rng.choice(["protection", "s47", "s17", "early_help", "nfa"])
            if decided
            else "",
            outcome_at=created + timedelta(hours=rng.choice([3, 23, 25, 70])) if decided else None,
        )
    for _ in range(80 * scale):
        child = rng.choice(children[:15])  # a few children go missing often: repeat missing
        began = _moment(rng, start, end)
        ended = began + timedelta(hours=rng.choice([5, 30])) if rng.random() < 0.9 else None
        interview = rng.choice(["", "offered", "done", "declined"]) if ended else ""
        MissingEpisode.objects.create(
            child=child,
            started_at=began,
            ended_at=ended,
            reported_by="Carer",
            recorded_by=user,
            interview=interview,
            interview_at=ended + timedelta(hours=rng.choice([10, 71, 73, 200]))
            if ended and interview in {"offered", "done"} and rng.random() < 0.9
            else None,
        )
    entities = []
    for i in range(50 * scale):
        kind = rng.choice(["place", "place", "group", "person", "person", "vehicle"])
        dob = (
            date(1990, 1, 1) + timedelta(days=rng.randrange(365 * 25))
            if rng.random() < 0.3
            else None
        )
        entities.append(
            Entity.objects.create(
                kind=kind,
                label=f"Gen {kind} {i}",
                normalised=f"gen{kind}{i}",
                team=rng.choice(teams),
                created_by=user,
                created_at=_moment(rng, before, end),
                place_kind=rng.choice(["house", "hotel", "park", ""]) if kind == "place" else "",
                date_of_birth=dob if kind == "person" else None,
                age_low=rng.choice([None, 15, 19, 28, 40, 52])
                if kind == "person" and not dob
                else None,
                sex=rng.choice(SEXES) if kind == "person" else "",
                ethnicity=rng.choice(ETHNICITIES) if kind == "person" else "",
                nationality=rng.choice(NATIONALITIES) if kind == "person" else "",
            )
        )
    for _ in range(160 * scale):
        Link.objects.create(
            entity=rng.choice(entities),
            child=rng.choice(children),
            nature="seen with",
            linked_on=_day(rng, before, end),
            source="police",
            created_by=user,
        )
    for _ in range(30 * scale):
        Disruption.objects.create(
            entity=rng.choice(entities),
            kind=rng.choice(["cawn", "sro", "closure", "other"]),
            started_on=_day(rng, start, end),
            review_on=end,
            created_by=user,
        )
    for child in rng.sample(children, 12):
        concern = (
            Concern.objects.filter(
                received_at__gte=timezone.make_aware(datetime.combine(start, time.min))
            )
            .order_by("?")
            .first()
        )
        if concern is not None:
            ConcernChild.objects.get_or_create(
                concern=concern,
                child=child,
                defaults={"linked_by": user, "linked_at": _moment(rng, start, end)},
            )
    today = timezone.localdate()
    for _ in range(8 * scale):
        meeting = Meeting.objects.create(
            held_on=_day(rng, start, end), title="MACE", created_by=user
        )
        for _ in range(rng.randrange(1, 6)):
            on_child = rng.random() < 0.6
            item = Item.objects.create(
                meeting=meeting,
                child=rng.choice(children) if on_child else None,
                entity=None if on_child else rng.choice(entities),
                rag=rng.choice(["red", "amber", "green"]),
                reason="r",
                created_by=user,
            )
            for _ in range(rng.randrange(0, 3)):
                due = today + timedelta(days=rng.randrange(-60, 60))
                Action.objects.create(
                    meeting=meeting,
                    item=item,
                    text="a",
                    owner="o",
                    due_on=due,
                    created_by=user,
                    done_on=rng.choice([None, due - timedelta(days=2), due + timedelta(days=3)]),
                )
    return made
