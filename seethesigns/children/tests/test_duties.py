"""Recording duties (issue 19): who the child and people of concern are, reports of sexual abuse
to the police or children's social care (due until recorded), and NRM referrals."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client

from conftest import verified_client
from seethesigns.accounts.models import Team, User
from seethesigns.audit.models import AuditEntry
from seethesigns.children.models import AbuseReport, Child, NrmReferral, ReportDue
from seethesigns.demographics import nhs_number
from seethesigns.network.models import Entity
from seethesigns.screening.models import Indicator
from seethesigns.tests.records import new_child_form
from seethesigns.workspace.todo import Tally, todo_for

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
GOOD_NHS = "9434765919"  # the NHS's own example: its check digit is right
BAD_NHS = "943 476 5918"
REPORTS = "Reports of sexual abuse to make"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


@pytest.fixture
def child() -> Child:
    dsl = User.objects.get(username="demo-dsl")
    return Child.objects.create(
        first_name="Sam", last_name="Test", team=Team.objects.get(members=dsl), created_by=dsl
    )


def new_child_data(**extra: str) -> dict[str, str]:
    """The record's form once the child was searched for (search before create)."""
    return new_child_form(
        first_name="Nadia",
        last_name="Duty",
        date_of_birth="2012-03-04",
        learning_disability="no",
        **extra,
    )


# 1. Who the child is: on the child's forms, with a checked NHS number.


