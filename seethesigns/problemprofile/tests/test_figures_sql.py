# ruff: noqa: S608, E501  (SQL built from model table names, one clause a line)
"""Every figure on the profile equals a count made independently, in raw SQL, over generated data.

The SQL here is written from the definitions in docs/problem-profile.md, not from figures.py:
table names from the models' metadata, dates cut by PostgreSQL's own date_trunc in local time.
"""

from collections import Counter
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from seethesigns import demographics
from seethesigns.accounts.models import Team
from seethesigns.children.models import Child, MissingEpisode
from seethesigns.concerns.models import Concern, ConcernChild
from seethesigns.meetings.models import Action, Item, Meeting
from seethesigns.network.models import Disruption, Entity, Link
from seethesigns.problemprofile import figures
from seethesigns.problemprofile.figures import Filters, Table
from seethesigns.problemprofile.tests.generate import generate
from seethesigns.referrals.models import Referral
from seethesigns.screening.models import Screening

pytestmark = pytest.mark.django_db

T = {
    m.__name__: m._meta.db_table
    for m in [
        Child,
        MissingEpisode,
        Concern,
        ConcernChild,
        Action,
        Item,
        Meeting,
        Disruption,
        Entity,
        Link,
        Referral,
        Screening,
    ]
}
START, END = date(2025, 1, 1), date(2025, 7, 1)


