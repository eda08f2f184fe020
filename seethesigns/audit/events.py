"""Security events on the audit trail: failed sign-ins, lockouts, refused records.

They can come in floods (a password sprayer, a script walking record numbers), so each kind of
event for one key (an account, a worker) is written in full the first time in a window, then
again at the 10th, 100th, 1,000th… with the count so far: the DPO sees that it happened and how
much, and a flood cannot fill the trail or slow every request down with writes.
"""

import logging
from datetime import UTC, datetime
from typing import Any

from django.core.cache import cache
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone

from seethesigns.audit.actions import record
from seethesigns.audit.models import AuditEntry

log = logging.getLogger(__name__)

WINDOW_SECONDS = 600


def window_start() -> int:
    """The start of the current 10-minute window, as a Unix time."""
    now = int(timezone.now().timestamp())
    return now - now % WINDOW_SECONDS


def count_in_window(action: str, key: str) -> int:
    """Count this event in its window; 1 if the cache is down (then every event is written)."""
    bucket = f"sec:{action}:{key}:{window_start()}"
    try:
        cache.add(bucket, 0, timeout=WINDOW_SECONDS * 2)
        return int(cache.incr(bucket))
    except Exception:
        log.warning("Security event not summarised: the cache is unavailable.")
        return 1


def worth_writing(count: int) -> bool:
    """The first event of a window, then the 10th, 100th, 1,000th…"""
    while count % 10 == 0:
        count //= 10
    return count == 1


def security_event(
    action: str,
    *,
    request: HttpRequest | None,
    key: str,
    actor: Any = None,
    obj: Model | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry | None:
    """Write the event if it is the first of its window or a tenfold; return the entry if so."""
    count = count_in_window(action, key)
    if not worth_writing(count):
        return None
    details = {**(data or {}), "count": count}
    if count > 1:
        started = timezone.localtime(datetime.fromtimestamp(window_start(), UTC))
        details["since"] = started.strftime("%H:%M")
    return record(action, actor=actor, obj=obj, request=request, data=details)
