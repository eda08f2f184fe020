"""The hub's settings, all from the environment: nothing of a partnership's app is here."""

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip().isdigit() else default


# The hub keeps no sessions, forms or signed cookies: the key only has to exist.
SECRET_KEY = os.environ.get("HUB_SECRET_KEY") or secrets.token_urlsafe(50)
DEBUG = os.environ.get("HUB_DEBUG", "") == "1"
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("HUB_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
]

INSTALLED_APPS = ["linkagehub"]
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
ROOT_URLCONF = "linkagehub.urls"
WSGI_APPLICATION = "linkagehub.wsgi.application"
TEMPLATES: list[dict[str, object]] = []

_default_db = f"sqlite:///{BASE_DIR / 'var' / 'hub.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("HUB_DATABASE_URL") or _default_db,
        conn_max_age=_int("HUB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The demo's hub on SQLite: writers wait their turn instead of failing "database is locked".
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Its own test database beside the app's, when both come from one server.
    DATABASES["default"]["TEST"] = {"NAME": f"test_linkagehub_{DATABASES['default']['NAME']}"}
    # A lock not granted within 10 s (an upload behind `set_parameters --rematch`) is a 503 the
    # partnership retries, not a request held until the web worker times out.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c lock_timeout=10000"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "UTC"

# Bodies: 1,000 encodings of people with several names and addresses are about 3 MB; more than
# this is refused (413) before it is read.
HUB_MAX_BODY_BYTES = _int("HUB_MAX_BODY_BYTES", 8 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = HUB_MAX_BODY_BYTES + 1
HUB_MAX_PER_REQUEST = 1000  # encodings or refs in one request
HUB_MAX_ALERTS = 500  # alerts in one answer
# Per partnership: requests a minute and encodings a day (the first upload of 20,000 records is
# 20 requests; the day's limit stops one partnership flooding the others with candidates).
HUB_REQUESTS_PER_MINUTE = _int("HUB_REQUESTS_PER_MINUTE", 120)
HUB_ENCODINGS_PER_DAY = _int("HUB_ENCODINGS_PER_DAY", 200_000)
# Candidates compared for one arriving encoding; block keys shared by more are too common to help.
HUB_MAX_CANDIDATES = _int("HUB_MAX_CANDIDATES", 5000)

SECURE_CONTENT_TYPE_NOSNIFF = True
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"linkagehub": {"handlers": ["console"], "level": "INFO"}},
}
