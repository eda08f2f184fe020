"""A help contact's "details last checked" date stays true, and old ones are listed weekly."""

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from seethesigns.website.models import HelpContact
from seethesigns.website.tests.test_cms_workflow import client_for, edit_form

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


def save_draft(contact: HelpContact, change: dict[str, str]) -> HelpContact:
    editor = client_for("demo-editor")
    url = f"/cms/snippets/content/helpcontact/edit/{contact.pk}/"
    response = editor.post(url, {**edit_form(editor, url), **change})
    assert response.status_code == 302
    contact.refresh_from_db()
    return contact.get_latest_revision_as_object()


@pytest.fixture
def contact() -> HelpContact:
    contact = HelpContact.objects.get(slug="childline")
    contact.last_checked = date(2026, 11, 24)
    contact.save_revision().publish()  # the form shows the latest version: this one
    return contact


def test_a_new_phone_number_is_checked_on_the_day_it_is_put_in(contact: HelpContact):
    with time_machine.travel(at("2027-01-15 10:00"), tick=False):
        draft = save_draft(contact, {"phone": "0800 111 222"})
    assert draft.phone == "0800 111 222"
    assert draft.last_checked == date(2027, 1, 15)


def test_a_change_that_is_not_a_detail_leaves_the_date(contact: HelpContact):
    with time_machine.travel(at("2027-01-15 10:00"), tick=False):
        draft = save_draft(contact, {"sort_order": "7"})
    assert draft.last_checked == date(2026, 11, 24)


def test_a_date_the_editor_sets_is_kept(contact: HelpContact):
    with time_machine.travel(at("2027-01-15 10:00"), tick=False):
        draft = save_draft(contact, {"phone": "0800 111 222", "last_checked": "2027-01-10"})
    assert draft.last_checked == date(2027, 1, 10)


def run_weekly_list() -> str:
    out = StringIO()
    call_command("list_stale_contacts", stdout=out)
    return out.getvalue()


def test_contacts_not_checked_for_six_months_go_to_the_editors_weekly(contact: HelpContact):
    HelpContact.objects.update(last_checked=date(2026, 11, 24))
    HelpContact.objects.filter(pk=contact.pk).update(last_checked=date(2026, 7, 1))

    with time_machine.travel(at("2027-01-05 07:00"), tick=False):  # six months on
        said = run_weekly_list()
    assert said.startswith("1 contact(s) not checked since 7 July 2026; sent to 2 editor(s)")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["demo-editor@example.org", "demo-lead@example.org"]
    assert "Childline: last checked 1 July 2026" in message.body
    assert f"/cms/snippets/content/helpcontact/edit/{contact.pk}/" in message.body
    assert message.body.count("last checked") == 1

    mail.outbox.clear()
    with time_machine.travel(at("2026-12-20 07:00"), tick=False):  # not yet six months
        assert run_weekly_list().startswith("0 contact(s)")
    assert mail.outbox == []


def test_how_long_a_check_lasts_is_set_by_the_partnership(contact: HelpContact, settings):
    settings.CONTACTS_CHECK_EVERY_DAYS = 30
    HelpContact.objects.update(last_checked=date(2026, 12, 1))
    HelpContact.objects.filter(pk=contact.pk).update(last_checked=date(2026, 11, 1))
    with time_machine.travel(at("2026-12-15 07:00"), tick=False):
        assert run_weekly_list().startswith("1 contact(s) not checked since 15 November 2026")
    assert "Childline" in mail.outbox[0].body
