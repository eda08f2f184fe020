"""The CSE coordinator's cohort: each child open to her with level, missing, interviews, MACE
and actions; sortable and filterable; audited; 403 for every other role."""

from datetime import timedelta

import pytest
from django.utils import timezone

from seethesigns.accounts.models import Team, User
from seethesigns.audit.models import AuditEntry
from seethesigns.children.models import Child, MissingEpisode
from seethesigns.meetings.models import Action, Item

pytestmark = pytest.mark.django_db


def row_of(html: str, child: Child) -> str:
    start = html.index(f'<tr data-child="{child.pk}"')
    return html[start : html.index("</tr>", start)]


@pytest.fixture
def leah() -> Child:
    return Child.objects.get(first_name="Leah", last_name="Sample")


@pytest.fixture
def coordinator() -> User:
    return User.objects.get(username="demo-coordinator")


def test_each_child_shows_level_missing_interviews_next_mace_and_actions(
    pro_client, leah, coordinator
):
    item = Item.objects.get(child=leah)
    today = timezone.localdate()
    Action.objects.create(
        meeting=item.meeting, item=item, text="Visit", owner="PC", due_on=today - timedelta(days=2),
        created_by=coordinator,
    )  # fmt: skip
    html = pro_client("demo-coordinator").get("/pro/cohort/").content.decode()
    row = row_of(html, leah)
    assert f"/pro/children/{leah.pk}/" in row  # one click to the child
    assert "2 times, 2 in 90 days" in row
    assert "data-repeat-missing" not in row  # two is not yet repeat missing
    assert "data-interviews-late" in row and "1 late" in row  # back 5 days ago, none offered
    assert item.meeting.held_on.strftime("%-d %b %Y") in row
    assert "1 overdue" in row
    mia = Child.objects.get(first_name="Mia")
    assert f'data-child="{mia.pk}"' not in html  # the school's child is not open to her


def test_a_third_episode_in_90_days_flags_repeat_missing_and_the_filter_finds_it(
    pro_client, leah, coordinator
):
    back = timezone.now() - timedelta(days=1)
    MissingEpisode.objects.create(
        child=leah, started_at=back - timedelta(hours=4), ended_at=back, reported_by="Home",
        recorded_by=coordinator,
    )  # fmt: skip
    other = Child.objects.create(
        first_name="Zed", last_name="Quiet", team=Team.objects.get(name="Exploitation Team"),
        created_by=coordinator,
    )  # fmt: skip
    client = pro_client("demo-coordinator")
    html = client.get("/pro/cohort/?only=repeat").content.decode()
    assert "data-repeat-missing" in row_of(html, leah)
    assert f'data-child="{other.pk}"' not in html
    everyone = client.get("/pro/cohort/?sort=name").content.decode()
    assert f'data-child="{other.pk}"' in everyone
    by_missing = client.get("/pro/cohort/?sort=missing").content.decode()
    assert by_missing.index(f'data-child="{leah.pk}"') < by_missing.index(
        f'data-child="{other.pk}"'
    )


def test_looking_at_the_cohort_is_audited_with_the_children_by_number(pro_client, leah):
    pro_client("demo-coordinator").get("/pro/cohort/")
    entry = AuditEntry.objects.filter(action="meetings.view_cohort").get()
    assert leah.pk in entry.data["children"]
    assert "Leah" not in str(entry.data)


@pytest.mark.parametrize(
    "username",
    ["demo-dsl", "demo-practitioner", "demo-frontdoor", "demo-analyst", "demo-admin", "demo-dpo"],
)
def test_every_other_role_is_refused(pro_client, username):
    assert pro_client(username).get("/pro/cohort/").status_code == 403


def test_a_nonsense_sort_or_filter_shows_the_default_list(pro_client, leah):
    response = pro_client("demo-coordinator").get("/pro/cohort/?sort=%00&only=<x>")
    assert response.status_code == 200
    assert f'data-child="{leah.pk}"' in response.content.decode()


def test_the_coordinators_home_counts_late_interviews_one_click_from_the_cohort(pro_client):
    html = pro_client("demo-coordinator").get("/pro/").content.decode()
    assert "Return home interviews" in html
    start = html.index("Return home interviews")
    tally = html[start : html.index("</ul>", start)]
    assert 'href="/pro/cohort/?only=interviews&amp;sort=interviews" data-count="overdue"' in tally
    assert "<strong>1</strong> overdue" in tally
