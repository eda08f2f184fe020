"""The private self-check. Nothing a person answers is stored, logged or put in an address."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from seethesigns.content.models import HelpContact, Sign, SignWording
from seethesigns.selfcheck.data import ANSWERS, CheckPath, Question, load
from seethesigns.selfcheck.rules import compute
from seethesigns.untrusted import small_number


@require_GET
def choose(request: HttpRequest) -> HttpResponse:
    return render(request, "selfcheck/choose.html", {"paths": load().paths.values()})


def _path(path_id: str) -> CheckPath:
    path = load().paths.get(path_id)
    if path is None:
        raise Http404
    return path


def read_answers(post: QueryDict, path: CheckPath) -> dict[str, str]:
    """Return the answers carried in the form; anything unknown is dropped, not trusted."""
    answers = {}
    for question in path.questions:
        value = post.get(f"a-{question.id}")
        if value in ANSWERS:
            answers[question.id] = value
    return answers


def read_step(post: QueryDict, path: CheckPath) -> int:
    step = small_number(post.get("step", "0")) or 0
    return min(step, len(path.questions) - 1)


@csrf_exempt  # It changes nothing and must set no cookie.
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, path_id: str) -> HttpResponse:
    path = _path(path_id)
    if request.method == "GET":
        return _question(request, path, 0, {}, error=None)
    answers = read_answers(request.POST, path)
    step = read_step(request.POST, path)
    action = request.POST.get("action", "next")
    question = path.questions[step]
    if action == "back":
        return _question(request, path, max(step - 1, 0), answers, error=None)
    if action == "skip":
        answers[question.id] = "skip"
    else:
        answer = request.POST.get("answer")
        if answer not in ("yes", "no", "not_sure"):
            error = _("Choose yes, no or not sure, or skip this question.")
            return _question(request, path, step, answers, error=error)
        answers[question.id] = answer
    if step + 1 < len(path.questions):
        return _question(request, path, step + 1, answers, error=None)
    return _result(request, path, answers)


def _question(
    request: HttpRequest, path: CheckPath, step: int, answers: dict[str, str], *, error: str | None
) -> HttpResponse:
    question = path.questions[step]
    context = {
        "path": path,
        "question": question,
        "step": step,
        "number": step + 1,
        "total": len(path.questions),
        "current": answers.get(question.id),
        "carried": {q: a for q, a in answers.items() if q != question.id},
        "error": error,
        "js_data": js_data(path),
    }
    return render(request, "selfcheck/question.html", context)


def _result(request: HttpRequest, path: CheckPath, answers: dict[str, str]) -> HttpResponse:
    data = load()
    result = compute(path, data.levels, answers)
    level = next(lv for lv in data.levels if lv.id == result.level)
    explanations = explanations_for(path)
    context = {
        "path": path,
        "result": result,
        "level": level,
        "message": path.messages[result.level],
        "explained": [explanations[q] for q in result.yes],
        "not_sure": data.not_sure.replace("{count}", str(len(result.not_sure))),
        "contacts": HelpContact.in_order(result.help),
    }
    return render(request, "selfcheck/result.html", context)


def explanations_for(path: CheckPath) -> dict[str, str]:
    """Return, per question, the HTML that explains why a yes to it is a sign."""
    sign_ids = {s for q in path.questions for s in q.signs}
    wordings = {
        w.sign.slug: w
        for w in SignWording.objects.filter(
            list=path.sign_list, sign__in=Sign.published().filter(slug__in=sign_ids)
        ).select_related("sign")
    }
    return {
        q.id: render_to_string(
            "selfcheck/explanation.html",
            {"question": q, "wordings": [wordings[s] for s in q.signs if s in wordings]},
        )
        for q in path.questions
    }


def js_data(path: CheckPath) -> dict[str, Any]:
    """Everything the browser needs to run the same check without sending anything."""
    data = load()
    slugs = tuple(dict.fromkeys(s for level in path.help.values() for s in level))
    return {
        "path": path.id,
        "questions": [_question_data(q) for q in path.questions],
        "levels": [
            {
                "id": lv.id,
                "words": lv.words,
                "min_score": lv.min_score,
                "min_not_sure": lv.min_not_sure,
            }
            for lv in data.levels
        ],
        "messages": path.messages,
        "help": path.help,
        "not_sure": data.not_sure,
        "explanations": explanations_for(path),
        "contacts": [
            {
                "slug": c.slug,
                "local": c.urgency == "local",
                "html": render_to_string("includes/contact.html", {"contact": c}),
            }
            for c in HelpContact.in_order(slugs)
        ],
    }


def _question_data(q: Question) -> dict[str, Any]:
    return {"id": q.id, "text": q.text, "hint": q.hint, "flag": q.flag, "weight": q.weight}
