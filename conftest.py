"""Shared test set-up: the shipped content in the test database, and a real browser."""

import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core.management import call_command
from django.db import connection, connections

from testing.liveserver import CHROMIUM_ARGS, chromium_path, serve

# The hub is a Django project of its own: its tests run in a pytest of their own, with its settings
# (`make test`: pytest --ds=linkagehub.settings --confcutdir=linkagehub linkagehub).
collect_ignore = ["linkagehub"]

# Playwright's sync API runs an event loop; the ORM calls in browser tests are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Load the shipped content once; every test sees the site as `make run` does."""
    with django_db_blocker.unblock():
        call_command("load_content", verbosity=0)
        # The fixed demo only: tests that need the generated year load it themselves.
        call_command("load_demo", "--without-year", verbosity=0)


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
            # Every browser test sends from 127.0.0.1; the unit tests check the limits.
            "CONCERNS_PER_10_MINUTES": "1000",
            "CONCERNS_PER_DAY": "1000",
            # One proxy of our own in front, as in production: a test may say where it is from
            # with X-Forwarded-For (without the header, the connecting address counts).
            "TRUSTED_PROXY_COUNT": "1",
        }
        with serve(env) as url:
            yield url
        # Browser tests query from Playwright's greenlet too; close every connection they opened
        # so the test database can be dropped.
        connections.close_all()


@pytest.fixture(scope="session")
def fault_site(django_db_setup: None, django_db_blocker: Any) -> Iterator[Any]:
    """The site in gunicorn with its database and Redis behind switches (testing/faultsite)."""
    from testing.faultsite import faulty_site, redis_server

    if connection.vendor != "postgresql":
        pytest.skip("Fault injection needs PostgreSQL: set DATABASE_URL (CI does).")
    if redis_server() is None:
        pytest.skip("Fault injection needs redis-server: `make test` installs it as root.")
    try:
        with django_db_blocker.unblock(), faulty_site(connection.settings_dict) as site:
            yield site
    finally:
        with django_db_blocker.unblock():
            connections.close_all()  # or the test database cannot be dropped


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


def verified_client(client: Any, user: Any) -> Any:
    """Sign the user in with both factors, as the two-factor step would."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="Authenticator app", defaults={"confirmed": True}
    )
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def pro_client(client: Any) -> Any:
    """pro_client("demo-frontdoor"): a test client signed in, second factor done, as that user."""
    from seethesigns.accounts.models import User

    def sign_in(username: str) -> Any:
        return verified_client(client, User.objects.get(username=username))

    return sign_in


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Rate limits and cached pages never carry from one test to the next."""
    from django.core.cache import cache

    cache.clear()
