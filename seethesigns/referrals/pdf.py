"""Render a page of ours to PDF with WeasyPrint: fonts and styles from our own files only."""

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # type: ignore[import-untyped]  # loads Pango: only PDFs need it

    html = render_to_string(template, {"partnership_name": settings.PARTNERSHIP_NAME, **context})
    # Nothing is fetched from anywhere: the stylesheet is inline and there are no images.
    return bytes(
        HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=_refuse).write_pdf()
    )


def _refuse(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"The PDF tried to fetch {url}; PDFs fetch nothing.")
