"""People, places, vehicles, phones, handles and groups; links from children; the network."""

from datetime import date, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from seethesigns import ratelimit
from seethesigns.accounts.decorators import allowed_if, pro_required
from seethesigns.audit.events import security_event
from seethesigns.children.pages import child_page
from seethesigns.children.policies import ChildPolicy
from seethesigns.network.actions import (
    do_add_disruption,
    do_create_entity,
    do_decide_pair,
    do_link_child,
    do_link_records,
    do_record_sighting,
    do_show_matches,
    do_submit_intelligence,
    do_update_disruption,
    do_update_entity,
    do_view_entity,
    do_view_intelligence,
    do_view_network,
    do_view_pair,
    do_view_pair_queue,
    do_view_sighting,
    offers,
)
from seethesigns.network.alerts import alerts_for, linked_children_by_place, shown_matches
from seethesigns.network.forms import (
    DisruptionForm,
    DisruptionUpdateForm,
    EntityEditForm,
    EntityForm,
    IntelligenceForm,
    LinkForm,
    PairDecisionForm,
    SightingForm,
)
from seethesigns.network.graph import build
from seethesigns.network.intelligence import structured
from seethesigns.network.models import Kind
from seethesigns.network.pairs import field_words, side_by_side
from seethesigns.network.policies import (
    EntityPolicy,
    IntelligencePolicy,
    PairPolicy,
    SightingPolicy,
)
from seethesigns.optimistic import save_or_conflict
from seethesigns.pageforms import page_forms, posted_form
from seethesigns.referrals.pdf import render_pdf

DEFAULT_DAYS = 365  # the network shows the last year unless asked for other dates
PAUSED = _(
    "You have typed a lot of new values to match in a short time, so matching is paused for "
    "you for now (it protects the records from being searched one guess at a time). What you "
    "typed is still here: try again later, or ask your CSE coordinator."
)


def may_probe(request: HttpRequest, form: Any) -> bool:
    """Count one value typed to be matched against every team's records, per worker.

    Past LINK_PROBE_LIMITS the form says so (keeping what was typed) and the audit has it.
    """
    if ratelimit.allow_user("link-probe", request.user, settings.LINK_PROBE_LIMITS):
        return True
    form.add_error(None, PAUSED)
    security_event(
        "links.probe_limited", request=request, key=str(request.user.pk), actor=request.user
    )
    return False


def _status(form: Any) -> int:
    if PAUSED in form.non_field_errors():
        return 429
    return 400 if form.errors else 200


