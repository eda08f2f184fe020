"""A year of made-up activity for the demo partnership, so the problem profile has something true
to show (never in production; `manage.py load_demo` runs it after every app's own demo).

What it adds, dated over the 365 days up to today: children held by the demo teams, with their
demographics; concerns sent through "Tell someone" with the front door's triage and decisions
(some of them strategy discussions); screenings at each level; referrals and the front door's
decisions; missing episodes with their return home interviews (some late, some declined) and the
repeat-missing alerts they raised; monthly MACE meetings with items and actions; people of concern,
places and peer groups linked to several children; and disruptions of each kind.

The same seed gives the same year, shifted to end today. It is made once: a second run finds the
first child it made (by its form key) and adds nothing. Rows are written in bulk, straight to the
apps' models, so that `make run` stays quick (docs/workspace-day.md has the time it adds). No name
is a real person's: first names are common given names and every family name is a placeholder.

Proportions, roughly those of one English local authority (each a choice, stated here):
- Sources of concerns: professionals and parents most, then the public, friends and young people
  themselves: our own assumption for the public "Tell someone" form, which no national statistic
  counts. (The Children in Need census counts referrals to social care by source, police and
  schools first: DfE, "Children in need", https://explore-education-statistics.service.gov.uk/
  find-statistics/characteristics-of-children-in-need. Here referrals come from the teams that
  hold the children: the school, the Exploitation Team and the front doors.)
- Screening levels, referral outcomes and disruption kinds: weights chosen to look like a busy
  partnership's year (every level, outcome and kind appears at least once), not taken from a
  published count.
- Sex of children at risk of sexual exploitation: about two thirds girls (of missing episodes with
  a CSE flag, 69 % girls and 26 % boys: IICSA, "Child sexual exploitation by organised networks",
  2022, part G.1, citing National Crime Agency data for 2018/19, https://www.iicsa.org.uk/reports-
  recommendations/publications/investigation/cs-organised-networks).
- Missing: children who go missing do so about 2.8 times a year on average (143,453 incidents,
  51,408 children in 2018/19, the same IICSA source); children in care are about a fifth of the
  children who go missing and more than a third of the incidents.
- Ethnicity of children, from the ONS Census 2021 for under-18s in England (about 73 % White,
  12 % Asian, 6 % Black, 6 % Mixed, 3 % other); about 1 in 7 left not recorded. Of people of
  concern, about two thirds with no ethnicity recorded: what Baroness Casey's National Audit on
  Group-based Child Sexual Exploitation and Abuse (June 2025) found, and what the data-quality
  scorecard should show.
"""

import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone

from seethesigns import demographics
from seethesigns.accounts.models import Team, User
from seethesigns.audit.actions import record
from seethesigns.children import missing
from seethesigns.children.models import (
    Child,
    ChronologyEntry,
    MissingEpisode,
    RepeatMissingAlert,
    Source,
)
from seethesigns.concerns.models import (
    Concern,
    ConcernChild,
    ConcernDecision,
    Decision,
    ReporterKind,
    StatedUrgency,
    TriageUrgency,
    new_reference,
)
from seethesigns.dates import add_working_days
from seethesigns.encryption import seal
from seethesigns.meetings.models import Action, Item, Meeting, Minute
from seethesigns.network.matching import house_numbers, normalise
from seethesigns.network.models import Disruption, Entity, Link
from seethesigns.referrals.models import Consent, Outcome, Referral, ReferralDecision
from seethesigns.referrals.models import Decision as Share
from seethesigns.screening.models import Level, Screening

SEED = 19
DAYS = 365
CHILDREN = 64
CONCERNS = 170
# The first child the year makes: found again, the year is there already.
MARKER = uuid.uuid5(uuid.NAMESPACE_URL, "seethesigns-demo-year-child-0")

