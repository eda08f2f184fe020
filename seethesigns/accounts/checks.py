from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.db import DatabaseError


@register(Tags.security, deploy=True)
def check_no_demo_accounts(**kwargs: Any) -> list[CheckMessage]:
    """Refuse to deploy a production site that still holds demo accounts."""
    if not settings.PRODUCTION:
        return []
    from seethesigns.accounts.models import User

    try:
        demo = list(User.objects.filter(is_demo=True).values_list("username", flat=True))
    except DatabaseError:
        return []  # Not migrated yet: nothing to find.
    if not demo:
        return []
    return [
        Error(
            f"Demo accounts exist in production: {', '.join(demo)}.",
            hint="Delete them with `manage.py delete_demo_accounts`.",
            id="seethesigns.E001",
        )
    ]
