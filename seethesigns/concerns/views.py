"""The public "Tell someone" form. It sets no cookie: a signed token stands in for CSRF's."""

import logging
import uuid
from functools import partial
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from seethesigns import ratelimit
from seethesigns.accounts.decorators import pro_required
from seethesigns.concerns.actions import (
    do_add_note,
    do_assign_concern,
    do_break_glass,
    do_link_concern_to_child,
    do_restrict_concern,
    do_share_concern,
    do_share_outside,
    do_submit_concern,
    do_take_duty,
    do_triage_concern,
    do_view_concern,
)
from seethesigns.concerns.forms import (
    AssignForm,
    BreakGlassForm,
    ConcernForm,
    NoteForm,
    OutsideShareForm,
    RestrictForm,
    ShareForm,
    TriageForm,
    content_key,
    issue_token,
    token_matches,
)
from seethesigns.concerns.models import Concern, StatedUrgency
from seethesigns.concerns.policies import (
    ConcernPolicy,
    already_received,
    linkable_children,
    outside_front_doors,
    share_candidates,
)
from seethesigns.concerns.urgency import out_of_hours_help
from seethesigns.dates import due_filter
from seethesigns.pageforms import page_forms, posted_form
from seethesigns.referrals.policies import ReferralPolicy
from seethesigns.website.models import ContentPage

log = logging.getLogger(__name__)

PAGE_SLUG = "tell-someone"


@csrf_exempt  # A CSRF cookie would break "no cookies": Origin checks and signed keys stand in.
@require_http_methods(["GET", "POST"])
def tell_someone(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        # The same page for everyone, so it can be pre-rendered: no key until one is needed.
        return _form_page(request, ConcernForm())
    form = ConcernForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form)
    if _from_another_site(request):
        return _form_page(request, form, problem="expired", status=400)
    sent_key = form.cleaned_data["key"]
    if sent_key:
        # A form this site gave back (after a problem) carries its key and a signature of it.
        key = _parse_uuid(sent_key)
        if key is None or not token_matches(form.cleaned_data["token"], str(key)):
            # An old or copied form: keep every word and ask for one more press of the button.
            return _form_page(request, form, problem="expired", status=400)
    else:
        # The first send: the same words sent again within minutes (a double click, a retry after
        # an error, the back button) make the same key, so they are stored once.
        key = content_key(form.values(), timezone.now())
    try:
        # A retry of a form already stored is not counted again: it gets its reference back.
        retry = already_received(key)
        if not retry and not ratelimit.allow("concern", request, settings.CONCERN_RATE_LIMITS):
            return _form_page(request, form, problem="too_many", status=429, key=key)
        concern, _created = do_submit_concern(form.values(), key=key)
    except DatabaseError as e:
        # Only the kind of error: its message could quote what the person wrote.
        log.error("Could not store a concern: %s", type(e).__name__)
        return _form_page(request, form, problem="unavailable", status=503, key=key)
    return render(
        request,
        "concerns/sent.html",
        {
            "reference": concern.reference,
            "page": _page_or_none(),
            "kind": concern.reporter_kind,
            "danger_now": form.cleaned_data["urgency"] == StatedUrgency.NOW,
        },
    )


def _form_page(
    request: HttpRequest,
    form: ConcernForm,
    *,
    problem: str = "",
    status: int = 200,
    key: uuid.UUID | None = None,
) -> HttpResponse:
    """Show the form with what the person typed.

    After a problem the form carries a signed key, so that pressing Send again stores one
    concern even if the person changes a word.
    """
    if form.is_bound:
        key = key or _parse_uuid(form.data.get("key")) or uuid.uuid4()
    context = {
        "form": form,
        "key": key,
        "token": issue_token(key) if key else "",
        "problem": problem,
        "page": _page_or_none(),
    }
    return render(request, "concerns/tell_someone.html", context, status=status)


def _parse_uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _page_or_none() -> ContentPage | None:
    """The editors' words for this page; the form still works when the database does not."""
    try:
        return ContentPage.objects.live().filter(slug=PAGE_SLUG).first()
    except DatabaseError:
        return None