GIRLS = [
    "Amelia", "Olivia", "Isla", "Ava", "Ivy", "Freya", "Lily", "Florence", "Mila", "Poppy",
    "Ella", "Grace", "Sophia", "Evie", "Aisha", "Maryam", "Zara", "Hannah", "Chloe", "Jessica",
    "Ruby", "Maya", "Amira", "Layla", "Nadia", "Kayla", "Shannon", "Courtney", "Holly", "Megan",
]  # fmt: skip
BOYS = [
    "Noah", "Oliver", "George", "Arthur", "Leo", "Harry", "Oscar", "Archie", "Jack", "Charlie",
    "Muhammad", "Ibrahim", "Yusuf", "Kai", "Reece", "Tyler", "Callum", "Jayden", "Kofi", "Luca",
]  # fmt: skip
# Placeholders, never real family names: a reader sees at once the record is made up.
FAMILY_NAMES = [
    "Example", "Sample", "Demo", "Specimen", "Testcase", "Placeholder", "Madeup", "Fictional",
    "Dummy", "Mockup", "Pretend", "Invented",
]  # fmt: skip
ADULT_NAMES = [
    "Jay", "Dean", "Kyle", "Marcus", "Wayne", "Ricky", "Shane", "Tariq", "Andrei", "Leon",
    "Craig", "Dwayne", "Imran", "Piotr", "Lee", "Gary", "Jerome", "Ryan",
]  # fmt: skip
NICKNAMES = ["Big J", "Smudge", "K-Dog", "Uncle D", "Rico", "Ghost", "Tiny", "Sly"]
PLACES = [
    ("Station Road car park, Northbridge", "transport"),
    ("Northbridge bus station", "transport"),
    ("The Chicken Shack, 3 Market Street", "takeaway"),
    ("Late Spar, 88 Canal Street", "takeaway"),
    ("Flat above 22 Mill Lane", "house"),
    ("47 Foundry Close", "address"),
    ("Kingfisher Park skate area", "park"),
    ("Riverside Lodge B&B, Mill Lane", "hotel"),
    ("Northbridge Travel Inn, Ring Road", "hotel"),
    ("Canal towpath by the old lock", "park"),
    ("12 Tannery Court", "house"),
    ("Vape Corner, 5 High Street", "takeaway"),
]
GROUPS = ["The Canal Street lot", "Year 10 'Ringroad' group", "Foundry boys"]

# Ethnicity of children (ONS Census 2021, under-18s in England, rounded), then "not recorded".
CHILD_ETHNICITY = [
    ("white-british", 62), ("white-other", 8), ("white-irish", 1), ("white-gypsy-traveller", 1),
    ("white-roma", 1), ("asian-pakistani", 5), ("asian-indian", 3), ("asian-bangladeshi", 2),
    ("asian-other", 2), ("black-african", 4), ("black-caribbean", 1), ("black-other", 1),
    ("mixed-white-black-caribbean", 2), ("mixed-white-asian", 2), ("mixed-other", 2),
    ("mixed-white-black-african", 1), ("other-arab", 1), ("other-any", 1),
    (demographics.NOT_KNOWN, 3), (demographics.DECLINED, 1), ("", 16),
]  # fmt: skip
# People of concern: about two thirds not recorded (Casey, 2025).
ADULT_ETHNICITY = [
    ("", 60), ("white-british", 20), ("asian-pakistani", 5), ("white-other", 5),
    ("black-african", 3), ("mixed-white-black-caribbean", 2), (demographics.NOT_KNOWN, 5),
]  # fmt: skip
CHILD_NATIONALITY = [("GB", 82), ("PL", 3), ("RO", 3), ("AF", 1), ("ER", 1), ("IE", 1), ("", 9)]
ADULT_NATIONALITY = [("", 55), ("GB", 35), ("RO", 3), ("AL", 2), ("PL", 2), ("not-known", 3)]
REPORTERS = [
    (ReporterKind.PROFESSIONAL, 34), (ReporterKind.PARENT, 30), (ReporterKind.PUBLIC, 14),
    (ReporterKind.FRIEND, 12), (ReporterKind.YOUNG_PERSON, 10),
]  # fmt: skip
URGENCIES = [
    (StatedUrgency.NOT_URGENT, 35), (StatedUrgency.SOON, 30), (StatedUrgency.NOT_SURE, 27),
    (StatedUrgency.NOW, 8),
]  # fmt: skip
CONCERN_DECISIONS = [
    (Decision.SCREENING, 38), (Decision.ADVICE, 30), (Decision.NO_FURTHER_ACTION, 22),
    (Decision.STRATEGY, 10),
]  # fmt: skip
LEVELS = [(Level.NONE, 15), (Level.EMERGING, 35), (Level.MODERATE, 32), (Level.SIGNIFICANT, 18)]
OUTCOMES = [
    (Outcome.S17, 34), (Outcome.S47, 22), (Outcome.EARLY_HELP, 22), (Outcome.NFA, 17),
    (Outcome.PROTECTION, 5),
]  # fmt: skip
DISRUPTIONS = [
    (Disruption.Kind.CAWN, 30), (Disruption.Kind.LICENSING, 25), (Disruption.Kind.TRESPASS, 15),
    (Disruption.Kind.CLOSURE, 8), (Disruption.Kind.SRO, 8), (Disruption.Kind.SHPO, 4),
    (Disruption.Kind.OTHER, 10),
]  # fmt: skip
# Who holds the children: (team name, the demo account that records for it, share of children).
HOLDERS = [
    ("Safeguarding", "demo-dsl", 30),  # Northbridge Academy
    ("Exploitation Team", "demo-coordinator", 30),
    ("Front Door (MASH)", "demo-frontdoor", 25),
    ("Eastfield Front Door", "demo-eastfield", 15),
]
T = TypeVar("T")


