"""The year of demo activity: made once, dated over the last 12 months, every kind of record."""

from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Max
from django.utils import timezone

from seethesigns.audit.models import AuditEntry
from seethesigns.children.missing import is_repeat_missing, repeat_missing_children
from seethesigns.children.models import Child, MissingEpisode, RepeatMissingAlert
from seethesigns.concerns.models import Concern, ConcernDecision, Decision, ReporterKind
from seethesigns.meetings.models import Action, Item, Meeting
from seethesigns.network.models import Disruption, Entity, Link
from seethesigns.referrals.models import Outcome, Referral, ReferralDecision
from seethesigns.screening.models import Level, Screening
from seethesigns.workspace import demo_year

pytestmark = pytest.mark.django_db
MODELS = [
    Child,
    MissingEpisode,
    RepeatMissingAlert,
    Concern,
    ConcernDecision,
    Screening,
    Referral,
    ReferralDecision,
    Meeting,
    Item,
    Action,
    Entity,
    Link,
    Disruption,
]


@pytest.fixture
def year() -> list[Child]:
    """The year, loaded as `make run` loads it: through load_demo."""
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "A year of demo activity: 64 children" in out.getvalue()
    return list(Child.objects.filter(pk__gte=Child.objects.get(submission_key=demo_year.MARKER).pk))


def test_a_second_load_adds_nothing(year):
    counts = [m._default_manager.count() for m in MODELS]
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert [m._default_manager.count() for m in MODELS] == counts
    assert "A year of demo activity" not in out.getvalue()
    assert AuditEntry.objects.filter(action="workspace.demo_year").count() == 1


def test_everything_happened_in_the_last_12_months(year):
    today = timezone.localdate()
    first = today - timedelta(days=365)
    ids = [c.pk for c in year]

    def within(values):
        days = [v if not hasattr(v, "date") else timezone.localdate(v) for v in values]
        assert days, "nothing of this kind"
        assert first <= min(days) and max(days) <= today

    within([c.created_at for c in year])
    within(MissingEpisode.objects.filter(child__in=ids).values_list("started_at", flat=True))
    within(Screening.objects.filter(child__in=ids).values_list("screened_at", flat=True))
    within(Referral.objects.filter(child__in=ids).values_list("created_at", flat=True))
    within(Link.objects.filter(child__in=ids).values_list("linked_on", flat=True))
    within(Meeting.objects.filter(title__contains=", ").values_list("held_on", flat=True))
    within(
        Disruption.objects.filter(details="Demo disruption.").values_list("started_on", flat=True)
    )
    concerns = Concern.objects.filter(sealed__isnull=False).exclude(decided_at=None)
    within(concerns.values_list("received_at", flat=True))
    # The year reaches back most of the way, not only the last few weeks.
    oldest = min(timezone.localdate(c.created_at) for c in year)
    assert oldest < today - timedelta(days=300)


def test_every_kind_of_record_is_there(year):
    ids = [c.pk for c in year]
    concerns = Concern.objects.exclude(decision="")
    assert set(concerns.values_list("reporter_kind", flat=True)) == set(ReporterKind.values)
    assert set(concerns.values_list("decision", flat=True)) == set(Decision.values)
    assert concerns.filter(decision=Decision.STRATEGY).count() >= 5  # strategy discussions
    late = ConcernDecision.objects.filter(decided_at__gt=F("was_due_at"))
    assert late.exists() and ConcernDecision.objects.exclude(pk__in=late).exists()
    screenings = Screening.objects.filter(child__in=ids)
    assert set(screenings.values_list("judgement", flat=True)) == set(Level.values)
    referrals = Referral.objects.filter(child__in=ids)
    assert set(referrals.values_list("decision", flat=True)) == {"share", "not_share"}
    assert set(referrals.exclude(outcome="").values_list("outcome", flat=True)) == set(
        Outcome.values
    )
    assert ReferralDecision.objects.filter(referral__child__in=ids).count() >= 20

    now = timezone.now()
    states = Counter(e.interview_state(now) for e in MissingEpisode.objects.filter(child__in=ids))
    assert {"done", "done_late", "declined"} <= set(states)
    # A few children repeat missing now, others earlier in the year, each alerted once.
    today = timezone.localdate()
    now_repeat = repeat_missing_children(Child.objects.filter(pk__in=ids), today)
    assert 2 <= now_repeat.count() <= 8
    earlier = repeat_missing_children(
        Child.objects.filter(pk__in=ids), today - timedelta(days=365), today
    )
    assert earlier.count() > now_repeat.count()
    alerts = RepeatMissingAlert.objects.filter(child__in=ids)
    assert set(alerts.values_list("child", flat=True)) == set(earlier.values_list("pk", flat=True))
    waiting = alerts.filter(seen_at=None)
    assert waiting.exists()
    assert all(is_repeat_missing(a.child, today) for a in waiting)

    meetings = Meeting.objects.filter(title__startswith="Northbridge MACE, ")
    assert meetings.count() == 12
    actions = Action.objects.filter(meeting__in=meetings)
    assert actions.exclude(done_on=None).exists() and actions.filter(done_on=None).exists()
    kinds = set(
        Disruption.objects.filter(details="Demo disruption.").values_list("kind", flat=True)
    )
    assert kinds == set(Disruption.Kind.values)


def test_places_people_and_groups_link_to_several_children(year):
    ids = [c.pk for c in year]
    links = Link.objects.filter(child__in=ids)
    per_entity = links.values("entity__kind", "entity").annotate(n=Count("child", distinct=True))
    most = {row["entity__kind"]: 0 for row in per_entity}
    for row in per_entity:
        most[row["entity__kind"]] = max(most[row["entity__kind"]], row["n"])
    assert most["place"] >= 8
    assert most["group"] >= 4
    assert most["person"] >= 2
    assert links.aggregate(Max("linked_on"))["linked_on__max"] <= timezone.localdate()


def test_demographics_are_filled_in_with_gaps_the_scorecard_can_show(year):
    def share_blank(values):
        values = list(values)
        return sum(1 for v in values if not v) / len(values)

    assert 0 < share_blank(c.ethnicity for c in year) < 0.4
    assert 0 < share_blank(c.nationality for c in year) < 0.4
    sexes = Counter(c.sex for c in year)
    assert sexes["female"] > sexes["male"] > 0
    people = Entity.objects.filter(kind="person", created_by__username="demo-analyst")
    assert share_blank(people.values_list("ethnicity", flat=True)) > 0.4  # Casey (2025)
    assert any(c.nhs_number for c in year) and any(not c.nhs_number for c in year)
    for c in year:  # each NHS number passes its check digit
        if c.nhs_number:
            c.full_clean(validate_unique=False)
