import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from wagtail.models import Page, WorkflowContentType

from seethesigns.accounts.models import User
from seethesigns.website.editorial import WORKFLOW
from seethesigns.website.models import ContentPage, Film, HelpContact, Sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor() -> User:
    return User.objects.get(username="demo-editor")


@pytest.fixture
def lead() -> User:
    return User.objects.get(username="demo-lead")


def test_an_editor_can_edit_but_not_publish_a_page(editor: User):
    page = ContentPage.objects.get(slug="what-is-cse")
    permissions = page.permissions_for_user(editor)
    assert permissions.can_edit() is True
    assert permissions.can_publish() is False


def test_a_safeguarding_lead_can_publish(lead: User):
    page = ContentPage.objects.get(slug="what-is-cse")
    assert page.permissions_for_user(lead).can_publish() is True


def test_every_page_and_approved_snippet_goes_through_the_lead_approval_workflow():
    for page in Page.objects.live().exclude(depth=1).specific():
        assert page.get_workflow().name == WORKFLOW, page.url_path
    for model in (HelpContact, Film, Sign):
        content_type = ContentType.objects.get_for_model(model)
        assert WorkflowContentType.objects.get(content_type=content_type).workflow.name == WORKFLOW


def test_an_editor_cannot_publish_a_snippet(editor: User):
    assert editor.has_perm("content.change_helpcontact") is True
    assert editor.has_perm("content.publish_helpcontact") is False


def test_a_draft_never_shows_publicly(client: Client):
    page = ContentPage.objects.get(slug="tell-someone")
    page.title = "Draft title nobody approved"
    page.save_revision()
    contact = HelpContact.objects.get(slug="childline")
    contact.name = "Draft contact nobody approved"
    contact.save_revision()

    for path in ["/tell-someone/", "/get-help/"]:
        assert "nobody approved" not in client.get(path).content.decode()


def test_an_editor_signs_in_to_the_cms_with_a_second_factor(client: Client):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    response = client.post(
        "/cms/login/", {"username": "demo-editor", "password": "editor-demo-password"}
    )
    assert response.status_code == 302
    assert client.get("/cms/pages/")["Location"] == "/pro/two-factor/?next=%2Fcms%2Fpages%2F"
    device = TOTPDevice.objects.create(
        user=User.objects.get(username="demo-editor"), name="Authenticator app", confirmed=True
    )
    client.get("/pro/two-factor/?next=/cms/pages/")
    code = f"{totp(device.bin_key):06d}"
    assert client.post("/pro/two-factor/", {"code": code})["Location"] == "/cms/pages/"
    assert client.get("/cms/").status_code == 200


def test_an_editors_change_goes_live_only_when_a_lead_approves_it(client: Client, editor, lead):
    page = ContentPage.objects.get(slug="tell-someone")
    page.title = "Tell someone you trust"
    revision = page.save_revision(user=editor)
    workflow_state = page.get_workflow().start(page, editor)
    assert "Tell someone you trust" not in client.get("/tell-someone/").content.decode()

    workflow_state.current_task_state.approve(user=lead)

    page.refresh_from_db()
    assert page.live_revision_id == revision.pk
    assert "Tell someone you trust" in client.get("/tell-someone/").content.decode()


def test_a_local_contact_change_waits_for_approval_too(client: Client, editor, lead):
    contact = HelpContact.objects.get(slug="northbridge-front-door")
    contact.phone = "01632 960 999"
    contact.placeholder = False  # the editor confirms the real details
    contact.save_revision(user=editor)
    workflow_state = contact.get_workflow().start(contact, editor)
    assert "01632 960 999" not in client.get("/get-help/").content.decode()

    workflow_state.current_task_state.approve(user=lead)

    assert "01632 960 999" in client.get("/get-help/").content.decode()
