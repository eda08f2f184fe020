"""The blocks editors build public pages from. Each renders with its own template."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from seethesigns.website.choices import Audience, SignList

BODY_FEATURES = ["bold", "italic", "link", "ul", "ol"]


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


class BodyBlock(blocks.StreamBlock):
    section = SectionBlock()
    quote = QuoteBlock()
    key_points = KeyPointsBlock()
    urgent = UrgentBlock()
    signs = SignsBlock()
    help = HelpBlock()
    links = LinksBlock()


class RouteBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("I am…"))
    url = blocks.CharBlock(label=_("Address"))
    description = blocks.CharBlock(required=False, label=_("One line about it"))

    class Meta:
        icon = "user"
