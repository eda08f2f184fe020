"""A form without a field the code reads directly is answered 400, not 500 (found by make scan)."""

from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client
from wagtail.models import Page

from conftest import verified_client
from seethesigns.accounts.models import User
from seethesigns.badrequest import MissingFieldMiddleware

pytestmark = pytest.mark.django_db


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
