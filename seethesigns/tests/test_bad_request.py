"""What make scan sent that gave a 500: a form without a field the code reads; a bad `next`;
rich text that is not the editor's."""

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.test import Client
from wagtail.documents import get_document_model
from wagtail.models import Page

from conftest import verified_client
from seethesigns.accounts.models import User
from seethesigns.badrequest import MissingFieldMiddleware

pytestmark = pytest.mark.django_db


def document_admin() -> Client:
    """Editors and leads upload no documents (docs/cms.md); an administrator still can."""
    admin = User.objects.create_superuser("documents-admin", "documents@example.org", "x" * 20)
    return verified_client(Client(), admin)


def test_the_page_editor_answers_400_to_a_form_without_its_block_counts():
    client = verified_client(Client(), User.objects.get(username="demo-editor"))
    page = Page.objects.get(slug="what-is-cse")
    revisions = page.revisions.count()
    # What wapiti posted: the editing-session fields alone, no StreamField "body-count".
    form = {"is_editing": "1", "revision_id": "1", "revision_created_at": "2026-11-25T02:10:28"}
    response = client.post(f"/cms/pages/{page.pk}/edit/", form)
    assert response.status_code == 400
    assert page.revisions.count() == revisions


def test_other_errors_are_left_to_the_server_error_page(rf: Any):
    middleware = MissingFieldMiddleware(lambda request: HttpResponse())
    assert middleware.process_exception(rf.post("/"), KeyError("a bug")) is None


@pytest.mark.parametrize(
    "next_url", ["default", "//elsewhere.example/", "https://elsewhere.example/"]
)
def test_the_cms_saves_and_redirects_whatever_next_it_is_sent(next_url: str):
    # wapiti filled an edit form's empty hidden `next` with "default": a 500 after the save.
    client = document_admin()
    document = get_document_model().objects.create(
        title="Leaflet", file=ContentFile(b"%PDF-1.4 leaflet", name="leaflet.pdf")
    )
    form = {"title": "Leaflet for parents", "collection": document.collection_id, "next": next_url}
    response = client.post(f"/cms/documents/edit/{document.pk}/", form)
    assert response.status_code == 302
    assert response["Location"] == "/cms/documents/"
    document.refresh_from_db()
    assert document.title == "Leaflet for parents"


def test_the_cms_still_follows_a_next_that_is_a_path():
    client = document_admin()
    document = get_document_model().objects.create(
        title="Leaflet", file=ContentFile(b"%PDF-1.4 leaflet", name="leaflet.pdf")
    )
    form = {"title": "Leaflet", "collection": document.collection_id, "next": "/cms/pages/"}
    response = client.post(f"/cms/documents/edit/{document.pk}/", form)
    assert (response.status_code, response["Location"]) == (302, "/cms/pages/")


def test_a_cms_form_whose_rich_text_is_not_the_editors_answers_400_and_saves_nothing():
    from seethesigns.website.models import HelpContact

    client = verified_client(Client(), User.objects.get(username="demo-editor"))
    contact = HelpContact.objects.first()
    url = f"/cms/snippets/content/helpcontact/edit/{contact.pk}/"
    before = (contact.name, contact.how)
    # What sqlmap sent in place of the editor's Draft.js JSON: a 500 until Wagtail's read of it
    # was wrapped (content/richtext.py).
    form = {"name": "Changed", "how": '{"blocks": [], "entityMap": {}}AND 1=1'}
    response = client.post(url, form)
    assert response.status_code == 400
    contact.refresh_from_db()
    assert (contact.name, contact.how) == before
