"""Pages that show a child: every one writes the child's view entry as it renders."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from seethesigns.children.actions import do_view_child
from seethesigns.children.models import Child


def child_page(
    request: HttpRequest,
    child: Child,
    template: str,
    context: dict[str, Any],
    *,
    page: str,
    status: int = 200,
    episode: int | None = None,
) -> HttpResponse:
    """Render a page that shows the child, with its view entry: every such page is audited."""
    do_view_child(child, acting_user=request.user, request=request, page=page, episode=episode)
    return render(request, template, {**context, "child": child}, status=status)
