"""Referrals: the DSL makes one from a screening; the front door acknowledges and decides."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from seethesigns.accounts.decorators import pro_required
from seethesigns.children.pages import child_page
from seethesigns.children.policies import ChildPolicy
from seethesigns.dates import due_filter
from seethesigns.pageforms import page_forms, posted_form
from seethesigns.referrals.actions import (
    concerns_from,
    do_acknowledge_referral,
    do_decide_referral,
    do_escalate_referral,
    do_make_referral,
    do_view_referral,
)
from seethesigns.referrals.forms import EscalateForm, OutcomeForm, ReferralForm
from seethesigns.referrals.models import GOLDEN_RULES
from seethesigns.referrals.pdf import render_pdf
from seethesigns.referrals.policies import ReferralPolicy
from seethesigns.referrals.sections import context_for


@pro_required
def referrals(request: HttpRequest) -> HttpResponse:
    policy = ReferralPolicy(request.user)
    listed = policy.visible().select_related("child", "referrer")
    now = timezone.now()
    due = request.GET.get("due", "")
    if due in ("today", "overdue"):
        listed = due_filter(listed.sent().filter(outcome=""), due, "decision_due_at", now)
    else:
        due = ""
    rows = [(r, r.is_overdue(now), r.acknowledgement_overdue(now)) for r in listed[:500]]
    context = {"rows": rows, "front_door": policy.works_the_front_door, "due": due}
    return render(request, "referrals/list.html", context)


@pro_required
@require_http_methods(["GET", "POST"])
def new_referral(request: HttpRequest, child_id: int) -> HttpResponse:
    child = ChildPolicy(request.user).get_for(request, child_id)
    if not ReferralPolicy(request.user).can_refer(child):
        raise Http404
    screening = child.screenings.order_by("-screened_at").first()
    form = ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        referral = do_make_referral(
            child, screening, form.cleaned_data, acting_user=request.user, request=request
        )
        return HttpResponseRedirect(reverse("pro:referrals:detail", args=[referral.pk]))
    context = {"form": form, "concerns": concerns_from(screening), "rules": GOLDEN_RULES}
    status = 400 if form.errors else 200
    return child_page(request, child, "referrals/new.html", context, page="refer", status=status)


@pro_required
@require_http_methods(["GET", "POST"])
def referral_detail(request: HttpRequest, referral_id: int) -> HttpResponse:
    policy = ReferralPolicy(request.user)
    referral = policy.get_for(request, referral_id)
    user: Any = request.user
    forms = page_forms(request, {"decide": OutcomeForm, "escalate": EscalateForm})
    status = 200
    if request.method == "POST":
        which = posted_form(request)
        if which == "acknowledge" and policy.can_answer(referral):
            do_acknowledge_referral(referral, acting_user=user, request=request)
            return HttpResponseRedirect(request.path)
        if which == "decide" and policy.can_answer(referral):
            form = forms["decide"]
            if form.is_valid():
                do_decide_referral(
                    referral,
                    form.cleaned_data["outcome"],
                    form.cleaned_data["note"],
                    reason=form.cleaned_data["reason"],
                    acting_user=user,
                    request=request,
                )
                return HttpResponseRedirect(request.path)
        elif which == "escalate" and policy.can_escalate(referral):
            form = forms["escalate"]
            if form.is_valid():
                do_escalate_referral(
                    referral, form.cleaned_data["reason"], acting_user=user, request=request
                )
                return HttpResponseRedirect(request.path)
        else:
            raise Http404
        status = 400
    else:
        do_view_referral(referral, acting_user=user, request=request, pdf=False)
    context = {
        "referral": referral,
        "contents": referral.contents,
        "rules": GOLDEN_RULES,
        "can_answer": policy.can_answer(referral),
        "can_escalate": policy.can_escalate(referral),
        "overdue": referral.is_overdue(),
        "ack_overdue": referral.acknowledgement_overdue(),
        "outcome_form": forms["decide"],
        "escalate_form": forms["escalate"],
        "decisions": referral.decisions.select_related("decided_by"),
        **context_for(request, referral),
    }
    return render(request, "referrals/detail.html", context, status=status)


@pro_required
def referral_pdf(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = ReferralPolicy(request.user).get_for(request, referral_id)
    do_view_referral(referral, acting_user=request.user, request=request, pdf=True)
    context = {"referral": referral, "contents": referral.contents, "rules": GOLDEN_RULES}
    try:
        pdf = render_pdf("referrals/pdf.html", context)
    except OSError:  # Pango is missing on this server (see the README)
        return render(request, "referrals/no_pdf.html", {"referral": referral}, status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="referral-{referral.pk}.pdf"'
    return response
