"""What the editor and the safeguarding lead are told as a change goes through approval.

Wagtail e-mails the lead when something waits for them and the editor when it comes back (to
accounts with an e-mail address). Here: the editor's note, kept with what they submitted and
shown to the lead beside it on their dashboard; a plain confirmation after the lead approves or
asks for changes, wherever they did it (the edit form or the dashboard); and a dashboard panel
that shows the editor what came back, with the lead's comment in view.
"""

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from wagtail.admin.ui.components import Component
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import task_approved, task_rejected, task_submitted

from seethesigns.paths import CMS
from seethesigns.website.models import SubmissionNote

_cms_request: ContextVar[HttpRequest | None] = ContextVar("cms_request", default=None)


class RememberCMSRequest:
    """Keep the CMS request at hand, so a workflow signal can answer the person who acted."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(CMS):
            return self.get_response(request)
        token = _cms_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _cms_request.reset(token)


def _title(task_state: TaskState) -> str:
    return title_of(task_state.workflow_state.content_object)


def title_of(obj: Any) -> str:
    """A page's title as the CMS shows it, or a snippet's name."""
    title = getattr(obj, "get_admin_display_title", None)
    return str(title() if title else obj)


def confirm_approval(sender: Any, instance: TaskState, user: Any, **kwargs: Any) -> None:
    request = _cms_request.get()
    if request is not None:
        messages.success(
            request, _("Approved: “%(title)s” is published.") % {"title": _title(instance)}
        )


def confirm_changes_requested(sender: Any, instance: TaskState, user: Any, **kwargs: Any) -> None:
    request = _cms_request.get()
    if request is None:
        return
    editor = instance.workflow_state.requested_by
    messages.success(
        request,
        _(
            "Changes requested: “%(title)s” has gone back to %(editor)s, who has been e-mailed "
            "your comment. The public site still shows the published version."
        )
        % {"title": _title(instance), "editor": display_name(editor)},
    )


def display_name(user: Any) -> str:
    if user is None:
        return _("the editor")
    return str(user.get_full_name() or user.get_username())


def attach_note_for_lead(sender: Any, instance: TaskState, user: Any, **kwargs: Any) -> None:
    """Keep the editor's note with the review, and put it where Wagtail's e-mail can read it.

    Wagtail's e-mail has the task in its context, read from this task state (and cached on it),
    so the note rides on that task object too, for this one submission only.
    """
    request = _cms_request.get()
    if request is None or request.method != "POST":
        return
    note = str(request.POST.get("note_for_lead", "")).strip()[:1000]
    if note:
        SubmissionNote.objects.create(task_state=instance, text=note, written_by=user)
    task = instance.task.specific
    task.note_for_lead, task.note_from = note, display_name(user)


def connect_signals() -> None:
    # Connected before Wagtail's own (this app comes first), so the note is there for its e-mail.
    task_submitted.connect(attach_note_for_lead, dispatch_uid="seethesigns_note_for_lead")
    task_approved.connect(confirm_approval, dispatch_uid="seethesigns_confirm_approval")
    task_rejected.connect(
        confirm_changes_requested, dispatch_uid="seethesigns_confirm_changes_requested"
    )


class CameBackPanel(Component):
    """The editor's changes that a lead sent back, each with who asked and their comment."""

    name = "came_back"
    template_name = "website/cms/came_back_panel.html"
    order = 50  # first on the dashboard

    def __init__(self, user: Any) -> None:
        self.user = user

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        states = (
            WorkflowState.objects.filter(
                requested_by=self.user, status=WorkflowState.STATUS_NEEDS_CHANGES
            )
            .select_related("current_task_state", "current_task_state__finished_by")
            .order_by("-current_task_state__finished_at")
        )
        items = []
        for state in states:
            obj = state.content_object
            task_state = state.current_task_state
            if obj is None or task_state is None:
                continue
            items.append(
                {
                    "object": obj,
                    "title": title_of(obj),
                    "asked_by": display_name(task_state.finished_by),
                    "asked_at": task_state.finished_at,
                    "comment": task_state.get_comment(),
                }
            )
        return {"items": items}
