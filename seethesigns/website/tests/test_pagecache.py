"""Pre-rendered public pages: Django's own bytes and headers, never a page made for one visitor."""

import gzip
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from seethesigns import pagecache
from seethesigns.website.models import ContentPage

pytestmark = pytest.mark.django_db

# Headers that belong to one response rather than to the page.
PER_RESPONSE = {"content-length", "date", "content-encoding", "vary"}


@pytest.fixture
def cache_dir(settings, tmp_path) -> Path:
    settings.PAGE_CACHE_DIR = str(tmp_path / "pages")
    pagecache.render_all()
    return tmp_path / "pages"


def page_headers(response) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k.lower() not in PER_RESPONSE}


def test_rendering_writes_the_public_pages_and_swaps_them_in_at_once(cache_dir: Path):
    current = cache_dir / "current"
    assert current.is_symlink()
    headers = json.loads((current / "headers.json").read_text())
    for path in [
        "/",
        "/what-is-cse/",
        "/signs/me/",
        "/stories/jay/",
        "/get-help/",
        "/tell-someone/",
    ]:
        assert path in headers, path
        folder = current / path.strip("/")
        body = (folder / "index.html").read_bytes()
        assert gzip.decompress((folder / "index.html.gz").read_bytes()) == body
    # Every scene of a story, also those reached only through a spot-the-signs form.
    assert "/stories/jay/spot-gifts/" in headers
    assert len(headers) > 60


def test_pages_made_for_one_visitor_or_for_staff_are_never_cached(cache_dir: Path):
    headers = json.loads((cache_dir / "current" / "headers.json").read_text())
    # A film's player page names another host in its policy.
    assert not [p for p in headers if p.endswith("/play/")]
    assert not [p for p in headers if p.startswith(("/pro/", "/cms/", "/exit/", "/static/"))]


def test_a_cached_page_is_the_same_as_a_rendered_one_and_touches_no_database(
    cache_dir: Path, settings, django_assert_num_queries
):
    for path in ["/", "/signs/professional/", "/stories/a-teacher/secret/"]:
        with django_assert_num_queries(0):
            cached = Client().get(path)
        settings.PAGE_CACHE_DIR = ""
        fresh = Client().get(path)
        settings.PAGE_CACHE_DIR = str(cache_dir)
        assert cached.status_code == fresh.status_code == 200
        assert cached.content == fresh.content, path
        assert page_headers(cached) == page_headers(fresh), path
        assert not cached.cookies


def test_gzip_and_head_are_answered_from_the_cache(cache_dir: Path, django_assert_num_queries):
    with django_assert_num_queries(0):
        zipped = Client().get("/what-is-cse/", HTTP_ACCEPT_ENCODING="gzip, br")
        head = Client().head("/what-is-cse/")
    plain = Client().get("/what-is-cse/")
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == plain.content
    assert "Accept-Encoding" in zipped["Vary"]
    assert head.content == b""
    assert head["Content-Length"] == str(len(plain.content))


@pytest.mark.parametrize(
    "ask",
    [
        lambda c: c.get("/what-is-cse/", {"q": "x"}),  # a query string
        lambda c: c.post("/what-is-cse/"),  # not a GET
        lambda c: (c.cookies.load({"sessionid": "x"}), c.get("/what-is-cse/"))[1],  # a cookie
        lambda c: c.get("/what-is-cse"),  # no trailing slash: Django redirects
        lambda c: c.get("/signs/../what-is-cse/"),  # not a clean address
    ],
)
def test_anything_but_a_plain_get_goes_to_the_app(cache_dir: Path, ask):
    """Only a plain GET of a clean address is answered from a file."""
    marked = cache_dir / "current" / "what-is-cse" / "index.html"
    marked.write_bytes(b"FROM THE CACHE")
    assert Client().get("/what-is-cse/").content == b"FROM THE CACHE"
    response = ask(Client())
    assert response.status_code < 500
    assert b"FROM THE CACHE" not in response.content


def test_an_editors_published_change_is_rendered(
    cache_dir: Path, monkeypatch, django_capture_on_commit_callbacks
):
    scheduled = []
    monkeypatch.setattr(pagecache, "schedule", lambda: scheduled.append(True))
    page = ContentPage.objects.get(url_path__endswith="/what-is-cse/")
    page.title = page.seo_title = "What child sexual exploitation is (updated)"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert scheduled, "publishing did not schedule a render"
    assert b"(updated)" not in Client().get("/what-is-cse/").content  # not yet rendered
    # The render itself runs here, in this thread, where the test's transaction is visible.
    pagecache.render_all()
    assert b"(updated)" in Client().get("/what-is-cse/").content


