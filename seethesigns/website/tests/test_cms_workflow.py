"""A change through approval, as the editor and the lead meet it: what each is told, and where."""

from html.parser import HTMLParser

import pytest
from django.core import mail
from django.test import Client

from conftest import verified_client
from seethesigns.accounts.models import User
from seethesigns.website.editorial import TASK
from seethesigns.website.models import HelpContact, SubmissionNote

pytestmark = pytest.mark.django_db

COMMENT = "Please check the opening hours with the service before this goes live."


class _Form(HTMLParser):
    """The values a browser would send from the CMS's edit form, as it is shown."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None
        self._in_form = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("data-edit-form") is not None:
            self._in_form = True
        if not self._in_form or ("name" not in a and tag != "option"):
            return
        if tag == "input" and a.get("type") not in ("submit", "button", "checkbox", "radio"):
            self.data[a["name"]] = a.get("value", "")
        elif tag == "input" and "checked" in a:
            self.data[a["name"]] = a.get("value", "on")
        elif tag == "select":
            self._select = a["name"]
            self.data.setdefault(a["name"], "")
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self.data[a["name"]] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._in_form = False

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea] += data.removeprefix("\n")


def edit_form(client: Client, url: str) -> dict[str, str]:
    parser = _Form()
    parser.feed(client.get(url).content.decode())
    assert parser.data, "no edit form found"
    return parser.data


def client_for(username: str) -> Client:
    return verified_client(Client(), User.objects.get(username=username))


@pytest.fixture
def contact() -> HelpContact:
    return HelpContact.objects.get(slug="childline")


def submit_a_change(contact: HelpContact, note: str = "") -> Client:
    editor = client_for("demo-editor")
    url = f"/cms/snippets/content/helpcontact/edit/{contact.pk}/"
    data = edit_form(editor, url)
    data["hours"] = "Every day, at any time (checked with them this week)"
    data["note_for_lead"] = note
    response = editor.post(url, {**data, "action-submit": "Submit"})
    assert response.status_code == 302, response.content.decode()[:3000]
    return editor


def test_submitting_a_change_emails_the_safeguarding_leads(contact: HelpContact):
    submit_a_change(contact, note="I rang Childline on Monday: their hours are the same.")

    to_lead = [m for m in mail.outbox if "demo-lead@example.org" in m.to]
    assert len(to_lead) == 1
    assert "Childline" in f"{to_lead[0].subject} {to_lead[0].body}"
    assert f"/cms/snippets/content/helpcontact/edit/{contact.pk}/" in to_lead[0].body
    assert "Demo editor left a note for you:" in to_lead[0].body
    assert '"I rang Childline on Monday: their hours are the same."' in to_lead[0].body
    contact.refresh_from_db()
    assert "rang Childline" not in str(contact.get_latest_revision().content)  # not content
    contact.refresh_from_db()
    assert contact.current_workflow_task.name == TASK


def test_the_editors_note_is_kept_and_shown_to_the_lead_with_what_waits(contact: HelpContact):
    note = "I rang Childline on Monday: their hours are the same."
    submit_a_change(contact, note=note)

    contact.refresh_from_db()
    task_state = contact.current_workflow_task_state
    kept = SubmissionNote.objects.get(task_state=task_state)
    assert kept.text == note
    assert kept.written_by == User.objects.get(username="demo-editor")
    dashboard = client_for("demo-lead").get("/cms/").content.decode()
    awaiting = dashboard.split('id="awaiting-review-section"')[1]
    assert "Note from Demo editor:" in awaiting
    assert f"“{note}”" in awaiting


def test_no_note_keeps_nothing(contact: HelpContact):
    submit_a_change(contact, note="  ")
    contact.refresh_from_db()
    task_state = contact.current_workflow_task_state
    assert not SubmissionNote.objects.filter(task_state=task_state).exists()


def test_the_lead_asking_for_changes_is_confirmed_and_the_editor_told(contact: HelpContact):
    editor = submit_a_change(contact)
    contact.refresh_from_db()
    task_state = contact.current_workflow_task_state
    mail.outbox.clear()

    lead = client_for("demo-lead")
    url = f"/cms/snippets/content/helpcontact/workflow/action/{contact.pk}/reject/{task_state.pk}/"
    response = lead.post(url, {"comment": COMMENT}, follow=True)

    shown = response.content.decode()
    assert "Changes requested: “Childline” has gone back to Demo editor" in shown
    to_editor = [m for m in mail.outbox if "demo-editor@example.org" in m.to]
    assert len(to_editor) == 1
    assert COMMENT in to_editor[0].body
    assert "Demo safeguarding lead" in to_editor[0].body
    # The editor's dashboard shows it first, with the lead's comment in view.
    dashboard = editor.get("/cms/").content.decode()
    assert "Sent back to you" in dashboard
    assert COMMENT in dashboard
    assert "Changes requested by Demo safeguarding lead" in dashboard
    # The edit form names who asked for the changes: the lead, not the editor who submitted.
    form = editor.get(f"/cms/snippets/content/helpcontact/edit/{contact.pk}/").content.decode()
    assert "by Demo safeguarding lead" in form
    assert "by Demo editor" not in form.split("workflow-status-dialog")[-1].split("</dialog")[0]


def test_the_lead_approving_is_confirmed(contact: HelpContact, client: Client):
    submit_a_change(contact)
    contact.refresh_from_db()
    task_state = contact.current_workflow_task_state

    lead = client_for("demo-lead")
    url = f"/cms/snippets/content/helpcontact/workflow/action/{contact.pk}/approve/{task_state.pk}/"
    response = lead.post(url, {"comment": ""}, follow=True)

    assert "Approved: “Childline” is published." in response.content.decode()
    assert "checked with them this week" in client.get("/get-help/").content.decode()