def pick(rng: random.Random, weighted: list[tuple[T, int]]) -> T:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


@dataclass
class Year:
    """What one run makes, kept for the next step and for the tests."""

    rng: random.Random
    today: date
    users: dict[str, User]
    teams: dict[str, Team]
    children: list[Child] = field(default_factory=list)
    episodes: dict[int, list[MissingEpisode]] = field(default_factory=lambda: defaultdict(list))
    places: list[Entity] = field(default_factory=list)
    people: list[Entity] = field(default_factory=list)
    groups: list[Entity] = field(default_factory=list)

    def at(self, days_ago: int, hour: int | None = None) -> datetime:
        """A moment `days_ago` days before today, at an hour of the day (random if not given)."""
        day = self.today - timedelta(days=days_ago)
        hour = self.rng.randrange(8, 23) if hour is None else hour
        moment = datetime.combine(day, time(hour, self.rng.randrange(60)))
        return timezone.make_aware(moment)


def load() -> list[str]:
    """Make the year once; say what was made (nothing on a second run)."""
    if Child.objects.filter(submission_key=MARKER).exists():
        return []
    users = {u.username: u for u in User.objects.filter(username__startswith="demo-")}
    teams = {t.name: t for t in Team.objects.all()}
    if "demo-coordinator" not in users or any(name not in teams for name, _u, _s in HOLDERS):
        return []  # the demo accounts are not there (accounts' demo did not run)
    # Made-up records, never a secret: a plain seeded generator gives the same year each time.
    year = Year(random.Random(SEED), timezone.localdate(), users, teams)  # noqa: S311
    with transaction.atomic():
        made = make_year(year)
        record("workspace.demo_year", data=made)
    listed = ", ".join(f"{n} {what}" for what, n in made.items())
    return [f"A year of demo activity: {listed}."]


def make_year(year: Year) -> dict[str, int]:
    """Every part of the year, in the order the records point to each other."""
    _children(year)
    made = {"children": len(year.children)}
    made["missing episodes"] = _missing(year)
    made["concerns"] = _concerns(year)
    made["screenings"], made["referrals"] = _screenings_and_referrals(year)
    made["people, places and groups"] = _network(year)
    made["disruptions"] = _disruptions(year)
    made["MACE meetings"] = _meetings(year)
    return made


