"""The screenings on a child's page, with their levels over time as a small chart."""

from typing import Any

from django.http import HttpRequest

from seethesigns.children.models import Child
from seethesigns.screening.policies import designated_leads, tells_a_dsl
from seethesigns.screening.rules import LEVEL_WORDS, LEVELS


def child_panel(request: HttpRequest, child: Child) -> dict[str, Any]:
    screenings = list(child.screenings.select_related("screened_by"))
    just_screened = "screened" in request.GET and tells_a_dsl(request.user)
    return {
        # A practitioner's screening ends with telling their DSL, with their names and numbers.
        "tell_dsl_leads": designated_leads(request.user) if just_screened else None,
        "screenings": screenings,
        "chart": level_chart(screenings),
    }


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
        sy = y(s.suggested_level) if s.suggested_level else None  # none when too little known
        points.append({"x": round(x, 1), "y": y(s.judgement), "sy": sy, "s": s})
    return {
        "width": width,
        "height": height,
        "rows": [{"y": y(level), "words": LEVEL_WORDS[level]} for level in LEVELS],
        "points": points,
        "line": " ".join(f"{p['x']},{p['y']}" for p in points),
    }
