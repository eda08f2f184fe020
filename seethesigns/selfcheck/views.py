"""The private self-check. Nothing a person answers is stored, logged or put in an address."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from seethesigns.selfcheck.data import ANSWERS, CheckPath, Question, load
from seethesigns.selfcheck.rules import compute
from seethesigns.website.models import HelpContact, Sign, SignWording


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


@csrf_exempt  # It changes nothing and must set no cookie.
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, path_id: str) -> HttpResponse:
    """Every question on one page; one POST of all the answers gives the result.

    One page rather than one POST per question: the browser's Back inside the check then never
    meets a form it would have to send again ("Confirm form resubmission"), and no answer is
    ever put in an address. With JavaScript the same page shows one question at a time.
    """
    path = _path(path_id)
    if request.method == "GET":
        return render(request, "selfcheck/question.html", {"path": path, "js_data": js_data(path)})
    # A question left unanswered counts as skipped: anyone may leave out any question.
    return _result(request, path, read_answers(request.POST, path))


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
