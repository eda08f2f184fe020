"""Charts drawn on the server as SVG: no JavaScript, no images fetched, text a reader can zoom.

Hand-drawn rather than a charting library: the profile needs two shapes only (bars for
categories, columns for months), and a few lines of SVG are faster than any library (the page's
budget is 300 ms for some 30 charts), add no dependency and follow the site's own colours. Each
chart is hidden from screen readers (aria-hidden): the table beside it says the same, exactly.
"""

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from seethesigns.problemprofile.figures import Table
from seethesigns.problemprofile.suppression import FEWER, Published

BAR = 22
LABEL_WIDTH = 230
WIDTH = 560
# Colours as attributes as well as classes: the PDF renderer draws SVG without the stylesheet.
BAR_TAG = '<rect x="{}" y="{}" width="{}" height="{}" class="chart__bar" fill="#14505c"></rect>'
INK = 'fill="#1b1f24" font-size="13"'
MIDDLE = 'text-anchor="middle"'


def chart(table: Table, published: Published | None = None) -> SafeString:
    """Columns over time for one series; otherwise bars for each category.

    With `published` (a download or the PDF), a hidden count is drawn as no bar and labelled
    "fewer than 5", so the picture gives back nothing the table hides."""
    if len(table.rows) == 1 and len(table.columns) > 1:
        values = list(table.cells[0])
        texts = published.rows[0][1 : 1 + len(values)] if published else [str(n) for n in values]
        return _columns(table.columns, *_hide(values, texts))
    if table.additive and len(table.columns) > 1:
        values, at = table.row_totals, -1  # the whole period: the table gives each month
    else:
        values, at = [row[0] for row in table.cells], 1  # one column, or this period of places
    texts = (
        [row[at] for row in published.rows[: len(values)]]
        if published
        else [str(n) for n in values]
    )
    return _bars(table.rows, *_hide(values, texts))


def _hide(values: list[int], texts: list[str]) -> tuple[list[int], list[str]]:
    return [0 if t == FEWER else n for n, t in zip(values, texts, strict=True)], texts


def _bars(labels: list[str], values: list[int], texts: list[str]) -> SafeString:
    most = max(values, default=0) or 1
    room = WIDTH - LABEL_WIDTH - 50
    parts = []
    for i, (label, n, text) in enumerate(zip(labels, values, texts, strict=True)):
        y = i * (BAR + 6)
        length = round(room * n / most)
        parts.append(
            format_html(
                f'<text x="{{}}" y="{{}}" text-anchor="end" class="chart__label" {INK}>{{}}</text>'
                + BAR_TAG
                + f'<text x="{{}}" y="{{}}" class="chart__value" {INK}>{{}}</text>',
                LABEL_WIDTH - 8,
                y + 16,
                _short(label),
                LABEL_WIDTH,
                y,
                max(length, 1),
                BAR,
                LABEL_WIDTH + length + 6,
                y + 16,
                text,
            )
        )
    height = max(len(labels), 1) * (BAR + 6)
    return _svg(height, "".join(parts))


def _columns(labels: list[str], values: list[int], texts: list[str]) -> SafeString:
    most = max(values, default=0) or 1
    tall = 160
    step = (WIDTH - 20) / max(len(values), 1)
    parts = []
    for i, (label, n, text) in enumerate(zip(labels, values, texts, strict=True)):
        x = 10 + i * step
        high = round(tall * n / most)
        parts.append(
            format_html(
                BAR_TAG
                + f'<text x="{{}}" y="{{}}" {MIDDLE} class="chart__value" {INK}>{{}}</text>'
                + f'<text x="{{}}" y="{{}}" {MIDDLE} class="chart__label" {INK}>{{}}</text>',
                round(x + step * 0.15),
                20 + tall - max(high, 1),
                round(step * 0.7),
                max(high, 1),
                round(x + step / 2),
                14 + tall - high,
                text,
                round(x + step / 2),
                tall + 38,
                label.split(" ")[0],
            )
        )
    return _svg(tall + 46, "".join(parts))


def _short(label: str) -> str:
    return label if len(label) <= 30 else label[:28] + "…"


def _svg(height: int, body: str) -> SafeString:
    return mark_safe(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" aria-hidden="true" focusable="false">{body}</svg>'
    )