def _from_another_site(request: HttpRequest) -> bool:
    fetch_site = request.META.get("HTTP_SEC_FETCH_SITE")
    if fetch_site and fetch_site not in ("same-origin", "none"):
        return True
    origin = request.META.get("HTTP_ORIGIN")
    # Under Referrer-Policy: no-referrer, browsers send "Origin: null" with our own forms.
    return bool(origin) and origin != "null" and origin != request.build_absolute_uri("/")[:-1]


# The front door's inbox. Every view goes through ConcernPolicy.get_for, which answers 404 for a
# concern the person may not know of, exactly as if it did not exist.


@pro_required
def inbox(request: HttpRequest) -> HttpResponse:
    policy = ConcernPolicy(request.user)
    concerns = policy.visible().select_related("assigned_to")
    show = request.GET.get("show", "open")
    if show not in ("open", "decided", "all"):
        show = "open"
    due = request.GET.get("due", "")
    if due not in ("today", "overdue"):
        due = ""
    now = timezone.now()
    if due:
        show = "open"
    if show == "open":
        concerns = due_filter(concerns.awaiting_decision(), due, "decision_due_at", now)
        concerns = concerns.danger_now_first()
    elif show == "decided":
        concerns = concerns.exclude(decision="")
    rows = [(c, c.is_overdue(now)) for c in concerns[:500]]
    danger = [c for c, _ in rows if c.danger_now and not c.decision and not c.restricted]
    context = {
        "rows": rows,
        "show": show,
        "due": due,
        "overdue": sum(1 for _, late in rows if late),
        "danger": danger,
        "out_of_hours": out_of_hours_help(now) if danger else None,
        "works_the_front_door": policy.works_the_front_door,
        "settings_minutes": settings.CONCERN_DANGER_NOW_MINUTES,
        "on_duty": getattr(getattr(request.user, "team", None), "on_duty", None),
    }
    return render(request, "concerns/inbox.html", context)


@pro_required
@require_http_methods(["GET", "POST"])
def concern_detail(request: HttpRequest, reference: str) -> HttpResponse:
    policy = ConcernPolicy(request.user)
    concern = policy.get_for(request, reference)
    user: Any = request.user
    if not policy.can_open(concern):
        return _break_glass_page(request, concern, policy)
    forms_ = page_forms(
        request,
        {
            "triage": partial(
                TriageForm,
                initial={"urgency": concern.triage_urgency, "decision": concern.decision},
                current=concern.decision,
            ),
            "note": NoteForm,
            "assign": partial(
                AssignForm, team_id=concern.team_id or 0, initial={"assignee": concern.assigned_to}
            ),
            "share": partial(ShareForm, people=share_candidates(concern, user)),
            "outside": partial(OutsideShareForm, front_doors=outside_front_doors(concern, user)),
            "restrict": partial(
                RestrictForm,
                team_id=concern.team_id or 0,
                initial={"people": list(concern.named_people.values_list("pk", flat=True))},
            ),
        },
    )
    status = 200
    if request.method == "POST":
        if not policy.can_act(concern):
            raise Http404
        done, status = _act(request, concern, forms_)
        if done:
            return HttpResponseRedirect(request.path + "#" + done)
    else:
        do_view_concern(concern, acting_user=user, request=request)
    danger = concern.danger_now and not concern.decision
    can_act = policy.can_act(concern)
    finding = _find_children(request, user) if can_act else None
    context = {
        "concern": concern,
        "details": concern.details,
        "finding": finding,
        "about": concern.children.select_related("child", "referral"),
        "decisions": concern.decisions.select_related("decided_by"),
        "danger": danger,
        "out_of_hours": out_of_hours_help(timezone.now()) if danger else None,
        "settings_minutes": settings.CONCERN_DANGER_NOW_MINUTES,
        "notes": concern.notes.select_related("author"),
        "forms": forms_,
        "can_act": policy.can_act(concern),
        "glass_until": _glass_until(concern, user),
        "overdue": concern.is_overdue(),
        "shared_with": concern.shared_with.all(),
        "outside_shares": concern.outside_shares.select_related(
            "shared_by", "front_door__organisation"
        ),
        "named_people": concern.named_people.all(),
    }
    return render(request, "concerns/detail.html", context, status=status)


