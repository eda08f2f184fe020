"""The screening tool: a quick check that is not saved, or a screening saved to a child's record."""

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from seethesigns.accounts.decorators import allowed_if, pro_required
from seethesigns.audit.actions import record
from seethesigns.cases.models import Child
from seethesigns.cases.views import child_page, get_child_for_user
from seethesigns.screening.actions import do_add_local_indicator, do_save_screening
from seethesigns.screening.config import load_config
from seethesigns.screening.forms import JudgementForm, LocalIndicatorForm, ScreeningForm
from seethesigns.screening.models import Indicator
from seethesigns.screening.rules import LEVEL_WORDS, Result, suggest
from seethesigns.screening.steps import conditional_steps, level_guidance


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
            from django.utils import timezone

            initial = {
                "age": child.age_on(timezone.localdate()),
                "learning_disability": child.learning_disability,
            }
        form = ScreeningForm(initial=initial, indicators=indicators)
        return _show(request, child, "screening/form.html", {"form": form})
    form = ScreeningForm(request.POST, indicators=indicators)
    if request.POST.get("step") == "edit" or not form.is_valid():
        status = 400 if form.errors else 200
        return _show(request, child, "screening/form.html", {"form": form}, status=status)
    result = suggest(
        form.answers(),
        age=form.cleaned_data["age"],
        learning_disability=form.cleaned_data["learning_disability"] or "not_known",
        catalogue={i.code: i.spec for i in indicators},
        config=load_config(),
    )
    finishing = request.POST.get("step") == "finish"
    judgement = JudgementForm(request.POST if finishing else None, suggested=result.level)
    context = {
        "form": form,
        "child": child,
        "result": result,
        "judgement": judgement,
        **explain(result, indicators),
    }
    if finishing and judgement.is_valid():
        chosen = judgement.cleaned_data["judgement"]
        reason = judgement.cleaned_data["judgement_reason"]
        if child is None:
            record("screening.quick_check", actor=request.user, request=request)
            context.update(judged=chosen, judged_words=LEVEL_WORDS[chosen], reason=reason)
            return render(request, "screening/summary.html", context)
        screening = do_save_screening(
            child,
            age=form.cleaned_data["age"],
            learning_disability=form.cleaned_data["learning_disability"] or "not_known",
            records=form.records(),
            result=result,
            judgement=chosen,
            reason=reason,
            key=judgement.cleaned_data["key"],
            acting_user=request.user,
            request=request,
        )
        return HttpResponseRedirect(f"/pro/children/{child.pk}/#screening-{screening.pk}")
    status = 400 if finishing else 200
    return _show(request, child, "screening/result.html", context, status=status)


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


def explain(result: Result, indicators: list[Indicator]) -> dict[str, Any]:
    """What the templates show: indicators by id, the guidance, the steps, what to find out."""
    by_code = {i.code: i for i in indicators}
    return {
        "reasons": [(by_code[r.indicator], r) for r in result.reasons],
        "find_out": [by_code[code] for code in result.not_known],
        "steps": conditional_steps(result),
        "guidance": level_guidance(result.level),
        "from_points_words": LEVEL_WORDS[result.level_from_points],
    }


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
