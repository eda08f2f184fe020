"""The CSE coordinator's inbox of matches with other partnerships' records (404 to others)."""

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from seethesigns.accounts.decorators import pro_required
from seethesigns.linkage.actions import do_decide_hub_alert, do_view_hub_alert, do_view_hub_alerts
from seethesigns.linkage.client import enabled
from seethesigns.linkage.forms import AlertDecisionForm
from seethesigns.linkage.policies import HubAlertPolicy

MOST_SHOWN = 300


@pro_required
def alerts(request: HttpRequest) -> HttpResponse:
    """Open alerts first, then those decided or closed."""
    policy = HubAlertPolicy(request.user)
    if not policy.reads:
        raise Http404
    waiting = list(policy.waiting()[:MOST_SHOWN])
    done = list(policy.visible().exclude(pk__in=[a.pk for a in waiting])[:MOST_SHOWN])
    do_view_hub_alerts(len(waiting) + len(done), acting_user=request.user, request=request)
    records = policy.local_records(waiting + done)
    context = {
        "waiting": [(a, records.get(a.pk, ("", ""))[1]) for a in waiting],
        "done": [(a, records.get(a.pk, ("", ""))[1]) for a in done],
        "hub_on": enabled(),
    }
    return render(request, "linkage/alerts.html", context)


@pro_required
@require_http_methods(["GET", "POST"])
def alert(request: HttpRequest, hub_alert_id: int) -> HttpResponse:
    """One alert: who to contact, how strong the match is, our record, and the answer."""
    policy = HubAlertPolicy(request.user)
    found = policy.get_for(request, hub_alert_id)
    form = AlertDecisionForm(request.POST or None)
    if request.method == "POST" and found.is_open and form.is_valid():
        do_decide_hub_alert(
            found,
            form.cleaned_data["decision"],
            form.cleaned_data["note"],
            acting_user=request.user,
            request=request,
        )
        return HttpResponseRedirect(reverse("pro:linkage:alerts"))
    do_view_hub_alert(found, acting_user=request.user, request=request)
    url, reference = policy.local_record(found)
    context = {"alert": found, "form": form, "record_url": url, "reference": reference}
    return render(request, "linkage/alert.html", context, status=400 if form.errors else 200)