def test_a_bad_nhs_number_is_refused_and_everything_typed_is_kept(pro_client):
    data = new_child_data(
        nhs_number=BAD_NHS, sex="female", ethnicity="asian-pakistani", nationality="GB"
    )
    response = pro_client("demo-dsl").post("/pro/children/new/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "This is not a valid NHS number: please check each digit." in html
    assert f'value="{BAD_NHS}"' in html and 'value="Nadia"' in html
    assert '<option value="asian-pakistani" selected>' in html
    assert '<option value="GB" selected>' in html
    assert 'value="female" id="id_sex_0" checked' in html
    assert not Child.objects.filter(first_name="Nadia").exists()


def test_an_nhs_number_that_is_too_short_says_how_long_it_is(pro_client):
    response = pro_client("demo-dsl").post("/pro/children/new/", new_child_data(nhs_number="12345"))
    assert response.status_code == 400
    assert "An NHS number is 10 digits" in response.content.decode()


def test_an_nhs_number_is_ten_ascii_digits():
    assert nhs_number(" 943 476-5919 ") == GOOD_NHS
    with pytest.raises(ValidationError):
        nhs_number("\uff19\uff14\uff13\uff14\uff17\uff16\uff15\uff19\uff11\uff19")  # full-width


def test_the_childs_particulars_are_saved_and_the_nhs_number_shown_as_written(pro_client):
    client = pro_client("demo-dsl")
    data = new_child_data(
        nhs_number="943-476-5919", sex="female", ethnicity="mixed-other", nationality="declined"
    )
    assert client.post("/pro/children/new/", data).status_code == 302
    saved = Child.objects.get(first_name="Nadia")
    assert (saved.nhs_number, saved.sex, saved.ethnicity) == (GOOD_NHS, "female", "mixed-other")
    assert saved.nationality == "declined"
    html = client.get(f"/pro/children/{saved.pk}/").content.decode()
    assert "943 476 5919" in html
    assert "Any other Mixed or multiple ethnic background" in html
    assert "Declined to say" in html


def test_the_ethnicity_question_lists_the_ons_groups_as_optgroups(pro_client, child):
    html = pro_client("demo-dsl").get(f"/pro/children/{child.pk}/edit/").content.decode()
    for group in ["Asian or Asian British", "White", "Other ethnic group"]:
        assert f'<optgroup label="{group}">' in html
    assert '<option value="not-known">Not known</option>' in html


def test_the_edit_form_refuses_a_bad_nhs_number_and_keeps_it(pro_client, child):
    data = new_child_data(
        in_care="no", placed_out_of_area="no", version=str(child.version), nhs_number=BAD_NHS
    )
    response = pro_client("demo-dsl").post(f"/pro/children/{child.pk}/edit/", data)
    assert response.status_code == 400
    assert f'value="{BAD_NHS}"' in response.content.decode()
    child.refresh_from_db()
    assert child.nhs_number == ""


# 2. A screening asks what the child's record lacks.


def screening(**extra: str) -> dict[str, object]:
    data: dict[str, object] = {
        "age": "15",
        "learning_disability": "no",
        "step": "finish",
        "judgement": "none",
        "exploiters": [],
    }
    for indicator in Indicator.objects.active():
        data[f"{indicator.code}-state"] = "not_present"
    data.update(extra)
    return data


def test_a_screening_asks_ethnicity_and_nationality_when_not_recorded(pro_client, child):
    client = pro_client("demo-dsl")
    html = client.get(f"/pro/children/{child.pk}/screening/").content.decode()
    assert 'name="ethnicity"' in html and 'name="nationality"' in html
    response = client.post(f"/pro/children/{child.pk}/screening/", screening())
    html = response.content.decode()
    assert response.status_code == 400
    assert "Choose the child&#x27;s ethnicity, or “Not known”" in html
    assert "Choose the child&#x27;s nationality, or “Not known”" in html
    assert not child.screenings.exists()


def test_not_known_is_an_answer_and_goes_on_the_childs_record(pro_client, child):
    data = screening(ethnicity="not-known", nationality="not-known")
    response = pro_client("demo-dsl").post(f"/pro/children/{child.pk}/screening/", data)
    assert response.status_code == 302
    child.refresh_from_db()
    assert (child.ethnicity, child.nationality) == ("not-known", "not-known")
    entry = AuditEntry.objects.get(action="cases.record_demographics", object_id=str(child.pk))
    assert entry.data == {"fields": ["ethnicity", "nationality"]}


def test_a_screening_asks_only_what_is_missing(pro_client, child):
    child.ethnicity = "white-british"
    child.save()
    client = pro_client("demo-dsl")
    html = client.get(f"/pro/children/{child.pk}/screening/").content.decode()
    assert 'name="ethnicity"' not in html and 'name="nationality"' in html
    data = screening(nationality="PL", ethnicity="black-african")  # not asked: not taken
    assert client.post(f"/pro/children/{child.pk}/screening/", data).status_code == 302
    child.refresh_from_db()
    assert (child.ethnicity, child.nationality) == ("white-british", "PL")


def test_a_quick_check_asks_nothing_about_who_the_child_is(pro_client):
    html = pro_client("demo-dsl").get("/pro/screening/").content.decode()
    assert 'name="ethnicity"' not in html


# 3. A person of concern: ethnicity and nationality required when added or linked.


def person_link(**extra: str) -> dict[str, str]:
    return {
        "kind": "person",
        "label": "Darren Example",
        "place_kind": "",
        "nature": "Picks her up from school",
        "linked_on": "2026-11-01",
        "source": "school",
        **extra,
    }


def test_linking_a_person_requires_ethnicity_and_nationality(pro_client, child):
    response = pro_client("demo-dsl").post(
        f"/pro/children/{child.pk}/links/", person_link(aliases="Daz", age_low="30")
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Choose the person&#x27;s ethnicity, or “Not known”" in html
    assert "Choose the person&#x27;s nationality, or “Not known”" in html
    assert ">Daz</textarea>" in html and 'value="30"' in html
    assert not Entity.objects.filter(label="Darren Example").exists()


def test_a_person_linked_with_not_known_and_their_particulars(pro_client, child):
    data = person_link(
        ethnicity="not-known",
        nationality="not-known",
        sex="male",
        age_low="25",
        age_high="30",
        aliases=" Daz \n\nD-man ",
    )
    assert pro_client("demo-dsl").post(f"/pro/children/{child.pk}/links/", data).status_code == 302
    person = Entity.objects.get(label="Darren Example")
    assert (person.ethnicity, person.nationality, person.sex) == ("not-known", "not-known", "male")
    assert (person.age_low, person.age_high, person.aliases) == (25, 30, "Daz\nD-man")
    assert person.age_on is not None


def test_a_person_takes_a_date_of_birth_or_an_age_not_both(pro_client, child):
    data = person_link(
        ethnicity="not-known", nationality="GB", date_of_birth="1990-01-01", age_low="30"
    )
    response = pro_client("demo-dsl").post(f"/pro/children/{child.pk}/links/", data)
    assert response.status_code == 400
    assert "Give a date of birth or an age, not both" in response.content.decode()


def test_a_vehicle_needs_no_ethnicity(pro_client, child):
    data = person_link(kind="vehicle", label="AB12 CDE")
    assert pro_client("demo-dsl").post(f"/pro/children/{child.pk}/links/", data).status_code == 302
    assert Entity.objects.get(label="AB12 CDE").ethnicity == ""


def test_a_new_person_record_requires_ethnicity_and_nationality(pro_client):
    client = pro_client("demo-dsl")
    data = {"kind": "person", "label": "Kyle Example", "place_kind": "", "details": ""}
    assert client.post("/pro/records/new/", data).status_code == 400
    data |= {"ethnicity": "white-other", "nationality": "not-known"}
    assert client.post("/pro/records/new/", data).status_code == 302
    assert Entity.objects.get(label="Kyle Example").ethnicity == "white-other"


# 4. Reports to the police or children's social care: due until recorded.


def disclose(client, child) -> None:
    response = client.post(
        f"/pro/children/{child.pk}/chronology/",
        {
            "happened_on": "2026-12-01",
            "what": "Told her form tutor what the man at the flat did.",
            "source": "child",
            "disclosure": "on",
        },
    )
    assert response.status_code == 302


def report(client, child, due, **extra: str):
    data = {
        "reported_to": "police",
        "reported_at": "2026-12-01T16:00",
        "reference": "INC-4411",
        **extra,
    }
    return client.post(f"/pro/children/{child.pk}/report/?due={due.pk}", data)


def dsl_client() -> Client:
    """A new sign-in: after the clock moves, an old session would be signed out as idle."""
    return verified_client(Client(), User.objects.get(username="demo-dsl"))


def tally(user: User) -> Tally | None:
    return next((t for t in todo_for(user) if t.title == REPORTS), None)


def test_a_disclosure_makes_a_report_due_until_it_is_recorded(pro_client, child):
    dsl = User.objects.get(username="demo-dsl")
    with time_machine.travel(at("2026-12-01 10:00"), tick=False):
        assert tally(dsl) is None
        client = dsl_client()
        disclose(client, child)
        due = ReportDue.objects.get(child=child)
        assert due.reason == "disclosure" and due.raised_by == dsl
        assert child.chronology.get().kind == "disclosure"
        html = client.get(f"/pro/children/{child.pk}/").content.decode()
        assert "Report due today" in html and "The child disclosed sexual abuse" in html
        found = tally(dsl)
        assert found is not None
        assert (found.waiting, found.due_today, found.overdue) == (1, 1, 0)
        home = client.get("/pro/").content.decode()
        assert REPORTS in home
        # A colleague does not carry the duty for what the DSL recorded.
        assert tally(User.objects.get(username="demo-practitioner")) is None
    with time_machine.travel(at("2026-12-01 16:30"), tick=False):
        client = dsl_client()
        key = "6f1c3a52-8f0e-4c1e-9a77-3d2b1f0e9c11"
        assert report(client, child, due, key=key).status_code == 302
        assert report(client, child, due, key=key).status_code == 302  # sent again: kept once
        made = AbuseReport.objects.get(child=child)
        assert (made.due, made.reference, made.delay_reason) == (due, "INC-4411", "")
        assert tally(dsl) is None
        html = client.get(f"/pro/children/{child.pk}/").content.decode()
        assert "Report due today" not in html and "INC-4411" in html
        assert AuditEntry.objects.filter(action="cases.record_abuse_report").exists()
        assert AuditEntry.objects.filter(action="cases.report_due").exists()


def test_a_report_due_is_overdue_after_midnight_and_a_late_report_needs_a_reason(pro_client, child):
    dsl = User.objects.get(username="demo-dsl")
    with time_machine.travel(at("2026-12-01 23:50"), tick=False):
        disclose(dsl_client(), child)
        found = tally(dsl)
        assert found is not None and (found.due_today, found.overdue) == (1, 0)
    due = ReportDue.objects.get(child=child)
    with time_machine.travel(at("2026-12-02 00:10"), tick=False):
        found = tally(dsl)
        assert found is not None and (found.due_today, found.overdue) == (0, 1)
        client = dsl_client()
        assert "Report overdue" in client.get(f"/pro/children/{child.pk}/").content.decode()
    with time_machine.travel(at("2026-12-02 09:00"), tick=False):
        client = dsl_client()
        response = report(client, child, due, reported_at="2026-12-02T08:30")
        html = response.content.decode()
        assert response.status_code == 400
        assert "say why it was not sooner" in html
        assert 'value="INC-4411"' in html  # what was typed is kept
        assert tally(dsl) is not None
        reason = "Reporting at once would have told the man she had spoken to us."
        response = report(client, child, due, reported_at="2026-12-02T08:30", delay_reason=reason)
        assert response.status_code == 302
        assert AbuseReport.objects.get(child=child).delay_reason == reason
        assert tally(dsl) is None


def test_a_report_can_not_be_made_before_it_was_known_nor_in_the_future(pro_client, child):
    with time_machine.travel(at("2026-12-01 10:00"), tick=False):
        client = dsl_client()
        disclose(client, child)
        due = ReportDue.objects.get(child=child)
        early = report(client, child, due, reported_at="2026-11-30T10:00")
        assert "before you came to know" in early.content.decode()
        later = report(client, child, due, reported_at="2026-12-01T18:00")
        assert "can&#x27;t be in the future" in later.content.decode()
        assert not AbuseReport.objects.filter(child=child).exists()


def test_a_screening_with_a_disclosure_makes_a_report_due(pro_client, child):
    data = screening(
        ethnicity="not-known",
        nationality="not-known",
        judgement="significant",
        **{"disclosure-state": "present", "disclosure-evidence": "She told me on Monday."},
    )
    assert (
        pro_client("demo-dsl").post(f"/pro/children/{child.pk}/screening/", data).status_code == 302
    )
    [due] = ReportDue.objects.filter(child=child)
    assert (due.reason, due.recorded_in) == ("disclosure", "screening")


@pytest.mark.parametrize(
    ("age", "when", "due"),
    [
        ("15", "current", True),
        ("", "current", True),  # age not known: may be under 16, the safer reading
        ("16", "earlier", True),  # 6 to 12 months ago she may have been 15
        ("16", "current", False),
        ("17", "recent", False),
    ],
)
def test_sexual_activity_with_an_adult_under_16_makes_a_report_due(
    pro_client, child, age, when, due
):
    data = screening(
        age=age,
        ethnicity="not-known",
        nationality="not-known",
        judgement="significant",
        overrule_reason="new-information",
        judgement_reason="Her mother told me about the man who collects her from school.",
        **{
            "sexual-activity-with-adult-state": "present",
            "sexual-activity-with-adult-when": when,
            "sexual-activity-with-adult-evidence": "Seen by her mother.",
        },
    )
    assert (
        pro_client("demo-dsl").post(f"/pro/children/{child.pk}/screening/", data).status_code == 302
    )
    reasons = list(ReportDue.objects.filter(child=child).values_list("reason", flat=True))
    assert reasons == (["adult-under-16"] if due else [])


def test_outsiders_get_404_for_reports_and_nrm(pro_client, child):
    dsl = User.objects.get(username="demo-dsl")
    due = ReportDue.objects.create(
        child=child,
        reason="disclosure",
        recorded_in="chronology",
        due_by=at("2026-12-02 00:00"),
        raised_by=dsl,
    )
    for username in ["demo-eastfield", "demo-analyst", "demo-dpo"]:
        client = pro_client(username)
        assert client.get(f"/pro/children/{child.pk}/report/?due={due.pk}").status_code == 404
        assert client.get(f"/pro/children/{child.pk}/nrm/").status_code == 404
    other = Child.objects.create(first_name="O", last_name="T", team=child.team, created_by=dsl)
    client = pro_client("demo-dsl")
    assert client.get(f"/pro/children/{other.pk}/report/?due={due.pk}").status_code == 404
    assert client.get(f"/pro/children/{child.pk}/report/?due=x").status_code == 404


# 5. The National Referral Mechanism.


def nrm(**extra: str) -> dict[str, str]:
    return {
        "referred_on": "2026-10-01",
        "first_responder": "local-authority",
        "first_responder_name": "Northby Council",
        "reasonable_grounds": "pending",
        "conclusive_grounds": "pending",
        **extra,
    }


def test_an_nrm_referral_appears_on_the_childs_page_and_its_decisions_follow(pro_client, child):
    client = pro_client("demo-dsl")
    html = client.get(f"/pro/children/{child.pk}/").content.decode()
    assert "Record an NRM referral" in html and "data-nrm=" not in html
    assert client.post(f"/pro/children/{child.pk}/nrm/", nrm()).status_code == 302
    saved = NrmReferral.objects.get(child=child)
    html = client.get(f"/pro/children/{child.pk}/").content.decode()
    assert f'data-nrm="{saved.pk}"' in html and "Northby Council" in html
    decided = nrm(
        version=str(saved.version),
        reasonable_grounds="positive",
        reasonable_grounds_on="2026-10-04",
        conclusive_grounds="positive",
        conclusive_grounds_on="2026-11-20",
    )
    assert client.post(f"/pro/children/{child.pk}/nrm/{saved.pk}/", decided).status_code == 302
    saved.refresh_from_db()
    assert (saved.reasonable_grounds, str(saved.conclusive_grounds_on)) == (
        "positive",
        "2026-11-20",
    )
    assert "20 November 2026" in client.get(f"/pro/children/{child.pk}/").content.decode()
    actions = set(
        AuditEntry.objects.filter(object_id=str(child.pk)).values_list("action", flat=True)
    )
    assert {"cases.record_nrm", "cases.update_nrm"} <= actions


def test_only_those_who_see_the_child_see_its_nrm(pro_client, child):
    NrmReferral.objects.create(
        child=child,
        referred_on=at("2026-10-01").date(),
        first_responder="police",
        recorded_by=User.objects.get(username="demo-dsl"),
    )
    assert pro_client("demo-eastfield").get(f"/pro/children/{child.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        (
            {"reasonable_grounds": "positive", "reasonable_grounds_on": "2026-09-30"},
            "reasonable_grounds_on",
            "The decision can&#x27;t be before the referral",
        ),
        (
            {"reasonable_grounds": "positive"},
            "reasonable_grounds_on",
            "Enter the date of the reasonable grounds decision",
        ),
        (
            {
                "reasonable_grounds": "positive",
                "reasonable_grounds_on": "2026-10-10",
                "conclusive_grounds": "positive",
                "conclusive_grounds_on": "2026-10-05",
            },
            "conclusive_grounds_on",
            "The conclusive grounds decision can&#x27;t be before the reasonable grounds one",
        ),
        (
            {
                "reasonable_grounds": "negative",
                "reasonable_grounds_on": "2026-10-10",
                "conclusive_grounds": "positive",
                "conclusive_grounds_on": "2026-11-05",
            },
            "conclusive_grounds",
            "A conclusive grounds decision follows a positive reasonable grounds one",
        ),
        ({"first_responder": ""}, "first_responder", "Choose the first responder organisation"),
        ({"referred_on": "2099-01-01"}, "referred_on", "The date can&#x27;t be in the future"),
    ],
)
def test_an_nrm_referral_is_checked(pro_client, child, values, field, message):
    response = pro_client("demo-dsl").post(f"/pro/children/{child.pk}/nrm/", nrm(**values))
    html = response.content.decode()
    assert response.status_code == 400
    assert f'id="id_{field}-error"' in html and message in html
    assert 'value="Northby Council"' in html
    assert not NrmReferral.objects.filter(child=child).exists()