def rows(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def local(day: date) -> Any:
    return timezone.make_aware(datetime.combine(day, time.min))


def trunc(f: Filters, column: str, tz: bool = True) -> str:
    at = f"({column} AT TIME ZONE 'Europe/London')" if tz else column
    return f"date_trunc('{f.by}', {at})::date"


def crosstab(
    f: Filters,
    sql_from: str,
    when: str,
    category: str,
    *,
    tz: bool = True,
    team: str = "",
    count: str = "count(*)",
    where: str = "TRUE",
) -> Counter[tuple[date, str]]:
    """{(first day of the period, category code): n} for rows of sql_from dated in the period."""
    lo, hi = (local(f.start), local(f.end)) if tz else (f.start, f.end)
    team_sql, params = "", [lo, hi]
    if f.team_id and team:
        team_sql = f" AND {team} = %s"
        params.append(f.team_id)
    sql = (
        f"SELECT {trunc(f, when, tz)}, COALESCE({category}, ''), {count} FROM {sql_from} "
        f"WHERE {when} >= %s AND {when} < %s AND {where}{team_sql} GROUP BY 1, 2"
    )
    return Counter({(p, c): n for p, c, n in rows(sql, params)})


def as_counter(f: Filters, table: Table, codes: list[str]) -> Counter[tuple[date, str]]:
    """The table's cells keyed as the SQL's are: (period, category code)."""
    found: Counter[tuple[date, str]] = Counter()
    for code, values in zip(codes, table.cells, strict=True):
        for first, n in zip(f.periods(), values, strict=True):
            if n:
                found[first, code] = n
    return found


def codes_of(choices: list[tuple[str, Any]]) -> list[str]:
    return [c for c, _w in choices if c] + [""]


def sql_timely(done: str) -> str:
    return (
        f"CASE WHEN {done} IS NOT NULL AND {done} <= decision_due_at THEN 'on_time' "
        f"WHEN {done} IS NOT NULL THEN 'late' WHEN decision_due_at < now() THEN 'overdue' "
        "ELSE 'waiting' END"
    )


def expected_series(f: Filters) -> dict[str, tuple[Counter[tuple[date, str]], list[str]]]:
    """For every table counted by period: the SQL's counts and the category codes, in row order."""
    c, s, r = T["Concern"], T["Screening"], T["Referral"]
    child, ep, it, act, meet = T["Child"], T["MissingEpisode"], T["Item"], T["Action"], T["Meeting"]
    today = timezone.localdate().isoformat()
    mace_team = f"COALESCE((SELECT team_id FROM {child} WHERE id = i.child_id), (SELECT team_id FROM {T['Entity']} WHERE id = i.entity_id))"
    out = {
        "concerns_by_sender": (
            crosstab(f, c, "received_at", "reporter_kind", team="team_id"),
            ["young_person", "friend", "parent", "professional", "public", ""],
        ),
        "concerns_by_urgency": (
            crosstab(f, c, "received_at", "triage_urgency", team="team_id"),
            ["immediate", "high", "routine", ""],
        ),
        "concerns_by_decision": (
            crosstab(f, c, "received_at", "decision", team="team_id"),
            ["nfa", "advice", "screening", "strategy", ""],
        ),
        "screenings_by_level": (
            crosstab(
                f,
                f"{s} x JOIN {child} k ON k.id = x.child_id",
                "screened_at",
                "judgement",
                team="k.team_id",
            ),
            ["none", "emerging", "moderate", "significant", ""],
        ),
        "referrals_by_decision": (
            crosstab(
                f,
                f"{r} x JOIN {child} k ON k.id = x.child_id",
                "x.created_at",
                "outcome",
                team="k.team_id",
                where="decision = 'share'",
            ),
            ["protection", "s47", "s17", "early_help", "nfa", ""],
        ),
        "strategy_discussions": (
            crosstab(f, c, "decided_at", "'s'", team="team_id", where="decision = 'strategy'"),
            ["s"],
        ),
        "mace_meetings": (
            crosstab(
                f,
                f"{meet} m",
                "held_on",
                "'m'",
                tz=False,
                where=(
                    f"EXISTS (SELECT 1 FROM {it} i WHERE i.meeting_id = m.id AND {mace_team} = {f.team_id})"
                    if f.team_id
                    else "TRUE"
                ),
            ),
            ["m"],
        ),
        "mace_cases": (
            crosstab(
                f,
                f"{it} i JOIN {meet} m ON m.id = i.meeting_id",
                "held_on",
                "rag",
                tz=False,
                team=mace_team,
            ),
            ["red", "amber", "green", ""],
        ),
        "mace_cases_by_kind": (
            crosstab(
                f,
                f"{it} i JOIN {meet} m ON m.id = i.meeting_id",
                "held_on",
                "CASE WHEN i.child_id IS NULL THEN 'record' ELSE 'child' END",
                tz=False,
                team=mace_team,
            ),
            ["child", "record"],
        ),
        "mace_actions": (
            crosstab(
                f,
                f"{act} a JOIN {meet} m ON m.id = a.meeting_id LEFT JOIN {it} i ON i.id = a.item_id",
                "held_on",
                f"CASE WHEN done_on IS NOT NULL AND done_on <= due_on THEN 'done' WHEN done_on IS NOT NULL "
                f"THEN 'done_late' WHEN due_on < '{today}' THEN 'overdue' ELSE 'open' END",
                tz=False,
                team=mace_team,
            ),
            ["done", "done_late", "open", "overdue"],
        ),
        "disruptions_by_type": (
            crosstab(
                f,
                f"{T['Disruption']} d JOIN {T['Entity']} e ON e.id = d.entity_id",
                "started_on",
                "d.kind",
                tz=False,
                team="e.team_id",
            ),
            ["cawn", "sro", "shpo", "closure", "licensing", "trespass", "other", ""],
        ),
        "referral_timeliness": (
            crosstab(
                f,
                f"{r} x JOIN {child} k ON k.id = x.child_id",
                "x.created_at",
                sql_timely("outcome_at"),
                team="k.team_id",
                where="decision = 'share'",
            ),
            ["on_time", "late", "waiting", "overdue"],
        ),
        "concern_triage": (
            crosstab(f, c, "received_at", sql_timely("decided_at"), team="team_id"),
            ["on_time", "late", "waiting", "overdue"],
        ),
        "return_interviews": (
            crosstab(
                f,
                f"{ep} x JOIN {child} k ON k.id = x.child_id",
                "ended_at",
                "CASE WHEN interview = 'done' AND interview_at <= ended_at + interval '72 hours' THEN 'done' "
                "WHEN interview = 'done' THEN 'done_late' "
                "WHEN interview = 'offered' AND interview_at <= ended_at + interval '72 hours' THEN 'offered' "
                "WHEN interview = 'offered' THEN 'offered_late' WHEN interview = 'declined' THEN 'declined' "
                "WHEN ended_at + interval '72 hours' < now() THEN 'overdue' ELSE 'due' END",
                team="k.team_id",
            ),
            ["done", "done_late", "offered", "offered_late", "declined", "due", "overdue"],
        ),
        "missing_episodes": (
            crosstab(
                f,
                f"{ep} x JOIN {child} k ON k.id = x.child_id",
                "started_at",
                "'e'",
                team="k.team_id",
            ),
            ["e"],
        ),
        "missing_children": (
            crosstab(
                f,
                f"{ep} x JOIN {child} k ON k.id = x.child_id",
                "started_at",
                "'c'",
                team="k.team_id",
                count="count(DISTINCT child_id)",
            ),
            ["c"],
        ),
    }
    return out


def sql_repeat_missing(f: Filters) -> list[int]:
    """Children with 3 episodes begun in some 90-day window (local dates, both ends counted)
    that ends on a day of the month or quarter: every day tried, by brute force."""
    found = []
    for first in f.periods():
        month = first.month - 1 + (3 if f.by == "quarter" else 1)
        last = min(date(first.year + month // 12, month % 12 + 1, 1), f.end) - timedelta(days=1)
        team = f"AND k.team_id = {int(f.team_id)}" if f.team_id else ""
        sql = (
            f"SELECT count(DISTINCT k.id) FROM {T['Child']} k CROSS JOIN generate_series(%s::date, %s::date, interval '1 day') d "
            f"WHERE (SELECT count(*) FROM {T['MissingEpisode']} x WHERE x.child_id = k.id "
            "AND (x.started_at AT TIME ZONE 'Europe/London')::date BETWEEN d::date - 89 AND d::date) >= 3 "
            f"{team}"
        )
        found.append(rows(sql, [first, last])[0][0])
    return found


def period_params(f: Filters) -> list[Any]:
    return [local(f.start), local(f.end)]


def sql_children(f: Filters) -> str:
    """Children with a screening, referral, missing episode, link or concern in the period."""
    lo, hi = f"'{local(f.start).isoformat()}'", f"'{local(f.end).isoformat()}'"
    team = f"AND k.team_id = {int(f.team_id)}" if f.team_id else ""
    return (
        f"FROM {T['Child']} k WHERE (EXISTS (SELECT 1 FROM {T['Screening']} s WHERE s.child_id = k.id "
        f"AND s.screened_at >= {lo} AND s.screened_at < {hi}) OR EXISTS (SELECT 1 FROM {T['Referral']} r "
        f"WHERE r.child_id = k.id AND r.created_at >= {lo} AND r.created_at < {hi}) OR EXISTS (SELECT 1 "
        f"FROM {T['MissingEpisode']} e WHERE e.child_id = k.id AND e.started_at >= {lo} AND "
        f"e.started_at < {hi}) OR EXISTS (SELECT 1 FROM {T['Link']} l WHERE l.child_id = k.id AND "
        f"l.linked_on >= '{f.start}' AND l.linked_on < '{f.end}') OR EXISTS (SELECT 1 FROM "
        f"{T['ConcernChild']} cc WHERE cc.child_id = k.id AND cc.linked_at >= {lo} AND cc.linked_at < {hi})) {team}"
    )


def sql_suspects(f: Filters) -> str:
    lo, hi = f"'{local(f.start).isoformat()}'", f"'{local(f.end).isoformat()}'"
    team = f"AND k.team_id = {int(f.team_id)}" if f.team_id else ""
    return (
        f"FROM {T['Entity']} k WHERE k.kind = 'person' AND (EXISTS (SELECT 1 FROM {T['Link']} l "
        f"WHERE l.entity_id = k.id AND l.child_id IS NOT NULL AND l.linked_on >= '{f.start}' AND "
        f"l.linked_on < '{f.end}') OR (k.created_at >= {lo} AND k.created_at < {hi})) {team}"
    )


def grouped(population: str, category: str) -> Counter[str]:
    return Counter(
        {c or "": n for c, n in rows(f"SELECT {category}, count(*) {population} GROUP BY 1", [])}
    )


def ethnic_group_sql() -> str:
    whens = " ".join(
        f"WHEN k.ethnicity = '{code}' THEN '{group}'"
        for code, group in demographics.ETHNIC_GROUP_OF.items()
    )
    return (
        f"CASE {whens} WHEN k.ethnicity IN ('not-known', 'declined') THEN k.ethnicity ELSE '' END"
    )


def age_sql(f: Filters, years: str, bands: list[tuple[str, int]], top: str) -> str:
    whens = " ".join(f"WHEN {years} < {upper} THEN '{code}'" for code, upper in bands)
    return f"CASE WHEN {years} IS NULL THEN '' {whens} ELSE '{top}' END"


def check_breakdown(table: Table, counts: Counter[str], codes: list[str]) -> None:
    assert table.rows[-1].startswith("Not recorded"), table.key  # its own category, always
    assert [row[0] for row in table.cells] == [counts.get(code, 0) for code in codes], table.key


def check_nationality(table: Table, counts: Counter[str]) -> None:
    named = table.rows[:-4]
    by_words = {demographics.nationality_words(code): code for code in counts if code}
    shown = set()
    for words, row in zip(named, table.cells, strict=False):
        code = by_words[words]
        shown.add(code)
        assert row[0] == counts[code], (table.key, words)
    unanswered = {"", "not-known", "declined"}
    other = sum(n for code, n in counts.items() if code not in shown | unanswered)
    tail = [row[0] for row in table.cells[-4:]]
    assert tail == [other, counts.get("not-known", 0), counts.get("declined", 0), counts.get("", 0)]
    if shown:  # the named ones are the most common
        assert min(counts[c] for c in shown) >= max(
            [counts[c] for c in counts if c not in shown | unanswered] or [0]
        )


FILTERS = [
    pytest.param("month", False, id="by month, every team"),
    pytest.param("quarter", False, id="by quarter, every team"),
    pytest.param("month", True, id="by month, one team"),
]


@pytest.mark.parametrize(("by", "one_team"), FILTERS)
def test_every_figure_equals_an_independent_sql_count(by: str, one_team: bool) -> None:
    generate(seed=19, start=START, end=END)
    team = Team.objects.get(name="Safeguarding").pk if one_team else None
    f = Filters(START, END, by, team)
    tables = {t.key: t for s in figures.profile(f) for t in s.tables}
    checked = set()

    for key, (counts, codes) in expected_series(f).items():
        assert as_counter(f, tables[key], codes) == +counts, key
        checked.add(key)

    assert tables["repeat_missing"].cells[0] == sql_repeat_missing(f)
    assert sum(tables["repeat_missing"].cells[0]) > 0  # the generator makes some
    checked.add("repeat_missing")

    # Places and groups: each row's counts, and nothing left out that outranks the last shown.
    link, entity = T["Link"], T["Entity"]
    prev = f.previous()
    in_team = f"AND e.team_id = {int(f.team_id)}" if f.team_id else ""
    ranked = {
        pk: (now, before)
        for pk, now, before in rows(
            f"SELECT e.id, count(DISTINCT l.child_id) FILTER (WHERE l.linked_on >= %s AND l.linked_on < %s), "
            f"count(DISTINCT l.child_id) FILTER (WHERE l.linked_on >= %s AND l.linked_on < %s) "
            f"FROM {entity} e JOIN {link} l ON l.entity_id = e.id AND l.child_id IS NOT NULL "
            f"WHERE e.kind IN ('place', 'group') {in_team} GROUP BY e.id",
            [f.start, f.end, prev.start, prev.end],
        )
    }
    places = tables["places"]
    assert places.row_links, "the generator links children to places"
    for pk, values in zip(places.row_links, places.cells, strict=True):
        assert tuple(values) == ranked[int(pk)]
    left_out = [now for pk, (now, _b) in ranked.items() if str(pk) not in places.row_links]
    assert max(left_out, default=0) <= min(v[0] for v in places.cells)
    checked.add("places")

    kids, people = sql_children(f), sql_suspects(f)
    child_age = "date_part('year', age(%s, k.date_of_birth))".replace("%s", f"'{f.last_day}'")
    check_breakdown(
        tables["children_by_age"],
        grouped(
            kids, age_sql(f, child_age, [("u10", 10), ("10", 13), ("13", 16), ("16", 18)], "18")
        ),
        ["u10", "10", "13", "16", "18", ""],
    )
    check_breakdown(
        tables["children_by_sex"],
        grouped(kids, "k.sex"),
        ["female", "male", "other", "not-known", ""],
    )
    ethnic_codes = [g for g, _i in demographics.ETHNIC_GROUPS] + ["not-known", "declined", ""]
    check_breakdown(
        tables["children_by_ethnicity"], grouped(kids, ethnic_group_sql()), ethnic_codes
    )
    check_nationality(tables["children_by_nationality"], grouped(kids, "k.nationality"))
    check_breakdown(
        tables["children_by_disability"],
        grouped(
            kids, "CASE k.learning_disability WHEN 'yes' THEN 'yes' WHEN 'no' THEN 'no' ELSE '' END"
        ),
        ["yes", "no", ""],
    )
    check_breakdown(
        tables["children_by_care"],
        grouped(kids, "CASE WHEN k.in_care THEN 'yes' ELSE 'no' END"),
        ["yes", "no", ""],
    )
    adult_age = f"COALESCE(date_part('year', age('{f.last_day}', k.date_of_birth)), k.age_low)"
    check_breakdown(
        tables["suspects_by_age"],
        grouped(
            people, age_sql(f, adult_age, [("u18", 18), ("18", 25), ("25", 35), ("35", 45)], "45")
        ),
        ["u18", "18", "25", "35", "45", ""],
    )
    check_breakdown(
        tables["suspects_by_sex"],
        grouped(people, "k.sex"),
        ["female", "male", "other", "not-known", ""],
    )
    check_breakdown(
        tables["suspects_by_ethnicity"], grouped(people, ethnic_group_sql()), ethnic_codes
    )
    check_nationality(tables["suspects_by_nationality"], grouped(people, "k.nationality"))
    checked |= {k for k in tables if k.startswith(("children_by", "suspects_by"))}

    assert checked == set(tables), f"figures with no SQL check: {set(tables) - checked}"
    # Not a run of zeros: the generated data reaches every section.
    for key in [
        "concerns_by_sender",
        "screenings_by_level",
        "return_interviews",
        "children_by_sex",
        "suspects_by_sex",
    ]:
        assert sum(map(sum, tables[key].cells)) > 0, key
