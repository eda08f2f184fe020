"""The repeat-missing rule at its boundary: 2 and 3 episodes, the 90th and the 91st day."""

from datetime import date, datetime, time, timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from seethesigns.accounts.models import Team, User
from seethesigns.children.missing import (
    counted_episodes,
    is_repeat_missing,
    repeat_missing_children,
    repeat_missing_counts,
)
from seethesigns.children.models import Child, MissingEpisode

pytestmark = pytest.mark.django_db

MARCH_1 = date(2026, 3, 1)


def at(day: date, hour: int = 22) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def dsl() -> User:
    return User.objects.get(username="demo-dsl")


def child_missing_on(dsl: User, *days: date, name: str = "Sam") -> Child:
    child = Child.objects.create(
        first_name=name, last_name="Rule", team=Team.objects.get(members=dsl), created_by=dsl
    )
    for day in days:
        MissingEpisode.objects.create(
            child=child, started_at=at(day), reported_by="Carer", recorded_by=dsl
        )
    return child


def test_two_episodes_are_not_repeat_missing_and_three_are(dsl):
    two = child_missing_on(dsl, MARCH_1, MARCH_1 + timedelta(days=10))
    three = child_missing_on(dsl, MARCH_1, MARCH_1 + timedelta(days=10), MARCH_1 + timedelta(20))
    on = MARCH_1 + timedelta(days=20)
    assert not is_repeat_missing(two, on)
    assert is_repeat_missing(three, on)
    both = Child.objects.filter(pk__in=[two.pk, three.pk])
    assert list(repeat_missing_children(both, on)) == [three]


def test_an_episode_counts_on_its_90th_day_and_not_on_its_91st(dsl):
    child = child_missing_on(dsl, MARCH_1, MARCH_1 + timedelta(days=30), MARCH_1 + timedelta(60))
    day_90 = MARCH_1 + timedelta(days=89)  # 1 March is day 1
    day_91 = MARCH_1 + timedelta(days=90)
    assert is_repeat_missing(child, day_90)
    assert counted_episodes(child, day_90).count() == 3
    assert not is_repeat_missing(child, day_91)
    assert counted_episodes(child, day_91).count() == 2
    one = Child.objects.filter(pk=child.pk)
    assert repeat_missing_children(one, day_90).exists()
    assert not repeat_missing_children(one, day_91).exists()


def test_the_days_are_local_days_late_at_night_in_summer(dsl):
    # 23:30 on 1 June in London is 22:30 UTC: still 1 June for the rule.
    june = date(2026, 6, 1)
    child = child_missing_on(dsl, june - timedelta(days=89), june - timedelta(days=40))
    MissingEpisode.objects.create(
        child=child,
        started_at=at(june, 23).replace(minute=30),
        reported_by="Carer",
        recorded_by=dsl,
    )
    assert is_repeat_missing(child, june)
    assert not is_repeat_missing(child, june - timedelta(days=1))


def test_an_episode_not_yet_started_on_the_day_does_not_count(dsl):
    child = child_missing_on(dsl, MARCH_1, MARCH_1 + timedelta(days=1), MARCH_1 + timedelta(2))
    assert not is_repeat_missing(child, MARCH_1 + timedelta(days=1))


@override_settings(REPEAT_MISSING_EPISODES=2, REPEAT_MISSING_DAYS=30)
def test_the_rule_follows_the_settings(dsl):
    child = child_missing_on(dsl, MARCH_1, MARCH_1 + timedelta(days=29))
    assert is_repeat_missing(child, MARCH_1 + timedelta(days=29))
    assert not is_repeat_missing(child, MARCH_1 + timedelta(days=30))


