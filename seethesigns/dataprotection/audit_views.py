"""The data protection officer's view of the audit: search by person, record and date; export."""

import csv
from datetime import datetime, time
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seethesigns import references
from seethesigns.accounts.decorators import allowed_if
from seethesigns.accounts.forms import AuditSearchForm
from seethesigns.accounts.policies import UserPolicy
from seethesigns.audit.actions import do_note_audit_search
from seethesigns.audit.models import AuditEntry
from seethesigns.concerns.policies import ConcernPolicy

PER_PAGE = 100
# Shortcuts on the search page: what the DPO looks for after an attack.
SECURITY_ACTIONS = [
    ("accounts.lockout", _("Sign-in paused")),
    ("accounts.sign_in_failed", _("Wrong passwords")),
    ("accounts.second_factor_failed", _("Wrong second-factor codes")),
    ("access.refused", _("Records refused (not found)")),
    ("concerns.break_glass", _("Break-glass access")),
    ("links.match_found", _("Record matches found")),
]


def _filtered(form: AuditSearchForm, user: Any) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.order_by("-seq")
    if not form.is_valid():
        return entries.none()
    data = form.cleaned_data
    if data["person"]:
        # What they did, and what was done to their account (wrong passwords, a pause).
        name = data["person"].strip()
        who = Q(actor_label__iexact=name)
        account = UserPolicy(user).reach("audit").filter(username__iexact=name).first()
        if account is not None:
            who |= Q(object_type="accounts.user", object_id=str(account.pk))
        entries = entries.filter(who)
    if data["record"]:
        wanted = data["record"].strip()
        concern = ConcernPolicy(user).reach("audit").filter(reference__iexact=wanted).first()
        shuffled = references.decode(wanted) if wanted[:2].upper() in ("C-", "R-") else None
        if concern is not None:
            entries = entries.filter(object_type="concerns.concern", object_id=str(concern.pk))
        elif shuffled is not None:
            kind, pk = shuffled
            label = {"C": "cases.child", "R": "links.entity"}.get(kind, "")
            entries = entries.filter(object_type=label, object_id=str(pk))
        else:
            entries = entries.filter(object_id=wanted)
    if data["action"]:
        entries = entries.filter(action__startswith=data["action"].strip())
    zone = timezone.get_current_timezone()
    if data["date_from"]:
        entries = entries.filter(at__gte=datetime.combine(data["date_from"], time.min, zone))
    if data["date_to"]:
        entries = entries.filter(at__lte=datetime.combine(data["date_to"], time.max, zone))
    return entries


def _criteria(form: AuditSearchForm) -> dict[str, str]:
    if not form.is_valid():
        return {}
    return {k: str(v) for k, v in form.cleaned_data.items() if v}


@allowed_if(lambda policy: policy.can_search_audit)
def search(request: HttpRequest) -> HttpResponse:
    form = AuditSearchForm(request.GET or None)
    entries = (
        _filtered(form, request.user) if form.is_bound else AuditEntry.objects.order_by("-seq")
    )
    page = Paginator(entries.select_related("actor"), PER_PAGE).get_page(request.GET.get("page"))
    do_note_audit_search(_criteria(form), acting_user=request.user, request=request)
    query = request.GET.copy()
    query.pop("page", None)
    grants = ConcernPolicy(request.user).glass_broken()[:50]
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "grants": grants,
        "security_actions": SECURITY_ACTIONS,
    }
    return render(request, "audit/search.html", context, status=400 if form.errors else 200)


def _cell(value: object) -> str:
    """A cell a spreadsheet shows as text: never a formula (CSV injection)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    def write(self, value: str) -> str:
        return value


@allowed_if(lambda policy: policy.can_search_audit)
def export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    form = AuditSearchForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "audit/search.html", {"form": form, "page": None}, status=400)
    entries = (
        _filtered(form, request.user) if form.is_bound else AuditEntry.objects.order_by("-seq")
    )
    do_note_audit_search(_criteria(form), export=True, acting_user=request.user, request=request)
    writer: Any = csv.writer(_Echo())
    header = ["seq", "at", "who", "action", "record type", "record", "from", "details", "hash"]

    def rows() -> Any:
        yield writer.writerow(header)
        for e in entries.iterator():
            yield writer.writerow(
                [
                    _cell(v)
                    for v in [
                        e.seq,
                        e.at.isoformat(),
                        e.actor_label,
                        e.action,
                        e.object_type,
                        e.object_id,
                        e.ip or "",
                        e.data,
                        e.hash,
                    ]
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response
