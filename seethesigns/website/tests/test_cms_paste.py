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
from wagtail.blocks import StructBlockValidationError

from conftest import verified_client
from seethesigns.accounts.models import User
from seethesigns.website.blocks import (
    BODY_FEATURES,
    TableBlock,
    sanitised_cell,
    table_block_state,
    table_block_value,
)
from seethesigns.website.paste import (
    PastedTable,
    clean_pasted_html,
    clean_pasted_html_without_tables,
    pasted_tables,
)

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> str:
    return (FIXTURES / f"paste_{name}.html").read_text()


def stored(html: str) -> str:
    """What the editor would hold for this HTML, as it is saved (Draftail's features only)."""
    converter = get_rich_text_editor_widget(features=BODY_FEATURES).converter
    saved = converter.to_database_format(converter.from_database_format(html))
    return re.sub(r' data-block-key="\w+"', "", saved)


@pytest.mark.parametrize(
    "name", ["word", "google_docs", "web_page", "word_table", "google_docs_table"]
)
def test_hidden_text_does_not_survive(name: str):
    cleaned = clean_pasted_html(fixture(name))
    assert "HIDDEN" not in cleaned
    assert "HIDDEN" not in stored(cleaned)
    assert "HIDDEN" not in clean_pasted_html_without_tables(fixture(name))
    assert "HIDDEN" not in repr(pasted_tables(fixture(name)))
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


# Tables: the rows and cells of a table pasted from Word or Docs, as a table block.

NESTED_LIST = (
    "<ul><li>Phone 0800 1111</li><li>Online chat"
    "<ul><li>after signing up with an e-mail address</li></ul></li></ul>"
)
CELLS = [
    ["<p>Childline</p>", "<p>Every day, any time</p>", NESTED_LIST],
    ["<p>Local front door</p>", "<p>Weekdays 9 to 5</p>", ""],  # the empty cell stays empty
    ["<p><i>If a child is in danger now, call 999.</i></p>", "", ""],  # merged across
    ["<p>Stop It Now!</p>", "<p>Weekdays</p>", "<p>0808 1000 900</p>"],  # merged down...
    [  # ...so its second row starts empty
        "",
        "<p>Evenings</p>",
        '<p>Live chat on <a href="https://www.stopitnow.org.uk/">their site</a></p>',
    ],
]


def unkeyed(html: object) -> str:
    return re.sub(r' data-block-key="\w+"', "", str(html))


@pytest.mark.parametrize("name", ["word_table", "google_docs_table"])
def test_a_pasted_tables_rows_and_cells_survive_as_a_table_block(name: str):
    (table,) = pasted_tables(fixture(name))
    assert table.headings == ["Who", "When", "How to reach them"]  # the bold first row
    value = table_block_value(table)
    typed = value["table"]
    assert [column["heading"] for column in typed.columns] == table.headings
    saved = [[unkeyed(cell.source) for cell in row["values"]] for row in typed.row_data]
    assert saved == CELLS
    assert value["row_headings"] is False


@pytest.mark.parametrize("name", ["word_table", "google_docs_table"])
def test_the_text_around_a_table_stays_in_the_rich_text_and_nothing_is_lost(name: str):
    around = stored(clean_pasted_html_without_tables(fixture(name)))
    assert around == "<p>Who to contact, and when:</p><p>Keep this list where you can find it.</p>"
    # Pasted as paragraphs instead: every cell's words, in order, the list still a list.
    as_paragraphs = stored(clean_pasted_html(fixture(name)))
    assert "<p><b>Who</b></p><p><b>When</b></p><p><b>How to reach them</b></p>" in as_paragraphs
    assert NESTED_LIST in as_paragraphs
    assert "<p>Evenings</p>" in as_paragraphs


def test_a_table_is_drawn_with_its_caption_and_header_cells():
    (table,) = pasted_tables(fixture("word_table"))
    table.caption = "Who to contact"
    table.rows[3][0] = "<p><b>Stop It Now!</b></p>"
    value = table_block_value(table)
    value["row_headings"] = True
    html = unkeyed(TableBlock().render(value))
    assert '<caption id="table-who-to-contact">Who to contact</caption>' in html
    assert '<div class="table-box" role="region" aria-labelledby="table-who-to-contact"' in html
    assert (
        '<tr><th scope="col">Who</th><th scope="col">When</th>'
        '<th scope="col">How to reach them</th></tr>'
    ) in html
    assert '<tr><th scope="row"><p>Childline</p></th>' in html
    # An empty first cell names nothing: it is not a header cell.
    assert "<tr><td></td><td><p>Evenings</p></td>" in html
    # Links to other sites say so, as in all rich text; phone numbers can be tapped.
    assert 'class="other-site">their site</a> (another website)' in html
    assert '<a href="tel:08001111">0800 1111</a>' in html


