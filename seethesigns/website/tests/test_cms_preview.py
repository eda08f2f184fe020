"""Previews in the CMS: every snippet people see has one, and only a preview may be framed."""

import pytest
from django.test import Client

from seethesigns.website.models import ContentPage, Film, HelpContact, Sign
from seethesigns.website.tests.test_cms_workflow import client_for, edit_form

pytestmark = pytest.mark.django_db


def preview(client: Client, edit_url: str, preview_url: str, change: dict[str, str]) -> str:
    """Send the edit form, changed, to the preview as the editor's panel does; return the page."""
    data = {**edit_form(client, edit_url), **change}
    answer = client.post(preview_url, data)
    assert answer.json() == {"is_valid": True, "is_available": True}, answer.content[:500]
    response = client.get(preview_url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_help_contact_is_previewed_on_the_get_help_page():
    editor = client_for("demo-editor")
    contact = HelpContact.objects.get(slug="childline")
    shown = preview(
        editor,
        f"/cms/snippets/content/helpcontact/edit/{contact.pk}/",
        f"/cms/snippets/content/helpcontact/preview/{contact.pk}/",
        {"name": "Childline (preview of a new name)"},
    )
    assert "Childline (preview of a new name)" in shown
    assert "What do you need?" in shown  # the Get help page around it
    # Nothing reached the public page.
    assert "preview of a new name" not in Client().get("/get-help/").content.decode()


def test_a_film_is_previewed_as_its_own_page():
    editor = client_for("demo-editor")
    film = Film.objects.filter(live=True).first()
    assert film is not None
    shown = preview(
        editor,
        f"/cms/snippets/content/film/edit/{film.pk}/",
        f"/cms/snippets/content/film/preview/{film.pk}/",
        {"title": "A film title in preview"},
    )
    assert "<h1>A film title in preview</h1>" in shown
    assert "All films" in shown


def test_a_sign_is_previewed_in_each_list_it_is_worded_for():
    editor = client_for("demo-editor")
    sign = Sign.objects.get(slug="gifts-money-phones")
    edit_url = f"/cms/snippets/content/sign/edit/{sign.pk}/"
    data = edit_form(editor, edit_url)
    titles = [k for k, v in data.items() if k.startswith("wordings-") and k.endswith("-title")]
    assert titles
    data[titles[0]] = "A new wording in preview"
    which = data[titles[0].replace("-title", "-list")]
    preview_url = f"/cms/snippets/content/sign/preview/{sign.pk}/"
    assert editor.post(preview_url, data).json()["is_valid"] is True
    shown = editor.get(preview_url, {"mode": which}).content.decode()
    assert "A new wording in preview" in shown
    other = "me" if which != "me" else "parent"
    assert (
        "A new wording in preview" not in editor.get(preview_url, {"mode": other}).content.decode()
    )


def test_only_a_preview_asked_for_by_a_signed_in_editor_may_be_framed():
    editor = client_for("demo-editor")
    page = ContentPage.objects.get(slug="what-is-cse")
    contact = HelpContact.objects.get(slug="childline")
    edit_url = f"/cms/snippets/content/helpcontact/edit/{contact.pk}/"
    for url in (
        f"/cms/pages/{page.pk}/edit/preview/",
        f"/cms/snippets/content/helpcontact/preview/{contact.pk}/",
    ):
        if "snippets" in url:  # a preview of the form's values, rendered as the public page
            preview(editor, edit_url, url, {})
        response = editor.get(url)
        assert "frame-ancestors 'self'" in response["Content-Security-Policy"], url
        assert response["X-Frame-Options"] == "SAMEORIGIN"

        anonymous = Client().get(url)
        assert "frame-ancestors 'none'" in anonymous["Content-Security-Policy"]
        assert anonymous["X-Frame-Options"] == "DENY"

    edit = editor.get(f"/cms/pages/{page.pk}/edit/")
    assert "frame-ancestors 'none'" in edit["Content-Security-Policy"]
    assert "frame-src 'self'" in edit["Content-Security-Policy"]  # the panel's own frame
    assert edit["X-Frame-Options"] == "DENY"
    public = Client().get("/what-is-cse/")
    assert "frame-ancestors 'none'" in public["Content-Security-Policy"]
