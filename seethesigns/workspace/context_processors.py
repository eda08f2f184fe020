from typing import Any

from django.http import HttpRequest

from seethesigns.accounts.policies import WorkspacePolicy
from seethesigns.paths import WORKSPACE


def workspace(request: HttpRequest) -> dict[str, Any]:
    """The workspace policy, for templates to ask what to show (only on workspace pages)."""
    if not request.path.startswith(WORKSPACE):
        return {}
    return {"workspace": WorkspacePolicy(request.user)}
