"""The CMS's rich text editor: each page's text apart when two are opened at once; bad input."""

import json
from typing import Any

import pytest
from django.core.exceptions import BadRequest
from wagtail.admin.rich_text import get_rich_text_editor_widget
from wagtail.admin.rich_text.converters.html_to_contentstate import HtmlToContentStateHandler

from seethesigns.website.richtext import DraftailRichTextArea

PAGE_A = "<p>Grooming is when someone builds trust to abuse.</p><h2>Signs</h2><p>Gifts.</p>"
PAGE_B = "<p>Call 999 if a child is in danger now.</p>"


def _texts(contentstate: str) -> list[str]:
    return [block["text"] for block in json.loads(contentstate)["blocks"]]


def test_the_cms_uses_our_editor():
    assert isinstance(get_rich_text_editor_widget(), DraftailRichTextArea)


def test_a_page_read_while_another_is_being_read_keeps_its_own_text(monkeypatch: Any):
    converter = get_rich_text_editor_widget(features=["h2", "bold"]).converter
    read_meanwhile: list[str] = []
    original = HtmlToContentStateHandler.handle_starttag

    def handle_starttag(self: Any, name: str, attrs: Any) -> None:
        # A second request reads page B between two of page A's tags, as another thread may.
        if not read_meanwhile:
            read_meanwhile.append("reading")
            read_meanwhile[0] = converter.from_database_format(PAGE_B)
        original(self, name, attrs)

    monkeypatch.setattr(HtmlToContentStateHandler, "handle_starttag", handle_starttag)
    page_a = converter.from_database_format(PAGE_A)
    assert _texts(page_a) == ["Grooming is when someone builds trust to abuse.", "Signs", "Gifts."]
    assert _texts(read_meanwhile[0]) == ["Call 999 if a child is in danger now."]


@pytest.mark.django_db
def test_the_page_editor_still_shows_a_pages_text(client: Any):
    from wagtail.models import Page

    from conftest import verified_client
    from seethesigns.accounts.models import User

    verified_client(client, User.objects.get(username="demo-editor"))
    page = Page.objects.get(slug="what-is-cse")
    response = client.get(f"/cms/pages/{page.pk}/edit/")
    assert response.status_code == 200
    assert "data-draftail-input" in response.content.decode()


@pytest.mark.parametrize(
    "sent", ['{"blocks": []}x', "", "5", '{"blocks": 5}', '{"blocks": [{"text": "a", "type": "x", '
             '"inlineStyleRanges": [{"offset": 0}]}], "entityMap": {}}'],
)  # fmt: skip
def test_text_that_is_not_the_editors_is_a_bad_request(sent: str):
    widget = get_rich_text_editor_widget(features=["h2", "bold"])
    with pytest.raises(BadRequest):
        widget.value_from_datadict({"intro": sent}, {}, "intro")


def test_the_editors_text_still_reads():
    widget = get_rich_text_editor_widget(features=["h2", "bold"])
    block = {"key": "a", "text": "Gifts.", "type": "unstyled", "depth": 0,
             "inlineStyleRanges": [], "entityRanges": []}  # fmt: skip
    state = {"blocks": [block], "entityMap": {}}
    assert widget.value_from_datadict({"intro": json.dumps(state)}, {}, "intro") == (
        '<p data-block-key="a">Gifts.</p>'
    )