def _children(year: Year) -> None:
    rng = year.rng
    rows = []
    used: set[tuple[str, str]] = set()
    for n in range(CHILDREN):
        team_name, username, _share = pick(rng, [(h, h[2]) for h in HOLDERS])
        sex = pick(rng, [("female", 64), ("male", 31), ("other", 1), ("not-known", 1), ("", 3)])
        names = BOYS if sex == "male" else GIRLS
        first, last = rng.choice(names), rng.choice(FAMILY_NAMES)
        while (first, last) in used:
            first, last = rng.choice(names), rng.choice(FAMILY_NAMES)
        used.add((first, last))
        age = pick(rng, [(11, 4), (12, 8), (13, 16), (14, 24), (15, 24), (16, 16), (17, 8)])
        born = year.today - timedelta(days=age * 365 + rng.randrange(365))
        created = year.at(rng.randrange(30, DAYS))
        rows.append(
            Child(
                first_name=first,
                last_name=last,
                date_of_birth=born if rng.random() > 0.03 else None,
                learning_disability=pick(rng, [("yes", 14), ("no", 66), ("not_known", 20)]),
                team=year.teams[team_name],
                created_by=year.users[username],
                created_at=created,
                sex=sex,
                ethnicity=pick(rng, CHILD_ETHNICITY),
                nationality=pick(rng, CHILD_NATIONALITY),
                nhs_number=_nhs_number(rng) if rng.random() < 0.45 else "",
                in_care=rng.random() < 0.18,
                submission_key=MARKER if n == 0 else uuid.UUID(int=rng.getrandbits(128)),
            )
        )
    year.children = Child.objects.bulk_create(rows)


def _nhs_number(rng: random.Random) -> str:
    """A number in the 999 range NHS England keeps for tests, with a correct check digit."""
    while True:
        digits = [9, 9, 9] + [rng.randrange(10) for _ in range(6)]
        check = 11 - sum(d * (10 - i) for i, d in enumerate(digits)) % 11
        if check == 11:
            check = 0
        if check != 10:
            return "".join(map(str, digits)) + str(check)


def _missing(year: Year) -> int:
    """About two in five children go missing; a few again and again, some of them lately."""
    rng = year.rng
    episodes: list[MissingEpisode] = []
    for n, child in enumerate(year.children):
        if n < 4:
            # Repeat missing now: three or four episodes in the last two months.
            starts = sorted(rng.sample(range(2, 60), rng.choice([3, 4])), reverse=True)
        elif n < 8:
            # Repeat missing earlier in the year: the flag has gone since.
            first = rng.randrange(120, 330)
            starts = [first, first - rng.randrange(8, 30), first - rng.randrange(31, 60)]
        elif rng.random() < (0.55 if child.in_care else 0.3):
            count = pick(rng, [(1, 55), (2, 25), (3, 10), (4, 6), (6, 4)])
            starts = sorted(rng.sample(range(1, DAYS), count), reverse=True)
        else:
            continue
        for days_ago in starts:
            episodes.append(_episode(year, child, days_ago))
    MissingEpisode.objects.bulk_create(episodes)
    for e in episodes:
        year.episodes[e.child_id].append(e)
    _missing_chronology(year, episodes)
    _repeat_alerts(year)
    return len(episodes)


def _episode(year: Year, child: Child, days_ago: int) -> MissingEpisode:
    rng = year.rng
    started = year.at(days_ago, hour=rng.choice([15, 17, 19, 20, 21, 22, 23]))
    hours_away = rng.choice([3, 5, 8, 12, 16, 20, 30, 48])
    ended = started + timedelta(hours=hours_away)
    recorder = child.created_by
    episode = MissingEpisode(
        child=child,
        started_at=started,
        reported_by=rng.choice(["Mum", "Dad", "Foster carer", "Children's home staff", "Nan"]),
        police_reference=f"NB-{rng.randrange(10000, 99999)}",
        recorded_by=recorder,
        submission_key=uuid.UUID(int=rng.getrandbits(128)),
    )
    if ended > timezone.now():
        return episode  # still missing: found, then, on no day yet
    episode.ended_at = ended
    found = rng.choice(PLACES)[0] if rng.random() < 0.6 else ""
    episode.where_found = found
    episode.who_with = rng.choice(["", "", "Older males", "Friends from school", "A man in a car"])
    episode.safe_and_well_at = ended + timedelta(hours=rng.choice([1, 2, 4]))
    # The return home interview: done in time, done late, declined, offered, or not yet.
    outcome = pick(rng, [("done", 52), ("late", 18), ("declined", 14), ("offered", 6), ("", 10)])
    if outcome == "done":
        episode.interview, episode.interview_at = (
            "done",
            ended + timedelta(hours=rng.randrange(20, 70)),
        )
    elif outcome == "late":
        episode.interview, episode.interview_at = (
            "done",
            ended + timedelta(hours=rng.randrange(80, 200)),
        )
    elif outcome == "declined":
        episode.interview = "declined"
        episode.interview_at = ended + timedelta(hours=rng.randrange(24, 70))
        episode.declined_reason = rng.choice(
            ["Did not want to talk about it", "Said she was fine", "Refused to meet"]
        )
    elif outcome == "offered":
        episode.interview, episode.interview_at = "offered", ended + timedelta(hours=48)
    if episode.interview_at and episode.interview_at > timezone.now():
        episode.interview, episode.interview_at, episode.declined_reason = "", None, ""
    return episode


