"""MACE meetings: the list, one meeting's pack (page and PDF), and adding to it."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from seethesigns.accounts.decorators import allowed_if
from seethesigns.children import missing
from seethesigns.children.models import Child
from seethesigns.children.names import mask, names_in
from seethesigns.meetings.actions import (
    do_add_action,
    do_add_item,
    do_add_minute,
    do_create_meeting,
    do_update_action,
    do_view_cohort,
    do_view_pack,
)
from seethesigns.meetings.cohort import FILTERS, SORTS, cohort_for
from seethesigns.meetings.forms import (
    ActionForm,
    ActionUpdateForm,
    ItemForm,
    MeetingForm,
    MinuteForm,
)
from seethesigns.meetings.models import Meeting
from seethesigns.meetings.policies import MeetingPolicy
from seethesigns.network.graph import build
from seethesigns.pageforms import page_forms, posted_form
from seethesigns.referrals.pdf import render_pdf

FORMS = {"item": ItemForm, "action": ActionForm, "minute": MinuteForm}


@allowed_if(lambda policy: MeetingPolicy(policy.user).can_read)
@require_http_methods(["GET", "POST"])
def meetings(request: HttpRequest) -> HttpResponse:
    policy = MeetingPolicy(request.user)
    form = MeetingForm(request.POST or None)
    if request.method == "POST":
        if not policy.can_run:
            raise Http404
        if form.is_valid():
            meeting = do_create_meeting(
                form.cleaned_data, acting_user=request.user, request=request
            )
            return HttpResponseRedirect(reverse("pro:meetings:meeting", args=[meeting.pk]))
    today = timezone.localdate()
    listed = list(policy.visible())
    upcoming = [m for m in listed if m.held_on >= today]
    context = {
        "meetings": listed,
        "next": upcoming[-1] if upcoming else None,
        "form": form,
        "can_run": policy.can_run,
    }
    return render(request, "meetings/list.html", context, status=400 if form.errors else 200)


@allowed_if(lambda policy: MeetingPolicy(policy.user).can_read)
@require_http_methods(["GET", "POST"])
def meeting(request: HttpRequest, meeting_id: int) -> HttpResponse:
    policy = MeetingPolicy(request.user)
    found = policy.get_for(request, meeting_id)
    forms = page_forms(request, FORMS)
    which = posted_form(request)
    status = 200
    if request.method == "POST":
        if not policy.can_run or which not in FORMS:
            raise Http404
        if forms[which].is_valid() and _add(found, which, forms[which], request):
            return HttpResponseRedirect(
                reverse("pro:meetings:meeting", args=[found.pk]) + f"#{which}s"
            )
        status = 400
    do_view_pack(found, acting_user=request.user, request=request, pdf=False)
    context = {**pack(found, policy), "forms": forms, "can_run": policy.can_run}
    return render(request, "meetings/meeting.html", context, status=status)


def _add(found: Meeting, which: str, form: Any, request: HttpRequest) -> bool:
    values = form.cleaned_data
    if which == "item":
        target = MeetingPolicy(request.user).listable(values["reference"])
        if target is None:
            form.add_error(
                "reference", "No child or record has that reference. Check it and try again"
            )
            return False
        do_add_item(found, target, values, acting_user=request.user, request=request)
    elif which == "action":
        do_add_action(found, values, acting_user=request.user, request=request)
    else:
        do_add_minute(found, values, acting_user=request.user, request=request)
    return True


def pack(found: Meeting, policy: MeetingPolicy) -> dict[str, Any]:
    """What the meeting sees: children by reference and initials with their links, missing
    episodes and disruptions; records, actions and minutes. Names typed into free text are
    found and printed as initials."""
    today = timezone.localdate()
    now = timezone.now()
    items = list(found.items.select_related("child", "entity"))
    on_list = [i.child for i in items if i.child]
    entity_ids = [i.entity_id for i in items if i.entity_id]
    linked = policy.linked_children(entity_ids)
    named = [*on_list, *linked.exclude(pk__in=[c.pk for c in on_list])]
    actions = list(found.actions.select_related("item").prefetch_related("updates__by"))
    minutes = list(policy.minutes(found))
    children: list[dict[str, Any]] = [
        {
            "item": i,
            "age": i.child.age_on(today),
            "reason": mask(i.reason, named),
            "links": [
                (link, mask(link.nature, named))
                for link in i.child.links.select_related("entity").order_by("-linked_on", "pk")
            ],
            "episodes": [(e, e.interview_state(now)) for e in i.child.missing_episodes.all()],
            "disruptions": [
                (d, mask(d.details, named))
                for d in i.child.disruptions.select_related("entity").order_by("-started_on")
            ],
        }
        for i in items
        if i.child
    ]
    texts = [("Why a child is on the list", i.reason) for i in items]
    texts += [("Action", a.text) for a in actions] + [("Minute", m.text) for m in minutes]
    texts += [("Disruption", d.details) for c in children for d, _ in c["disruptions"]]
    texts += [("Link", link.nature) for c in children for link, _ in c["links"]]
    texts += [("Action update", u.note) for a in actions for u in a.updates.all()]
    return {
        "graph": _picture(policy, [c.pk for c in on_list], entity_ids, named),
        "meeting": found,
        "children": children,
        "records": [(i, mask(i.reason, named)) for i in items if i.entity],
        "actions": [
            (a, mask(a.text, named), [(u, mask(u.summary, named)) for u in a.updates.all()])
            for a in actions
        ],
        "minutes": [(m, mask(m.text, named)) for m in minutes],
        "names_found": names_in(texts, named),
        "agency": policy.agency,
        "today": today,
    }


def _picture(
    policy: MeetingPolicy, child_ids: list[int], entity_ids: list[int], named: list[Child]
) -> dict[str, Any]:
    """The network picture of the cluster: the links of the children and records on the list,
    drawn as on the network page, with a name typed into a record's label masked too."""
    graph = build(policy.user, children=child_ids, records=entity_ids)
    for group in graph["groups"]:
        for node in group.nodes:
            if node.kind != "child":
                node.label = mask(node.label, named)
    return graph


