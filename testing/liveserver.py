"""Run the site in a separate process for browser tests and screenshots, as a visitor meets it."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Page

BASE_DIR = Path(__file__).resolve().parent.parent

# Every public page, as a visitor reaches it. Tests and `make screenshots` walk this list.
PUBLIC_PATHS = [
    "/",
    "/young-people/",
    "/worried-about-a-friend/",
    "/parents-and-carers/",
    "/professionals/",
    "/working-with-the-public/",
    "/what-is-cse/",
    "/signs/",
    "/signs/me/",
    "/signs/friend/",
    "/signs/parent/",
    "/signs/professional/",
    "/signs/public/",
    "/films/",
    "/films/exploited/",
    "/get-help/",
    "/tell-someone/",
    "/cover-your-tracks/",
    "/sextortion/",
    "/accessibility/",
    "/stories/",
    "/stories/jay/",
    "/self-check/",
    "/self-check/me/",
    "/search/",
    "/search/?q=gifts",
    "/this-page-does-not-exist/",
]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def tab_to(page: "Page", selector: str, limit: int = 120) -> None:
    """Press Tab until the element matching the selector has focus, as a keyboard user would."""
    for _ in range(limit):
        if page.evaluate(
            "s => document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def chromium_path() -> str:
    return os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(env: dict[str, str], app: str = "seethesigns.wsgi") -> Iterator[str]:
    """Serve the site with gunicorn on a free loopback port; yield its address."""
    with serve_process(env, app) as (url, _process):
        yield url


@contextmanager
def serve_process(
    env: dict[str, str], app: str = "seethesigns.wsgi"
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Serve the site with gunicorn on a free loopback port; yield its address and process."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        app,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
        "--threads",
        "4",
        "--no-control-socket",
        "--access-logfile",
        "-",
        "--access-logformat",
        "%(m)s %(U)s %(s)s",
    ]
    process = subprocess.Popen(  # noqa: S603  (our own fixed command)  # nosec B603
        command, cwd=BASE_DIR, env={**os.environ, **env}, stdout=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 60  # a busy machine (CI beside other work) starts slowly
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("The site did not start; see the output above.") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}", process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:  # a worker stuck on a lost connection: do not wait on
            process.kill()
            process.wait()
