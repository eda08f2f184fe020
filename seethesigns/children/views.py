"""Children's records. Every view gets its child through ChildPolicy.get_for: 404 for outsiders."""

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from seethesigns import ratelimit
from seethesigns.accounts.decorators import allowed_if, pro_required
from seethesigns.audit.events import security_event
from seethesigns.children import missing, panels
from seethesigns.children.actions import (
    NRM_FIELDS,
    do_add_chronology_entry,
    do_create_child,
    do_mark_repeat_missing_seen,
    do_record_abuse_report,
    do_record_missing,
    do_record_nrm,
    do_save_philomena,
    do_search_children,
    do_update_child,
    do_update_missing,
    do_update_nrm,
    do_view_child,
)
from seethesigns.children.forms import (
    AbuseReportForm,
    ChildEditForm,
    ChildSearchForm,
    ChronologyForm,
    MissingForm,
    MissingUpdateForm,
    NewChildForm,
    NewNrmForm,
    NrmEditForm,
    PhilomenaForm,
    local_input,
)
from seethesigns.children.models import Child, ChronologyEntry, LearningDisability
from seethesigns.children.pages import child_page
from seethesigns.children.policies import ChildPolicy, RepeatMissingAlertPolicy
from seethesigns.children.search import searched_token, was_searched
from seethesigns.dates import due_filter
from seethesigns.optimistic import save_or_conflict

ENTRIES_PER_PAGE = 50


@pro_required
def children(request: HttpRequest) -> HttpResponse:
    policy = ChildPolicy(request.user)
    listed = policy.visible().select_related("team")
    repeat = missing.repeat_missing_children(policy.visible(), timezone.localdate())
    context = {
        "children": listed,
        "can_create": policy.can_create,
        "repeat_missing": set(repeat.values_list("pk", flat=True)),
    }
    return render(request, "children/children.html", context)


SEARCH_PAUSED = _(
    "You have searched for a lot of children in a short time, so searching is paused for you "
    "for now (it protects children's records from being looked up one guess at a time). What "
    "you typed is still here: try again later, or ask your CSE coordinator."
)
BAND_WORDS = {
    "very_likely": _("Very likely the same child"),
    "possibly": _("Possibly the same child"),
}


@allowed_if(lambda policy: ChildPolicy(policy.user).can_create)
@require_http_methods(["GET", "POST"])
def new_child(request: HttpRequest) -> HttpResponse:
    """Search every team's children first; then make the record, with what was typed kept.

    The record is made only from details that were searched for (a signed token says which):
    details changed on the way are searched again before anything is made.
    """
    if request.method == "POST" and request.POST.get("step") == "create":
        form = NewChildForm(request.POST)
        if not form.is_valid():
            return _new_child_page(request, form=form, status=400)
        identity = form.identity()
        if was_searched(identity, form.cleaned_data["searched"]):
            values = {k: v for k, v in form.cleaned_data.items() if k != "searched"}
            child = do_create_child(values, acting_user=request.user, request=request)
            return HttpResponseRedirect(reverse("pro:cases:child", args=[child.pk]))
        kept = {k: form.cleaned_data.get(k) for k in ("key", *KEPT_AFTER_SEARCH)}
        return _search(request, identity, kept=kept, changed=True)
    search_form = ChildSearchForm(request.POST or None)
    if request.method == "POST" and search_form.is_valid():
        return _search(request, search_form.identity())
    status = 400 if search_form.errors else 200
    return _new_child_page(request, search_form=search_form, status=status)


# What the worker chose on the record's form besides the searched details: kept if they
# change the details and the search runs again.
KEPT_AFTER_SEARCH = ("learning_disability", "sex", "ethnicity", "nationality")


def _search(
    request: HttpRequest,
    identity: dict[str, Any],
    *,
    kept: dict[str, Any] | None = None,
    changed: bool = False,
) -> HttpResponse:
    if not ratelimit.allow_user("child-search", request.user, settings.CHILD_SEARCH_LIMITS):
        search_form = ChildSearchForm(request.POST)
        search_form.is_valid()
        search_form.add_error(None, SEARCH_PAUSED)
        security_event(
            "cases.search_limited", request=request, key=str(request.user.pk), actor=request.user
        )
        return _new_child_page(request, search_form=search_form, status=429)
    found = do_search_children(identity, acting_user=request.user, request=request)
    initial = {
        **identity,
        "learning_disability": LearningDisability.NOT_KNOWN,
        "searched": searched_token(identity),
        **{k: v for k, v in (kept or {}).items() if v},
    }
    form = NewChildForm(initial=initial)
    return _new_child_page(request, form=form, found=found, changed=changed)