def test_a_scheduled_render_runs_once_for_a_burst_of_changes(settings, tmp_path, monkeypatch):
    settings.PAGE_CACHE_DIR = str(tmp_path)
    runs = []

    def render_all() -> int:
        runs.append(1)
        return 0

    monkeypatch.setattr(pagecache, "render_all", render_all)
    for _ in range(5):
        pagecache.schedule(delay=0.2)
    pagecache.wait_for_pending()
    assert runs == [1]


def test_a_page_that_differs_between_renders_is_not_cached():
    counter = iter(range(1000))

    def app(environ, start_response):
        path = environ["PATH_INFO"]
        html = "text/html; charset=utf-8"
        pages = {
            "/": (
                200,
                [("Content-Type", html)],
                b'<a href="/same/"></a><a href="/once/"></a>'
                b'<a href="/cookie/"></a><a href="/pro/x/"></a><a href="/gone/"></a>',
            ),
            "/same/": (200, [("Content-Type", html)], b"same"),
            "/once/": (200, [("Content-Type", html)], f"{next(counter)}".encode()),
            "/cookie/": (200, [("Content-Type", html), ("Set-Cookie", "a=b")], b"c"),
            "/gone/": (404, [("Content-Type", html)], b"no"),
        }
        status, headers, body = pages.get(path, (500, [], b""))
        assert not path.startswith("/pro/"), "the crawl must not visit staff pages"
        start_response(f"{status} X", headers)
        return io.BytesIO(body)

    kept = [path for path, _, _ in pagecache.crawl(app)]
    assert kept == ["/", "/same/"]


def test_the_nginx_configuration_carries_the_same_headers(cache_dir: Path, settings):
    out = io.StringIO()
    call_command("nginx_config", "--listen", "8080", stdout=out)
    config = out.getvalue()
    settings.PAGE_CACHE_DIR = ""
    fresh = Client().get("/")
    for name in [
        "Content-Security-Policy",
        "Permissions-Policy",
        "Referrer-Policy",
        "Cache-Control",
        "X-Frame-Options",
        "X-Content-Type-Options",
    ]:
        assert f'add_header {name} "{fresh[name]}" always;' in config, name
    assert f"root {cache_dir.absolute()}/current;" in config
    # Over plain HTTP nothing is answered from a file: the app redirects to HTTPS.
    assert '"https:GET::" 1;' in config and '"https:HEAD::" 1;' in config
    assert '"http:GET::"' not in config
    assert "Set-Cookie" not in config


@pytest.mark.skipif(
    shutil.which("nginx") is None, reason="nginx is not installed (make test installs it as root)"
)
def test_nginx_accepts_the_configuration(cache_dir: Path, tmp_path: Path):
    out = io.StringIO()
    call_command("nginx_config", "--listen", "127.0.0.1:8099", "--access-log", "off", stdout=out)
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"pid {tmp_path}/nginx.pid; error_log stderr; events {{}}\n"
        f"http {{ include /etc/nginx/mime.types; {out.getvalue()} }}\n"
    )
    nginx = str(shutil.which("nginx"))
    result = subprocess.run([nginx, "-t", "-c", str(conf)], capture_output=True, text=True)  # noqa: S603
    assert result.returncode == 0, result.stderr


def test_a_render_that_meets_a_server_error_keeps_the_pages_in_place(cache_dir: Path, monkeypatch):
    before = (cache_dir / "current").readlink()

    def failing(handler, start=("/",)):
        yield "/", [("Content-Type", "text/html")], b"half"
        raise pagecache.RenderFailed("/signs/ answered 500")

    monkeypatch.setattr(pagecache, "crawl", failing)
    with pytest.raises(pagecache.RenderFailed):
        pagecache.render_all()
    assert (cache_dir / "current").readlink() == before
    assert [p.name for p in cache_dir.glob("gen-*")] == [before.name]


def test_a_page_that_sets_a_cookie_is_seen_to_set_it(cache_dir: Path, monkeypatch):
    """Django adds cookies outside response.items(): the renderer must still see them."""
    from django.http import HttpResponse

    response = HttpResponse("<p>x</p>")
    response.set_cookie("tracker", "1")
    from django.core.handlers.base import BaseHandler

    monkeypatch.setattr(BaseHandler, "get_response", lambda self, request: response)
    status, headers, _ = pagecache._get(pagecache.site_handler(), "/")
    assert not pagecache._keep(status, headers)
