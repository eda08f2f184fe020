"""Referrals: made from a screening by a DSL, answered by the front door within one working day
(weekends and England and Wales bank holidays skipped), escalated by the referrer, as a PDF."""

import re
import subprocess
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from seethesigns.audit.models import AuditEntry
from seethesigns.children.models import Child
from seethesigns.dates import add_working_days, bank_holidays, last_year_known
from seethesigns.referrals.models import Referral

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def _no_referrals_yet(db):
    """Start without the demo referral, so each test counts its own (rolled back after)."""
    Referral.objects.all().delete()


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


@pytest.mark.parametrize(
    ("made", "due"),
    [
        ("2026-11-24 10:00", "2026-11-25 10:00"),  # Tuesday -> Wednesday
        ("2026-11-27 16:30", "2026-11-30 16:30"),  # Friday -> Monday
        ("2026-11-28 09:00", "2026-11-30 09:00"),  # Saturday -> Monday
        ("2026-12-24 12:00", "2026-12-29 12:00"),  # Christmas Eve -> past 25th, weekend, 28th
        ("2027-03-25 11:00", "2027-03-30 11:00"),  # Thursday before Easter: Good Friday, Monday
        ("2026-08-28 15:00", "2026-09-01 15:00"),  # Friday before the August bank holiday
        ("2027-12-24 10:00", "2027-12-29 10:00"),  # Christmas 2027 on a Saturday: 27th, 28th off
        ("2026-03-27 18:00", "2026-03-30 18:00"),  # across the change to summer time
    ],
)
def test_one_working_day_skips_weekends_and_bank_holidays(made, due):
    assert add_working_days(at(made), 1) == at(due)


def test_the_bank_holiday_list_covers_next_year():
    # Fails a year ahead of the list running out: add the next year from GOV.UK.
    assert last_year_known() >= datetime.now(tz=LONDON).year + 1
    assert at("2026-12-28 00:00").date() in bank_holidays()


def refer(pro_client, **changes):
    child = Child.objects.get(first_name="Mia", last_name="Example")
    data = {
        "family": "Lives with her mother, Jo Example, 1 Station Road. 01632 960001.",
        "done": "DSL spoke with Mia and her mother on Monday.",
        "child_words": "'He said I'm his girlfriend and I can't tell anyone.'",
        "consent": "not_sought",
        "consent_reason": "Asking the mother could warn the man: she knows him.",
        "decision": "share",
        "decision_reason": "Significant concern: missing episodes and an older man.",
        **changes,
    }
    return pro_client("demo-dsl").post(f"/pro/children/{child.pk}/refer/", data)


