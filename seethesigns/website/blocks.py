"""The blocks editors build public pages from. Each renders with its own template."""

from typing import Any

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.typed_table_block.blocks import TypedTable, TypedTableBlock
from wagtail.rich_text import RichText
from wagtail.snippets.blocks import SnippetChooserBlock

from seethesigns.website.choices import Audience, SignList
from seethesigns.website.paste import PastedTable

BODY_FEATURES = ["bold", "italic", "link", "ul", "ol"]
CELL_FEATURES = BODY_FEATURES  # a cell may hold a short list, as Word's and Docs' cells do


class SourcesBlock(blocks.ListBlock):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(
            SnippetChooserBlock("content.Source"),
            default=[],
            label=_("Sources"),
            help_text=_("Where the facts in this part come from. Every fact needs a source."),
            **kwargs,
        )


class SectionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(
        label=_("Heading"), help_text=_("Screen reader users jump between headings: keep it short.")
    )
    audience = blocks.ChoiceBlock(
        choices=Audience.choices,
        required=False,
        label=_("Written for"),
        help_text=_("Young people's text must read at school year 7 level or below."),
    )
    body = blocks.RichTextBlock(features=BODY_FEATURES, label=_("Text"))
    sources = SourcesBlock(required=False)

    class Meta:
        template = "website/blocks/section.html"
        icon = "doc-full"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Exact words"), help_text=_("Quote an official text exactly."))
    source = SnippetChooserBlock("content.Source", label=_("Source"))

    class Meta:
        template = "website/blocks/quote.html"
        icon = "openquote"


class KeyPointsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"))
    audience = blocks.ChoiceBlock(choices=Audience.choices, required=False, label=_("Written for"))
    items = blocks.ListBlock(blocks.CharBlock(label=_("Point")), label=_("Points"))
    sources = SourcesBlock(required=False)

    class Meta:
        template = "website/blocks/key_points.html"
        icon = "list-ul"


class UrgentBlock(blocks.StaticBlock):
    class Meta:
        template = "website/blocks/urgent.html"
        icon = "warning"
        admin_text = _("The 'in danger now? Call 999' box. Nothing to fill in.")


class SignsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"))
    list = blocks.ChoiceBlock(choices=SignList.choices, label=_("Which list"))

    class Meta:
        template = "website/blocks/signs.html"
        icon = "list-ul"


class HelpBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"))
    contacts = blocks.ListBlock(SnippetChooserBlock("content.HelpContact"), label=_("Contacts"))

    class Meta:
        template = "website/blocks/help.html"
        icon = "help"


class LinkItemBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Link text"))
    url = blocks.CharBlock(label=_("Address"), help_text=_("A page on this site, like /signs/."))
    description = blocks.CharBlock(required=False, label=_("One line about it"))


class LinksBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"))
    items = blocks.ListBlock(LinkItemBlock(), label=_("Links"))

    class Meta:
        template = "website/blocks/links.html"
        icon = "link"


def sanitised_cell(html: str) -> str:
    """A cell's rich text as the editor would save it: no scripts, no javascript: links.

    Text typed into a cell in the CMS is already this (Draftail saves only its features), but
    a table can also come from a content file or an older revision: the same rules apply.
    """
    from wagtail.admin.rich_text import get_rich_text_editor_widget  # needs the models loaded

    converter = get_rich_text_editor_widget(features=CELL_FEATURES).converter
    saved = str(converter.to_database_format(converter.from_database_format(html or "")))
    return saved if strip_tags(saved).strip() else ""  # an empty cell stays empty


class TableBlock(blocks.StructBlock):
    """A table of text: a caption, a header row, and if wanted a first column of row headers.

    Wagtail's typed table block (wagtail.contrib.typed_table_block): its columns are named, its
    cells are rich text with the body's features, and the page draws it on the server as a
    <table>; see docs/cms.md for why it and not Wagtail's other table block.
    """

    table = TypedTableBlock(
        [("text", blocks.RichTextBlock(features=CELL_FEATURES, required=False, label=_("Text")))],
        label=_("Table"),
        help_text=_(
            "Give the table a caption saying what it shows. The column headings are its header "
            "row; leave every heading empty if the table has none."
        ),
    )
    row_headings = blocks.BooleanBlock(
        required=False,
        label=_("The first column names each row"),
        help_text=_("Tick this when the first cell of each row says what the row is about."),
    )

    class Meta:
        template = "website/blocks/table.html"
        icon = "table"
        label = _("Table")

    def get_context(
        self, value: Any, parent_context: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """The header row if any heading is written, and each row's cells, its first a <th>
        if the first column names the rows (an empty cell is never a header: it names nothing).
        """
        context = super().get_context(value, parent_context)
        table: TypedTable = value["table"]
        context["headings"] = [str(c["heading"] or "").strip() for c in table.columns]
        context["rows"] = [
            [
                (i == 0 and value["row_headings"] and bool(strip_tags(str(cell)).strip()), cell)
                for i, cell in enumerate(row["values"])
            ]
            for row in table.row_data
        ]
        return context

    def clean(self, value: Any) -> Any:
        cleaned = super().clean(value)
        table: TypedTable = cleaned["table"]
        if table.row_data and not (table.caption or "").strip():
            raise blocks.StructBlockValidationError(
                non_block_errors=ErrorList(
                    [
                        ValidationError(
                            _(
                                "Give the table a caption: it names the table for "
                                "people who hear the page read aloud."
                            )
                        )
                    ]
                )
            )
        for row in table.row_data:
            row["values"] = [
                RichText(sanitised_cell(str(getattr(cell, "source", cell) or "")))
                for cell in row["values"]
            ]
        return cleaned


def table_block_value(table: PastedTable) -> Any:
    """A pasted table as a table block's value: headings (or none), rows, caption."""
    width = table.width
    headings = table.headings + [""] * (width - len(table.headings))
    return TableBlock().to_python(
        {
            "table": {
                "columns": [{"type": "text", "heading": heading} for heading in headings],
                "rows": [
                    {"values": [sanitised_cell(cell) for cell in row + [""] * (width - len(row))]}
                    for row in table.rows
                ],
                "caption": table.caption,
            },
            "row_headings": table.row_headings,
        }
    )


def table_block_state(table: PastedTable) -> Any:
    """What the CMS's table block needs to show a pasted table (its form state)."""
    block = TableBlock()
    return block.get_form_state(table_block_value(table))


class BodyBlock(blocks.StreamBlock):
    section = SectionBlock()
    quote = QuoteBlock()
    key_points = KeyPointsBlock()
    urgent = UrgentBlock()
    signs = SignsBlock()
    help = HelpBlock()
    links = LinksBlock()
    table = TableBlock()


class RouteBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("I am…"))
    url = blocks.CharBlock(label=_("Address"))
    description = blocks.CharBlock(required=False, label=_("One line about it"))

    class Meta:
        icon = "user"
