"""When the database or the cache is out of reach: say so, keep what was sent, and offer a retry.

Django turns an exception raised anywhere (a view, or the session and sign-in middleware that
read the database before any view runs) into a call to the 500 handler. The handler asks
`is_outage` whether the exception is a lost connection rather than a bug, and if so answers
with `unavailable`: a 503 page that holds the form's fields, so one press of "Try again" sends
exactly what the person wrote. Forms that change records carry a submission key, so a retry of
a form that was in fact stored is answered with the first record, never a second.
"""

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from seethesigns.paths import WORKSPACE
from seethesigns.security import STAFF_PREFIXES

RETRY_AFTER_SECONDS = 30
# Never written back into a page: what proves who someone is stays with the request it came in.
SECRET_FIELDS = ("password", "code", "otp_token")
# Fields that are not the person's words: sent again, but not shown.
MACHINE_FIELDS = ("csrfmiddlewaretoken", "key", "token", "action")


def is_outage(exception: BaseException | None) -> bool:
    """A lost or refused connection (stopped, restarting, out of connections), not a bug."""
    return isinstance(
        exception, OperationalError | InterfaceError | RedisConnectionError | RedisTimeoutError
    )


def unavailable(request: HttpRequest, partnership_name: str) -> HttpResponse:
    """A 503 that needs neither the database nor the cache, with the sent form kept."""
    if request.path.startswith(f"{WORKSPACE}api/") or "json" in (request.content_type or ""):
        response: HttpResponse = JsonResponse(
            {"error": "unavailable", "retry_after": RETRY_AFTER_SECONDS}, status=503
        )
    else:
        fields = _kept_fields(request)
        context = {
            "partnership_name": partnership_name,
            "fields": fields,
            "shown": [value for name, value in fields or [] if _shown(name, value)],
            "action": request.get_full_path(),
            "secret": request.method == "POST" and fields is None,
            "staff": request.path.startswith(STAFF_PREFIXES),
        }
        page = loader.get_template("503.html").render(context)
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _kept_fields(request: HttpRequest) -> list[tuple[str, str]] | None:
    """The POSTed fields in order, or None when a password or code was among them."""
    if request.method != "POST":
        return []
    try:
        items = [(name, value) for name in request.POST for value in request.POST.getlist(name)]
    except Exception:  # a body that cannot be read again: nothing to keep
        return []
    if any(any(secret in name for secret in SECRET_FIELDS) for name, _ in items):
        return None
    return items


def _shown(name: str, value: str) -> bool:
    """Words the person wrote (not a choice's code or a token), shown so they can copy them."""
    return name not in MACHINE_FIELDS and len(value.split()) > 1
