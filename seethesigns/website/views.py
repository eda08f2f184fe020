"""The site's own views: the quick exit, search, the error pages, and the CMS's paste cleaning."""

import logging
import sys

from django.conf import settings
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from wagtail.models import Page

from seethesigns import outage
from seethesigns.website.blocks import table_block_state
from seethesigns.website.forms import SearchForm
from seethesigns.website.paste import (
    clean_pasted_html,
    clean_pasted_html_without_tables,
    pasted_tables,
)

RESULTS_PER_PAGE = 10
logger = logging.getLogger(__name__)


@never_cache
def exit_page(request: HttpRequest) -> HttpResponse:
    """Forget this visit as far as a server can, then send the browser somewhere neutral."""
    if hasattr(request, "session"):
        request.session.flush()
    response = HttpResponseRedirect(settings.EXIT_URL)
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt  # Searching changes nothing, and a CSRF cookie would break "no cookies".
@require_http_methods(["GET", "POST"])
def search(request: HttpRequest) -> HttpResponse:
    """Search the published pages. The form posts, so the words stay out of the address bar."""
    data = request.POST if request.method == "POST" else request.GET
    form = SearchForm(data)
    query = form.cleaned_query() if form.is_valid() else ""
    results, failed = None, False
    if query:
        pages = Page.objects.live().public().specific().search(query, operator="or")
        try:
            results = Paginator(pages, RESULTS_PER_PAGE).get_page(data.get("page"))
        except DatabaseError as e:
            # Only the kind of error: its message or traceback could quote what was searched for.
            logger.error("Search failed: %s", type(e).__name__)
            failed = True
    context = {"form": form, "query": query, "results": results, "failed": failed}
    return render(request, "website/search.html", context)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this inside its `except`: a lost database or cache is an outage, not a bug.
    if outage.is_outage(sys.exc_info()[1]):
        return outage.unavailable(request, settings.PARTNERSHIP_NAME)
    # Rendered without a request context: it must not need the database.
    context = {"partnership_name": settings.PARTNERSHIP_NAME}
    return HttpResponse(loader.get_template("500.html").render(context), status=500)


@require_http_methods(["POST"])
def clean_paste(request: HttpRequest) -> JsonResponse:
    """What the CMS editor pastes: the HTML from Word or Docs, cleaned (see paste.py).

    "html" is all of it, each table cell a paragraph; if it holds tables, "tables" gives each
    as the state of a table block (for the editor to add after the block pasted into) and
    "html_without_tables" the rest, for the rich text beside them.
    """
    pasted = str(request.POST.get("html", ""))
    answer: dict[str, object] = {"html": clean_pasted_html(pasted)}
    tables = pasted_tables(pasted)
    if tables:
        answer["html_without_tables"] = clean_pasted_html_without_tables(pasted)
        answer["tables"] = [
            {
                "rows": len(table.rows),
                "columns": table.width,
                "headings": table.headings,
                "state": table_block_state(table),
            }
            for table in tables
        ]
    return JsonResponse(answer)
