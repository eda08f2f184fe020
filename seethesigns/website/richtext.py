"""The CMS's rich text editor (Draftail), safe when two editors open pages at the same moment.

Wagtail 8.0.1 gives each rich text field one converter, shared by every request, and the
converter reads HTML with one shared parser. gunicorn serves each worker's requests in several
threads, so two editors opening pages at once mix their pages' text: found by make scan as a
500 ("unexpected call to parse_endtag"); a quieter outcome is one page's text shown, and then
saved, in the other's editor. This converter reads each value with a parser of its own.

The editor posts each field's text as Draft.js JSON, which Wagtail reads without a check: a
field that is not that JSON (sqlmap's payloads, found by make scan) was a 500. Only a form sent
by something other than the editor holds one, so it is a bad request (400), and nothing is saved.
"""

from typing import Any

from django.core.exceptions import BadRequest
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.admin.rich_text.converters.html_to_contentstate import HtmlToContentStateHandler
from wagtail.admin.rich_text.editors import draftail


class ContentstateConverterPerCall(ContentstateConverter):
    def from_database_format(self, html: str) -> str:
        handler = HtmlToContentStateHandler(self.features)
        handler.feed(html)
        handler.close()
        return str(handler.contentstate.as_json(indent=4, separators=(",", ": ")))


class DraftailRichTextArea(draftail.DraftailRichTextArea):
    """Wagtail's Draftail editor (WAGTAILADMIN_RICH_TEXT_EDITORS) with a converter per call."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.converter = ContentstateConverterPerCall(self.features)

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        try:
            return super().value_from_datadict(data, files, name)
        except Exception as error:  # json's, KeyError, TypeError, Draftail's own: all theirs
            raise BadRequest(f"{name} is not the editor's text") from error
