"""The screening tool: a quick check that is not saved, or a screening saved to a child's record."""

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from seethesigns.accounts.decorators import allowed_if, pro_required
from seethesigns.children.models import Child
from seethesigns.children.pages import child_page
from seethesigns.children.policies import ChildPolicy
from seethesigns.encryption import unseal
from seethesigns.screening.actions import (
    do_add_local_indicator,
    do_close_dsl_task,
    do_note_quick_check,
    do_save_screening,
    do_tell_dsl,
    do_view_dsl_task,
)
from seethesigns.screening.config import load_config
from seethesigns.screening.forms import (
    CloseTaskForm,
    JudgementForm,
    LocalIndicatorForm,
    ScreeningForm,
    TellDslForm,
)
from seethesigns.screening.models import DslTask, Indicator, OverruleReason
from seethesigns.screening.policies import DslTaskPolicy, designated_leads, tells_a_dsl
from seethesigns.screening.presenting import explain, task_contents
from seethesigns.screening.rules import LEVEL_WORDS, Result, suggest


def active_indicators() -> list[Indicator]:
    return list(Indicator.objects.active().prefetch_related("sources"))


@pro_required
@require_http_methods(["GET", "POST"])
def quick_check(request: HttpRequest) -> HttpResponse:
    return _screen(request, child=None)


@pro_required
@require_http_methods(["GET", "POST"])
def screen_child(request: HttpRequest, child_id: int) -> HttpResponse:
    child = ChildPolicy(request.user).get_for(request, child_id, need="screen")
    return _screen(request, child=child)


def unrecorded(child: Child | None) -> tuple[str, ...]:
    """What a screening must ask because the child's record lacks it."""
    if child is None:
        return ()
    return tuple(name for name in ("ethnicity", "nationality") if not getattr(child, name))


def _screen(request: HttpRequest, child: Child | None) -> HttpResponse:
    indicators = active_indicators()
    ask = unrecorded(child)
    if request.method == "GET":
        initial: dict[str, Any] = {}
        if child is not None:
            initial = {
                "age": child.age_on(timezone.localdate()),
                "learning_disability": child.learning_disability,
            }
        form = ScreeningForm(initial=initial, indicators=indicators, ask=ask)
        return _show(request, child, "screening/form.html", {"form": form})
    form = ScreeningForm(request.POST, indicators=indicators, ask=ask)
    step = request.POST.get("step")
    if step == "edit" or not form.is_valid():
        status = 400 if form.errors else 200
        return _show(request, child, "screening/form.html", {"form": form}, status=status)
    result = suggest_from(form, indicators)
    finishing = step == "finish"
    user: Any = request.user
    telling = step == "tell_dsl" and tells_a_dsl(user) and bool(designated_leads(user))
    judgement = JudgementForm(
        request.POST if finishing else None,
        suggested=result.level,
        must_refer=result.immediate_referral,
    )
    tell = TellDslForm(request.POST if telling else None)
    context = {
        "form": form,
        "child": child,
        "result": result,
        "judgement": judgement,
        "tell": tell,
        **explain(result, indicators, request.user),
    }
    if telling and tell.is_valid():
        context["sent_task"] = do_tell_dsl(
            organisation=user.team.organisation,
            child=child,
            result=result,
            contents=task_contents(result, context, note=tell.cleaned_data["note"]),
            key=tell.cleaned_data["key"],
            acting_user=request.user,
            request=request,
        )
        # Back to the result: the screening is not lost, and can still be judged and saved.
        return _show(request, child, "screening/result.html", context)
    if finishing and judgement.is_valid():
        chosen = judgement.cleaned_data["judgement"]
        category = judgement.cleaned_data["overrule_reason"]
        reason = judgement.cleaned_data["judgement_reason"]
        if child is None:
            do_note_quick_check(acting_user=request.user, request=request)
            context.update(
                judged=chosen,
                judged_words=LEVEL_WORDS[chosen],
                category_words=OverruleReason(category).label if category else "",
                reason=reason,
            )
            return render(request, "screening/summary.html", context)
        screening = do_save_screening(
            child,
            age=form.cleaned_data["age"],
            learning_disability=form.cleaned_data["learning_disability"] or "not_known",
            records=form.records(),
            result=result,
            judgement=chosen,
            overrule_reason=category,
            reason=reason,
            demographics=form.demographics(),
            key=judgement.cleaned_data["key"],
            acting_user=request.user,
            request=request,
        )
        url = reverse("pro:cases:child", args=[child.pk])
        return HttpResponseRedirect(f"{url}?screened={screening.pk}#screening-{screening.pk}")
    status = 400 if (finishing or telling) else 200
    return _show(request, child, "screening/result.html", context, status=status)


