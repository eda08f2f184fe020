"""The CMS's forms say their limits, keep what was typed, and warn about http:// links."""

import pytest

from seethesigns.website.models import HelpContact
from seethesigns.website.tests.test_cms_workflow import client_for, edit_form

pytestmark = pytest.mark.django_db


def test_every_length_limit_is_shown_beside_its_field():
    contact = HelpContact.objects.get(slug="childline")
    page = client_for("demo-editor").get(f"/cms/snippets/content/helpcontact/edit/{contact.pk}/")
    shown = page.content.decode()
    for limit in (120, 200, 40, 500):
        assert f"At most {limit} characters." in shown


def test_a_name_over_the_limit_is_refused_with_a_message_and_kept():
    editor = client_for("demo-editor")
    contact = HelpContact.objects.get(slug="childline")
    url = f"/cms/snippets/content/helpcontact/edit/{contact.pk}/"
    long_name = "Childline, the free and confidential service for children and young people " * 2
    response = editor.post(url, {**edit_form(editor, url), "name": long_name})
    assert response.status_code == 200
    shown = response.content.decode()
    assert f"This is {len(long_name.strip())} characters long; it can be at most 120." in shown
    assert long_name.strip() in shown.replace("&#x27;", "'")  # what was typed is kept
    contact.refresh_from_db()
    assert contact.get_latest_revision_as_object().name == "Childline"


def test_an_http_link_is_saved_with_a_warning():
    editor = client_for("demo-editor")
    contact = HelpContact.objects.get(slug="childline")
    url = f"/cms/snippets/content/helpcontact/edit/{contact.pk}/"
    response = editor.post(
        url, {**edit_form(editor, url), "url": "http://www.childline.org.uk/"}, follow=True
    )
    shown = response.content.decode()
    assert "http://www.childline.org.uk/ starts with http://" in shown
    contact.refresh_from_db()
    assert contact.get_latest_revision_as_object().url == "http://www.childline.org.uk/"

    response = editor.post(
        url, {**edit_form(editor, url), "url": "https://www.childline.org.uk/"}, follow=True
    )
    assert "starts with http://" not in response.content.decode()


def test_an_http_link_in_a_pages_blocks_is_found_without_rendering_the_page():
    from seethesigns.website.models import ContentPage
    from seethesigns.website.wagtail_hooks import plain_http_links

    page = ContentPage.objects.get(slug="what-is-cse")
    assert plain_http_links(page) == []
    data = ContentPage._meta.get_field("body").stream_block.get_prep_value(page.body)
    section = next(b for b in data if b["type"] == "section")
    section["value"]["body"] += '<p><a href="http://example.org/old">An old link</a></p>'
    page.body = ContentPage._meta.get_field("body").stream_block.to_python(data)
    assert plain_http_links(page) == ["http://example.org/old"]
