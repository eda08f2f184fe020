"""Shared test set-up: the shipped content in the test database, and a real browser."""

import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core.management import call_command
from django.db import connection

from seethesigns.liveserver import CHROMIUM_ARGS, chromium_path, serve

# Playwright's sync API runs an event loop; the ORM calls in browser tests are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Load the shipped content once; every test sees the site as `make run` does."""
    with django_db_blocker.unblock():
        call_command("load_content", verbosity=0)
        call_command("load_demo", verbosity=0)


def _test_database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + db["NAME"]))


@pytest.fixture(scope="session")
def site_url(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """The site served by gunicorn from the test database, in a process of its own."""
    with django_db_blocker.unblock():
        env = {
            "DATABASE_URL": _test_database_url(),
            "SEETHESIGNS_MODE": "development",
            "CONN_MAX_AGE": "0",  # nothing left connected when the test database is dropped
        }
        with serve(env) as url:
            yield url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": chromium_path(), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # A phone first: most young people will meet the site on one.
    return {**browser_context_args, "viewport": {"width": 390, "height": 844}}


@pytest.fixture(autouse=True)
def _no_outside_email(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