def _missing_chronology(year: Year, episodes: list[MissingEpisode]) -> None:
    entries = []
    for e in episodes:
        local = timezone.localtime(e.started_at)
        entries.append(
            ChronologyEntry(
                child_id=e.child_id,
                kind=ChronologyEntry.Kind.MISSING,
                happened_on=local.date(),
                sealed=ChronologyEntry.seal_what(
                    f"Went missing at {local:%H:%M}. Reported by {e.reported_by}."
                ),
                source=Source.FAMILY,
                author=e.recorded_by,
                recorded_at=e.started_at + timedelta(hours=2),
            )
        )
    ChronologyEntry.objects.bulk_create(entries)


def _repeat_alerts(year: Year) -> None:
    """The alerts the episodes raised, once per crossing of the rule (children/missing.py):
    older ones already seen by the coordinator, the latest waiting."""
    needed, days = missing.episodes_needed(), missing.window_days()
    alerts = []
    for child in year.children:
        starts: list[date] = []
        for e in sorted(year.episodes[child.pk], key=lambda e: e.started_at):
            day = timezone.localdate(e.started_at)
            before = sum(1 for s in starts if (day - s).days < days)
            starts.append(day)
            if before == needed - 1:
                raised = e.started_at + timedelta(hours=4)
                seen = (year.today - day).days > 14
                alerts.append(
                    RepeatMissingAlert(
                        child=child,
                        episode=e,
                        episodes=needed,
                        raised_at=raised,
                        coordinator=year.users["demo-coordinator"],
                        seen_at=raised + timedelta(days=1) if seen else None,
                        seen_by=year.users["demo-coordinator"] if seen else None,
                    )
                )
    RepeatMissingAlert.objects.bulk_create(alerts)


