"""The lead's comparison of two versions lists only the fields an editor really changed."""

import re
from typing import Any

import pytest
from django.test import Client

from conftest import verified_client
from seethesigns.accounts.models import User
from seethesigns.website.blocks import BODY_FEATURES
from seethesigns.website.compare import normalise_html
from seethesigns.website.models import ContentPage, HelpContact, HelpPage
from seethesigns.website.richtext import ContentstateConverterPerCall

pytestmark = pytest.mark.django_db

EDITOR = ContentstateConverterPerCall(BODY_FEATURES)


def as_the_editor_saves_it(html: str) -> str:
    """Rich text as Draftail saves it untouched: keyed paragraphs, no line breaks between."""
    return str(EDITOR.to_database_format(EDITOR.from_database_format(html)))


def resaved_stream(value: Any, block: Any) -> Any:
    def walk(data: Any) -> Any:
        if isinstance(data, dict):
            return {k: walk(v) for k, v in data.items()}
        if isinstance(data, list):
            return [walk(v) for v in data]
        if isinstance(data, str) and data.startswith("<"):
            return as_the_editor_saves_it(data)
        return data

    return block.to_python(walk(block.get_prep_value(value)))


def changed_fields(client: Client, url: str) -> list[str]:
    body = client.get(url).content.decode()
    labels = re.findall(r'<div class="title-wrapper">\s*(.*?):\s*</div>', body)
    return [label.strip() for label in labels]


@pytest.fixture
def lead_client(client: Client) -> Client:
    return verified_client(client, User.objects.get(username="demo-lead"))


def test_saving_untouched_rich_text_changes_nothing_it_compares():
    html = HelpContact.objects.exclude(how="").first().how
    resaved = as_the_editor_saves_it(html)
    assert resaved != html  # Wagtail's own comparison called this a change
    assert normalise_html(resaved) == normalise_html(html)
    assert normalise_html("<p>One</p>") != normalise_html("<p>Two</p>")
    assert normalise_html("<p><b>One</b></p>") != normalise_html("<p>One</p>")


def test_a_one_field_change_to_a_contact_lists_exactly_one_field(lead_client: Client):
    contact = HelpContact.objects.exclude(how="").get(slug="emergency-999")
    contact.how = as_the_editor_saves_it(contact.how)
    contact.hours = contact.hours + " (and bank holidays)"
    contact.save_revision(user=User.objects.get(username="demo-editor"))

    url = f"/cms/snippets/content/helpcontact/history/{contact.pk}/revisions/compare/live...latest/"
    assert changed_fields(lead_client, url) == ["Opening hours"]


def test_a_one_field_change_to_a_page_lists_exactly_one_field(lead_client: Client):
    page = HelpPage.objects.get()
    page.intro = as_the_editor_saves_it(page.intro)
    page.body = resaved_stream(page.body, HelpPage._meta.get_field("body").stream_block)
    page.title = "Get help now"
    page.save_revision(user=User.objects.get(username="demo-editor"))

    url = f"/cms/pages/{page.pk}/revisions/compare/live...latest/"
    assert changed_fields(lead_client, url) == ["Title"]


def test_a_real_change_to_rich_text_is_still_listed(lead_client: Client):
    page = ContentPage.objects.get(slug="what-is-cse")
    page.intro = as_the_editor_saves_it(page.intro) + "<p>A new paragraph.</p>"
    page.save_revision(user=User.objects.get(username="demo-editor"))

    url = f"/cms/pages/{page.pk}/revisions/compare/live...latest/"
    assert changed_fields(lead_client, url) == ["Introduction"]
