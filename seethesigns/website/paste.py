"""Text pasted into the CMS from Word or Google Docs, made into what the editor can hold.

The rich text editor (Draftail) reads pasted HTML in the browser and keeps only paragraphs,
bold, italic, links and lists. Read as it comes, Word's HTML shows text its author had hidden,
runs a table's cells together and leaves each list item a paragraph that starts with "·".
So the CMS sends what was pasted here first (static/js/cms.js) and pastes what comes back:

- hidden text goes (display:none, visibility:hidden, mso-hide:all, font-size:0, Word's <o:p>,
  its conditional comments and the style and XML blocks in its header);
- Word's numbered and bulleted paragraphs (mso-list) become list items, their typed "·" or
  "1." markers removed; a paragraph without mso-list stays a paragraph, whatever its class;
- each table cell becomes a paragraph of its own in the rich text (which has no tables), and
  each table is also read as rows and cells (pasted_tables), header row found, merged cells
  spread out, so that the CMS can offer it as a table block instead (see docs/cms.md);
- Google Docs' bold wrapper around everything is taken off, and its bold or italic spans
  become <b> and <i>.
"""

import copy
import re
from dataclasses import dataclass, field

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
SAFE_LINK = re.compile(r"^(https?:|mailto:|tel:|/|#)", re.IGNORECASE)


@dataclass
class PastedTable:
    """A pasted table as rows of cells, each cell the rich text the editor can hold."""

    rows: list[list[str]]
    headings: list[str] = field(default_factory=list)  # the header row's words, if it has one
    caption: str = ""
    row_headings: bool = False  # every row starts with a header cell (<th>)

    @property
    def width(self) -> int:
        return max([len(self.headings), *(len(row) for row in self.rows)])


def _prepared(html: str) -> Tag:
    """Pasted HTML with hidden text gone, Docs' wrapper off and Word's lists made lists."""
    soup = BeautifulSoup(html, "html.parser")
    body = soup.find("body")
    root: Tag = body if isinstance(body, Tag) else soup
    _drop_hidden(root)
    _unwrap_google_docs(root)
    _word_lists(root)
    return root


def clean_pasted_html(html: str) -> str:
    """Return pasted HTML with hidden text gone and its structure in tags the editor knows."""
    root = _prepared(html)
    _tables_to_paragraphs(root)
    _tidy(root)
    return root.decode_contents().strip()


def clean_pasted_html_without_tables(html: str) -> str:
    """The same, with its tables left out: what goes in the rich text when they become blocks."""
    root = _prepared(html)
    for table in _outer_tables(root):
        table.decompose()
    _tidy(root)
    return root.decode_contents().strip()


def pasted_tables(html: str) -> list[PastedTable]:
    """Each table in pasted HTML (not those inside another's cell), as rows of cleaned cells."""
    tables = [_read_table(table) for table in _outer_tables(_prepared(html))]
    return [table for table in tables if table.rows or any(table.headings)]


def _outer_tables(root: Tag) -> list[Tag]:
    return [table for table in root.find_all("table") if table.find_parent("table") is None]


def _cell_html(cell: Tag) -> str:
    """A cell's content as rich text: its paragraphs, lists, bold, italic and links."""
    holder = Tag(name="div")
    holder.extend(list(copy.copy(cell).contents))  # the cell itself is read again after
    _tables_to_paragraphs(holder)  # a table inside a cell: its cells become paragraphs
    _tidy(holder)
    inner = holder.decode_contents().strip()
    if inner and not re.match(r"<(p|ul|ol)\b", inner):
        inner = f"<p>{inner}</p>"  # a cell's bare words (Docs, web pages) make a paragraph
    return inner


def _words(tag: Tag) -> str:
    return re.sub(r"\s+", " ", tag.get_text(" ")).replace("\xa0", " ").strip()


def _all_bold(cell: Tag) -> bool:
    """Every word in the cell is bold: how Word and Docs show a header row they do not mark."""
    texts = [t for t in cell.find_all(string=True) if str(t).replace("\xa0", " ").strip()]
    return bool(texts) and all(t.find_parent(["b", "strong", "th"]) is not None for t in texts)


def _read_table(table: Tag) -> PastedTable:
    rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    grid: list[list[str]] = []
    first_cells: list[list[Tag]] = []  # the cells each row of the grid was read from
    spanning: dict[int, int] = {}  # column -> rows a cell above still covers
    for tr in rows:
        cells = tr.find_all(["td", "th"], recursive=False)
        line: list[str] = []
        column = 0
        for cell in cells:
            while spanning.get(column, 0) > 0:
                line.append("")  # under a cell merged downwards: its words are above
                spanning[column] -= 1
                column += 1
            across = _span(cell, "colspan")
            down = _span(cell, "rowspan")
            line.append(_cell_html(cell))
            line.extend([""] * (across - 1))  # merged across: its words are in the first cell
            for spanned in range(column, column + across):
                if down > 1:
                    spanning[spanned] = down - 1
            column += across
        while any(spanning.get(c, 0) > 0 for c in range(column, max(spanning, default=-1) + 1)):
            if spanning.get(column, 0) > 0:
                spanning[column] -= 1
            line.append("")
            column += 1
        if any(line):  # Word ends its tables with an empty row that holds only their widths
            grid.append(line)
            first_cells.append(cells)
    width = max((len(line) for line in grid), default=0)
    grid = [line + [""] * (width - len(line)) for line in grid]
    caption_tag = table.find("caption")
    caption = _words(caption_tag) if isinstance(caption_tag, Tag) else ""
    headings: list[str] = []
    if grid and len(grid) > 1 and _is_header_row(rows, first_cells[0]):
        headings = [_words(BeautifulSoup(html, "html.parser")) for html in grid[0]]
        grid, first_cells = grid[1:], first_cells[1:]
    row_headings = bool(first_cells) and all(
        cells and cells[0].name == "th" for cells in first_cells
    )
    return PastedTable(rows=grid, headings=headings, caption=caption, row_headings=row_headings)


def _span(cell: Tag, name: str) -> int:
    try:
        return max(1, min(int(str(cell.get(name) or 1)), 50))
    except ValueError:
        return 1


def _is_header_row(rows: list[Tag], cells: list[Tag]) -> bool:
    """The first row heads the columns: marked so (<thead>, <th>), or all bold as Word's are."""
    first = cells[0].find_parent("tr") if cells else None
    if first is not None and first.find_parent("thead") is not None:
        return True
    if cells and all(cell.name == "th" for cell in cells):
        return True
    written = [cell for cell in cells if _words(cell)]
    return bool(written) and all(_all_bold(cell) for cell in written)


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
        href = str(tag.attrs.get("href", ""))
        if href and not SAFE_LINK.match(re.sub(r"[\x00-\x20]+", "", href)):
            del tag.attrs["href"]  # javascript:, data: and the like: the words stay, not the link
        if tag.name in ("span", "font"):
            tag.unwrap()
        elif tag.name in ("div", "section", "article"):
            if tag.find(list(BLOCKS)) is None:
                tag.name = "p"  # a line of its own
            else:
                tag.unwrap()
    for line_break in root.find_all("br", recursive=False):
        line_break.decompose()  # Docs ends with <br class="Apple-interchange-newline">
    for inner_list in root.find_all(["ul", "ol"]):
        if inner_list.parent is not None and inner_list.parent.name in ("ul", "ol"):
            previous = inner_list.find_previous_sibling("li")
            if previous is not None:  # Docs puts a second level after its item, not in it
                previous.append(inner_list.extract())
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