@allowed_if(lambda policy: MeetingPolicy(policy.user).can_read)
def meeting_pdf(request: HttpRequest, meeting_id: int) -> HttpResponse:
    found = MeetingPolicy(request.user).get_for(request, meeting_id)
    do_view_pack(found, acting_user=request.user, request=request, pdf=True)
    try:
        context = {**pack(found, MeetingPolicy(request.user)), "pdf": True}
        pdf = render_pdf("meetings/pdf.html", context)
    except OSError:  # Pango is missing on this server (see the README)
        return render(request, "referrals/no_pdf.html", {}, status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="mace-pack-{found.pk}.pdf"'
    return response


@allowed_if(lambda policy: MeetingPolicy(policy.user).can_run)
def cohort(request: HttpRequest) -> HttpResponse:
    """Every child open to the coordinator, sortable and filterable, one click to each."""
    sort = request.GET.get("sort", "level")
    sort = sort if sort in SORTS else "level"
    only = request.GET.get("only", "")
    only = only if only in FILTERS else ""
    rows = cohort_for(request.user, timezone.now(), sort=sort, only=only)
    do_view_cohort([r.child.pk for r in rows], acting_user=request.user, request=request)
    context = {
        "rows": rows,
        "sort": sort,
        "only": only,
        "repeat_days": missing.window_days(),
        "sorts": [
            ("level", _("Level, highest first")),
            ("missing", _("Missing, most first")),
            ("interviews", _("Interviews late or due")),
            ("mace", _("Next MACE, soonest first")),
            ("actions", _("Overdue actions")),
            ("name", _("Name")),
        ],
        "filters": [
            ("", _("Every child")),
            ("repeat", _("Repeat missing")),
            ("interviews", _("Interviews late or due")),
            ("actions", _("Overdue actions")),
            ("significant", _("Significant level")),
        ],
    }
    return render(request, "meetings/cohort.html", context)


@allowed_if(lambda policy: MeetingPolicy(policy.user).can_run)
@require_POST
def update_action(request: HttpRequest, meeting_id: int, action_id: int) -> HttpResponse:
    """Move an action's due date, or mark it done; the change is kept, with who and when."""
    found = MeetingPolicy(request.user).get_for(request, meeting_id)
    action = found.actions.filter(pk=action_id, done_on__isnull=True).first()
    if action is None:
        raise Http404
    form = ActionUpdateForm(request.POST)
    if not form.is_valid():
        errors = [str(e) for field in form.errors.values() for e in field]
        context = {"meeting": found, "action": action, "errors": errors}
        return render(request, "meetings/action_problem.html", context, status=400)
    values = form.cleaned_data
    do_update_action(
        action,
        "done" if values["do"] == "done" else "moved",
        values.get("due_on"),
        values.get("note", ""),
        acting_user=request.user,
        request=request,
    )
    return HttpResponseRedirect(
        reverse("pro:meetings:meeting", args=[found.pk]) + f"#action-{action.pk}"
    )
