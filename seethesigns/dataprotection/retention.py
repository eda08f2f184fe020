"""The kinds of record SeeTheSigns keeps, how long, and which of them are due to go.

A new kind of record is one RecordType in REGISTRY and one entry in content/retention.yaml.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import DateField, F, Model, QuerySet
from django.db.models.functions import Cast, Coalesce


@dataclass(frozen=True)
class RecordType:
    key: str  # its name in content/retention.yaml
    model_label: str  # "app_label.Model"
    clock: tuple[str, ...]  # the first of these dates (or lookups) that is set starts the clock
    part_of: str = ""  # the foreign key to the record this one belongs to, erased with it
    erasable: bool = True  # False: flagged when due, never erased by the job

    @cached_property
    def model(self) -> type[Model]:
        return apps.get_model(self.model_label)

    @property
    def owner_model(self) -> type[Model] | None:
        if not self.part_of:
            return None
        related = self.model._meta.get_field(self.part_of).related_model
        return related if isinstance(related, type) else None

    def with_clock(self) -> QuerySet[Any]:
        """All records, each annotated with `clock`: the day its retention period starts."""
        days = [Cast(F(lookup), DateField()) for lookup in self.clock]
        clock = Coalesce(*days) if len(days) > 1 else days[0]
        return self.model._default_manager.annotate(clock=clock)


CHILD_CLOCK = ("child__date_of_birth", "child__created_at")

# In the order erasure goes: a record comes before any record it points to.
REGISTRY = [
    RecordType(
        "referral_decision",
        "referrals.ReferralDecision",
        ("referral__child__date_of_birth", "referral__child__created_at"),
        part_of="referral",
    ),
    RecordType(
        "referral",
        "referrals.Referral",
        ("child__date_of_birth", "child__created_at"),
        part_of="child",
    ),
    RecordType(
        "screening",
        "screening.Screening",
        ("child__date_of_birth", "child__created_at"),
        part_of="child",
    ),
    RecordType(
        "dsl_task",
        "screening.DslTask",
        ("child__date_of_birth", "child__created_at", "sent_at"),
        part_of="child",
    ),
    RecordType("chronology_entry", "cases.ChronologyEntry", CHILD_CLOCK, part_of="child"),
    RecordType("repeat_missing_alert", "cases.RepeatMissingAlert", CHILD_CLOCK, part_of="child"),
    RecordType("missing_episode", "cases.MissingEpisode", CHILD_CLOCK, part_of="child"),
    RecordType("philomena", "cases.PhilomenaProfile", CHILD_CLOCK, part_of="child"),
    # A report answers what was due: erased before it (the report points at it).
    RecordType("abuse_report", "cases.AbuseReport", CHILD_CLOCK, part_of="child"),
    RecordType("report_due", "cases.ReportDue", CHILD_CLOCK, part_of="child"),
    RecordType("nrm_referral", "cases.NrmReferral", CHILD_CLOCK, part_of="child"),
    RecordType("child_link", "links.Link", CHILD_CLOCK, part_of="child"),
    RecordType("child_disruption", "links.Disruption", CHILD_CLOCK, part_of="child"),
    RecordType("child_meeting_item", "meetings.Item", CHILD_CLOCK, part_of="child"),
    RecordType("child", "cases.Child", ("date_of_birth", "created_at")),
    RecordType("record_link", "links.Link", ("entity__created_at",), part_of="entity"),
    RecordType("record_link_in", "links.Link", ("other__created_at",), part_of="other"),
    RecordType("record_disruption", "links.Disruption", ("entity__created_at",), "entity"),
    RecordType("record_meeting_item", "meetings.Item", ("entity__created_at",), "entity"),
    RecordType("record_revision", "links.EntityRevision", ("entity__created_at",), "entity"),
    RecordType(
        "record_intelligence", "links.IntelligenceSubmission", ("entity__created_at",), "entity"
    ),
    RecordType("record_sighting", "links.Sighting", ("place__created_at",), "place"),
    RecordType("record_sighting_vehicle", "links.Sighting", ("vehicle__created_at",), "vehicle"),
    RecordType("record", "links.Entity", ("created_at",)),
    RecordType("hub_alert", "linkage.HubAlert", ("raised_at",)),
    RecordType("meeting", "meetings.Meeting", ("held_on",)),
    RecordType(
        "concern_decision", "concerns.ConcernDecision", ("concern__received_at",), "concern"
    ),
    RecordType("concern_note", "concerns.ConcernNote", ("concern__received_at",), "concern"),
    RecordType("break_glass", "concerns.BreakGlass", ("concern__received_at",), "concern"),
    RecordType("outside_share", "concerns.OutsideShare", ("concern__received_at",), "concern"),
    RecordType("concern", "concerns.Concern", ("received_at",)),
    RecordType("training_completion", "training.Completion", ("completed_at",)),
    RecordType("erasure", "dataprotection.Erasure", ("erased_at",), erasable=False),
    RecordType("audit_entry", "audit.AuditEntry", ("at",), erasable=False),
]


def record_type(key: str) -> RecordType:
    return next(rt for rt in REGISTRY if rt.key == key)


def record_type_of(model: type[Model]) -> RecordType:
    return next(rt for rt in REGISTRY if rt.model is model)


def parts_of(model: type[Model]) -> list[RecordType]:
    """The kinds of record that belong to a record of this model, in erasure order."""
    return [rt for rt in REGISTRY if rt.owner_model is model]


@dataclass(frozen=True)
class Rule:
    years: int
    starts: str
    reason: str


@dataclass(frozen=True)
class Schedule:
    warn_days: int
    rules: dict[str, Rule]

    def cutoff(self, key: str, today: date) -> date:
        """Records whose clock started on or before this day are past their period."""
        return years_before(today, self.rules[key].years)

    def expired(self, rt: RecordType, today: date) -> QuerySet[Any]:
        return rt.with_clock().filter(clock__lte=self.cutoff(rt.key, today)).order_by("pk")

    def nearing(self, rt: RecordType, today: date) -> QuerySet[Any]:
        """Records that will be past their period within warn_days, but are not yet."""
        soon = self.cutoff(rt.key, today + timedelta(days=self.warn_days))
        return rt.with_clock().filter(clock__gt=self.cutoff(rt.key, today), clock__lte=soon)

    def due_on(self, rt: RecordType, clock: date) -> date:
        """The day a record whose clock started on `clock` is erased."""
        return years_after(clock, self.rules[rt.key].years) + timedelta(days=1)


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def years_after(day: date, years: int) -> date:
    return years_before(day, -years)


def load_schedule(path: str | Path | None = None) -> Schedule:
    """Read the schedule, failing loudly on a kind of record it misses or does not know."""
    path = Path(path or settings.RETENTION_SCHEDULE)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        rules = {
            key: Rule(int(entry["years"]), str(entry["from"]), str(entry["reason"]))
            for key, entry in data["records"].items()
        }
        warn_days = int(data["warn_days"])
    except (OSError, KeyError, TypeError, ValueError, yaml.YAMLError) as error:
        raise ImproperlyConfigured(
            f"The retention schedule {path} cannot be read: {error}"
        ) from None
    known = {rt.key for rt in REGISTRY}
    if set(rules) != known:
        missing, unknown = sorted(known - set(rules)), sorted(set(rules) - known)
        raise ImproperlyConfigured(
            f"The retention schedule {path} must name every kind of record: "
            f"missing {missing}, unknown {unknown}."
        )
    if any(rule.years < 1 for rule in rules.values()) or warn_days < 0:
        raise ImproperlyConfigured(f"The retention schedule {path} has a period under a year.")
    return Schedule(warn_days, rules)
