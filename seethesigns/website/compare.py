"""The CMS's comparison of two versions marks only what a reader would see change.

Text loaded from the content files is stored as plain HTML; the editor (Draftail) saves the same
text with a key on every paragraph and without the line breaks between them. Wagtail compares the
stored strings, so every rich text field an editor saved without touching was marked changed, and
the safeguarding lead had to hunt for the real edit. Here both sides are read into their tags,
attributes and words (no paragraph keys, white space collapsed) before they are compared.
"""

import re
from html.parser import HTMLParser
from typing import Any

from wagtail.admin.compare import (
    RichTextFieldComparison,
    StreamFieldComparison,
    register_comparison_class,
)
from wagtail.fields import RichTextField, StreamField

EDITOR_ONLY_ATTRIBUTES = {"data-block-key"}
# The content files' Markdown writes <strong> and <em>; the editor saves <b> and <i>.
SAME_TAG = {"strong": "b", "em": "i"}


class _Canonical(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        kept = sorted((k, v or "") for k, v in attrs if k not in EDITOR_ONLY_ATTRIBUTES)
        tag = SAME_TAG.get(tag, tag)
        self.parts.append("<" + tag + "".join(f' {k}="{v}"' for k, v in kept) + ">")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self.parts.append(f"</{SAME_TAG.get(tag, tag)}>")

    def handle_data(self, data: str) -> None:
        text = re.sub(r"\s+", " ", data)
        if text.strip():
            self.parts.append(text)


def normalise_html(html: Any) -> str:
    """Return rich text as its tags and words only, so equal text compares equal."""
    parser = _Canonical()
    parser.feed(str(html or ""))
    parser.close()
    text = "".join(parser.parts)
    # A space next to a block's edge is not something a reader sees.
    return re.sub(r" ?(<[^>]+>) ?", r"\1", text).strip()


def _normalise_stream_data(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _normalise_stream_data(v) for k, v in value.items()}
    if isinstance(value, list):
        if all(isinstance(v, dict) and v.keys() == {"type", "value", "id"} for v in value) and all(
            v["type"] == "item" for v in value
        ):
            # A list block in the editor's format (each item with an id) against the same list
            # as loaded (bare values).
            value = [v["value"] for v in value]
        return [_normalise_stream_data(v) for v in value]
    if isinstance(value, str):
        return normalise_html(value)
    return value


class NormalisedRichTextFieldComparison(RichTextFieldComparison):
    def has_changed(self) -> bool:
        return normalise_html(self.val_a) != normalise_html(self.val_b)


class NormalisedStreamFieldComparison(StreamFieldComparison):
    def has_changed(self) -> bool:
        block = self.field.stream_block

        def data(value: Any) -> Any:
            return _normalise_stream_data(block.get_prep_value(value) if value else [])

        return bool(data(self.val_a) != data(self.val_b))


def register() -> None:
    """Put these comparisons in place of Wagtail's for every rich text and stream field."""
    register_comparison_class(RichTextField, comparison_class=NormalisedRichTextFieldComparison)
    register_comparison_class(StreamField, comparison_class=NormalisedStreamFieldComparison)
