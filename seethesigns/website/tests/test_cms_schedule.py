"""A change to a help contact, film or sign can be approved now and go live later, as pages can."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from seethesigns.accounts.models import User
from seethesigns.website.models import HelpContact
from seethesigns.website.tests.test_cms_workflow import client_for, edit_form

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize("model", ["helpcontact", "film", "sign"])
def test_each_snippet_people_see_can_be_scheduled(model: str):
    from django.apps import apps

    obj = apps.get_model("content", model).objects.filter(live=True).first()
    form = edit_form(client_for("demo-editor"), f"/cms/snippets/content/{model}/edit/{obj.pk}/")
    assert "go_live_at" in form
    assert "expire_at" in form


def test_an_approved_change_goes_live_when_it_was_scheduled(client: Client):
    contact = HelpContact.objects.get(slug="childline")
    url = f"/cms/snippets/content/helpcontact/edit/{contact.pk}/"
    with time_machine.travel(datetime(2027, 1, 5, 9, 0, tzinfo=LONDON), tick=False):
        editor = client_for("demo-editor")
        data = edit_form(editor, url)
        data.update(
            {"hours": "New opening hours from 10 January", "go_live_at": "2027-01-10 08:00"}
        )
        assert editor.post(url, {**data, "action-submit": "Submit"}).status_code == 302
        contact.refresh_from_db()
        contact.current_workflow_task_state.approve(user=User.objects.get(username="demo-lead"))
        call_command("publish_scheduled")
        assert "New opening hours" not in client.get("/get-help/").content.decode()

    with time_machine.travel(datetime(2027, 1, 10, 8, 5, tzinfo=LONDON), tick=False):
        call_command("publish_scheduled")
    assert "New opening hours from 10 January" in client.get("/get-help/").content.decode()