def _new_child_page(
    request: HttpRequest,
    *,
    search_form: Any = None,
    form: Any = None,
    found: Any = None,
    changed: bool = False,
    status: int = 200,
) -> HttpResponse:
    context = {
        "search_form": search_form,
        "form": form or search_form,
        "create": form is not None,
        "found": found,
        "offered": [(child, BAND_WORDS.get(v.band, ""), v.agree) for child, v in found.openable]
        if found
        else [],
        "changed": changed,
    }
    return render(request, "children/new_child.html", context, status=status)


@pro_required
def child_detail(request: HttpRequest, child_id: int) -> HttpResponse:
    policy = ChildPolicy(request.user)
    child = policy.get_for(request, child_id)
    now = timezone.now()
    counted = list(missing.counted_episodes(child, timezone.localdate()))
    context = {
        "age": child.age_on(timezone.localdate()),
        "repeat_missing": counted if len(counted) >= missing.episodes_needed() else [],
        "repeat_rule": missing.rule_words(),
        "repeat_days": missing.window_days(),
        "can_screen": policy.can_screen(child),
        "can_edit": policy.can_edit(child),
        "entries": entries_of(child)[:8],
        "episodes": [(e, e.interview_state(now)) for e in child.missing_episodes.all()],
        "philomena": policy.philomena_of(child),
        "today": timezone.localdate(),
        "now": now,
        "reports_due": list(policy.reports_due_of(child)),
        "abuse_reports": list(policy.abuse_reports_of(child)),
        "nrm_referrals": list(policy.nrm_referrals_of(child)),
        # Screenings, referrals, links and alerts, concerns: each app adds its own (panels.py).
        **panels.context_for(request, child),
    }
    return child_page(request, child, "children/child.html", context, page="child")


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
        "placed_out_of_area": "yes" if child.placed_out_of_area else "no",
        "sex": child.sex,
        "ethnicity": child.ethnicity,
        "nationality": child.nationality,
        "nhs_number": child.nhs_number,
        "version": child.version,
    }
    form = ChildEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        conflict = save_or_conflict(
            request,
            form,
            lambda version, values: do_update_child(
                child, version or 0, values, acting_user=request.user, request=request
            ),
            back=reverse("pro:cases:child", args=[child.pk]),
            seen=lambda: do_view_child(
                child, acting_user=request.user, request=request, page="edit"
            ),
        )
        return conflict or HttpResponseRedirect(reverse("pro:cases:child", args=[child.pk]))
    return child_page(
        request,
        child,
        "children/edit_child.html",
        {"form": form},
        page="edit",
        status=400 if form.errors else 200,
    )


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
            return HttpResponseRedirect(
                reverse("pro:cases:chronology", args=[child.pk]) + f"#entry-{entry.pk}"
            )
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
        return HttpResponseRedirect(reverse("pro:cases:child", args=[child.pk]) + "#missing")
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
        conflict = save_or_conflict(
            request,
            form,
            lambda version, values: do_update_missing(
                episode, version or 0, values, acting_user=request.user, request=request
            ),
            back=reverse("pro:cases:child", args=[child.pk]) + "#missing",
            seen=lambda: do_view_child(
                child,
                acting_user=request.user,
                request=request,
                page="edit_missing",
                episode=episode.pk,
            ),
        )
        return conflict or HttpResponseRedirect(
            reverse("pro:cases:child", args=[child.pk]) + "#missing"
        )
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
        conflict = save_or_conflict(
            request,
            form,
            lambda version, values: do_save_philomena(
                child, version, values, acting_user=request.user, request=request
            ),
            back=reverse("pro:cases:child", args=[child.pk]),
            seen=lambda: do_view_child(
                child, acting_user=request.user, request=request, page="philomena"
            ),
            saved_values=lambda current: getattr(current, "values", {}),
        )
        return conflict or HttpResponseRedirect(
            reverse("pro:cases:child", args=[child.pk]) + "#philomena"
        )
    context = {"form": form, "profile": profile}
    status = 400 if form.errors else 200
    return child_page(
        request, child, "children/philomena.html", context, page="philomena", status=status
    )


