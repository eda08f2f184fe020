"""Pre-rendered public pages, served without touching the database.

`render_all()` walks the public site from its home page through Django itself (the same middleware,
templates and headers a visitor gets), and writes every page that is the same for everyone into a
new generation folder: `index.html`, `index.html.gz` and the response headers in `headers.json`.
A symlink, `current`, is then swapped to it in one step, so a reader sees the old site or the new
one, never half of each. nginx serves those files in production (`manage.py nginx_config`), and
`PageCacheMiddleware` below serves them where nothing stands in front of gunicorn.

A page is kept only if it answered 200 with HTML, set no cookie, varied by nothing that differs
between visitors without cookies, was not marked `X-Page-Cache: never` (`NEVER`), and came out
byte for byte the same when rendered twice: a page with something made for one visitor is never
shared.

Any change an editor saves schedules a new render (a second later, in the background); `manage.py
prerender --every 60` is the safety net for changes that no signal reports (scheduled publishing).
"""

from __future__ import annotations

import fcntl
import gzip
import io
import json
import logging
import os
import re
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag

from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.core.handlers.wsgi import WSGIRequest
from django.db import close_old_connections, transaction
from django.db.models.signals import post_delete, post_migrate, post_save, pre_migrate
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

from seethesigns.paths import CMS, WORKSPACE

logger = logging.getLogger(__name__)

NEVER = "X-Page-Cache"  # a view sets it to "never" when its page is made for one visitor
SKIP_PREFIXES = (WORKSPACE, CMS, "/static/", "/media/", "/documents/", "/exit/", "/django-admin/")
# Headers that belong to one response, not to the page.
DROP_HEADERS = {"content-length", "content-encoding", "date", NEVER.lower()}
# Apps whose saved rows can change what a public page shows.
CONTENT_APPS = {"content", "stories", "selfcheck", "wagtailcore", "wagtailimages", "wagtaildocs"}
MAX_PAGES = 5000
RENDERING = "seethesigns.pagecache.rendering"  # in a request's environ: render, don't replay
_HREF = re.compile(r'href="(/[^"#?]*)(?:#[^"]*)?"')
# Segments may hold dots but not start with one: no "." or "..", no hidden files.
_SAFE_PATH = re.compile(r"^/(?:[A-Za-z0-9_~-][A-Za-z0-9._~-]*/)*$")


class RenderFailed(Exception):
    """A page answered with a server error: the render is abandoned, the current pages stay."""


def root() -> Path | None:
    """The folder holding the generations and the `current` symlink, or None when switched off."""
    value = getattr(settings, "PAGE_CACHE_DIR", "")
    return Path(value) if value else None


def cacheable_path(path: str) -> bool:
    return bool(_SAFE_PATH.match(path)) and not path.startswith(SKIP_PREFIXES)


# --- Rendering ------------------------------------------------------------------------------


def _environ(path: str) -> dict[str, Any]:
    host = getattr(settings, "PAGE_CACHE_HOST", "") or next(
        (h for h in settings.ALLOWED_HOSTS if h and not h.startswith(".") and h != "*"),
        "localhost",
    )
    https = bool(getattr(settings, "SECURE_SSL_REDIRECT", False))
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": host,
        "SERVER_PORT": "443" if https else "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": host,
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "https" if https else "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        RENDERING: True,
    }


def _get(handler: Any, path: str) -> tuple[int, list[tuple[str, str]], bytes]:
    """GET a path from a WSGI application: the site itself, or a stand-in in tests."""
    if isinstance(handler, BaseHandler):
        # Straight through the middleware, without the request signals that close connections.
        response = handler.get_response(WSGIRequest(_environ(path)))
        body = b"".join(response)
        headers = list(response.items())
        # Django adds cookies only in the WSGI handler: count them here, or they go unseen.
        headers += [("Set-Cookie", c.output(header="")) for c in response.cookies.values()]
        return response.status_code, headers, body
    started: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        started["status"], started["headers"] = int(status.split()[0]), headers
        return lambda data: None

    return_value = handler(_environ(path), start_response)
    return started["status"], started["headers"], b"".join(return_value)


