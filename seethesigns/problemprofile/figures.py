"""The problem profile's figures, each one aggregate SQL (GROUP BY through annotate and Count).

Every table counts records, never lists them: a row is a category, a column a month or quarter
(or the whole period), a cell how many. A blank field is its own category, "Not recorded", so a
gap in the recording is seen. docs/problem-profile.md says what each figure counts and where from.
"""

import calendar
import time as clock
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, cast

from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Trunc
from django.utils import timezone

from seethesigns import demographics
from seethesigns.children import missing as missing_rule
from seethesigns.children.models import RETURN_INTERVIEW_WITHIN, Child, LearningDisability
from seethesigns.children.models import MissingEpisode as Episode
from seethesigns.concerns.models import Concern, ConcernChild, ReporterKind, TriageUrgency
from seethesigns.concerns.models import Decision as ConcernDecision
from seethesigns.meetings.models import Action, Item, Meeting, Rag
from seethesigns.network.models import Disruption, Entity, Kind, Link, PlaceKind
from seethesigns.referrals.models import Decision as ShareDecision
from seethesigns.referrals.models import Outcome, Referral
from seethesigns.screening.models import Level, Screening

NOT_RECORDED = "Not recorded"
TOP_PLACES = 10
TOP_NATIONALITIES = 8