def _concerns(year: Year) -> int:
    """Concerns through "Tell someone", triaged by the front door, nearly all decided."""
    rng = year.rng
    front_door = year.teams["Front Door (MASH)"]
    workers = [year.users["demo-frontdoor"], year.users["demo-frontdoor2"]]
    concerns, decisions = [], []
    made_by: list[tuple[datetime, User]] = []
    for _n in range(CONCERNS):
        days_ago = rng.randrange(2, DAYS)
        received = year.at(days_ago)
        urgency = pick(rng, URGENCIES)
        if urgency == StatedUrgency.NOW:
            due = received + timedelta(minutes=60)
        else:
            due = add_working_days(received, 1)
        kind = pick(rng, REPORTERS)
        concern = Concern(
            reference=new_reference(),
            submission_key=uuid.UUID(int=rng.getrandbits(128)),
            received_at=received,
            reporter_kind=kind,
            stated_urgency=urgency,
            sealed=seal(
                {
                    "what": "Demo concern: worried about a young person and an older group.",
                    "about": "A young person (demo)",
                    "where_when": "Northbridge, evenings",
                    "your_name": "",
                    "your_organisation": "",
                    "contact": "",
                }
            ),
            team=front_door,
            decision_due_at=due,
        )
        # Most decided within the working day, some late; the week's newest may still wait.
        late = rng.random() < 0.18
        decided = (
            due - timedelta(hours=rng.randrange(1, 6))
            if not late
            else due + timedelta(hours=rng.randrange(2, 72))
        )
        decided = max(decided, received + timedelta(minutes=20))
        concern.decision = pick(rng, CONCERN_DECISIONS)
        concern.triage_urgency = pick(
            rng,
            [(TriageUrgency.IMMEDIATE, 10), (TriageUrgency.HIGH, 35), (TriageUrgency.ROUTINE, 55)],
        )
        concern.decided_at = decided
        concern.decided_by = rng.choice(workers)
        concerns.append(concern)
        made_by.append((decided, concern.decided_by))
    Concern.objects.bulk_create(concerns)
    for concern, (decided_at, decided_by) in zip(concerns, made_by, strict=True):
        decisions.append(
            ConcernDecision(
                concern=concern,
                decision=concern.decision,
                urgency=concern.triage_urgency,
                sealed_reason=seal({"reason": "Demo decision, recorded with the reasons."}),
                decided_by=decided_by,
                decided_at=decided_at,
                was_due_at=concern.decision_due_at,
            )
        )
    ConcernDecision.objects.bulk_create(decisions)
    # The front door finds some concerns are about children it holds a record of.
    about = []
    for n in rng.sample(range(len(concerns)), 40):
        decided_at, decided_by = made_by[n]
        about.append(
            ConcernChild(
                concern=concerns[n],
                child=rng.choice(year.children),
                linked_by=decided_by,
                linked_at=decided_at,
            )
        )
    ConcernChild.objects.bulk_create(about, ignore_conflicts=True)
    return len(concerns)


def _screenings_and_referrals(year: Year) -> tuple[int, int]:
    """One to three screenings a child; moderate and significant ones are mostly referred."""
    rng = year.rng
    screenings = []
    for child in year.children:
        if rng.random() < 0.15:
            continue
        created = (year.today - timezone.localdate(child.created_at)).days
        for days_ago in sorted(rng.sample(range(1, max(created, 4)), min(rng.randint(1, 3), 3))):
            level = pick(rng, LEVELS)
            judgement = level if rng.random() < 0.8 else pick(rng, LEVELS)
            at = year.at(days_ago)
            screenings.append(
                Screening(
                    child=child,
                    screened_at=at,
                    screened_by=child.created_by,
                    age=child.age_on(at.date()),
                    learning_disability=child.learning_disability,
                    sealed=seal({"answers": {}, "judgement_reason": ""}),
                    suggested_level=level,
                    at_least=Level.NONE,
                    enough_known=True,
                    criminal=rng.random() < 0.2,
                    exploiters=[pick(rng, [("adult", 60), ("peer", 25), ("unknown", 15)])],
                    judgement=judgement,
                    overrule_reason="" if judgement == level else "context",
                )
            )
    Screening.objects.bulk_create(screenings)
    referrals: list[Referral] = []
    front_door = year.teams["Front Door (MASH)"]
    for s in screenings:
        if s.judgement not in {Level.MODERATE, Level.SIGNIFICANT} or rng.random() < 0.3:
            continue
        made = s.screened_at + timedelta(hours=rng.randrange(1, 30))
        if made > timezone.now():
            continue
        # About one in ten recorded as a decision not to share (the third one, at least).
        share = len(referrals) != 2 and rng.random() < 0.9
        referral = Referral(
            child=s.child,
            screening=s,
            referrer=s.screened_by,
            referrer_team=s.child.team,
            front_door=front_door,
            created_at=made,
            consent=pick(
                rng, [(Consent.GIVEN, 55), (Consent.NOT_SOUGHT, 30), (Consent.REFUSED, 15)]
            ),
            decision=Share.SHARE if share else Share.NOT_SHARE,
            sealed=seal(
                {
                    "family": "Demo family details.",
                    "done": "Demo: spoke with the child and the family.",
                    "child_words": "",
                    "consent_reason": "",
                    "decision_reason": "Demo reasons for the decision.",
                    "concerns": [],
                    "notes": [],
                }
            ),
            decision_due_at=add_working_days(made, 1),
        )
        referrals.append(referral)
    Referral.objects.bulk_create(referrals)
    decisions: list[ReferralDecision] = []
    for r in referrals:
        if r.decision != Share.SHARE:
            continue
        on_time = rng.random() < 0.78
        decided = (
            r.decision_due_at - timedelta(hours=rng.randrange(1, 7))
            if on_time
            else r.decision_due_at + timedelta(hours=rng.randrange(3, 96))
        )
        decided = max(decided, r.created_at + timedelta(minutes=30))
        if decided > timezone.now():
            continue  # still with the front door
        r.acknowledged_at = r.created_at + timedelta(minutes=rng.randrange(10, 120))
        r.acknowledged_by = year.users["demo-frontdoor"]
        # Every outcome at least once, then as often as it happens.
        outcome = (
            OUTCOMES[len(decisions)][0] if len(decisions) < len(OUTCOMES) else pick(rng, OUTCOMES)
        )
        r.outcome, r.outcome_at, r.outcome_by = outcome, decided, r.acknowledged_by
        decisions.append(
            ReferralDecision(
                referral=r,
                outcome=r.outcome,
                sealed_reason=seal({"reason": "Demo decision with its reasons."}),
                decided_by=r.acknowledged_by,
                decided_at=decided,
                was_due_at=r.decision_due_at,
            )
        )
    Referral.objects.bulk_update(
        [d.referral for d in decisions],
        ["acknowledged_at", "acknowledged_by", "outcome", "outcome_at", "outcome_by"],
    )
    ReferralDecision.objects.bulk_create(decisions)
    return len(screenings), len(referrals)


