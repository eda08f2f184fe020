"""A child's record: chronology (append-only, in the database too), missing episodes, edits."""

import re
import uuid
from datetime import date, timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.utils import timezone

from conftest import verified_client
from seethesigns.accounts.models import Team, User
from seethesigns.appendonly import erasing
from seethesigns.audit.models import AuditEntry
from seethesigns.children.actions import do_add_chronology_entry
from seethesigns.children.models import Child, ChronologyEntry, MissingEpisode

pytestmark = pytest.mark.django_db


@pytest.fixture
def child() -> Child:
    dsl = User.objects.get(username="demo-dsl")
    return Child.objects.create(
        first_name="Sam", last_name="Test", team=Team.objects.get(members=dsl), created_by=dsl
    )


def entry(child: Child, what: str = "Seen getting into a car.") -> ChronologyEntry:
    dsl = User.objects.get(username="demo-dsl")
    values = {"happened_on": timezone.localdate(), "what": what, "source": "school"}
    return do_add_chronology_entry(child, values, acting_user=dsl, request=None)


def test_the_record_shows_the_chronology_missing_episodes_links_and_is_audited(pro_client):
    mia = Child.objects.get(first_name="Mia")
    response = pro_client("demo-dsl").get(f"/pro/children/{mia.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Correction: it was Wednesday" in body
    assert "corrected by entry" in body
    assert "NB12 XYZ" in body
    assert AuditEntry.objects.filter(action="cases.view_child", object_id=str(mia.pk)).exists()


def test_a_worker_adds_to_the_chronology_and_the_text_is_sealed(pro_client, child):
    response = pro_client("demo-dsl").post(
        f"/pro/children/{child.pk}/chronology/",
        {
            "happened_on": "2026-11-01",
            "what": "Came to school with a new phone.",
            "source": "school",
            "source_detail": "Form tutor",
        },
    )
    saved = child.chronology.get()
    assert response.status_code == 302
    assert saved.what == "Came to school with a new phone."
    assert "new phone" not in saved.sealed  # encrypted at rest
    assert saved.author.username == "demo-dsl"
    assert (saved.source, saved.source_detail) == ("school", "Form tutor")
    audit = AuditEntry.objects.filter(action="cases.add_chronology_entry").last()
    assert audit.data["entry"] == saved.pk and "phone" not in str(audit.data)


def test_bad_input_keeps_what_was_typed(pro_client, child):
    response = pro_client("demo-dsl").post(
        f"/pro/children/{child.pk}/chronology/",
        {"happened_on": "2999-01-01", "what": "Words I typed", "source": ""},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "The date can&#x27;t be in the future" in body
    assert "Choose where this came from" in body
    assert "Words I typed" in body
    assert not child.chronology.exists()


def form_key(body: str) -> str:
    found = re.search(r'name="key" value="([0-9a-f-]{36})"', body)
    assert found, "the form carries its key"
    return found.group(1)


def test_the_form_keeps_its_key_when_it_is_shown_again_with_errors(pro_client, child):
    worker = pro_client("demo-dsl")
    key = form_key(worker.get(f"/pro/children/{child.pk}/chronology/").content.decode())
    response = worker.post(
        f"/pro/children/{child.pk}/chronology/",
        {"key": key, "happened_on": "2999-01-01", "what": "Words I typed", "source": "school"},
    )
    assert response.status_code == 400
    assert form_key(response.content.decode()) == key


def test_the_same_form_sent_twice_adds_one_entry_and_one_audit_row(pro_client, child):
    worker = pro_client("demo-dsl")
    data = {
        "key": str(uuid.uuid4()),
        "happened_on": "2026-11-01",
        "what": "Seen with an older man at the station.",
        "source": "school",
    }
    first = worker.post(f"/pro/children/{child.pk}/chronology/", data)
    again = worker.post(f"/pro/children/{child.pk}/chronology/", data)
    saved = child.chronology.get()
    assert first.status_code == again.status_code == 302
    assert (
        first["Location"]
        == again["Location"]
        == (f"/pro/children/{child.pk}/chronology/#entry-{saved.pk}")
    )
    assert str(saved.submission_key) == data["key"]
    audits = AuditEntry.objects.filter(action="cases.add_chronology_entry", object_id=child.pk)
    assert [a.data["entry"] for a in audits] == [saved.pk]


def test_a_key_from_someone_elses_entry_never_returns_their_entry(child):
    key = uuid.uuid4()
    values = {"key": key, "happened_on": timezone.localdate(), "source": "school"}
    theirs = do_add_chronology_entry(
        child,
        {**values, "what": "Theirs."},
        acting_user=User.objects.get(username="demo-dsl"),
        request=None,
    )
    mine = do_add_chronology_entry(
        child,
        {**values, "what": "Mine."},
        acting_user=User.objects.get(username="demo-practitioner"),
        request=None,
    )
    assert mine.pk != theirs.pk and mine.what == "Mine."
    assert (theirs.submission_key, mine.submission_key) == (key, None)


def test_date_boxes_hold_dates_written_as_a_browser_can_show_them(pro_client, child):
    """A date box holding 27/03/2012 shows empty: saved again, the record would lose the date."""
    child.date_of_birth = date(2012, 3, 27)
    child.save(update_fields=["date_of_birth"])
    worker = pro_client("demo-dsl")
    edit = worker.get(f"/pro/children/{child.pk}/edit/").content.decode()
    add = worker.get(f"/pro/children/{child.pk}/chronology/").content.decode()
    assert 'id="id_date_of_birth" value="2012-03-27"' in edit
    assert f'id="id_happened_on" value="{timezone.localdate():%Y-%m-%d}"' in add


def test_a_correction_points_to_the_entry_it_corrects_and_both_stay(pro_client, child):
    first = entry(child, "Missing on Tuesday.")
    response = pro_client("demo-dsl").post(
        f"/pro/children/{child.pk}/chronology/",
        {
            "amends": first.pk,
            "happened_on": "2026-11-01",
            "what": "It was Wednesday.",
            "source": "school",
        },
    )
    assert response.status_code == 302
    correction = child.chronology.exclude(pk=first.pk).get()
    assert correction.amends == first and correction.kind == "amendment"
    first.refresh_from_db()
    assert first.what == "Missing on Tuesday."
    page = pro_client("demo-dsl").get(f"/pro/children/{child.pk}/chronology/").content.decode()
    assert f"corrects entry {first.pk}" in page and f"corrected by entry {correction.pk}" in page


def test_correcting_an_entry_of_another_child_is_404(pro_client, child):
    other = entry(Child.objects.get(first_name="Mia"))
    response = pro_client("demo-dsl").get(f"/pro/children/{child.pk}/chronology/?amends={other.pk}")
    assert response.status_code == 404


def test_the_database_refuses_to_update_or_delete_a_chronology_entry(child):
    saved = entry(child)
    for statement in [
        "UPDATE cases_chronologyentry SET sealed = 'x' WHERE id = %s",
        "DELETE FROM cases_chronologyentry WHERE id = %s",
    ]:
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [saved.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ChronologyEntry.objects.filter(pk=saved.pk).update(happened_on="2020-01-01")
    saved.refresh_from_db()
    assert saved.what == "Seen getting into a car."


def test_only_an_erasure_permit_lets_a_row_go_and_never_an_update(child):
    saved = entry(child)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        erasing("cases_chronologyentry"),
    ):
        ChronologyEntry.objects.filter(pk=saved.pk).update(happened_on="2020-01-01")
    with erasing("cases_chronologyentry"):
        ChronologyEntry.objects.filter(pk=saved.pk).delete()
    assert not ChronologyEntry.objects.filter(pk=saved.pk).exists()
    # The permit ended with the erasure.
    other = entry(child)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ChronologyEntry.objects.filter(pk=other.pk).delete()


def test_the_database_refuses_to_change_or_delete_an_audit_entry():
    last = AuditEntry.objects.order_by("-seq").first()
    assert last is not None
    for change in [
        lambda: AuditEntry.objects.filter(pk=last.pk).update(action="x"),
        lambda: AuditEntry.objects.filter(pk=last.pk).delete(),
    ]:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            change()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        erasing("audit_auditentry"),
    ):
        AuditEntry.objects.filter(pk=last.pk).delete()


def test_a_missing_episode_goes_into_the_chronology_and_the_interview_is_due_in_72_hours(
    pro_client, child
):
    client = pro_client("demo-dsl")
    started = timezone.localtime() - timedelta(days=1)
    response = client.post(
        f"/pro/children/{child.pk}/missing/",
        {
            "started_at": started.strftime("%Y-%m-%dT%H:%M"),
            "reported_by": "Mum",
            "police_reference": "NB-1",
            "ended_at": (started + timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M"),
            "where_found": "Station Road",
            "who_with": "Older lads",
        },
    )
    assert response.status_code == 302
    episode = child.missing_episodes.get()
    assert episode.interview_state(timezone.now()) == "due"
    assert episode.interview_state(episode.ended_at + timedelta(hours=73)) == "overdue"
    kinds = set(child.chronology.values_list("kind", flat=True))
    assert kinds == {"missing", "returned"}
    page = client.get(f"/pro/children/{child.pk}/").content.decode()
    assert "offer by" in page


def test_an_overdue_interview_is_highlighted(pro_client, child):
    dsl = User.objects.get(username="demo-dsl")
    back = timezone.now() - timedelta(hours=80)
    MissingEpisode.objects.create(
        child=child,
        started_at=back - timedelta(hours=3),
        ended_at=back,
        reported_by="Carer",
        recorded_by=dsl,
    )
    page = pro_client("demo-dsl").get(f"/pro/children/{child.pk}/").content.decode()
    assert 'class="row--overdue"' in page and "Overdue by 8 hours" in page


@pytest.mark.parametrize(("hours", "shown"), [(71, "Done in time"), (96, "Done 1 day late")])
def test_an_interview_done_after_72_hours_shows_as_late(pro_client, child, hours, shown):
    dsl = User.objects.get(username="demo-dsl")
    back = timezone.now() - timedelta(days=6)
    MissingEpisode.objects.create(
        child=child,
        started_at=back - timedelta(hours=3),
        ended_at=back,
        reported_by="Carer",
        recorded_by=dsl,
        interview="done",
        interview_at=back + timedelta(hours=hours),
    )
    page = pro_client("demo-dsl").get(f"/pro/children/{child.pk}/").content.decode()
    assert shown in page
    assert ("data-interview-late" in page) == (hours > 72)


def test_declining_the_interview_needs_a_reason_and_keeps_what_was_typed(pro_client, child):
    dsl = User.objects.get(username="demo-dsl")
    back = timezone.now() - timedelta(hours=10)
    episode = MissingEpisode.objects.create(
        child=child,
        started_at=back - timedelta(hours=3),
        ended_at=back,
        reported_by="Carer",
        recorded_by=dsl,
    )
    url = f"/pro/children/{child.pk}/missing/{episode.pk}/"
    form = {
        "version": episode.version,
        "ended_at": timezone.localtime(back).strftime("%Y-%m-%dT%H:%M"),
        "interview": "declined",
        "interview_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "where_found": "The park",
    }
    response = pro_client("demo-dsl").post(url, form)
    assert response.status_code == 400
    assert "Enter why the interview was declined" in response.content.decode()
    assert "The park" in response.content.decode()
    response = pro_client("demo-dsl").post(url, {**form, "declined_reason": "Said she was fine"})
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.interview_state(timezone.now()) == "declined"
    assert child.chronology.filter(kind="interview").exists()


def test_philomena_information_for_a_child_in_care_is_sealed(pro_client):
    leah = Child.objects.get(first_name="Leah")
    client = pro_client("demo-coordinator")
    page = client.get(f"/pro/children/{leah.pk}/").content.decode()
    assert "Philomena Protocol" in page
    form = client.get(f"/pro/children/{leah.pk}/philomena/").content.decode()
    assert "grey hooded coat" in form
    assert "hooded" not in leah.philomena.sealed


def test_the_philomena_page_and_an_episode_are_views_each_time_they_are_shown(pro_client):
    leah = Child.objects.get(first_name="Leah")
    episode = leah.missing_episodes.first()
    client = pro_client("demo-coordinator")
    views = AuditEntry.objects.filter(action="cases.view_child", object_id=str(leah.pk))
    client.get(f"/pro/children/{leah.pk}/philomena/")
    # Shown again after a mistake, the page still shows what was saved: a view too.
    assert client.post(f"/pro/children/{leah.pk}/philomena/", {"risks": ""}).status_code == 400
    client.get(f"/pro/children/{leah.pk}/missing/{episode.pk}/")
    assert [e.data for e in views.order_by("seq")] == [
        {"page": "philomena"},
        {"page": "philomena"},
        {"page": "edit_missing", "episode": episode.pk},
    ]


def two_workers(
    username: str = "demo-dsl", other: str = "demo-practitioner"
) -> tuple[Client, Client]:
    return (
        verified_client(Client(), User.objects.get(username=username)),
        verified_client(Client(), User.objects.get(username=other)),
    )


def test_the_second_of_two_edits_gets_a_conflict_page_with_both_versions(child):
    first, second = two_workers()
    url = f"/pro/children/{child.pk}/edit/"
    assert first.get(url).status_code == 200 and second.get(url).status_code == 200
    base = {
        "version": child.version,
        "last_name": "Test",
        "learning_disability": "no",
        "in_care": "no",
        "placed_out_of_area": "no",
    }
    assert first.post(url, {**base, "first_name": "Samantha"}).status_code == 302
    response = second.post(url, {**base, "first_name": "Sammy"})
    body = response.content.decode()
    assert response.status_code == 409
    assert "Samantha" in body and "Sammy" in body
    # The conflict page shows the saved record: a view, by the worker who saw it.
    last = AuditEntry.objects.order_by("-seq").first()
    assert (last.action, last.actor.username, last.data) == (
        "cases.view_child",
        "demo-practitioner",
        {"page": "edit"},
    )
    child.refresh_from_db()
    assert child.first_name == "Samantha" and child.version == 2
    # The second worker chooses to save theirs on top of the version they have now seen.
    response = second.post(url, {**base, "version": 2, "first_name": "Sammy"})
    child.refresh_from_db()
    assert response.status_code == 302 and child.first_name == "Sammy" and child.version == 3


def test_a_worker_records_a_placement_out_of_area_and_the_record_shows_it(pro_client, child):
    client = pro_client("demo-dsl")
    url = f"/pro/children/{child.pk}/edit/"
    form = client.get(url).content.decode()
    # Asked beside "in care", answered "No" until someone says otherwise.
    assert form.index('name="in_care"') < form.index('name="placed_out_of_area"')
    assert re.search(r'value="no" id="id_placed_out_of_area_1" checked', form)
    base = {"version": child.version, "first_name": "Sam", "last_name": "Test"}
    base |= {"learning_disability": "no", "in_care": "yes"}
    assert client.post(url, base).status_code == 400  # left unanswered: asked again
    child.refresh_from_db()
    assert not child.placed_out_of_area and child.version == 1
    response = client.post(url, {**base, "placed_out_of_area": "yes"})
    child.refresh_from_db()
    assert response.status_code == 302 and child.placed_out_of_area and child.version == 2
    change = AuditEntry.objects.filter(action="cases.update_child").latest("seq")
    assert change.object_id == str(child.pk) and "placed_out_of_area" in change.data["fields"]
    page = client.get(f"/pro/children/{child.pk}/").content.decode()
    assert re.search(r"<dt>Placed out of area</dt><dd>Yes</dd>", page)
    edit_again = client.get(url).content.decode()
    assert re.search(r'value="yes" id="id_placed_out_of_area_0" checked', edit_again)
    # The placement ends: the record says so.
    client.post(url, {**base, "version": 2, "placed_out_of_area": "no"})
    child.refresh_from_db()
    assert not child.placed_out_of_area
    page = client.get(f"/pro/children/{child.pk}/").content.decode()
    assert "<dt>Placed out of area</dt><dd>No</dd>" in page


def test_outsiders_get_404_for_every_part_of_the_record(pro_client):
    mia = Child.objects.get(first_name="Mia")
    episode = MissingEpisode.objects.create(
        child=mia,
        started_at=timezone.now(),
        reported_by="x",
        recorded_by=User.objects.get(username="demo-dsl"),
    )
    client = pro_client("demo-eastfield")
    for path in [
        "",
        "edit/",
        "chronology/",
        "missing/",
        f"missing/{episode.pk}/",
        "philomena/",
        "links/",
    ]:
        assert client.get(f"/pro/children/{mia.pk}/{path}").status_code == 404, path
    assert (
        client.post(
            f"/pro/children/{mia.pk}/chronology/",
            {"happened_on": "2026-01-01", "what": "x", "source": "school"},
        ).status_code
        == 404
    )
    assert not Team.objects.filter(pk=mia.team_id, members__username="demo-eastfield").exists()
