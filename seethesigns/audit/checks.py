from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

from seethesigns.audit.checkpoints import sinks


@register(Tags.security)
def check_audit_checkpoints_spec(**kwargs: Any) -> list[CheckMessage]:
    """A bad AUDIT_CHECKPOINTS stops the site."""
    try:
        sinks()
    except ImproperlyConfigured as error:
        return [Error(str(error), id="seethesigns.E002")]
    return []


@register(Tags.security, deploy=True)
def check_audit_checkpoints(**kwargs: Any) -> list[CheckMessage]:
    """No AUDIT_CHECKPOINTS in production: a warning from `check --deploy`."""
    try:
        found = sinks()
    except ImproperlyConfigured:
        return []  # said above
    if settings.PRODUCTION and not found:
        return [
            Warning(
                "AUDIT_CHECKPOINTS is empty: a wiped or cut audit trail cannot be detected.",
                hint="Set it to file:/path and/or syslog (docs/security.md).",
                id="seethesigns.W002",
            )
        ]
    return []