@pro_required
@require_http_methods(["GET", "POST"])
def link_child(request: HttpRequest, child_id: int) -> HttpResponse:
    child = ChildPolicy(request.user).get_for(request, child_id, need="edit")
    form = LinkForm(request.POST or None, initial={"linked_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid() and may_probe(request, form):
        link = do_link_child(child, form.cleaned_data, acting_user=request.user, request=request)
        return HttpResponseRedirect(
            reverse("pro:cases:child", args=[child.pk]) + f"#link-{link.entity_id}"
        )
    return child_page(
        request,
        child,
        "network/link_child.html",
        {"form": form},
        page="link",
        status=_status(form),
    )


@pro_required
def records(request: HttpRequest) -> HttpResponse:
    policy = EntityPolicy(request.user)
    # Only a kind we know filters: anything else (a NUL byte, which PostgreSQL refuses) lists all.
    kind = request.GET.get("kind", "")
    if kind not in Kind.values:
        kind = ""
    listed = policy.visible().select_related("team")
    if kind:
        listed = listed.filter(kind=kind)
    context = {
        "records": listed[:500],
        "can_create": policy.can_create,
        "can_sight": SightingPolicy(request.user).can_create,
        "sightings": SightingPolicy(request.user).visible().select_related("place")[:20],
        "kind": kind,
        "kinds": Kind.choices,
        "reviews_pairs": PairPolicy(request.user).reviews,
    }
    return render(request, "network/records.html", context)


@allowed_if(lambda policy: EntityPolicy(policy.user).can_create)
@require_http_methods(["GET", "POST"])
def new_record(request: HttpRequest) -> HttpResponse:
    form = EntityForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and may_probe(request, form):
        entity = do_create_entity(form.cleaned_data, acting_user=request.user, request=request)
        return HttpResponseRedirect(reverse("pro:links:record", args=[entity.pk]))
    return render(request, "network/new_record.html", {"form": form}, status=_status(form))


@pro_required
@require_http_methods(["GET", "POST"])
def record_detail(request: HttpRequest, entity_id: int) -> HttpResponse:
    policy = EntityPolicy(request.user)
    entity = policy.get_for(request, entity_id)
    forms = page_forms(
        request,
        {
            "link": partial(LinkForm, initial={"linked_on": timezone.localdate()}),
            "disruption": DisruptionForm,
            "disruption-update": DisruptionUpdateForm,
        },
    )
    link_form, disruption_form = forms["link"], forms["disruption"]
    update_form = forms["disruption-update"]
    status = 200
    if request.method == "POST":
        if not policy.can_edit(entity):
            raise Http404
        which = posted_form(request)
        if which == "link":
            if link_form.is_valid() and may_probe(request, link_form):
                do_link_records(
                    entity, link_form.cleaned_data, acting_user=request.user, request=request
                )
                return HttpResponseRedirect(
                    reverse("pro:links:record", args=[entity.pk]) + "#links"
                )
        elif which == "disruption-update":
            if update_form.is_valid():
                target = entity.disruptions.filter(
                    pk=update_form.cleaned_data["disruption"], ended_on__isnull=True
                ).first()
                if target is None:
                    raise Http404
                values = update_form.cleaned_data
                do_update_disruption(
                    target,
                    "ended" if values["do"] == "end" else "reviewed",
                    values.get("review_on"),
                    values.get("note", ""),
                    acting_user=request.user,
                    request=request,
                )
                return HttpResponseRedirect(
                    reverse("pro:links:record", args=[entity.pk]) + "#disruption"
                )
        elif which == "disruption" and disruption_form.is_valid():
            do_add_disruption(
                entity,
                disruption_form.cleaned_data,
                child=None,
                acting_user=request.user,
                request=request,
            )
            return HttpResponseRedirect(
                reverse("pro:links:record", args=[entity.pk]) + "#disruption"
            )
        status = 429 if PAUSED in link_form.non_field_errors() else 400
    do_view_entity(entity, acting_user=request.user, request=request)
    alerts = alerts_for([entity], request.user)
    do_show_matches(entity, shown_matches(alerts), acting_user=request.user, request=request)
    openable = set(
        ChildPolicy(request.user)
        .visible()
        .values_list("pk", flat=True)
        .filter(links__entity=entity)
    )
    links = [
        (link, link.child_id in openable if link.child_id else True)
        for link in entity.links.select_related("child", "other", "created_by")
    ]
    context = {
        "entity": entity,
        "alerts": alerts,
        "links": links,
        "links_in": entity.links_in.select_related("entity"),
        "disruptions": entity.disruptions.select_related("child").prefetch_related("updates__by"),
        "update_errors": [str(e) for errs in update_form.errors.values() for e in errs],
        "revisions": entity.revisions.select_related("changed_by"),
        "can_edit": policy.can_edit(entity),
        "can_submit_intelligence": IntelligencePolicy(request.user).can_create(entity),
        "submissions": IntelligencePolicy(request.user).visible().filter(entity=entity),
        "link_form": link_form,
        "disruption_form": disruption_form,
        "today": timezone.localdate(),
    }
    return render(request, "network/record.html", context, status=status)


@pro_required
@require_http_methods(["GET", "POST"])
def edit_record(request: HttpRequest, entity_id: int) -> HttpResponse:
    entity = EntityPolicy(request.user).get_for(request, entity_id, need="edit")
    initial = {
        "label": entity.label,
        "place_kind": entity.place_kind,
        "details": entity.details,
        "version": entity.version,
    }
    form = EntityEditForm(request.POST or None, initial=initial, kind=entity.kind)
    relabelled = form.is_bound and form.data.get("label", entity.label) != entity.label
    if (
        request.method == "POST"
        and form.is_valid()
        and (not relabelled or may_probe(request, form))
    ):
        conflict = save_or_conflict(
            request,
            form,
            lambda version, values: do_update_entity(
                entity, version or 0, values, acting_user=request.user, request=request
            ),
            back=reverse("pro:links:record", args=[entity.pk]),
            seen=lambda: do_view_entity(
                entity, acting_user=request.user, request=request, page="edit"
            ),
        )
        return conflict or HttpResponseRedirect(reverse("pro:links:record", args=[entity.pk]))
    do_view_entity(entity, acting_user=request.user, request=request, page="edit")
    return render(
        request,
        "network/edit_record.html",
        {"form": form, "entity": entity},
        status=_status(form),
    )


@allowed_if(lambda policy: EntityPolicy(policy.user).sees_network)
def network(request: HttpRequest) -> HttpResponse:
    since, until = _day(request.GET.get("from")), _day(request.GET.get("to"))
    if "from" not in request.GET:
        since = timezone.localdate() - timedelta(days=DEFAULT_DAYS)
    graph = build(request.user, since=since, until=until)
    do_view_network(since, until, acting_user=request.user, request=request)
    context = {
        "graph": graph,
        "since": since,
        "until": until,
        "places": linked_children_by_place(),
        "bad_dates": _bad(request),
    }
    return render(request, "network/network.html", context)


def _day(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _bad(request: HttpRequest) -> bool:
    return any(request.GET.get(k) and _day(request.GET.get(k)) is None for k in ("from", "to"))


@pro_required
@require_http_methods(["GET", "POST"])
def new_intelligence(request: HttpRequest, entity_id: int) -> HttpResponse:
    """The police analyst hands what a record shows to the police, graded 3x5x2."""
    entity = EntityPolicy(request.user).get_for(request, entity_id)
    if not IntelligencePolicy(request.user).can_create(entity):
        raise Http404
    form = IntelligenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sub = do_submit_intelligence(
            entity, form.cleaned_data, acting_user=request.user, request=request
        )
        return HttpResponseRedirect(reverse("pro:links:intelligence", args=[sub.pk]))
    do_view_entity(entity, acting_user=request.user, request=request, page="new_intelligence")
    context = {"entity": entity, "form": form}
    status = 400 if form.errors else 200
    return render(request, "network/intelligence_new.html", context, status=status)


@pro_required
def intelligence(request: HttpRequest, sub_id: int) -> HttpResponse:
    sub = IntelligencePolicy(request.user).get_for(request, sub_id)
    do_view_intelligence(sub, "page", acting_user=request.user, request=request)
    return render(request, "network/intelligence.html", {"sub": sub, "data": structured(sub)})


@pro_required
def intelligence_pdf(request: HttpRequest, sub_id: int) -> HttpResponse:
    sub = IntelligencePolicy(request.user).get_for(request, sub_id)
    do_view_intelligence(sub, "pdf", acting_user=request.user, request=request)
    try:
        pdf = render_pdf("network/intelligence_pdf.html", {"sub": sub, "data": structured(sub)})
    except OSError:  # Pango is missing on this server (see the README)
        return render(request, "referrals/no_pdf.html", {}, status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{sub.reference}.pdf"'
    return response


@pro_required
def intelligence_json(request: HttpRequest, sub_id: int) -> HttpResponse:
    sub = IntelligencePolicy(request.user).get_for(request, sub_id)
    do_view_intelligence(sub, "json", acting_user=request.user, request=request)
    response = JsonResponse(structured(sub), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="{sub.reference}.json"'
    return response


@allowed_if(lambda policy: SightingPolicy(policy.user).can_create)
@require_http_methods(["GET", "POST"])
def new_sighting(request: HttpRequest) -> HttpResponse:
    """What was seen where: join the dots offers the place (and vehicle) records it matches,
    and the sighting links to the one the analyst chooses instead of making a copy."""
    form = SightingForm(request.POST or None, initial={"seen_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid() and may_probe(request, form):
        values = form.cleaned_data
        places = offers("place", values["where"], user=request.user)
        vehicles = (
            offers("vehicle", values["vehicle"], user=request.user) if values["vehicle"] else []
        )
        chosen = form.choose(places, vehicles)
        if chosen is not None:
            sighting = do_record_sighting(
                form.cleaned_data, *chosen, acting_user=request.user, request=request
            )
            return HttpResponseRedirect(reverse("pro:links:sighting", args=[sighting.pk]))
    context = {"form": form, "offered": getattr(form, "offered", {})}
    return render(request, "network/sighting_new.html", context, status=_status(form))


@pro_required
def sighting(request: HttpRequest, sighting_id: int) -> HttpResponse:
    found = SightingPolicy(request.user).get_for(request, sighting_id)
    do_view_sighting(found, acting_user=request.user, request=request)
    context = {
        "sighting": found,
        "contents": found.contents,
        "submissions": IntelligencePolicy(request.user).visible().filter(sighting=found),
        "can_submit": IntelligencePolicy(request.user).can_create(found.place),
    }
    return render(request, "network/sighting.html", context)


@pro_required
@require_http_methods(["GET", "POST"])
def sighting_intelligence(request: HttpRequest, sighting_id: int) -> HttpResponse:
    """The 3x5x2 submission from a sighting: its subject is the place the sighting links to."""
    found = SightingPolicy(request.user).get_for(request, sighting_id)
    entity = found.place
    if not IntelligencePolicy(request.user).can_create(entity):
        raise Http404
    contents = found.contents
    seen = f"Seen on {found.seen_on:%d %b %Y} at {entity.label}"
    seen += f" with vehicle {found.vehicle.label}" if found.vehicle else ""
    form = IntelligenceForm(
        request.POST or None, initial={"intelligence": f"{seen}: {contents.get('what', '')}"}
    )
    if request.method == "POST" and form.is_valid():
        sub = do_submit_intelligence(
            entity, form.cleaned_data, acting_user=request.user, request=request, sighting=found
        )
        return HttpResponseRedirect(reverse("pro:links:intelligence", args=[sub.pk]))
    do_view_sighting(found, acting_user=request.user, request=request, page="sighting_intelligence")
    context = {"entity": entity, "form": form, "sighting": found}
    status = 400 if form.errors else 200
    return render(request, "network/intelligence_new.html", context, status=status)


# The coordinator's review queue: "these records may be one person".


@pro_required
def pairs(request: HttpRequest) -> HttpResponse:
    """Records that may be one person, likeliest first; the coordinator's alone (404 to others)."""
    policy = PairPolicy(request.user)
    if not policy.reviews:
        raise Http404
    waiting = list(policy.waiting().select_related(*PairPolicy.related)[:200])
    do_view_pair_queue(len(waiting), acting_user=request.user, request=request)
    rows = [(p, field_words(p.agree), field_words(p.disagree)) for p in waiting]
    return render(request, "network/pairs.html", {"rows": rows})


@pro_required
@require_http_methods(["GET", "POST"])
def pair(request: HttpRequest, pair_id: int) -> HttpResponse:
    """Two records side by side, what agrees and what does not, and the coordinator's answer."""
    policy = PairPolicy(request.user)
    suggestion = policy.get_for(request, pair_id)
    decision = policy.decision_on(suggestion)
    form = PairDecisionForm(request.POST or None)
    if request.method == "POST" and decision is None and form.is_valid():
        do_decide_pair(
            suggestion,
            form.cleaned_data["same"],
            form.cleaned_data["note"],
            acting_user=request.user,
            request=request,
        )
        return HttpResponseRedirect(reverse("pro:links:pairs"))
    do_view_pair(suggestion, acting_user=request.user, request=request)
    context = {
        "pair": suggestion,
        "rows": side_by_side(suggestion.entity, suggestion.other),
        "agree": field_words(suggestion.agree),
        "disagree": field_words(suggestion.disagree),
        "decision": decision,
        "form": form,
    }
    return render(request, "network/pair.html", context, status=400 if form.errors else 200)
