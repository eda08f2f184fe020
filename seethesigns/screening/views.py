"""The screening tool: a quick check that is not saved, or a screening saved to a child's record."""

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from seethesigns.accounts.decorators import allowed_if, pro_required
from seethesigns.audit.actions import record
from seethesigns.cases.models import Child
from seethesigns.cases.policies import ChildPolicy
from seethesigns.cases.views import child_page, get_child_for_user
from seethesigns.screening.actions import (
    do_add_local_indicator,
    do_close_dsl_task,
    do_save_screening,
    do_tell_dsl,
    do_view_dsl_task,
)
from seethesigns.screening.config import load_config
from seethesigns.screening.forms import (
    JudgementForm,
    LocalIndicatorForm,
    ScreeningForm,
    TellDslForm,
)
from seethesigns.screening.models import Indicator, OverruleReason
from seethesigns.screening.policies import DslTaskPolicy, designated_leads, tells_a_dsl
from seethesigns.screening.rules import EXPLOITER_WORDS, LEVEL_WORDS, WHEN_WORDS, Result, suggest
from seethesigns.screening.steps import advise, contacts_for, level_guidance


def active_indicators() -> list[Indicator]:
    return list(Indicator.objects.active().prefetch_related("sources"))


@pro_required
@require_http_methods(["GET", "POST"])
def quick_check(request: HttpRequest) -> HttpResponse:
    return _screen(request, child=None)


@pro_required
@require_http_methods(["GET", "POST"])
def screen_child(request: HttpRequest, child_id: int) -> HttpResponse:
    child = get_child_for_user(request, child_id, to_screen=True)
    return _screen(request, child=child)


def _screen(request: HttpRequest, child: Child | None) -> HttpResponse:
    indicators = active_indicators()
    if request.method == "GET":
        initial: dict[str, Any] = {}
        if child is not None:
            initial = {
                "age": child.age_on(timezone.localdate()),
                "learning_disability": child.learning_disability,
            }
        form = ScreeningForm(initial=initial, indicators=indicators)
        return _show(request, child, "screening/form.html", {"form": form})
    form = ScreeningForm(request.POST, indicators=indicators)
    step = request.POST.get("step")
    if step == "edit" or not form.is_valid():
        status = 400 if form.errors else 200
        return _show(request, child, "screening/form.html", {"form": form}, status=status)
    result = suggest_from(form, indicators)
    finishing = step == "finish"
    user: Any = request.user
    telling = step == "tell_dsl" and tells_a_dsl(user) and user.team_id is not None
    judgement = JudgementForm(request.POST if finishing else None, suggested=result.level)
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
        task = do_tell_dsl(
            organisation=user.team.organisation,
            child=child,
            result=result,
            contents=task_contents(result, context, note=tell.cleaned_data["note"]),
            key=tell.cleaned_data["key"],
            acting_user=request.user,
            request=request,
        )
        return HttpResponseRedirect(reverse("pro:screening:task", args=[task.pk]))
    if finishing and judgement.is_valid():
        chosen = judgement.cleaned_data["judgement"]
        category = judgement.cleaned_data["overrule_reason"]
        reason = judgement.cleaned_data["judgement_reason"]
        if child is None:
            record("screening.quick_check", actor=request.user, request=request)
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
            key=judgement.cleaned_data["key"],
            acting_user=request.user,
            request=request,
        )
        url = reverse("pro:cases:child", args=[child.pk])
        return HttpResponseRedirect(f"{url}#screening-{screening.pk}")
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


def explain(result: Result, indicators: list[Indicator], user: Any) -> dict[str, Any]:
    """What a person reads, in order: the action, the level, why, what is not known, the steps.
    The page, the summary and the API all take it from here."""
    by_code = {i.code: i for i in indicators}
    tells = tells_a_dsl(user)
    advice = advise(result, is_dsl=not tells)
    contacts = contacts_for([advice.action, *advice.steps])
    return {
        "advice": advice,
        "contacts": contacts,
        "action_contacts": [contacts[k] for k in advice.action.contacts if k in contacts],
        "steps": [
            (step, [contacts[k] for k in step.contacts if k in contacts]) for step in advice.steps
        ],
        "floors": [(f, [by_code[i] for i in f.indicators]) for f in result.floors],
        "reasons": [(by_code[p.indicator], p) for p in result.present],
        "find_out_first": [
            (by_code[c], by_code[c].ask_for(result.family)) for c in result.key_not_known
        ],
        "find_out": [
            (by_code[c], by_code[c].ask_for(result.family))
            for c in result.not_known
            if c not in result.key_not_known
        ],
        "guidance": level_guidance(result),
        "tells_dsl": tells,
        "leads": designated_leads(user) if tells else [],
        "at_least_words": LEVEL_WORDS[result.at_least],
        "exploiter_words": [EXPLOITER_WORDS[e] for e in result.exploiters],
    }


def task_contents(result: Result, context: dict[str, Any], *, note: str) -> dict[str, Any]:
    """What the DSL reads: the action, the level, why, what is not known, and the note."""
    action = advise(result, is_dsl=True).action  # what the DSL does, not what the sender does
    return {
        "note": note,
        "action": action.text,
        "contacts": [
            {"name": c.name, "phone": c.phone, "url": c.url}
            for c in contacts_for([action]).values()
        ],
        "level_words": result.words,
        "at_least_words": context["at_least_words"] if result.level is None else "",
        "floors": [f.why for f in result.floors],
        "reasons": [f"{i.title} ({WHEN_WORDS[p.when].lower()})" for i, p in context["reasons"]],
        "find_out": [
            f"{i.title}: {ask}" if ask else i.title for i, ask in context["find_out_first"]
        ],
        "exploiters": context["exploiter_words"],
        "criminal": result.criminal,
    }


@pro_required
@require_GET
def task(request: HttpRequest, task_id: int) -> HttpResponse:
    """A practitioner's task for their DSL: the DSL reads and closes it; the sender sees it."""
    policy = DslTaskPolicy(request.user)
    found = policy.get_for(request, task_id)
    do_view_dsl_task(found, acting_user=request.user, request=request)
    context = {"task": found, "contents": found.contents, "can_close": policy.can_close(found)}
    if found.child is not None and not ChildPolicy(request.user).can_open(found.child):
        context["task_child_hidden"] = True
    return render(request, "screening/task.html", context)


@pro_required
@require_POST
def close_task(request: HttpRequest, task_id: int) -> HttpResponse:
    found = DslTaskPolicy(request.user).get_for(request, task_id, need="close")
    do_close_dsl_task(found, acting_user=request.user, request=request)
    return HttpResponseRedirect(reverse("pro:home"))


@allowed_if(lambda policy: policy.can_manage_users)
@require_http_methods(["GET", "POST"])
def indicators(request: HttpRequest) -> HttpResponse:
    """The partnership admin adds local indicators to the catalogue."""
    form = LocalIndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        do_add_local_indicator(form.cleaned_data, acting_user=request.user, request=request)
        return HttpResponseRedirect("/pro/screening/indicators/?added=1")
    context = {"form": form, "indicators": Indicator.objects.active()}
    return render(request, "screening/indicators.html", context, status=400 if form.errors else 200)