def test_a_table_with_no_header_row_has_none():
    html = "<table><tr><td>Childline</td><td>0800 1111</td></tr><tr><td>NSPCC</td><td>x</td></tr>"
    (table,) = pasted_tables(html + "</table>")
    assert table.headings == []
    value = table_block_value(table)
    value["table"].caption = "Numbers"
    rendered = TableBlock().render(value)
    assert "<thead>" not in rendered and "<th" not in rendered
    assert [[unkeyed(c.source) for c in r["values"]] for r in value["table"].row_data] == [
        ["<p>Childline</p>", "<p>0800 1111</p>"],
        ["<p>NSPCC</p>", "<p>x</p>"],
    ]


def test_a_marked_header_row_and_header_column_are_kept():
    html = (
        "<table><caption>Opening hours</caption><thead><tr><th></th><th>Phone</th></tr></thead>"
        "<tbody><tr><th>Childline</th><td>0800 1111</td></tr>"
        "<tr><th>Samaritans</th><td>116 123</td></tr></tbody></table>"
    )
    (table,) = pasted_tables(html)
    assert table.caption == "Opening hours"
    assert table.headings == ["", "Phone"]
    assert table.row_headings is True


def test_scripts_and_javascript_links_never_reach_a_cell():
    pasted = (
        "<table><tr><td><b>Who</b></td><td><b>Where</b></td></tr><tr><td>Childline"
        '<script>alert("x")</script></td><td><a href="javascript:alert(1)">their site</a>'
        '<a href=" JaVaScRiPt:alert(2)">again</a></td></tr></table>'
    )
    (table,) = pasted_tables(pasted)
    assert "script" not in repr(table).lower()
    # And the block itself refuses them, wherever its value comes from (a file, a revision).
    value = TableBlock().to_python(
        {
            "table": {
                "caption": "Numbers",
                "columns": [{"type": "text", "heading": "Who"}],
                "rows": [
                    {"values": ['<p>Call<script>alert("x")</script></p>']},
                    {"values": ['<p><a href="javascript:alert(1)">press</a></p>']},
                    {"values": ['<p><a href="https://www.nspcc.org.uk/">NSPCC</a></p>']},
                ],
            },
            "row_headings": False,
        }
    )
    cleaned = TableBlock().clean(value)
    cells = [unkeyed(row["values"][0].source) for row in cleaned["table"].row_data]
    assert cells == [
        '<p>Callalert("x")</p>',  # the script's words are plain text: nothing runs
        "<p><a>press</a></p>",
        '<p><a href="https://www.nspcc.org.uk/">NSPCC</a></p>',
    ]
    html = TableBlock().render(cleaned)
    assert "<script" not in html and "javascript:" not in html.lower()
    assert unkeyed(sanitised_cell('<p onclick="x()">Hi</p>')) == "<p>Hi</p>"


def test_a_table_needs_a_caption():
    value = table_block_value(PastedTable(rows=[["<p>Childline</p>"]], headings=["Who"]))
    with pytest.raises(StructBlockValidationError) as refused:
        TableBlock().clean(value)
    assert "Give the table a caption" in str(refused.value.non_block_errors)


@pytest.mark.django_db
def test_the_cms_answers_a_pasted_table_with_its_table_block():
    editor = verified_client(Client(), User.objects.get(username="demo-editor"))
    response = editor.post(reverse("content_clean_paste"), {"html": fixture("word_table")})
    answer = response.json()
    assert "<p>Childline</p>" in answer["html"]  # for pasting as paragraphs
    assert answer["html_without_tables"] == (
        "<p>Who to contact, and when:</p>\n<p>Keep this list where you can find it.</p>"
    )
    (table,) = answer["tables"]
    assert (table["rows"], table["columns"]) == (5, 3)
    assert table["headings"] == ["Who", "When", "How to reach them"]
    assert table["state"] == table_block_state(pasted_tables(fixture("word_table"))[0]) | {
        "table": table["state"]["table"]
    }
    assert [c["heading"] for c in table["state"]["table"]["columns"]] == table["headings"]
    # Each cell as the editor's rich text holds it (Draftail's own state).
    first = table["state"]["table"]["rows"][0]["values"][0]
    assert '"text": "Childline"' in first
    # Text without a table: no table in the answer.
    plain = editor.post(reverse("content_clean_paste"), {"html": fixture("web_page")}).json()
    assert "tables" not in plain
