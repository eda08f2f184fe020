"""Children's records. Every view gets its child through get_child_for_user: 404 for outsiders."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from seethesigns.accounts.decorators import allowed_if, pro_required
from seethesigns.cases.actions import do_create_child, do_view_child
from seethesigns.cases.forms import ChildForm
from seethesigns.cases.models import Child
from seethesigns.cases.policies import ChildPolicy
from seethesigns.referrals.models import Referral
from seethesigns.referrals.policies import ReferralPolicy
from seethesigns.screening.rules import LEVEL_WORDS, LEVELS


def get_child_for_user(request: HttpRequest, child_id: int, *, to_screen: bool = False) -> Child:
    policy = ChildPolicy(request.user)
    child = policy.visible().select_related("team").filter(pk=child_id).first()
    if child is None or (to_screen and not policy.can_screen(child)):
        raise Http404
    return child


@pro_required
def children(request: HttpRequest) -> HttpResponse:
    policy = ChildPolicy(request.user)
    listed = policy.visible().select_related("team")
    return render(
        request, "cases/children.html", {"children": listed, "can_create": policy.can_create}
    )


@allowed_if(lambda policy: ChildPolicy(policy.user).can_create)
@require_http_methods(["GET", "POST"])
def new_child(request: HttpRequest) -> HttpResponse:
    form = ChildForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        child = do_create_child(form.cleaned_data, acting_user=request.user, request=request)
        return HttpResponseRedirect(f"/pro/children/{child.pk}/")
    status = 400 if form.errors else 200
    return render(request, "cases/new_child.html", {"form": form}, status=status)


@pro_required
def child_detail(request: HttpRequest, child_id: int) -> HttpResponse:
    child = get_child_for_user(request, child_id)
    do_view_child(child, acting_user=request.user, request=request)
    screenings = list(child.screenings.select_related("screened_by"))
    context = {
        "child": child,
        "screenings": screenings,
        "chart": level_chart(screenings),
        "can_screen": ChildPolicy(request.user).can_screen(child),
        "can_refer": ReferralPolicy(request.user).can_refer(child),
        "referrals": ReferralPolicy(request.user).visible(Referral.objects.filter(child=child)),
    }
    return render(request, "cases/child.html", context)


def level_chart(screenings: list[Any]) -> dict[str, Any] | None:
    """Suggested and judged levels over time, as points for a small server-drawn SVG."""
    if not screenings:
        return None
    width, height, left, top, step = 560, 170, 150, 20, 40
    count = len(screenings)
    gap = (width - left - 20) / max(count - 1, 1)

    def y(level: str) -> float:
        return top + (len(LEVELS) - 1 - LEVELS.index(level)) * step

    points = []
    for i, s in enumerate(screenings):
        x = left + i * gap if count > 1 else left + (width - left - 20) / 2
        points.append({"x": round(x, 1), "y": y(s.judgement), "sy": y(s.suggested_level), "s": s})
    return {
        "width": width,
        "height": height,
        "rows": [{"y": y(level), "words": LEVEL_WORDS[level]} for level in LEVELS],
        "points": points,
        "line": " ".join(f"{p['x']},{p['y']}" for p in points),
    }
