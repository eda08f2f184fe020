"""Text pasted from Word, Google Docs or a web page: hidden text goes, tables and lists stay.

The fixtures are clipboard HTML as Word and Docs give it (each says how it was made). The CMS
sends what is pasted to the server to be cleaned, then the editor reads the result, and the
server stores what the editor holds: both steps are here, as the server does them.
"""

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.admin.rich_text import get_rich_text_editor_widget

from conftest import verified_client
from seethesigns.accounts.models import User
from seethesigns.website.blocks import BODY_FEATURES
from seethesigns.website.paste import clean_pasted_html

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> str:
    return (FIXTURES / f"paste_{name}.html").read_text()


def stored(html: str) -> str:
    """What the editor would hold for this HTML, as it is saved (Draftail's features only)."""
    converter = get_rich_text_editor_widget(features=BODY_FEATURES).converter
    saved = converter.to_database_format(converter.from_database_format(html))
    return re.sub(r' data-block-key="\w+"', "", saved)


@pytest.mark.parametrize("name", ["word", "google_docs", "web_page"])
def test_hidden_text_does_not_survive(name: str):
    cleaned = clean_pasted_html(fixture(name))
    assert "HIDDEN" not in cleaned
    assert "HIDDEN" not in stored(cleaned)
    for leftover in ("<o:p", "mso-", "<style", "<!--", "<![", "MsoNormal", "docs-internal-guid"):
        assert leftover not in cleaned


def test_words_bullets_and_numbers_become_lists_with_their_levels():
    saved = stored(clean_pasted_html(fixture("word")))
    assert (
        "<ul><li>New phones or clothes they cannot explain</li>"
        "<li>Going missing from home or school<ul><li>Even for one night</li></ul></li>"
        "<li>Older friends nobody has met</li></ul>"
    ) in saved
    assert (
        "<ol><li>Write down what you saw</li><li>Tell your safeguarding lead the same day</li></ol>"
        in saved
    )
    assert "·" not in saved and "1." not in saved  # Word's typed markers


def test_a_word_paragraph_stays_a_paragraph_whatever_its_style():
    saved = stored(clean_pasted_html(fixture("word")))
    assert (
        "<p>Some young people are given <b>gifts</b> by someone who then asks for something "
        "back.</p>"
    ) in saved
    # The "List Paragraph" style with no bullet of its own: not a list item.
    assert "<p>A paragraph in the List Paragraph style with no bullet stays a paragraph.</p>" in (
        saved
    )
    assert "<li>A paragraph" not in saved


def test_each_table_cell_is_a_paragraph_of_its_own_never_run_together():
    word = stored(clean_pasted_html(fixture("word")))
    assert (
        "<p><b>Service</b></p><p><b>When it is open</b></p><p>Childline</p>"
        "<p>Every day, any time</p><p>Local front door</p><p>Weekdays 9 to 5</p>"
    ) in word
    docs = stored(clean_pasted_html(fixture("google_docs")))
    assert "<p><b>Who</b></p><p><b>Number</b></p><p>Samaritans</p><p>116 123</p>" in docs


def test_google_docs_keeps_its_bold_italic_links_and_lists_but_not_its_bold_wrapper():
    saved = stored(clean_pasted_html(fixture("google_docs")))
    assert saved.startswith(
        "<p>Someone who grooms a child often starts by being <b>kind</b> and <i>generous</i>. "
        '<a href="https://www.ceop.police.uk/Safety-Centre/">Report to CEOP</a> if someone '
        "online is asking for pictures.</p>"
    )
    assert (
        "<ul><li>Secret messages on a new app</li>"
        "<li>Being picked up in cars by people you do not know</li></ul>"
    ) in saved
    assert "<ol><li>Keep the messages</li><li>Tell an adult you trust</li></ol>" in saved


def test_a_web_pages_visible_text_and_list_stay():
    saved = stored(clean_pasted_html(fixture("web_page")))
    assert saved == (
        "<p>Our drop-in is open on Saturdays.</p>"
        "<ul><li>Free and private</li><li>No need to book</li></ul>"
    )


def test_text_already_clean_is_left_as_it_is():
    html = '<p>Call <b>999</b> now.</p><ul><li>One</li></ul><p><a href="/get-help/">Help</a></p>'
    assert clean_pasted_html(html) == html


@pytest.mark.django_db
def test_the_cms_cleans_what_an_editor_pastes():
    editor = verified_client(Client(), User.objects.get(username="demo-editor"))
    response = editor.post(reverse("content_clean_paste"), {"html": fixture("word")})
    assert response.status_code == 200
    html = response.json()["html"]
    assert "HIDDEN" not in html
    assert "<li>Even for one night</li>" in html


@pytest.mark.django_db
def test_only_someone_signed_in_to_the_cms_can_have_text_cleaned(client: Client):
    response = client.post(reverse("content_clean_paste"), {"html": "<p>x</p>"})
    assert response.status_code == 302
    assert "login" in response["Location"]