def test_a_dsl_refers_and_the_screening_is_carried_over(
    pro_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = refer(pro_client)
    referral = Referral.objects.get()
    assert response["Location"] == f"/pro/referrals/{referral.pk}/"
    contents = referral.contents
    titles = [item["title"] for item in contents["concerns"]["items"]]
    assert "Goes missing from home, care or school, overnight or longer" in titles
    assert contents["concerns"]["judgement"] == "Significant concern"
    assert "Jo Example" not in referral.sealed
    assert [m.subject for m in mail.outbox] == ["A new referral has arrived"]
    assert AuditEntry.objects.filter(action="referrals.make").exists()


def test_sharing_without_consent_needs_a_reason_and_every_decision_is_recorded(pro_client):
    response = refer(pro_client, consent_reason="", decision_reason="")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Say why you are sharing without agreement" in html
    assert "Record the reasons for your decision" in html
    assert "Jo Example" in html  # kept
    refer(pro_client, decision="not_share", decision_reason="Parents already working with us.")
    referral = Referral.objects.get()
    assert referral.status == "Decision not to share, recorded"
    assert AuditEntry.objects.filter(action="referrals.record_not_sharing").exists()
    # Not shared: the front door never sees it.
    assert pro_client("demo-frontdoor").get(f"/pro/referrals/{referral.pk}/").status_code == 404


def test_only_a_dsl_who_can_open_the_record_refers(pro_client):
    child = Child.objects.get(first_name="Mia", last_name="Example")
    for username in ["demo-practitioner", "demo-frontdoor", "demo-eastfield", "demo-admin"]:
        assert pro_client(username).get(f"/pro/children/{child.pk}/refer/").status_code == 404


def test_the_front_door_answers_and_the_referrer_sees_the_outcome(pro_client):
    with time_machine.travel(at("2026-11-27 16:30"), tick=False):  # a Friday
        refer(pro_client)
    referral = Referral.objects.get()
    assert referral.decision_due_at == at("2026-11-30 16:30")
    with time_machine.travel(at("2026-11-30 16:00"), tick=False):  # Monday, in time
        front_door = pro_client("demo-frontdoor")
        assert "data-overdue" not in front_door.get("/pro/referrals/").content.decode()
        front_door.post(f"/pro/referrals/{referral.pk}/", {"form": "acknowledge"})
        front_door.post(
            f"/pro/referrals/{referral.pk}/",
            {
                "form": "decide",
                "decide-outcome": "s47",
                "decide-reason": "Missing overnight twice; older man.",
                "decide-note": "Strategy discussion today.",
            },
        )
    referral.refresh_from_db()
    assert referral.outcome == "s47"
    html = pro_client("demo-dsl").get(f"/pro/referrals/{referral.pk}/").content.decode()
    assert "Section 47 enquiry" in html
    assert "Strategy discussion today." in html
    assert "Decided by Fola Door, Monday 30 November 2026, 16:00." in html
    assert "Mon 30 Nov 2026, 16:00: Strategy discussion today." in html  # not 2026-11-30T16:00


def test_no_further_action_without_a_reason_is_refused(pro_client):
    refer(pro_client)
    referral = Referral.objects.get()
    response = pro_client("demo-frontdoor").post(
        f"/pro/referrals/{referral.pk}/",
        {"form": "decide", "decide-outcome": "nfa", "decide-note": "Advice given to school."},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Say why no further action is needed" in html
    assert "Advice given to school." in html  # what they typed is kept
    referral.refresh_from_db()
    assert referral.outcome == "" and not referral.decisions.exists()


def test_a_changed_decision_is_a_new_entry_and_the_earlier_one_is_kept(pro_client):
    from django.db import DatabaseError, transaction

    from seethesigns.referrals.models import ReferralDecision

    refer(pro_client)
    referral = Referral.objects.get()
    path = f"/pro/referrals/{referral.pk}/"
    pro_client("demo-frontdoor").post(
        path,
        {"form": "decide", "decide-outcome": "early_help", "decide-reason": "Family engaging."},
    )
    response = pro_client("demo-frontdoor2").post(
        path,
        {"form": "decide", "decide-outcome": "s47", "decide-reason": "She went missing again."},
    )
    assert response.status_code == 302
    entries = [
        (d.outcome, d.decided_by.username, d.reason)
        for d in ReferralDecision.objects.filter(referral=referral)
    ]
    assert entries == [
        ("early_help", "demo-frontdoor", "Family engaging."),
        ("s47", "demo-frontdoor2", "She went missing again."),
    ]
    referral.refresh_from_db()
    assert referral.outcome == "s47" and referral.outcome_by.username == "demo-frontdoor2"
    html = pro_client("demo-dsl").get(path).content.decode()
    history = html[html.index("data-decisions") :]
    assert history.index("Section 47") < history.index("Early help")
    assert "Family engaging." in history and "Replaced" in history
    assert [e.data["outcome"] for e in AuditEntry.objects.filter(action="referrals.decide")] == [
        "early_help",
        "s47",
    ]
    with pytest.raises(DatabaseError), transaction.atomic():
        ReferralDecision.objects.filter(referral=referral).update(outcome="nfa")


def test_an_overdue_acknowledgement_is_flagged_to_both_sides_and_can_be_escalated(
    pro_client, django_capture_on_commit_callbacks
):
    with time_machine.travel(at("2026-12-24 12:00"), tick=False):
        refer(pro_client)
    referral = Referral.objects.get()
    with time_machine.travel(at("2026-12-29 11:59"), tick=False):
        assert "data-overdue" not in pro_client("demo-dsl").get("/pro/referrals/").content.decode()
    with time_machine.travel(at("2026-12-29 12:01"), tick=False):
        for username in ["demo-dsl", "demo-frontdoor"]:
            html = pro_client(username).get("/pro/referrals/").content.decode()
            assert "Not acknowledged in time" in html, username
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            pro_client("demo-dsl").post(
                f"/pro/referrals/{referral.pk}/",
                {"form": "escalate", "escalate-reason": "No reply and she went missing again."},
            )
    referral.refresh_from_db()
    assert referral.escalated_at is not None
    assert [m.subject for m in mail.outbox] == ["A referrer has escalated a referral"]
    assert AuditEntry.objects.filter(action="referrals.escalate").exists()


@pytest.mark.parametrize(
    "username", ["demo-eastfield", "demo-analyst", "demo-dpo", "demo-coordinator"]
)
def test_outsiders_get_404_for_a_referral_and_its_pdf(pro_client, username):
    refer(pro_client)
    referral = Referral.objects.get()
    client = pro_client(username)
    for path in ["", "pdf/"]:
        assert client.get(f"/pro/referrals/{referral.pk}/{path}").status_code == 404
    assert client.post(f"/pro/referrals/{referral.pk}/", {"form": "acknowledge"}).status_code == 404


def test_the_referrer_cannot_answer_their_own_referral(pro_client):
    refer(pro_client)
    referral = Referral.objects.get()
    response = pro_client("demo-dsl").post(
        f"/pro/referrals/{referral.pk}/", {"form": "decide", "decide-outcome": "nfa"}
    )
    assert response.status_code == 404
    referral.refresh_from_db()
    assert referral.outcome == ""


def test_the_referral_is_a_real_pdf_with_the_childs_details(pro_client, tmp_path):
    refer(pro_client)
    referral = Referral.objects.get()
    response = pro_client("demo-frontdoor").get(f"/pro/referrals/{referral.pk}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert AuditEntry.objects.filter(action="referrals.download_pdf").exists()
    pdf = tmp_path / "referral.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(  # noqa: S603  (poppler-utils, installed by make test)
        ["/usr/bin/pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    assert "Referral to children's social care: Mia Example" in text.stdout
    assert "Lives with her mother" in text.stdout
    assert "seven golden rules" in text.stdout
    # The screening it carries, in words: its date, when each sign was seen, why it differs.
    words = " ".join(text.stdout.split())
    assert re.search(r"From the screening of \d{1,2} [A-Z][a-z]+ \d{4}", words)
    assert "Context the tool cannot see" in words
    assert "Now" in words and "current" not in words and "T0" not in words