def suggest_from(form: ScreeningForm, indicators: list[Indicator]) -> Result:
    return suggest(
        form.answers(),
        age=form.cleaned_data["age"],
        learning_disability=form.cleaned_data["learning_disability"] or "not_known",
        exploiters=form.cleaned_data["exploiters"],
        catalogue={i.code: i.spec for i in indicators},
        config=load_config(),
    )


def _show(
    request: HttpRequest,
    child: Child | None,
    template: str,
    context: dict[str, Any],
    *,
    status: int = 200,
) -> HttpResponse:
    """A quick check keeps and shows nothing of a child; a child's screening is a view of it."""
    if child is None:
        return render(request, template, {**context, "child": None}, status=status)
    return child_page(request, child, template, context, page="screen", status=status)


@pro_required
@require_GET
def task(request: HttpRequest, task_id: int) -> HttpResponse:
    """A practitioner's task for their DSL: the DSL reads and closes it; the sender sees it."""
    policy = DslTaskPolicy(request.user)
    found = policy.get_for(request, task_id)
    do_view_dsl_task(found, acting_user=request.user, request=request)
    return render(request, "screening/task.html", task_context(found, policy, CloseTaskForm()))


def task_context(task: DslTask, policy: DslTaskPolicy, form: CloseTaskForm) -> dict[str, Any]:
    can_close = policy.can_close(task)
    contents = task.contents
    return {
        "task": task,
        "contents": contents,
        "can_close": can_close,
        "close_form": form,
        "decision": unseal(task.sealed_decision)["decision"] if task.sealed_decision else "",
        # The sender reads what they do; the DSL what the DSL does.
        "action": contents.get("action") if can_close else contents.get("sender_action"),
        "action_contacts": (
            contents.get("contacts") if can_close else contents.get("sender_contacts")
        )
        or [],
        "task_child_hidden": task.child is not None
        and not ChildPolicy(policy.user).can_open(task.child),
    }


@pro_required
@require_POST
def close_task(request: HttpRequest, task_id: int) -> HttpResponse:
    """The DSL records what they decided and why (KCSIE: decisions and reasons are written)."""
    policy = DslTaskPolicy(request.user)
    found = policy.get_for(request, task_id, need="close")
    form = CloseTaskForm(request.POST)
    if not form.is_valid():
        return render(request, "screening/task.html", task_context(found, policy, form), status=400)
    do_close_dsl_task(
        found, decision=form.cleaned_data["decision"], acting_user=request.user, request=request
    )
    return HttpResponseRedirect(reverse("pro:home"))


@allowed_if(lambda policy: policy.can_manage_users)
@require_http_methods(["GET", "POST"])
def indicators(request: HttpRequest) -> HttpResponse:
    """The partnership admin adds local indicators to the catalogue."""
    form = LocalIndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        do_add_local_indicator(form.cleaned_data, acting_user=request.user, request=request)
        return HttpResponseRedirect(reverse("pro:screening:indicators") + "?added=1")
    context = {"form": form, "indicators": Indicator.objects.active()}
    return render(request, "screening/indicators.html", context, status=400 if form.errors else 200)
