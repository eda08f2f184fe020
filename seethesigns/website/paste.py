"""Text pasted into the CMS from Word or Google Docs, made into what the editor can hold.

The rich text editor (Draftail) reads pasted HTML in the browser and keeps only paragraphs,
bold, italic, links and lists. Read as it comes, Word's HTML shows text its author had hidden,
runs a table's cells together and leaves each list item a paragraph that starts with "·".
So the CMS sends what was pasted here first (static/js/cms.js) and pastes what comes back:

- hidden text goes (display:none, visibility:hidden, mso-hide:all, font-size:0, Word's <o:p>,
  its conditional comments and the style and XML blocks in its header);
- Word's numbered and bulleted paragraphs (mso-list) become list items, their typed "·" or
  "1." markers removed; a paragraph without mso-list stays a paragraph, whatever its class;
- each table cell becomes a paragraph of its own (the editor has no tables: see docs/cms.md);
- Google Docs' bold wrapper around everything is taken off, and its bold or italic spans
  become <b> and <i>.
"""

import re

from bs4 import BeautifulSoup, Comment, Declaration, Doctype, ProcessingInstruction, Tag
from bs4.element import NavigableString

HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|mso-hide\s*:\s*all"
    r"|(?<![-\w])font-size\s*:\s*0(?:\.0+)?(?:pt|px|em|rem|%)?\s*(?:;|$)",
    re.IGNORECASE,
)
WORD_LIST = re.compile(r"mso-list\s*:\s*l\d+\s+level(\d+)", re.IGNORECASE)
ORDERED_MARKER = re.compile(r"^\(?(\d+|[a-z]|[ivxlcdm]+)[.)]$", re.IGNORECASE)
DROPPED = ["style", "script", "meta", "link", "title", "xml", "head", "o:p", "colgroup", "col"]
BLOCKS = {"p", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "div"}
KEPT_ATTRIBUTES = {"a": {"href"}}  # and no others: classes and styles are Word's and Docs'


def clean_pasted_html(html: str) -> str:
    """Return pasted HTML with hidden text gone and its structure in tags the editor knows."""
    soup = BeautifulSoup(html, "html.parser")
    body = soup.find("body")
    root: Tag = body if isinstance(body, Tag) else soup
    _drop_hidden(root)
    _unwrap_google_docs(root)
    _word_lists(root)
    _tables_to_paragraphs(root)
    _tidy(root)
    return root.decode_contents().strip()


def _style(tag: Tag) -> str:
    return str(tag.get("style") or "")


def _drop_hidden(root: Tag) -> None:
    unseen = (Comment, Declaration, Doctype, ProcessingInstruction)
    for node in root.find_all(string=lambda text: isinstance(text, unseen)):
        node.extract()  # Word's <!--[if ...]> blocks, and <![if ...]> read as declarations
    for tag in root.find_all(DROPPED):
        tag.decompose()
    for tag in root.find_all(True):
        if tag.decomposed:
            continue
        if tag.name and ":" in tag.name:  # Word's own elements (<st1:place>, <w:…>): text only
            tag.unwrap()
        elif HIDDEN_STYLE.search(_style(tag)) or tag.has_attr("hidden"):
            tag.decompose()


def _unwrap_google_docs(root: Tag) -> None:
    for tag in root.find_all(["b", "strong"]):
        if re.search(r"font-weight\s*:\s*(normal|400)", _style(tag)):
            tag.unwrap()  # Docs wraps everything in <b style="font-weight:normal" id="docs-…">
    for span in root.find_all("span"):
        style = _style(span)
        if re.search(r"font-weight\s*:\s*(bold|[6-9]00)", style):
            span.wrap(new_tag("b"))
        if re.search(r"font-style\s*:\s*italic", style):
            span.wrap(new_tag("i"))


def new_tag(name: str) -> Tag:
    return Tag(name=name)


def _list_marker(paragraph: Tag) -> str:
    """Take out Word's typed marker ("·", "o", "1.") and return it."""
    marker = ""
    for span in paragraph.find_all("span"):
        if not span.decomposed and re.search(r"mso-list\s*:\s*ignore", _style(span), re.I):
            marker = marker or span.get_text().replace("\xa0", " ").strip()
            span.decompose()
    return marker


def _word_lists(root: Tag) -> None:
    """Make runs of Word's list paragraphs into lists, nested by their level."""
    open_lists: list[Tag] = []  # the lists open at each level, outermost first
    for paragraph in root.find_all("p"):
        found = WORD_LIST.search(_style(paragraph))
        if not found:
            continue
        level = int(found.group(1))
        kind = "ol" if ORDERED_MARKER.match(_list_marker(paragraph)) else "ul"
        if open_lists and paragraph.find_previous_sibling(True) is not open_lists[0]:
            open_lists = []  # something else came between: a new list
        del open_lists[level:]
        item = new_tag("li")
        item.extend(list(paragraph.contents))
        if not open_lists:
            outer = new_tag(kind)
            paragraph.insert_before(outer)
            open_lists.append(outer)
        while len(open_lists) < level:
            inner = new_tag(kind)
            holder = open_lists[-1].find_all("li", recursive=False)
            (holder[-1] if holder else open_lists[-1]).append(inner)
            open_lists.append(inner)
        open_lists[-1].append(item)
        paragraph.decompose()


def _tables_to_paragraphs(root: Tag) -> None:
    for cell in root.find_all(["td", "th"]):
        if cell.find(list(BLOCKS)) is None:
            cell.name = "p"
        else:
            cell.unwrap()
    for tag in root.find_all(["table", "thead", "tbody", "tfoot", "tr", "caption"]):
        tag.unwrap()


def _tidy(root: Tag) -> None:
    """Keep tags, hrefs and the text; drop Word's and Docs' classes, styles and empty lines."""
    for tag in root.find_all(True):
        keep = KEPT_ATTRIBUTES.get(tag.name or "", set())
        tag.attrs = {k: v for k, v in tag.attrs.items() if k in keep}
        if tag.name in ("span", "font"):
            tag.unwrap()
        elif tag.name in ("div", "section", "article"):
            if tag.find(list(BLOCKS)) is None:
                tag.name = "p"  # a line of its own
            else:
                tag.unwrap()
    for line_break in root.find_all("br", recursive=False):
        line_break.decompose()  # Docs ends with <br class="Apple-interchange-newline">
    for item in root.find_all("li"):
        for inner in item.find_all("p", recursive=False):
            inner.unwrap()  # Docs puts each list item's text in a paragraph of its own
    for paragraph in root.find_all("p"):
        if not paragraph.get_text().replace("\xa0", " ").strip():
            paragraph.decompose()
    root.smooth()  # unwrapping leaves runs of strings side by side
    for text in root.find_all(string=True):
        # Word breaks its lines inside a paragraph: in HTML they are spaces, as a browser shows.
        spaced = re.sub(r"[ \t\r\n]+", " ", str(text))
        if text.parent is root and not spaced.strip():
            spaced = "\n"
        if spaced != text and text.find_parent("pre") is None:
            text.replace_with(NavigableString(spaced))
