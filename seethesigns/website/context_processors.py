from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import DatabaseError
from django.http import HttpRequest


def is_demo_install() -> bool:
    """Whether the demo partnership is loaded (its accounts exist): every page then says so."""
    try:
        return bool(get_user_model().objects.filter(is_demo=True).exists())
    except DatabaseError:
        return False


def site(request: HttpRequest) -> dict[str, Any]:
    # A callable: the query runs only when a template asks (the base template, once).
    return {"partnership_name": settings.PARTNERSHIP_NAME, "demo_install": is_demo_install}