def _entity(year: Year, kind: str, label: str, **values: Any) -> Entity:
    normalised = normalise(kind, label)
    team = (
        year.teams["Child Exploitation Unit"]
        if kind == "person"
        else year.teams["Exploitation Team"]
    )
    author = year.users["demo-analyst"] if kind == "person" else year.users["demo-coordinator"]
    return Entity(
        kind=kind,
        label=label,
        normalised=normalised,
        numbers=house_numbers(kind, normalised),
        team=team,
        created_by=author,
        created_at=year.at(year.rng.randrange(200, DAYS)),
        **values,
    )


def _network(year: Year) -> int:
    """People of concern, hotspots and peer groups, each linked to several children."""
    rng = year.rng
    people = []
    for n, first in enumerate(rng.sample(ADULT_NAMES, 14)):
        label = f"{first} {rng.choice(FAMILY_NAMES)}"
        age = rng.randrange(18, 45)
        known_dob = rng.random() < 0.3
        people.append(
            _entity(
                year,
                "person",
                label,
                aliases=rng.choice(NICKNAMES) if n % 3 == 0 else "",
                date_of_birth=year.today - timedelta(days=age * 365 + 100) if known_dob else None,
                age_low=None if known_dob else age - 3,
                age_high=None if known_dob else age + 4,
                age_on=None if known_dob else year.today - timedelta(days=rng.randrange(30, 300)),
                sex=pick(rng, [("male", 80), ("female", 8), ("", 12)]),
                ethnicity=pick(rng, ADULT_ETHNICITY),
                nationality=pick(rng, ADULT_NATIONALITY),
            )
        )
    places = [_entity(year, "place", label, place_kind=kind) for label, kind in PLACES]
    groups = [_entity(year, "group", label) for label in GROUPS]
    Entity.objects.bulk_create(people + places + groups)
    year.people, year.places, year.groups = people, places, groups
    links = []
    coordinator = year.users["demo-coordinator"]
    # Hotspots: the first places are linked to many children, the rest to a few.
    for rank, place in enumerate(places):
        for child in rng.sample(year.children, max(2, 12 - rank)):
            links.append(_link(year, place, child, "Seen there", coordinator))
    for person in people:
        for child in rng.sample(year.children, rng.randint(1, 5)):
            links.append(_link(year, person, child, "Known to the child", coordinator))
    for group in groups:
        for child in rng.sample(year.children, rng.randint(4, 8)):
            links.append(_link(year, group, child, "Part of the group", coordinator))
    Link.objects.bulk_create(links)
    return len(people) + len(places) + len(groups)


