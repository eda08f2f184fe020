"""The DPO's pages: the retention schedule, subject access exports and erasure of one child."""

import json
from typing import Any

from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from seethesigns.accounts.decorators import allowed_if, pro_required
from seethesigns.children.models import Child
from seethesigns.children.policies import ChildPolicy
from seethesigns.dataprotection.actions import (
    do_erase_child,
    do_export_subject,
    do_note_child_search,
    do_view_subject,
)
from seethesigns.dataprotection.export import pdf_sections, subject_access
from seethesigns.dataprotection.forms import EraseForm, FindChildForm
from seethesigns.dataprotection.policies import ErasurePolicy
from seethesigns.dataprotection.retention import REGISTRY, load_schedule, parts_of
from seethesigns.referrals.pdf import render_pdf


def _schedule_rows() -> list[dict[str, Any]]:
    schedule, today = load_schedule(), timezone.localdate()
    return [
        {
            "key": rt.key,
            "name": rt.model._meta.verbose_name_plural,
            "rule": schedule.rules[rt.key],
            "erasable": rt.erasable,
            "nearing": schedule.nearing(rt, today).count(),
            "expired": schedule.expired(rt, today).count(),
        }
        for rt in REGISTRY
    ]


def _find(form: FindChildForm, user: Any) -> list[Child]:
    wanted = form.cleaned_data["name"].strip()
    match = Q(first_name__iexact=wanted) | Q(last_name__iexact=wanted)
    if wanted.isdigit():
        match |= Q(pk=int(wanted))
    found = ChildPolicy(user).reach("data_protection").filter(match)
    return list(found.select_related("team")[:50])


@allowed_if(lambda policy: policy.can_handle_data_protection)
def overview(request: HttpRequest) -> HttpResponse:
    form = FindChildForm(request.GET or None)
    found = None
    if form.is_bound and form.is_valid():
        found = _find(form, request.user)
        do_note_child_search(len(found), acting_user=request.user, request=request)
    context = {
        "form": form,
        "found": found,
        "rows": _schedule_rows(),
        "warn_days": load_schedule().warn_days,
        "erasures": ErasurePolicy(request.user).visible().select_related("erased_by")[:20],
    }
    return render(
        request, "dataprotection/overview.html", context, status=400 if form.errors else 200
    )


def _subject_context(child: Child, form: EraseForm) -> dict[str, Any]:
    parts = [
        (
            rt.model._meta.verbose_name_plural,
            rt.model._default_manager.filter(**{rt.part_of: child.pk}).count(),
        )
        for rt in parts_of(Child)
    ]
    return {"child": child, "parts": parts, "form": form}


@pro_required
def subject(request: HttpRequest, child_id: int) -> HttpResponse:
    child = ChildPolicy(request.user).get_for(request, child_id, need="data_protection")
    do_view_subject(child, acting_user=request.user, request=request)
    form = EraseForm(record_id=child.pk)
    return render(request, "dataprotection/subject.html", _subject_context(child, form))


@pro_required
def export_json(request: HttpRequest, child_id: int) -> HttpResponse:
    child = ChildPolicy(request.user).get_for(request, child_id, need="data_protection")
    do_export_subject(child, "json", acting_user=request.user, request=request)
    body = json.dumps(subject_access(child), indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="subject-access-{child.pk}.json"'
    return response


@pro_required
def export_pdf(request: HttpRequest, child_id: int) -> HttpResponse:
    child = ChildPolicy(request.user).get_for(request, child_id, need="data_protection")
    do_export_subject(child, "pdf", acting_user=request.user, request=request)
    try:
        export = subject_access(child)
        context = {"export": export, "child": child, "sections": pdf_sections(export)}
        pdf = render_pdf("dataprotection/pdf.html", context)
    except OSError:  # Pango is missing on this server (see the README)
        return render(request, "dataprotection/no_pdf.html", {"child": child}, status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="subject-access-{child.pk}.pdf"'
    return response


@pro_required
@require_POST
def erase(request: HttpRequest, child_id: int) -> HttpResponse:
    child = ChildPolicy(request.user).get_for(request, child_id, need="data_protection")
    form = EraseForm(request.POST, record_id=child.pk)
    if not form.is_valid():
        do_view_subject(child, acting_user=request.user, request=request)
        return render(
            request, "dataprotection/subject.html", _subject_context(child, form), status=400
        )
    erasure = do_erase_child(
        child, form.cleaned_data["reason"], acting_user=request.user, request=request
    )
    return HttpResponseRedirect(reverse("pro:dataprotection:overview") + f"#erasure-{erasure.pk}")