def site_handler() -> BaseHandler:
    handler = BaseHandler()
    handler.load_middleware()
    return handler


def _varies_only_harmlessly(vary: str) -> bool:
    """Whether every visitor the cache answers would get this same page.

    The cache answers only requests without a cookie, and pages are rendered without one, so
    "Cookie" is harmless; so is the language while the site has only one.
    """
    harmless = {"accept-encoding", "cookie"}
    if len(settings.LANGUAGES) == 1:
        harmless.add("accept-language")
    return {token.strip().lower() for token in vary.split(",") if token.strip()} <= harmless


def _keep(status: int, headers: list[tuple[str, str]]) -> bool:
    names = {name.lower(): value for name, value in headers}
    return (
        status == 200
        and names.get("content-type", "").startswith("text/html")
        and "set-cookie" not in names
        and _varies_only_harmlessly(names.get("vary", ""))
        and names.get(NEVER.lower()) != "never"
    )


def crawl(
    handler: Any, start: Iterable[str] = ("/",)
) -> Iterator[tuple[str, list[tuple[str, str]], bytes]]:
    """Yield (path, headers, body) for every public page reachable from `start` that is kept."""
    queue = list(start)
    seen = set(queue)
    while queue and len(seen) <= MAX_PAGES:
        path = queue.pop(0)
        status, headers, body = _get(handler, path)
        if status >= 500:
            # The site is failing (a database blip?): keep the pages already in place.
            raise RenderFailed(f"{path} answered {status}")
        if status != 200:
            continue
        for link in _HREF.findall(body.decode("utf-8", "replace")):
            link = urldefrag(link)[0]
            if link not in seen and cacheable_path(link):
                seen.add(link)
                queue.append(link)
        if not _keep(status, headers):
            continue
        again = _get(handler, path)
        if again[2] != body:
            logger.info("page cache: %s differs between two renders; not cached", path)
            continue
        yield path, headers, body


def starting_points() -> list[str]:
    """The home page, every live public page, and the steps pages offer (a story's scenes)."""
    from wagtail.models import Page

    paths = ["/"]
    for page in Page.objects.live().public().specific().iterator():
        url = page.url
        if url:
            paths.append(url)
            paths.extend(getattr(page, "cacheable_paths", list)())
    return list(dict.fromkeys(p for p in paths if cacheable_path(p)))


def render_all(where: Path | None = None) -> int:
    """Render every public page into a new generation and make it current. Return the count.

    One render at a time across processes (gunicorn workers, `prerender --every`): a file lock.
    """
    where = where or root()
    if where is None:
        return 0
    where.mkdir(parents=True, exist_ok=True)
    with open(where / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _render_locked(where)


def _render_locked(where: Path) -> int:
    generation = where / f"gen-{time.time_ns()}-{os.getpid()}-{threading.get_ident()}"
    generation.mkdir()
    handler = site_handler()
    headers_by_path: dict[str, list[tuple[str, str]]] = {}
    try:
        for path, headers, body in crawl(handler, starting_points()):
            folder = generation / path.strip("/")
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "index.html").write_bytes(body)
            (folder / "index.html.gz").write_bytes(gzip.compress(body, compresslevel=9, mtime=0))
            headers_by_path[path] = [(k, v) for k, v in headers if k.lower() not in DROP_HEADERS]
    except BaseException:
        shutil.rmtree(generation, ignore_errors=True)
        raise
    (generation / "headers.json").write_text(json.dumps(headers_by_path, indent=0, sort_keys=True))
    link = where / "current"
    try:
        previous = os.readlink(link)
    except OSError:
        previous = ""
    temporary = where / f"current.{os.getpid()}.{threading.get_ident()}"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(generation.name)
    os.replace(temporary, link)
    # Keep the one before (a request may still be reading it); remove the rest.
    for old in where.glob("gen-*"):
        if old.name not in (generation.name, previous):
            shutil.rmtree(old, ignore_errors=True)
    return len(headers_by_path)


