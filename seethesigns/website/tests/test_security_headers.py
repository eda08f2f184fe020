import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from seethesigns.security import content_security_policy

pytestmark = pytest.mark.django_db
BASE_DIR = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize("path", ["/", "/signs/", "/search/", "/exit/", "/nope/", "/cms/login/"])
def test_it_sends_the_security_headers_on_every_response(client: Client, path: str):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in directives["script-src"]
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    expected_referrer = "same-origin" if path.startswith("/cms/") else "no-referrer"
    assert response["Referrer-Policy"] == expected_referrer
    assert response["X-Frame-Options"] == "DENY"
    for feature in ["camera=()", "microphone=()", "geolocation=()", "payment=()"]:
        assert feature in response["Permissions-Policy"]


def test_it_sends_hsts_in_production(client: Client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_it_never_lets_a_page_be_framed_except_the_film_player_host(rf):
    request = rf.get("/films/x/play/")
    assert "frame-src 'none'" in content_security_policy(request)
    request.csp_frame_src = ["https://www.youtube-nocookie.com"]
    assert "frame-src https://www.youtube-nocookie.com" in content_security_policy(request)


def _run_in_production(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    unset = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATA_KEYS"}
    unset |= {"AUDIT_KEY"}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**clean, "SEETHESIGNS_MODE": "production", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


GOOD_SECRET = "k" * 20 + "9Zq!x" * 10
KEYS = {"DATA_KEYS": "Zm9yLXRlc3RzLW9ubHktMzItYnl0ZXMtbG9uZy1rZXk=", "AUDIT_KEY": "a" * 40}


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"SECRET_KEY": GOOD_SECRET, "ALLOWED_HOSTS": "cse.example.org", "DEBUG": "1"},
            "DEBUG must be off",
        ),
        ({"ALLOWED_HOSTS": "cse.example.org"}, "Set SECRET_KEY"),
        ({"SECRET_KEY": GOOD_SECRET}, "Set ALLOWED_HOSTS"),
        (
            {"SECRET_KEY": GOOD_SECRET, "ALLOWED_HOSTS": "cse.example.org", "AUDIT_KEY": "a" * 40},
            "Set DATA_KEYS",
        ),
        (
            {"SECRET_KEY": GOOD_SECRET, "ALLOWED_HOSTS": "cse.example.org", "DATA_KEYS": "x"},
            "Set AUDIT_KEY",
        ),
    ],
)
def test_production_refuses_unsafe_settings(env: dict[str, str], message: str):
    result = _run_in_production(env, "check")
    assert result.returncode != 0
    assert message in result.stderr


def test_production_passes_the_deployment_check(tmp_path):
    env = {
        "SECRET_KEY": GOOD_SECRET,
        "ALLOWED_HOSTS": "cse.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "AUDIT_CHECKPOINTS": f"file:{tmp_path / 'audit-checkpoints.log'}",
        **KEYS,
    }
    result = _run_in_production(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_cookies_are_secure_httponly_and_samesite(tmp_path):
    env = {
        "SECRET_KEY": GOOD_SECRET,
        "ALLOWED_HOSTS": "cse.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **KEYS,
    }
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, "
        "s.CSRF_COOKIE_SECURE)"
    )
    result = _run_in_production(env, "shell", "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == ["True", "True", "Lax", "True"]