@pro_required
def reports_due(request: HttpRequest) -> HttpResponse:
    """The reports this person's records call for: the list behind the to-do on the home."""
    now = timezone.now()
    waiting = ChildPolicy(request.user).reports_due_for_me()
    due = request.GET.get("due", "")
    if due in ("today", "overdue"):
        waiting = due_filter(waiting, due, "due_by", now)
    return render(request, "children/reports_due.html", {"dues": waiting, "now": now, "due": due})


@pro_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, child_id: int) -> HttpResponse:
    """Record a report to the police or children's social care; ?due= names what called for it."""
    policy = ChildPolicy(request.user)
    child = policy.get_for(request, child_id, need="edit")
    raw = request.POST.get("due") or request.GET.get("due") or ""
    due = None
    if raw:
        if not (raw.isdigit() and len(raw) < 10):
            raise Http404
        due = policy.report_due_of(child, int(raw))
    known_on = timezone.localtime(due.known_at).date() if due else None
    initial = {"known_on": timezone.localdate(), "reported_at": local_input(timezone.now())}
    form = AbuseReportForm(request.POST or None, initial=initial, known_on=known_on)
    if request.method == "POST" and form.is_valid():
        do_record_abuse_report(
            child, form.cleaned_data, due=due, acting_user=request.user, request=request
        )
        return HttpResponseRedirect(reverse("pro:cases:child", args=[child.pk]) + "#reports")
    context = {"form": form, "due": due}
    status = 400 if form.errors else 200
    return child_page(request, child, "children/report.html", context, page="report", status=status)


@pro_required
@require_http_methods(["GET", "POST"])
def new_nrm(request: HttpRequest, child_id: int) -> HttpResponse:
    child = ChildPolicy(request.user).get_for(request, child_id, need="edit")
    form = NewNrmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        do_record_nrm(child, form.cleaned_data, acting_user=request.user, request=request)
        return HttpResponseRedirect(reverse("pro:cases:child", args=[child.pk]) + "#nrm")
    status = 400 if form.errors else 200
    context = {"form": form, "nrm": None}
    return child_page(request, child, "children/nrm.html", context, page="nrm", status=status)


@pro_required
@require_http_methods(["GET", "POST"])
def edit_nrm(request: HttpRequest, child_id: int, nrm_id: int) -> HttpResponse:
    policy = ChildPolicy(request.user)
    child = policy.get_for(request, child_id, need="edit")
    nrm = policy.nrm_of(child, nrm_id)
    initial = {name: getattr(nrm, name) for name in NRM_FIELDS} | {"version": nrm.version}
    form = NrmEditForm(request.POST or None, initial=initial)
    back = reverse("pro:cases:child", args=[child.pk]) + "#nrm"
    if request.method == "POST" and form.is_valid():
        conflict = save_or_conflict(
            request,
            form,
            lambda version, values: do_update_nrm(
                nrm, version or 0, values, acting_user=request.user, request=request
            ),
            back=back,
            seen=lambda: do_view_child(
                child, acting_user=request.user, request=request, page="edit_nrm"
            ),
        )
        return conflict or HttpResponseRedirect(back)
    status = 400 if form.errors else 200
    context = {"form": form, "nrm": nrm}
    return child_page(request, child, "children/nrm.html", context, page="edit_nrm", status=status)


@pro_required
@require_POST
def repeat_missing_seen(request: HttpRequest, alert_id: int) -> HttpResponse:
    """The coordinator marks a repeat-missing alert seen; it leaves their home page."""
    alert = RepeatMissingAlertPolicy(request.user).get_for(request, alert_id)
    do_mark_repeat_missing_seen(alert, acting_user=request.user, request=request)
    return HttpResponseRedirect(reverse("pro:home") + "#repeat-missing")