def _link(year: Year, entity: Entity, child: Child, nature: str, author: User) -> Link:
    rng = year.rng
    return Link(
        entity=entity,
        child=child,
        nature=nature,
        linked_on=year.today - timedelta(days=rng.randrange(1, DAYS)),
        source=pick(
            rng,
            [
                (Source.POLICE, 35),
                (Source.SCHOOL, 20),
                (Source.FAMILY, 15),
                (Source.SOCIAL_CARE, 20),
                (Source.CHILD, 10),
            ],
        ),
        created_by=author,
        created_at=year.at(rng.randrange(1, DAYS)),
    )


def _disruptions(year: Year) -> int:
    rng = year.rng
    rows = []
    for n in range(26):
        kind = DISRUPTIONS[n][0] if n < len(DISRUPTIONS) else pick(rng, DISRUPTIONS)
        on_person = kind in {Disruption.Kind.CAWN, Disruption.Kind.SRO, Disruption.Kind.SHPO}
        entity = rng.choice(year.people if on_person else year.places)
        started = year.today - timedelta(days=rng.randrange(5, DAYS))
        ended = started + timedelta(days=rng.randrange(30, 180)) if rng.random() < 0.5 else None
        rows.append(
            Disruption(
                entity=entity,
                child=rng.choice(year.children) if kind == Disruption.Kind.CAWN else None,
                kind=kind,
                started_on=started,
                review_on=started + timedelta(days=90),
                ended_on=ended if ended and ended < year.today else None,
                details="Demo disruption.",
                created_by=year.users["demo-analyst"],
                created_at=timezone.make_aware(datetime.combine(started, time(10))),
            )
        )
    Disruption.objects.bulk_create(rows)
    return len(rows)


def _meetings(year: Year) -> int:
    """A MACE meeting each month: children and hotspots on the agenda, actions mostly done."""
    rng = year.rng
    coordinator = year.users["demo-coordinator"]
    meetings = []
    for month in range(12):
        held = year.today - timedelta(days=30 * month + 10)
        meetings.append(
            Meeting(
                title=f"Northbridge MACE, {held:%B %Y}",
                held_on=held,
                created_by=coordinator,
                created_at=timezone.make_aware(datetime.combine(held - timedelta(days=7), time(9))),
            )
        )
    Meeting.objects.bulk_create(meetings)
    items, actions, minutes = [], [], []
    for meeting in meetings:
        on_list = rng.sample(year.children, rng.randint(3, 6))
        for child in on_list:
            items.append(
                Item(
                    meeting=meeting,
                    child=child,
                    rag=pick(rng, [("red", 30), ("amber", 50), ("green", 20)]),
                    reason="Demo: missing episodes and links to a hotspot.",
                    created_by=coordinator,
                )
            )
        items.append(
            Item(
                meeting=meeting,
                entity=rng.choice(year.places[:5]),
                rag="red",
                reason="Demo: several children linked this month.",
                created_by=coordinator,
            )
        )
        minutes.append(
            Minute(
                meeting=meeting,
                sealed=seal({"text": "Demo minute: partners shared what they know."}),
                written_by=coordinator,
                written_at=timezone.make_aware(datetime.combine(meeting.held_on, time(12))),
            )
        )
    Item.objects.bulk_create(items)
    for item in items:
        if rng.random() < 0.6:
            due = item.meeting.held_on + timedelta(days=rng.randrange(7, 28))
            done = due - timedelta(days=rng.randrange(0, 6)) if rng.random() < 0.8 else None
            actions.append(
                Action(
                    meeting=item.meeting,
                    item=item,
                    text=rng.choice(
                        [
                            "Return home interview to be arranged",
                            "Licensing visit",
                            "Share intelligence with the police",
                            "Safety plan reviewed with the child and carer",
                            "School to check attendance daily",
                        ]
                    ),
                    owner=rng.choice(["Police", "Social worker", "School DSL", "Youth worker"]),
                    due_on=due,
                    done_on=done if done and done <= year.today else None,
                    created_by=coordinator,
                )
            )
    Action.objects.bulk_create(actions)
    Minute.objects.bulk_create(minutes)
    return len(meetings)