# --- Re-rendering when an editor changes something -----------------------------------------

_lock = threading.Lock()
_pending: threading.Timer | None = None


def _render_now() -> None:
    try:
        with _lock:
            count = render_all()
        logger.info("page cache: %d pages rendered", count)
    except Exception:
        logger.exception("page cache: rendering failed; the previous pages stay in place")
    finally:
        close_old_connections()


def schedule(delay: float | None = None) -> None:
    """Render again shortly; several changes in quick succession cause one render."""
    global _pending
    if root() is None:
        return
    if _pending is not None:
        _pending.cancel()
    wait = getattr(settings, "PAGE_CACHE_DELAY", 1.0) if delay is None else delay
    _pending = threading.Timer(wait, _render_now)
    _pending.daemon = False  # a worker or command that is exiting still finishes the render
    _pending.start()


def wait_for_pending() -> None:
    """Block until a scheduled render has finished (for tests and the management command)."""
    if _pending is not None:
        _pending.join()


_paused = threading.local()


@contextmanager
def paused() -> Iterator[None]:
    """Don't schedule renders for changes made inside (a bulk load renders once at its end)."""
    _paused.on = True
    try:
        yield
    finally:
        _paused.on = False


def _changed(sender: Any, **kwargs: Any) -> None:
    if getattr(_paused, "on", False) or root() is None:
        return
    if sender._meta.app_label in CONTENT_APPS:
        transaction.on_commit(schedule)


def _pause(**kwargs: Any) -> None:
    _paused.on = True


def _resume(**kwargs: Any) -> None:
    _paused.on = False


def connect_signals() -> None:
    post_save.connect(_changed, dispatch_uid="pagecache-save")
    post_delete.connect(_changed, dispatch_uid="pagecache-delete")
    # Migrations write rows too (Wagtail's first page): render after load_content, not mid-way.
    pre_migrate.connect(_pause, dispatch_uid="pagecache-pre-migrate")
    post_migrate.connect(_resume, dispatch_uid="pagecache-post-migrate")


# --- Serving --------------------------------------------------------------------------------


class _Generation:
    """The headers of the current generation, read once per generation."""

    def __init__(self) -> None:
        self.name = ""
        self.headers: dict[str, list[tuple[str, str]]] = {}

    def load(self, where: Path) -> dict[str, list[tuple[str, str]]] | None:
        try:
            name = os.readlink(where / "current")
        except OSError:
            return None
        if name != self.name:
            try:
                raw = json.loads((where / name / "headers.json").read_text())
            except (OSError, ValueError):
                return None
            self.headers = {path: [tuple(h) for h in hs] for path, hs in raw.items()}
            self.name = name
        return self.headers


class PageCacheMiddleware:
    """Serve a pre-rendered page when there is one, before any other middleware runs.

    Only GET and HEAD without a query string or a cookie: a signed-in editor or professional always
    gets a freshly rendered page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.generation = _Generation()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        where = root()
        if (
            where is not None
            and request.method in ("GET", "HEAD")
            and not request.META.get("QUERY_STRING")
            and not request.META.get("HTTP_COOKIE")
            and RENDERING not in request.META
        ):
            served = self.serve(where, request)
            if served is not None:
                return served
        return self.get_response(request)

    def serve(self, where: Path, request: HttpRequest) -> HttpResponse | None:
        path = request.path_info
        if not cacheable_path(path):
            return None
        headers = self.generation.load(where)
        if headers is None or path not in headers:
            return None
        gzipped = "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")
        name = "index.html.gz" if gzipped else "index.html"
        try:
            body = (where / self.generation.name / path.strip("/") / name).read_bytes()
        except OSError:
            return None
        response = HttpResponse(body if request.method == "GET" else b"")
        for header, value in headers[path]:
            response[header] = value
        patch_vary_headers(response, ["Accept-Encoding"])
        response["Content-Length"] = str(len(body))
        if gzipped:
            response["Content-Encoding"] = "gzip"
        return response
