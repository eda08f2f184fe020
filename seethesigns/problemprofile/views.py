"""The problem profile: figures and charts, the data-quality scorecard, downloads, the PDF.

Aggregates only. Everyone but the readers ProfilePolicy names gets 404. Every opening and every
download is audited with the filters chosen.
"""

from datetime import date
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from seethesigns.accounts.decorators import pro_required
from seethesigns.problemprofile import charts, downloads, quality
from seethesigns.problemprofile.actions import (
    do_download_profile,
    do_view_profile,
    do_view_to_complete,
)
from seethesigns.problemprofile.figures import Filters, Section, Table, cached
from seethesigns.problemprofile.forms import FilterForm, _month, last_quarter, quarter
from seethesigns.problemprofile.policies import ProfilePolicy
from seethesigns.problemprofile.suppression import FEWER, publish
from seethesigns.referrals.pdf import render_pdf


def _policy(request: HttpRequest) -> ProfilePolicy:
    policy = ProfilePolicy(request.user)
    if not policy.may("read"):
        raise Http404
    return policy


def _shown(table: Table, linkable: set[str]) -> dict[str, Any]:
    """A table as the page shows it: its chart, and its rows with their totals."""
    rows = []
    for i, (label, values) in enumerate(zip(table.rows, table.cells, strict=True)):
        target = table.row_links[i] if i < len(table.row_links) else ""
        link = reverse("pro:links:record", args=[target]) if target in linkable else ""
        total = sum(values) if table.additive and len(table.columns) > 1 else None
        rows.append({"label": label, "values": values, "total": total, "link": link})
    return {
        "table": table,
        "chart": charts.chart(table),
        "rows": rows,
        "show_total_column": table.additive and len(table.columns) > 1,
        "totals": table.column_totals if table.additive else None,
        "grand_total": sum(table.column_totals) if table.additive else None,
    }


@pro_required
@require_GET
def profile(request: HttpRequest) -> HttpResponse:
    policy = _policy(request)
    form = FilterForm(request.GET or None)
    f = form.filters()
    sections = cached(f)
    linked = {i for s in sections for t in s.tables for i in t.row_links}
    linkable = {
        str(pk) for pk in policy.entities().filter(pk__in=linked).values_list("pk", flat=True)
    }
    do_view_profile("figures", form.audited(), acting_user=request.user, request=request)
    context = {
        "form": form,
        "filters": f,
        "sections": [
            {"section": s, "tables": [_shown(t, linkable) for t in s.tables]} for s in sections
        ],
        "query": request.GET.urlencode(),
        "quarter": last_quarter(),
        "now": timezone.now(),
    }
    return render(
        request, "problemprofile/profile.html", context, status=400 if form.errors else 200
    )


def _heading(f: Filters) -> list[str]:
    team = f"team {f.team_id}" if f.team_id else "every team"
    return [
        "SeeTheSigns problem profile",
        f"Period: {f.start:%B %Y} to {f.last_day:%B %Y}, by {f.by}, {team}",
        f"Counts under 5 are shown as '{FEWER}'; a second cell is hidden where a total would "
        "give one back.",
        f"Made {timezone.localtime():%d %B %Y %H:%M}",
    ]


@pro_required
@require_GET
def download(request: HttpRequest, fmt: str) -> HttpResponseBase:
    _policy(request)
    form = FilterForm(request.GET or None)
    if form.errors:
        return profile(request)
    f = form.filters()
    tables = [t for s in cached(f) for t in s.tables]
    wanted = request.GET.get("table", "")
    if wanted:
        tables = [t for t in tables if t.key == wanted]
        if not tables:
            raise Http404
    published = [publish(t) for t in tables]
    do_download_profile(
        fmt, {**form.audited(), "table": wanted}, acting_user=request.user, request=request
    )
    name = f"problem-profile-{f.start:%Y-%m}-to-{f.last_day:%Y-%m}{'-' + wanted if wanted else ''}"
    if fmt == "csv":
        body, kind = downloads.as_csv(published, _heading(f)), "text/csv; charset=utf-8"
    else:
        body, kind = (
            downloads.as_ods(published, _heading(f)),
            "application/vnd.oasis.opendocument.spreadsheet",
        )
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@pro_required
@require_GET
def board_report(request: HttpRequest) -> HttpResponse:
    """The profile for one quarter as a PDF for the board: suppressed, laid out for print."""
    _policy(request)
    chosen = request.GET.get("quarter", "") or last_quarter()
    f = quarter(chosen)
    if f is None:
        form = FilterForm(None)
        form.add_error(None, "Enter the quarter as a year and quarter, like 2026-Q3.")
        return render(
            request,
            "problemprofile/profile.html",
            {"form": form, "sections": [], "quarter": chosen},
            status=400,
        )
    sections: list[Section] = cached(f)
    context = {
        "filters": f,
        "quarter": chosen,
        "heading": _heading(f),
        "sections": [{"section": s, "tables": [_printed(t) for t in s.tables]} for s in sections],
    }
    pdf = render_pdf("problemprofile/board.html", context)
    do_download_profile("pdf", {"quarter": chosen}, acting_user=request.user, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="board-report-{chosen}.pdf"'
    return response


def _printed(table: Table) -> dict[str, Any]:
    published = publish(table)
    return {"table": table, "chart": charts.chart(table, published), "published": published}


@pro_required
@require_GET
def scorecard(request: HttpRequest) -> HttpResponse:
    _policy(request)
    form = FilterForm(request.GET or None)
    f = form.filters()
    lines = quality.scorecard(f)
    do_view_profile("scorecard", form.audited(), acting_user=request.user, request=request)
    kinds = [
        {
            "kind": kind,
            "words": quality.KIND_WORDS[kind],
            "fields": quality.FIELDS[kind],
            "lines": lines[kind],
        }
        for kind in quality.FIELDS
    ]
    context = {"form": form, "filters": f, "kinds": kinds, "query": request.GET.urlencode()}
    return render(
        request, "problemprofile/scorecard.html", context, status=400 if form.errors else 200
    )


@pro_required
@require_GET
def to_complete(request: HttpRequest) -> HttpResponse:
    """The records of one scorecard cell still to complete: only those this reader may open."""
    policy = _policy(request)
    kind, field = request.GET.get("kind", ""), request.GET.get("field", "")
    if kind not in quality.FIELDS or field not in {n for n, _w, _q in quality.FIELDS[kind]}:
        raise Http404
    try:
        team_id = int(request.GET.get("team", ""))
        month: date = _month(request.GET.get("month", ""), "month")
    except (ValueError, Exception):
        raise Http404 from None
    f = FilterForm(None).filters()
    every = quality.to_complete(kind, field, team_id, month, f)
    visible = policy.children() if kind == "child" else policy.entities()
    mine = list(every.filter(pk__in=visible.values("pk")).order_by("pk")[:200])
    hidden = every.count() - every.filter(pk__in=visible.values("pk")).count()
    do_view_to_complete(
        [r.pk for r in mine] if kind == "child" else [],
        [r.pk for r in mine] if kind == "person" else [],
        acting_user=request.user,
        request=request,
    )
    route = "pro:cases:edit" if kind == "child" else "pro:links:edit"
    context = {
        "kind": kind,
        "kind_words": quality.KIND_WORDS[kind],
        "field_words": {n: w for n, w, _q in quality.FIELDS[kind]}[field],
        "month": month,
        "records": [{"record": r, "url": reverse(route, args=[r.pk])} for r in mine],
        "hidden": hidden,
    }
    return render(request, "problemprofile/to_complete.html", context)