@dataclass(frozen=True)
class Filters:
    """What the reader chose: a period of whole months, by month or quarter, one team or all."""

    start: date  # the first day of the first month
    end: date  # the first day after the last month
    by: str = "month"  # or "quarter"
    team_id: int | None = None

    @property
    def key(self) -> str:
        return f"{self.start:%Y%m%d}-{self.end:%Y%m%d}-{self.by}-{self.team_id or 'all'}"

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    def moment(self, day: date) -> datetime:
        return timezone.make_aware(datetime.combine(day, time.min))

    def periods(self) -> list[date]:
        """The first day of each month or quarter in the period."""
        step = 3 if self.by == "quarter" else 1
        first = self.start.replace(day=1)
        if step == 3:
            first = first.replace(month=(first.month - 1) // 3 * 3 + 1)
        found = []
        while first < self.end:
            found.append(first)
            month = first.month - 1 + step
            first = date(first.year + month // 12, month % 12 + 1, 1)
        return found

    def period_label(self, first: date) -> str:
        if self.by == "quarter":
            return f"{first.year} Q{(first.month - 1) // 3 + 1}"
        return f"{calendar.month_abbr[first.month]} {first.year}"

    def previous(self) -> "Filters":
        """The period of the same length just before this one (for how places change)."""
        days = (self.end - self.start).days
        return Filters(self.start - timedelta(days=days), self.start, self.by, self.team_id)


@dataclass
class Table:
    """One figure: rows of categories by columns of periods, counts in the cells.

    `additive`: the rows are parts of one whole (each record in exactly one row), so a total
    row is shown and secondary suppression protects it (suppression.py)."""

    key: str
    title: str
    rows: list[str]
    columns: list[str]
    cells: list[list[int]]
    source: str
    additive: bool = True
    row_links: list[str] = field(default_factory=list)

    def cell(self, row: str, column: str) -> int:
        return self.cells[self.rows.index(row)][self.columns.index(column)]

    @property
    def column_totals(self) -> list[int]:
        return [sum(r[i] for r in self.cells) for i in range(len(self.columns))]

    @property
    def row_totals(self) -> list[int]:
        return [sum(r) for r in self.cells]


@dataclass
class Section:
    key: str
    title: str
    tables: list[Table]


def _labelled(
    choices: Iterable[tuple[str, Any]], blank: str = NOT_RECORDED
) -> list[tuple[str, str]]:
    return [(str(code), str(words)) for code, words in choices if code] + [("", blank)]


def _crosstab(
    f: Filters,
    key: str,
    title: str,
    qs: QuerySet[Any],
    when: str,
    category: Any,
    categories: list[tuple[str, str]],
    source: str,
    *,
    distinct: str = "pk",
) -> Table:
    """Count qs by category (an expression or a field name) and by month or quarter of `when`."""
    periods = f.periods()
    grouped = (
        qs.annotate(period=Trunc(when, f.by), category=_expression(category))
        .values("period", "category")
        .annotate(n=Count(distinct, distinct=True))
        .order_by()
    )
    codes = [code for code, _words in categories]
    cells = [[0] * len(periods) for _ in codes]
    for found in grouped:
        first = found["period"]
        first = first.date() if isinstance(first, datetime) else first
        code = found["category"] or ""
        if first in periods and code in codes:
            cells[codes.index(code)][periods.index(first)] += found["n"]
    return Table(
        key, title, [w for _c, w in categories], [f.period_label(p) for p in periods], cells, source
    )


def _expression(category: Any) -> Any:
    return F(category) if isinstance(category, str) else category


def _in_period(f: Filters, name: str, is_datetime: bool = True) -> Q:
    if is_datetime:
        return Q(**{f"{name}__gte": f.moment(f.start), f"{name}__lt": f.moment(f.end)})
    return Q(**{f"{name}__gte": f.start, f"{name}__lt": f.end})


def _team(f: Filters, path: str) -> Q:
    return Q(**{path: f.team_id}) if f.team_id else Q()


# What happened --------------------------------------------------------------------------------


def concerns(f: Filters) -> list[Table]:
    """The three breakdowns of concerns received, from one GROUP BY over all three categories
    (each concern is in one group, so adding the groups up gives each breakdown's counts)."""
    qs = Concern.objects.filter(_in_period(f, "received_at"), _team(f, "team_id"))
    source = "Concerns received through Tell someone and by the front door (concerns.Concern)"
    specs = [
        (
            "concerns_by_sender",
            "Concerns received, by who raised them",
            "reporter_kind",
            ReporterKind.choices,
        ),
        (
            "concerns_by_urgency",
            "Concerns received, by the front door's urgency",
            "triage_urgency",
            TriageUrgency.choices,
        ),
        (
            "concerns_by_decision",
            "Concerns received, by decision",
            "decision",
            ConcernDecision.choices,
        ),
    ]
    names = {f"by_{name}": F(name) for _k, _t, name, _c in specs}
    grouped = list(
        qs.annotate(period=Trunc("received_at", f.by), **names)
        .values("period", *names)
        .annotate(n=Count("pk"))
        .order_by()
    )
    periods = f.periods()
    tables = []
    for key, title, name, choices in specs:
        categories = _labelled(choices)
        codes = [code for code, _words in categories]
        cells = [[0] * len(periods) for _ in codes]
        for found in grouped:
            first = found["period"]
            first = first.date() if isinstance(first, datetime) else first
            code = found[f"by_{name}"] or ""
            if first in periods and code in codes:
                cells[codes.index(code)][periods.index(first)] += found["n"]
        rows = [w for _c, w in categories]
        columns = [f.period_label(p) for p in periods]
        tables.append(Table(key, title, rows, columns, cells, source))
    return tables


def screenings(f: Filters) -> Table:
    qs = Screening.objects.filter(_in_period(f, "screened_at"), _team(f, "child__team_id"))
    return _crosstab(
        f,
        "screenings_by_level",
        "Screenings, by level (the professional's judgement)",
        qs,
        "screened_at",
        "judgement",
        _labelled(Level.choices),
        "Screenings saved to a child's record (screening.Screening.judgement)",
    )


def referrals(f: Filters) -> Table:
    qs = Referral.objects.filter(
        _in_period(f, "created_at"), _team(f, "child__team_id"), decision=ShareDecision.SHARE
    )
    return _crosstab(
        f,
        "referrals_by_decision",
        "Referrals sent to the front door, by its decision",
        qs,
        "created_at",
        "outcome",
        _labelled(Outcome.choices, "Not recorded (no decision yet)"),
        "Referrals sent (referrals.Referral, decision to share) and their outcome",
    )


def strategy_discussions(f: Filters) -> Table:
    qs = Concern.objects.filter(
        _in_period(f, "decided_at"), _team(f, "team_id"), decision=ConcernDecision.STRATEGY
    )
    return _crosstab(
        f,
        "strategy_discussions",
        "Strategy discussions decided on",
        qs,
        "decided_at",
        Value("s", output_field=CharField()),
        [("s", "Strategy discussions")],
        "Concerns whose front-door decision is a strategy discussion, by date decided",
    )


def _mace_team(f: Filters, prefix: str = "") -> Q:
    if not f.team_id:
        return Q()
    return Q(**{f"{prefix}child__team_id": f.team_id}) | Q(
        **{f"{prefix}entity__team_id": f.team_id}
    )


def mace(f: Filters) -> list[Table]:
    items = Item.objects.filter(_in_period(f, "meeting__held_on", False), _mace_team(f))
    kind = Case(
        When(child__isnull=False, then=Value("child")),
        default=Value("record"),
        output_field=CharField(),
    )
    cases = _crosstab(
        f,
        "mace_cases",
        "MACE cases discussed, by rating",
        items,
        "meeting__held_on",
        "rag",
        _labelled(Rag.choices),
        "Children and records on a MACE meeting's list (meetings.Item)",
    )
    who = _crosstab(
        f,
        "mace_cases_by_kind",
        "MACE cases discussed: children and other records",
        items,
        "meeting__held_on",
        kind,
        [("child", "Children"), ("record", "People, places and groups")],
        "MACE meeting lists (meetings.Item)",
    )
    today = timezone.localdate()
    state = Case(
        When(done_on__isnull=False, done_on__lte=F("due_on"), then=Value("done")),
        When(done_on__isnull=False, then=Value("done_late")),
        When(due_on__lt=today, then=Value("overdue")),
        default=Value("open"),
        output_field=CharField(),
    )
    actions = Action.objects.filter(
        _in_period(f, "meeting__held_on", False), _mace_team(f, "item__")
    )
    acted = _crosstab(
        f,
        "mace_actions",
        "MACE actions agreed, by where they stand",
        actions,
        "meeting__held_on",
        state,
        [
            ("done", "Done by the due date"),
            ("done_late", "Done after the due date"),
            ("open", "Open, not yet due"),
            ("overdue", "Open and overdue"),
        ],
        "Actions agreed at MACE meetings (meetings.Action), by the meeting's date",
    )
    meetings = Meeting.objects.filter(_in_period(f, "held_on", False))
    if f.team_id:
        meetings = meetings.filter(
            Exists(Item.objects.filter(_mace_team(f), meeting=OuterRef("pk")))
        )
    held = _crosstab(
        f,
        "mace_meetings",
        "MACE meetings held",
        meetings,
        "held_on",
        Value("m", output_field=CharField()),
        [("m", "Meetings")],
        "MACE meetings (meetings.Meeting)",
    )
    return [held, cases, who, acted]


def disruptions(f: Filters) -> Table:
    qs = Disruption.objects.filter(_in_period(f, "started_on", False), _team(f, "entity__team_id"))
    return _crosstab(
        f,
        "disruptions_by_type",
        "Disruptions started, by type",
        qs,
        "started_on",
        "kind",
        _labelled(Disruption.Kind.choices),
        "Disruption actions (links.Disruption)",
    )


# In time? -------------------------------------------------------------------------------------


def _timely(done: str, now: datetime) -> Case:
    """On time, late, waiting or overdue, against the record's own decision_due_at."""
    return Case(
        When(
            **{f"{done}__isnull": False, f"{done}__lte": F("decision_due_at")},
            then=Value("on_time"),
        ),
        When(**{f"{done}__isnull": False}, then=Value("late")),
        When(decision_due_at__lt=now, then=Value("overdue")),
        default=Value("waiting"),
        output_field=CharField(),
    )


TIMELY_ROWS = [
    ("on_time", "Decided within one working day"),
    ("late", "Decided later"),
    ("waiting", "Not yet decided, not yet due"),
    ("overdue", "Not yet decided and overdue"),
]


def timeliness(f: Filters) -> list[Table]:
    now = timezone.now()
    sent = Referral.objects.filter(
        _in_period(f, "created_at"), _team(f, "child__team_id"), decision=ShareDecision.SHARE
    )
    referral_state = _timely("outcome_at", now)
    referrals_in_time = _crosstab(
        f,
        "referral_timeliness",
        "Referral decisions within one working day",
        sent,
        "created_at",
        referral_state,
        TIMELY_ROWS,
        "Referrals sent; due one working day after sending (dates.py: weekends and bank holidays)",
    )
    received = Concern.objects.filter(_in_period(f, "received_at"), _team(f, "team_id"))
    triage = _crosstab(
        f,
        "concern_triage",
        "Concerns: the front door's decision by its due time",
        received,
        "received_at",
        _timely("decided_at", now),
        [("on_time", "Decided by the due time"), *TIMELY_ROWS[1:]],
        "Concerns received (concerns.Concern.decision_due_at)",
    )
    return [referrals_in_time, triage, return_interviews(f, now)]


def return_interviews(f: Filters, now: datetime) -> Table:
    due = ExpressionWrapper(F("ended_at") + RETURN_INTERVIEW_WITHIN, output_field=DateTimeField())
    back = Episode.objects.filter(_in_period(f, "ended_at"), _team(f, "child__team_id")).annotate(
        due_by=due
    )
    state = Case(
        When(interview="done", interview_at__lte=F("due_by"), then=Value("done")),
        When(interview="done", then=Value("done_late")),
        When(interview="offered", interview_at__lte=F("due_by"), then=Value("offered")),
        When(interview="offered", then=Value("offered_late")),
        When(interview="declined", then=Value("declined")),
        When(due_by__lt=now, then=Value("overdue")),
        default=Value("due"),
        output_field=CharField(),
    )
    return _crosstab(
        f,
        "return_interviews",
        "Return home interviews after a missing episode (72 hours)",
        back,
        "ended_at",
        state,
        [
            ("done", "Done within 72 hours"),
            ("done_late", "Done later"),
            ("offered", "Offered within 72 hours"),
            ("offered_late", "Offered later"),
            ("declined", "Refused by the child"),
            ("due", "Not yet offered, still in time"),
            ("overdue", "Not offered within 72 hours"),
        ],
        "Missing episodes that ended in the period (cases.MissingEpisode)",
    )


# Missing --------------------------------------------------------------------------------------


def missing(f: Filters) -> list[Table]:
    started = Episode.objects.filter(_in_period(f, "started_at"), _team(f, "child__team_id"))
    episodes = _crosstab(
        f,
        "missing_episodes",
        "Missing episodes",
        started,
        "started_at",
        Value("e", output_field=CharField()),
        [("e", "Episodes")],
        "Missing episodes by the date they began (cases.MissingEpisode)",
    )
    children = _crosstab(
        f,
        "missing_children",
        "Children who went missing",
        started,
        "started_at",
        Value("c", output_field=CharField()),
        [("c", "Children")],
        "Missing episodes, each child counted once a month or quarter",
        distinct="child_id",
    )
    repeat = Table(
        "repeat_missing",
        f"Children repeat missing ({missing_rule.rule_words()})",
        ["Repeat-missing children"],
        [f.period_label(p) for p in f.periods()],
        [repeat_missing_counts(f)],
        "Children the repeat-missing rule flagged on any day of the month or quarter "
        "(cases.MissingEpisode; the rule in children/missing.py, set in settings)",
        additive=False,
    )
    return [episodes, children, repeat]


def _period_end(f: Filters, first: date) -> date:
    step = 3 if f.by == "quarter" else 1
    month = first.month - 1 + step
    return min(date(first.year + month // 12, month % 12 + 1, 1), f.end)


def repeat_missing_counts(f: Filters) -> list[int]:
    """Children the rule flags on any day of each month or quarter (one query for all)."""
    children = Child.objects.filter(_team(f, "team_id"))
    spans = [(p, _period_end(f, p) - timedelta(days=1)) for p in f.periods()]
    return missing_rule.repeat_missing_counts(children, spans)


# Places and groups ----------------------------------------------------------------------------


def places(f: Filters) -> Table:
    """The places and peer groups linked to most children in the period, and the one before."""
    this, before = (
        _in_period(f, "links__linked_on", False),
        _in_period(f.previous(), "links__linked_on", False),
    )
    child_link = Q(links__child__isnull=False)
    ranked = (
        Entity.objects.filter(kind__in=[Kind.PLACE, Kind.GROUP])
        .filter(_team(f, "team_id"))
        .annotate(
            now=Count("links__child", filter=this & child_link, distinct=True),
            before=Count("links__child", filter=before & child_link, distinct=True),
        )
        .filter(now__gt=0)
        .order_by("-now", "-before", "pk")
        .values("pk", "kind", "place_kind", "now", "before")[:TOP_PLACES]
    )
    kinds = dict(PlaceKind.choices)
    rows, cells, ids = [], [], []
    for found in ranked:
        what = (
            "Peer group" if found["kind"] == Kind.GROUP else kinds.get(found["place_kind"], "Place")
        )
        rows.append(f"{Entity(pk=found['pk']).reference} ({what})")
        cells.append([found["now"], found["before"]])
        ids.append(str(found["pk"]))
    return Table(
        "places",
        "Places and peer groups linked to most children",
        rows,
        ["This period", "The period before"],
        cells,
        "Links from children to place and peer-group records (links.Link), by the link's date",
        additive=False,
        row_links=ids,
    )


# Who ------------------------------------------------------------------------------------------


def children_in_period(f: Filters) -> QuerySet[Child]:
    """Children with something recorded in the period: a screening, referral, missing episode,
    link or concern."""
    child = OuterRef("pk")
    seen = [
        Screening.objects.filter(_in_period(f, "screened_at"), child=child),
        Referral.objects.filter(_in_period(f, "created_at"), child=child),
        Episode.objects.filter(_in_period(f, "started_at"), child=child),
        Link.objects.filter(_in_period(f, "linked_on", False), child=child),
        ConcernChild.objects.filter(_in_period(f, "linked_at"), child=child),
    ]
    any_of: Any = Exists(seen[0])
    for subquery in seen[1:]:
        any_of |= Exists(subquery)
    return Child.objects.filter(_team(f, "team_id")).filter(any_of)


def suspects_in_period(f: Filters) -> QuerySet[Entity]:
    """People of concern linked to a child in the period, or recorded in it."""
    linked = Link.objects.filter(
        entity=OuterRef("pk"), child__isnull=False, linked_on__gte=f.start, linked_on__lt=f.end
    )
    return (
        Entity.objects.filter(kind=Kind.PERSON)
        .filter(_team(f, "team_id"))
        .filter(Exists(linked) | _in_period(f, "created_at"))
    )


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _age_case(f: Filters, bands: list[tuple[str, int]], top: str) -> Case:
    """Age on the period's last day, from the date of birth: the first band younger than its
    upper bound (Case takes the first When that matches)."""
    whens = [
        When(date_of_birth__gt=_years_before(f.last_day, upper), then=Value(code))
        for code, upper in bands
    ]
    whens.append(When(date_of_birth__isnull=False, then=Value(top)))
    return Case(*whens, default=Value(""), output_field=CharField())


CHILD_AGES = [("u10", 10), ("10", 13), ("13", 16), ("16", 18)]
CHILD_AGE_ROWS = [
    ("u10", "Under 10"),
    ("10", "10 to 12"),
    ("13", "13 to 15"),
    ("16", "16 to 17"),
    ("18", "18 and over"),
    ("", NOT_RECORDED),
]
ADULT_AGES = [("u18", 18), ("18", 25), ("25", 35), ("35", 45)]
ADULT_AGE_ROWS = [
    ("u18", "Under 18"),
    ("18", "18 to 24"),
    ("25", "25 to 34"),
    ("35", "35 to 44"),
    ("45", "45 and over"),
    ("", NOT_RECORDED),
]


def _ethnic_group() -> Case:
    groups = [group for group, _items in demographics.ETHNIC_GROUPS]
    whens = [
        When(
            ethnicity__in=[c for c, g in demographics.ETHNIC_GROUP_OF.items() if g == group],
            then=Value(group),
        )
        for group in groups
    ]
    whens += [
        When(ethnicity=demographics.NOT_KNOWN, then=Value(demographics.NOT_KNOWN)),
        When(ethnicity=demographics.DECLINED, then=Value(demographics.DECLINED)),
    ]
    return Case(*whens, default=Value(""), output_field=CharField())


ETHNIC_ROWS = [(g, g) for g, _items in demographics.ETHNIC_GROUPS] + [
    (demographics.NOT_KNOWN, "Not known"),
    (demographics.DECLINED, "Declined to say"),
    ("", NOT_RECORDED),
]
SEX_ROWS = _labelled(demographics.Sex.choices)


Groups = list[tuple[dict[str, Any], int]]


def _grouped(qs: QuerySet[Any], categories: dict[str, Any]) -> Groups:
    """Count qs by every breakdown at once: one GROUP BY over all the categories together (a few
    hundred groups), which each breakdown then adds up by its own category. The population (a
    query with several EXISTS) is worked out once instead of once per breakdown."""
    names = {f"by_{name}": _expression(expression) for name, expression in categories.items()}
    found = qs.annotate(**names).values(*names).annotate(n=Count("pk")).order_by()
    return [({n[3:]: g[n] for n in names}, g["n"]) for g in found]


def _whole_period(
    key: str,
    title: str,
    groups: Groups,
    name: str,
    categories: list[tuple[str, str]],
    source: str,
    column: str,
) -> Table:
    counts: dict[str, int] = {}
    for values, n in groups:
        code = values[name] or ""
        counts[code] = counts.get(code, 0) + n
    rows = [words for _code, words in categories]
    return Table(key, title, rows, [column], [[counts.get(c, 0)] for c, _w in categories], source)


def _nationality(key: str, title: str, groups: Groups, source: str, column: str) -> Table:
    """The most common nationalities by name; the rest counted together as "Other"."""
    unanswered = {"", demographics.NOT_KNOWN, demographics.DECLINED}
    by_code: dict[str, int] = {}
    for values, n in groups:
        code = values["nationality"] or ""
        by_code[code] = by_code.get(code, 0) + n
    common = sorted((-n, code) for code, n in by_code.items() if code not in unanswered)
    named = [(code, demographics.nationality_words(code)) for _n, code in common][
        :TOP_NATIONALITIES
    ]
    codes = {code for code, _w in named} | unanswered
    counts: dict[str, int] = {}
    for code, n in by_code.items():
        row = code if code in codes else "other"
        counts[row] = counts.get(row, 0) + n
    rows = [
        *named,
        ("other", "All other nationalities"),
        (demographics.NOT_KNOWN, "Not known"),
        (demographics.DECLINED, "Declined to say"),
        ("", NOT_RECORDED),
    ]
    cells = [[counts.get(code, 0)] for code, _w in rows]
    return Table(key, title, [words for _c, words in rows], [column], cells, source)


def who(f: Filters) -> list[Table]:
    source = "Children with a screening, referral, missing episode, link or concern in the period"
    column = "Children"
    care = Case(
        When(in_care=True, then=Value("yes")), default=Value("no"), output_field=CharField()
    )
    disability = Case(
        When(learning_disability=LearningDisability.YES, then=Value("yes")),
        When(learning_disability=LearningDisability.NO, then=Value("no")),
        default=Value(""),
        output_field=CharField(),
    )
    groups = _grouped(
        children_in_period(f),
        {
            "age": _age_case(f, CHILD_AGES, "18"),
            "sex": "sex",
            "ethnicity": _ethnic_group(),
            "nationality": "nationality",
            "disability": disability,
            "care": care,
        },
    )
    return [
        _whole_period(
            "children_by_age",
            "Children, by age at the end of the period",
            groups,
            "age",
            CHILD_AGE_ROWS,
            source,
            column,
        ),
        _whole_period(
            "children_by_sex", "Children, by sex", groups, "sex", SEX_ROWS, source, column
        ),
        _whole_period(
            "children_by_ethnicity",
            "Children, by ethnic group (ONS 2021)",
            groups,
            "ethnicity",
            ETHNIC_ROWS,
            source,
            column,
        ),
        _nationality("children_by_nationality", "Children, by nationality", groups, source, column),
        _whole_period(
            "children_by_disability",
            "Children, by learning disability",
            groups,
            "disability",
            [
                ("yes", "Learning disability"),
                ("no", "No learning disability"),
                ("", "Not recorded (or not known)"),
            ],
            source,
            column,
        ),
        _whole_period(
            "children_by_care",
            "Children, by care status",
            groups,
            "care",
            [("yes", "Looked after (in care)"), ("no", "Not in care"), ("", NOT_RECORDED)],
            source,
            column,
        ),
    ]


def _suspect_age(f: Filters) -> Case:
    by_birth = [
        When(date_of_birth__gt=_years_before(f.last_day, upper), then=Value(code))
        for code, upper in ADULT_AGES
    ]
    by_guess = [When(age_low__lt=upper, then=Value(code)) for code, upper in ADULT_AGES]
    return Case(
        *by_birth,
        When(date_of_birth__isnull=False, then=Value("45")),
        *by_guess,
        When(age_low__isnull=False, then=Value("45")),
        default=Value(""),
        output_field=CharField(),
    )


def suspects(f: Filters) -> list[Table]:
    source = (
        "People of concern (links.Entity, kind person) linked to a child or recorded in the period"
    )
    column = "People of concern"
    groups = _grouped(
        suspects_in_period(f),
        {
            "age": _suspect_age(f),
            "sex": "sex",
            "ethnicity": _ethnic_group(),
            "nationality": "nationality",
        },
    )
    return [
        _whole_period(
            "suspects_by_age",
            "People of concern, by age (or youngest age thought)",
            groups,
            "age",
            ADULT_AGE_ROWS,
            source,
            column,
        ),
        _whole_period(
            "suspects_by_sex", "People of concern, by sex", groups, "sex", SEX_ROWS, source, column
        ),
        _whole_period(
            "suspects_by_ethnicity",
            "People of concern, by ethnic group (ONS 2021)",
            groups,
            "ethnicity",
            ETHNIC_ROWS,
            source,
            column,
        ),
        _nationality(
            "suspects_by_nationality", "People of concern, by nationality", groups, source, column
        ),
    ]


SECTIONS: list[tuple[str, str, Callable[[Filters], list[Table]]]] = [
    (
        "activity",
        "What was recorded",
        lambda f: [
            *concerns(f),
            screenings(f),
            referrals(f),
            strategy_discussions(f),
            *mace(f),
            disruptions(f),
        ],
    ),
    ("timeliness", "Acting in time", timeliness),
    ("missing", "Missing from home or care", missing),
    ("places", "Places and peer groups", lambda f: [places(f)]),
    ("children", "Who: children", who),
    ("suspects", "Who: people of concern", suspects),
]


def profile(f: Filters) -> list[Section]:
    return [Section(key, title, build(f)) for key, title, build in SECTIONS]


FRESH_FOR = 60  # seconds: figures are never more than a minute behind what was recorded
REFRESH_AFTER = 30  # seconds: then the next reader works them out again, the others keep reading


def cached(f: Filters) -> list[Section]:
    """The profile for these filters, from the cache if it was worked out in the last minute.

    Working the figures out takes seconds on a large database, so they are worked out again
    before they expire: the first request that finds them older than REFRESH_AFTER takes a lock
    in the cache (add is atomic in Redis and in memory) and works them out; every other request
    meanwhile reads the cached ones, still less than a minute old. Only when nothing is cached
    (the first reader of these filters, or none for a minute) does a reader wait without a copy.
    Each entry is stamped with the moment its figures were read and kept only until a minute
    after it, so what is served is never more than a minute behind.
    """
    from django.core.cache import cache

    key = f"problemprofile:{f.key}"
    found = cache.get(key)
    if found is not None:
        made, sections = found
        if clock.time() - made < REFRESH_AFTER or not cache.add(f"{key}:lock", 1, FRESH_FOR):
            return cast(list[Section], sections)
        try:
            return _work_out(f, key)
        finally:
            cache.delete(f"{key}:lock")
    return _work_out(f, key)


def _work_out(f: Filters, key: str) -> list[Section]:
    from django.core.cache import cache

    made = clock.time()
    sections = profile(f)
    left = FRESH_FOR - (clock.time() - made)
    if left > 1:
        cache.set(key, (made, sections), left)
    return sections
