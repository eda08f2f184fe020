"""Training: read a module, take its quiz, get a certificate; the admin sees completion."""

from typing import Any

from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from seethesigns.accounts.decorators import allowed_if, pro_required
from seethesigns.accounts.models import Organisation
from seethesigns.accounts.policies import UserPolicy
from seethesigns.referrals.pdf import render_pdf
from seethesigns.training.actions import do_pass_module
from seethesigns.training.data import Module, modules, pass_mark
from seethesigns.training.policies import CompletionPolicy
from seethesigns.website.models import Source


def get_module(module_id: str) -> Module:
    found = modules().get(module_id)
    if found is None:
        raise Http404
    return found


def with_citations(sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each section with its sources as citations (organisation, year, link), in order."""
    keys = {key for section in sections for key in section["sources"]}
    found = {source.key: source for source in Source.objects.filter(key__in=keys)}
    return [
        {**section, "citations": [found[k] for k in section["sources"] if k in found]}
        for section in sections
    ]


@pro_required
def training(request: HttpRequest) -> HttpResponse:
    passed = {c.module: c for c in CompletionPolicy(me(request)).mine()}
    rows = [(m, passed.get(m.id)) for m in modules().values()]
    return render(request, "training/list.html", {"rows": rows, "pass_mark": pass_mark()})


@pro_required
@require_http_methods(["GET", "POST"])
def module(request: HttpRequest, module_id: str) -> HttpResponse:
    mod = get_module(module_id)
    context: dict[str, Any] = {
        "module": mod,
        "sections": with_citations(mod.sections),
        "pass_mark": pass_mark(),
    }
    if request.method == "POST":
        answers = {q.id: str(request.POST.get(q.id, ""))[:50] for q in mod.quiz}
        missing = [q for q in mod.quiz if not answers[q.id]]
        if missing:
            context.update(answers=answers, missing={q.id for q in missing})
            return render(request, "training/module.html", context, status=400)
        right = sum(1 for q in mod.quiz if answers[q.id] == q.correct)
        score = round(100 * right / len(mod.quiz))
        completion = None
        if score >= pass_mark():
            completion = do_pass_module(mod.id, score, acting_user=me(request), request=request)
        context.update(
            answers=answers, marked=True, score=score, right=right, completion=completion
        )
    return render(request, "training/module.html", context)


@pro_required
def certificate(request: HttpRequest, certificate_id: str) -> HttpResponse:
    completion = CompletionPolicy(request.user).get_for(request, certificate_id)
    mod = get_module(completion.module)
    context = {"completion": completion, "module": mod, "person": request.user}
    try:
        pdf = render_pdf("training/certificate.html", context)
    except OSError:
        return render(request, "training/no_pdf.html", status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{mod.id}.pdf"'
    return response


@allowed_if(lambda policy: policy.can_manage_users)
def completion(request: HttpRequest) -> HttpResponse:
    """For each organisation: how many people have passed each module, of how many."""
    mods = list(modules().values())
    people = dict(
        UserPolicy(request.user)
        .visible()
        .filter(is_active=True)
        .values("team__organisation")
        .annotate(n=Count("pk"))
        .values_list("team__organisation", "n")
    )
    passed: dict[tuple[int, str], int] = {}
    for org_id, module_id, n in (
        CompletionPolicy(request.user)
        .visible()
        .filter(user__is_active=True)
        .values("user__team__organisation", "module")
        .annotate(n=Count("user", distinct=True))
        .values_list("user__team__organisation", "module", "n")
    ):
        passed[(org_id, module_id)] = n
    rows = [
        (org, people.get(org.pk, 0), [passed.get((org.pk, m.id), 0) for m in mods])
        for org in Organisation.objects.all()
    ]
    return render(request, "training/completion.html", {"modules": mods, "rows": rows})


def me(request: HttpRequest) -> Any:
    """The signed-in professional (every view here is behind pro_required)."""
    return request.user