def _glass_until(concern: Concern, user: Any) -> Any:
    """When this person's break-glass access ends, if that is how they are reading it."""
    if not concern.restricted or concern.named_people.filter(pk=user.pk).exists():
        return None
    grant = concern.break_glass.filter(user=user, expires_at__gt=timezone.now()).first()
    return grant.expires_at if grant else None


def _act(request: HttpRequest, concern: Concern, forms_: dict[str, Any]) -> tuple[str, int]:
    """Apply the one form that was sent: return where to go back to, or ("", 400) on errors."""
    user: Any = request.user
    which = posted_form(request)
    if which == "link-child":
        child = linkable_children(user).filter(pk=_number(request.POST.get("child"))).first()
        if child is None:
            return "", 400
        referral = ReferralPolicy(user).visible().filter(child=child).first()
        do_link_concern_to_child(concern, child, referral, acting_user=user, request=request)
        return "about", 302
    form = forms_.get(which)
    if form is None or not form.is_valid():
        return "", 400
    values = form.cleaned_data
    if which == "triage":
        do_triage_concern(
            concern,
            urgency=values["urgency"],
            decision=values["decision"],
            reason=values["reason"],
            acting_user=user,
            request=request,
        )
    elif which == "note":
        do_add_note(concern, values["text"], acting_user=user, request=request)
        return "notes", 302
    elif which == "assign":
        do_assign_concern(concern, values["assignee"], acting_user=user, request=request)
    elif which == "share":
        do_share_concern(concern, values["person"], acting_user=user, request=request)
    elif which == "outside":
        do_share_outside(concern, values, acting_user=user, request=request)
    else:
        do_restrict_concern(concern, list(values["people"]), acting_user=user, request=request)
    return which, 302


def _break_glass_page(
    request: HttpRequest, concern: Concern, policy: ConcernPolicy
) -> HttpResponse:
    """A restricted concern: its holders see that it exists, and can break the glass."""
    if not policy.can_break_glass(concern):
        raise Http404
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user: Any = request.user
        do_break_glass(concern, form.cleaned_data["reason"], acting_user=user, request=request)
        return HttpResponseRedirect(request.path)
    status = 400 if form.is_bound else 200
    return render(
        request, "concerns/break_glass.html", {"concern": concern, "form": form}, status=status
    )


def _number(value: Any) -> int:
    text = str(value or "")
    return int(text) if text.isdigit() and len(text) < 10 else 0


def _find_children(request: HttpRequest, user: Any) -> dict[str, Any]:
    """The front door's search for the child a concern is about: by name, age and school."""
    name = request.GET.get("name", "").strip()[:100]
    age = _number(request.GET.get("age"))
    school = request.GET.get("school", "").strip()[:100]
    found: list[Any] = []
    if name or age or school:
        children = linkable_children(user)
        for word in name.split():
            children = children.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
        if school:
            children = children.filter(team__organisation__name__icontains=school)
        today = timezone.localdate()
        found = list(children.order_by("last_name", "first_name")[:50])
        if age:
            found = [c for c in found if c.age_on(today) == age]
        found = [(c, c.age_on(today)) for c in found[:20]]
    return {
        "name": name,
        "age": age or "",
        "school": school,
        "found": found,
        "searched": bool(name or age or school),
    }


@pro_required
@require_http_methods(["POST"])
def take_duty(request: HttpRequest) -> HttpResponse:
    """The front-door worker on duty now: danger-now alerts are e-mailed to them."""
    user: Any = request.user
    if not ConcernPolicy(user).works_the_front_door:
        raise Http404
    do_take_duty(user.team, acting_user=user, request=request)
    return HttpResponseRedirect(reverse("pro:concerns:inbox"))