def test_a_persons_particulars_are_changed_on_their_record_and_shown(pro_client, child):
    client = pro_client("demo-dsl")
    data = person_link(ethnicity="not-known", nationality="not-known")
    assert client.post(f"/pro/children/{child.pk}/links/", data).status_code == 302
    person = Entity.objects.get(label="Darren Example")
    edit = {
        "label": "Darren Example",
        "place_kind": "",
        "details": "",
        "version": str(person.version),
        "ethnicity": "",
        "nationality": "IE",
        "age_low": "40",
        "age_high": "45",
        "aliases": "Dazza",
    }
    response = client.post(f"/pro/records/{person.pk}/edit/", edit)
    assert response.status_code == 400  # ethnicity can't be taken back to "not recorded"
    assert "Choose the person&#x27;s ethnicity, or “Not known”" in response.content.decode()
    edit["ethnicity"] = "white-irish"
    assert client.post(f"/pro/records/{person.pk}/edit/", edit).status_code == 302
    person.refresh_from_db()
    assert (person.ethnicity, person.nationality, person.age_low) == ("white-irish", "IE", 40)
    assert person.age_on is not None
    html = client.get(f"/pro/records/{person.pk}/").content.decode()
    assert "40 to 45" in html and "Irish" in html and "Dazza" in html
