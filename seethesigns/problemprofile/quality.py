"""Data quality: how complete the fields the profile counts are, by team and month recorded.

One aggregate query per record type: GROUP BY team and month of creation, a filtered Count per
field. "Complete" means answered, and "not known" or "declined" are answers; blank is not.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from seethesigns.children.models import Child, LearningDisability
from seethesigns.network.models import Entity, Kind
from seethesigns.problemprofile.figures import Filters

# kind -> [(field, words, the Q of a record where it is NOT answered)]
FIELDS: dict[str, list[tuple[str, str, Q]]] = {
    "child": [
        ("date_of_birth", "Date of birth", Q(date_of_birth__isnull=True)),
        ("sex", "Sex", Q(sex="")),
        ("ethnicity", "Ethnicity", Q(ethnicity="")),
        ("nationality", "Nationality", Q(nationality="")),
        ("disability", "Learning disability", Q(learning_disability=LearningDisability.NOT_KNOWN)),
    ],
    "person": [
        ("age", "Age or date of birth", Q(date_of_birth__isnull=True, age_low__isnull=True)),
        ("sex", "Sex", Q(sex="")),
        ("ethnicity", "Ethnicity", Q(ethnicity="")),
        ("nationality", "Nationality", Q(nationality="")),
    ],
}
KIND_WORDS = {"child": "Children's records", "person": "People of concern"}


@dataclass
class Cell:
    field: str
    words: str
    missing: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * (self.total - self.missing) / self.total) if self.total else 100


@dataclass
class Line:
    kind: str
    team_id: int
    team: str
    month: date
    total: int
    cells: list[Cell]


def records(kind: str) -> QuerySet[Any]:
    if kind == "child":
        return Child.objects.all()
    return Entity.objects.filter(kind=Kind.PERSON)


def scorecard(f: Filters) -> dict[str, list[Line]]:
    """For each kind of record: one line per team and month, with each field's gaps."""
    found: dict[str, list[Line]] = {}
    for kind, fields in FIELDS.items():
        qs = records(kind).filter(created_at__gte=f.moment(f.start), created_at__lt=f.moment(f.end))
        if f.team_id:
            qs = qs.filter(team_id=f.team_id)
        gaps = {f"gap_{name}": Count("pk", filter=blank) for name, _words, blank in fields}
        grouped = (
            qs.annotate(month=TruncMonth("created_at"))
            .values("team_id", "team__name", "team__organisation__name", "month")
            .annotate(total=Count("pk"), **gaps)
            .order_by("team__organisation__name", "team__name", "month")
        )
        found[kind] = [
            Line(
                kind,
                g["team_id"],
                f"{g['team__name']} ({g['team__organisation__name']})",
                _day(g["month"]),
                g["total"],
                [Cell(name, words, g[f"gap_{name}"], g["total"]) for name, words, _blank in fields],
            )
            for g in grouped
        ]
    return found


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def to_complete(kind: str, field: str, team_id: int, month: date, f: Filters) -> QuerySet[Any]:
    """The records of one scorecard cell whose field is not answered (before any policy)."""
    blank = {name: q for name, _words, q in FIELDS[kind]}[field]
    nxt = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return records(kind).filter(
        blank, team_id=team_id, created_at__gte=f.moment(month), created_at__lt=f.moment(nxt)
    )