def test_over_a_period_a_child_counts_if_the_rule_held_on_any_day_of_it(dsl):
    early = child_missing_on(dsl, MARCH_1, MARCH_1 + timedelta(5), MARCH_1 + timedelta(9), name="A")
    late = child_missing_on(dsl, date(2026, 7, 1), date(2026, 7, 2), date(2026, 7, 3), name="B")
    spread = child_missing_on(dsl, MARCH_1, date(2026, 5, 1), date(2026, 7, 1), name="C")
    all_three = Child.objects.filter(pk__in=[early.pk, late.pk, spread.pk])
    # April: the March episodes still count on 1 April; July's are not yet there.
    april = repeat_missing_children(all_three, date(2026, 4, 1), date(2026, 4, 30))
    assert set(april) == {early}
    summer = repeat_missing_children(all_three, date(2026, 6, 1), date(2026, 8, 31))
    assert set(summer) == {late}
    year = repeat_missing_children(all_three, date(2026, 1, 1), date(2026, 12, 31))
    assert set(year) == {early, late}
    # Each day of the year agrees with the period's answer.
    for child in (early, late, spread):
        any_day = any(
            is_repeat_missing(child, date(2026, 1, 1) + timedelta(days=n)) for n in range(365)
        )
        assert any_day == (child in year)


def test_the_period_is_one_query(dsl, django_assert_num_queries):
    child_missing_on(dsl, MARCH_1, MARCH_1 + timedelta(5), MARCH_1 + timedelta(9))
    with django_assert_num_queries(1):
        list(repeat_missing_children(Child.objects.all(), date(2026, 1, 1), date(2026, 12, 31)))


def test_the_counts_for_many_periods_agree_with_the_rule_period_by_period(dsl):
    """repeat_missing_counts (one window-function query for every period) gives, for each
    period, what repeat_missing_children gives for it alone, at the rule's edges too."""
    child_missing_on(dsl, MARCH_1, MARCH_1 + timedelta(5), MARCH_1 + timedelta(9), name="A")
    child_missing_on(dsl, date(2026, 7, 1), date(2026, 7, 2), date(2026, 7, 3), name="B")
    child_missing_on(dsl, MARCH_1, date(2026, 5, 1), date(2026, 7, 1), name="C")
    child_missing_on(dsl, MARCH_1, MARCH_1 + timedelta(89), MARCH_1 + timedelta(89), name="D")
    child_missing_on(dsl, MARCH_1, MARCH_1 + timedelta(45), MARCH_1 + timedelta(90), name="E")
    child_missing_on(dsl, *[date(2025, 12, 20) + timedelta(7 * n) for n in range(9)], name="F")
    child_missing_on(dsl, date(2026, 12, 30), date(2026, 12, 31), name="G")
    everyone = Child.objects.filter(last_name="Rule")
    months = [date(2026, m, 1) for m in range(1, 13)]
    spans = [(m, (m + timedelta(days=32)).replace(day=1) - timedelta(days=1)) for m in months]
    spans += [(date(2026, 5, 29), date(2026, 5, 29)), (date(2026, 5, 30), date(2026, 5, 30))]
    spans += [(date(2026, 1, 1), date(2026, 12, 31))]
    expected = [repeat_missing_children(everyone, a, b).count() for a, b in spans]
    assert repeat_missing_counts(everyone, spans) == expected
    assert sum(expected) > len(spans)  # the children above do cross the rule
    one = everyone.filter(first_name="A")
    assert repeat_missing_counts(one, spans) == [
        repeat_missing_children(one, a, b).count() for a, b in spans
    ]


@override_settings(REPEAT_MISSING_EPISODES=2, REPEAT_MISSING_DAYS=30)
def test_the_counts_follow_the_settings(dsl):
    child_missing_on(dsl, MARCH_1, MARCH_1 + timedelta(days=29))
    child_missing_on(dsl, MARCH_1, MARCH_1 + timedelta(days=30), name="Late")
    spans = [(date(2026, 3, 1), date(2026, 3, 30)), (date(2026, 3, 31), date(2026, 4, 30))]
    assert repeat_missing_counts(Child.objects.all(), spans) == [1, 0]
