"""Children's records. Every view gets its child through ChildPolicy.get_for: 404 for outsiders."""

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from seethesigns.accounts.decorators import allowed_if, pro_required
from seethesigns.children.actions import (
    do_add_chronology_entry,
    do_create_child,
    do_record_missing,
    do_save_philomena,
    do_update_child,
    do_update_missing,
    do_view_child,
)
from seethesigns.children.forms import (
    ChildEditForm,
    ChronologyForm,
    MissingForm,
    MissingUpdateForm,
    NewChildForm,
    PhilomenaForm,
    local_input,
)
from seethesigns.children.models import Child, ChronologyEntry
from seethesigns.children.pages import child_page
from seethesigns.children.policies import ChildPolicy
from seethesigns.concerns.policies import ConcernPolicy
from seethesigns.network.alerts import alerts_for, disruptions_about
from seethesigns.optimistic import Conflict
from seethesigns.referrals.policies import ReferralPolicy
from seethesigns.screening.rules import LEVEL_WORDS, LEVELS

ENTRIES_PER_PAGE = 50


@pro_required
def children(request: HttpRequest) -> HttpResponse:
    policy = ChildPolicy(request.user)
    listed = policy.visible().select_related("team")
    return render(
        request, "children/children.html", {"children": listed, "can_create": policy.can_create}
    )


@allowed_if(lambda policy: ChildPolicy(policy.user).can_create)
@require_http_methods(["GET", "POST"])
def new_child(request: HttpRequest) -> HttpResponse:
    form = NewChildForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        child = do_create_child(form.cleaned_data, acting_user=request.user, request=request)
        return HttpResponseRedirect(f"/pro/children/{child.pk}/")
    status = 400 if form.errors else 200
    return render(request, "children/new_child.html", {"form": form}, status=status)


@pro_required
def child_detail(request: HttpRequest, child_id: int) -> HttpResponse:
    policy = ChildPolicy(request.user)
    child = policy.get_for(request, child_id)
    screenings = list(child.screenings.select_related("screened_by"))
    links = list(child.links.select_related("entity", "created_by"))
    now = timezone.now()
    from seethesigns.screening.policies import designated_leads, tells_a_dsl

    just_screened = "screened" in request.GET and tells_a_dsl(request.user)
    context = {
        # A practitioner's screening ends with telling their DSL, with their names and numbers.
        "tell_dsl_leads": designated_leads(request.user) if just_screened else None,
        "age": child.age_on(timezone.localdate()),
        "screenings": screenings,
        "chart": level_chart(screenings),
        "can_screen": policy.can_screen(child),
        "can_edit": policy.can_edit(child),
        "can_refer": ReferralPolicy(request.user).can_refer(child),
        "referrals": ReferralPolicy(request.user).visible().filter(child=child),
        "entries": entries_of(child)[:8],
        "episodes": [(e, e.interview_state(now)) for e in child.missing_episodes.all()],
        "links": links,
        "alerts": alerts_for(
            list({link.entity_id: link.entity for link in links}.values()),
            request.user,
            except_child=child,
        ),
        "disruptions": disruptions_about(child),
        "philomena": policy.philomena_of(child),
        "today": timezone.localdate(),
        "concerns_about": _concerns_about(child, request.user),
    }
    return child_page(request, child, "children/child.html", context, page="child")


def _concerns_about(child: Child, user: Any) -> list[tuple[Any, bool]]:
    """Concerns the front door linked to this child: the reference for everyone who may open the
    child's record; what it says only for those who may open the concern."""
    concern_policy = ConcernPolicy(user)
    return [
        (a, concern_policy.can_open(a.concern))
        for a in child.concerns.select_related("concern").order_by("-concern__received_at")
    ]


def entries_of(child: Child) -> Any:
    return child.chronology.select_related("author", "amends").prefetch_related("amendments")


@pro_required
@require_http_methods(["GET", "POST"])
def edit_child(request: HttpRequest, child_id: int) -> HttpResponse:
    child = ChildPolicy(request.user).get_for(request, child_id, need="edit")
    initial = {
        "first_name": child.first_name,
        "last_name": child.last_name,
        "date_of_birth": child.date_of_birth,
        "learning_disability": child.learning_disability,
        "in_care": "yes" if child.in_care else "no",
        "version": child.version,
    }
    form = ChildEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            do_update_child(
                child,
                form.cleaned_data["version"] or 0,
                values,
                acting_user=request.user,
                request=request,
            )
        except Conflict as conflict:
            do_view_child(child, acting_user=request.user, request=request, page="edit")
            return conflict_page(request, form, conflict.current, f"/pro/children/{child.pk}/")
        return HttpResponseRedirect(f"/pro/children/{child.pk}/")
    return child_page(
        request,
        child,
        "children/edit_child.html",
        {"form": form},
        page="edit",
        status=400 if form.errors else 200,
    )


def conflict_page(
    request: HttpRequest,
    form: Any,
    current: Any,
    back: str,
    *,
    current_values: dict[str, Any] | None = None,
) -> HttpResponse:
    """Show the saved version beside the worker's own, and let them save theirs on top (409)."""
    rows = []
    for name, field in form.fields.items():
        if name == "version":
            continue
        saved = (current_values or {}).get(name, getattr(current, name, ""))
        mine = form.cleaned_data.get(name, "")
        rows.append(
            {
                "label": field.label,
                "saved": _shown(field, saved),
                "mine": _shown(field, mine),
                "differs": _shown(field, saved) != _shown(field, mine),
            }
        )
    hidden = [
        (name, value)
        for name in form.fields
        if name != "version"
        for value in request.POST.getlist(name)
    ]
    context = {
        "rows": rows,
        "hidden": hidden,
        "version": current.version,
        "action": request.path,
        "back": back,
    }
    return render(request, "pro/conflict.html", context, status=409)


