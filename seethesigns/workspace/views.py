"""The workspace home: what waits for this person, and their DSL tasks."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from seethesigns.accounts.decorators import pro_required
from seethesigns.children.missing import rule_words
from seethesigns.children.policies import RepeatMissingAlertPolicy
from seethesigns.screening.policies import DslTaskPolicy
from seethesigns.workspace.todo import todo_for


@pro_required
def home(request: HttpRequest) -> HttpResponse:
    tasks = DslTaskPolicy(request.user).visible().open().exclude(sent_by_id=request.user.pk)
    context = {
        "todo": todo_for(request.user),
        "dsl_tasks": list(tasks.select_related("sent_by")),
        "repeat_alerts": RepeatMissingAlertPolicy(request.user).waiting(),
        "repeat_rule": rule_words(),
    }
    return render(request, "workspace/home.html", context)