def _shown(field: Any, value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    choices = dict(getattr(field, "choices", []) or [])
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        return timezone.localtime(value).strftime("%d %b %Y %H:%M")
    return str(choices.get(value, value))


@pro_required
@require_http_methods(["GET", "POST"])
def chronology(request: HttpRequest, child_id: int) -> HttpResponse:
    policy = ChildPolicy(request.user)
    child = policy.get_for(request, child_id)
    can_edit = policy.can_edit(child)
    amends = _entry_to_amend(child, request)
    initial = {"happened_on": timezone.localdate()}
    form = ChronologyForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not can_edit:
            raise Http404
        if form.is_valid():
            entry = do_add_chronology_entry(
                child, form.cleaned_data, amends=amends, acting_user=request.user, request=request
            )
            return HttpResponseRedirect(f"/pro/children/{child.pk}/chronology/#entry-{entry.pk}")
    entries = Paginator(entries_of(child), ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": entries, "form": form, "can_edit": can_edit, "amends": amends}
    status = 400 if form.errors else 200
    return child_page(
        request, child, "children/chronology.html", context, page="chronology", status=status
    )


def _entry_to_amend(child: Child, request: HttpRequest) -> ChronologyEntry | None:
    raw = request.POST.get("amends") or request.GET.get("amends") or ""
    if not raw:
        return None
    usable = raw.isdigit() and len(raw) < 10
    entry = child.chronology.filter(pk=int(raw)).first() if usable else None
    if entry is None:
        raise Http404
    return entry


@pro_required
@require_http_methods(["GET", "POST"])
def new_missing(request: HttpRequest, child_id: int) -> HttpResponse:
    child = ChildPolicy(request.user).get_for(request, child_id, need="edit")
    form = MissingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        do_record_missing(child, form.cleaned_data, acting_user=request.user, request=request)
        return HttpResponseRedirect(f"/pro/children/{child.pk}/#missing")
    return child_page(
        request,
        child,
        "children/missing.html",
        {"form": form},
        page="missing",
        status=400 if form.errors else 200,
    )


@pro_required
@require_http_methods(["GET", "POST"])
def edit_missing(request: HttpRequest, child_id: int, episode_id: int) -> HttpResponse:
    policy = ChildPolicy(request.user)
    child = policy.get_for(request, child_id, need="edit")
    episode = policy.episode_of(child, episode_id)
    initial = {
        "ended_at": local_input(episode.ended_at),
        "where_found": episode.where_found,
        "who_with": episode.who_with,
        "safe_and_well_at": local_input(episode.safe_and_well_at),
        "interview": episode.interview,
        "interview_at": local_input(episode.interview_at),
        "declined_reason": episode.declined_reason,
        "version": episode.version,
    }
    form = MissingUpdateForm(request.POST or None, initial=initial, episode=episode)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            do_update_missing(
                episode,
                form.cleaned_data["version"] or 0,
                values,
                acting_user=request.user,
                request=request,
            )
        except Conflict as conflict:
            do_view_child(
                child,
                acting_user=request.user,
                request=request,
                page="edit_missing",
                episode=episode.pk,
            )
            return conflict_page(
                request, form, conflict.current, f"/pro/children/{child.pk}/#missing"
            )
        return HttpResponseRedirect(f"/pro/children/{child.pk}/#missing")
    context = {"form": form, "episode": episode, "state": episode.interview_state(timezone.now())}
    return child_page(
        request,
        child,
        "children/edit_missing.html",
        context,
        page="edit_missing",
        episode=episode.pk,
        status=400 if form.errors else 200,
    )


@pro_required
@require_http_methods(["GET", "POST"])
def philomena(request: HttpRequest, child_id: int) -> HttpResponse:
    policy = ChildPolicy(request.user)
    child = policy.get_for(request, child_id, need="edit")
    profile = policy.philomena_of(child)
    initial: dict[str, Any] = dict(profile.values) if profile else {}
    initial["version"] = profile.version if profile else None
    form = PhilomenaForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            do_save_philomena(
                child,
                form.cleaned_data["version"],
                values,
                acting_user=request.user,
                request=request,
            )
        except Conflict as conflict:
            do_view_child(child, acting_user=request.user, request=request, page="philomena")
            return conflict_page(
                request,
                form,
                conflict.current,
                f"/pro/children/{child.pk}/",
                current_values=getattr(conflict.current, "values", {}),
            )
        return HttpResponseRedirect(f"/pro/children/{child.pk}/#philomena")
    context = {"form": form, "profile": profile}
    status = 400 if form.errors else 200
    return child_page(
        request, child, "children/philomena.html", context, page="philomena", status=status
    )


def level_chart(screenings: list[Any]) -> dict[str, Any] | None:
    """Suggested and judged levels over time, as points for a small server-drawn SVG."""
    if not screenings:
        return None
    width, height, left, top, step = 560, 170, 150, 20, 40
    count = len(screenings)
    gap = (width - left - 20) / max(count - 1, 1)

    def y(level: str) -> float:
        return top + (len(LEVELS) - 1 - LEVELS.index(level)) * step

    points = []
    for i, s in enumerate(screenings):
        x = left + i * gap if count > 1 else left + (width - left - 20) / 2
        sy = y(s.suggested_level) if s.suggested_level else None  # none when too little known
        points.append({"x": round(x, 1), "y": y(s.judgement), "sy": sy, "s": s})
    return {
        "width": width,
        "height": height,
        "rows": [{"y": y(level), "words": LEVEL_WORDS[level]} for level in LEVELS],
        "points": points,
        "line": " ".join(f"{p['x']},{p['y']}" for p in points),
    }
