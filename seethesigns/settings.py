"""Settings for SeeTheSigns, all read from the environment (see README.md, "Configuration")."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from seethesigns.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

# "development" is the default for `make run` and the tests; "production" refuses unsafe values.
MODE = env_choice("SEETHESIGNS_MODE", ["development", "production"], "development")
PRODUCTION = MODE == "production"

# Used only outside production; production refuses to start with it.
DEVELOPMENT_SECRET_KEY = "development-only-secret-key-never-use-in-production-0123456789"  # nosec B105
SECRET_KEY = env_str("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
DEBUG = env_bool("DEBUG", False)
# Keys the audit trail's hash chain. Keep it apart from the database (and its backups).
AUDIT_KEY = env_str("AUDIT_KEY", "audit:" + SECRET_KEY)
# Shuffles the numbers behind children's and records' references (seethesigns/references.py).
# Keep it as stable as AUDIT_KEY: references are printed in meeting packs.
REFERENCE_KEY = env_str("REFERENCE_KEY", "reference:" + AUDIT_KEY)
# Where the audit's checkpoints go as it grows, outside the database (seethesigns/audit/
# checkpoints.py): comma-separated `file:/path`, `syslog`, `syslog:/dev/log`, `syslog:host:port`.
AUDIT_CHECKPOINTS = env_list("AUDIT_CHECKPOINTS", [])
# Encrypt concerns and notes at rest: comma-separated Fernet keys, the first encrypts, all decrypt
# (so a key can be rotated). Keep them apart from the database and its backups.
DATA_KEYS = env_list("DATA_KEYS", [])
# Encrypts backup files (manage.py backup). Keep it apart from the backups, and from DATA_KEYS.
BACKUP_KEY = env_str("BACKUP_KEY")
# How long each kind of record is kept (manage.py apply_retention): a reviewed file.
RETENTION_SCHEDULE = env_str("RETENTION_SCHEDULE", str(BASE_DIR / "content" / "retention.yaml"))
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)

if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off in production.")
    if SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("Set SECRET_KEY to a random value of at least 50 characters.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("Set ALLOWED_HOSTS to the site's host names.")
    if not DATA_KEYS:
        raise ImproperlyConfigured(
            "Set DATA_KEYS to a Fernet key (see README): concerns are encrypted with it."
        )
    if not env_str("AUDIT_KEY"):
        raise ImproperlyConfigured("Set AUDIT_KEY to a random value kept apart from the database.")

INSTALLED_APPS = [
    "seethesigns.accounts",
    "seethesigns.matching",
    "seethesigns.website",
    "seethesigns.stories",
    "seethesigns.selfcheck",
    "seethesigns.audit",
    "seethesigns.concerns",
    "seethesigns.children",
    "seethesigns.network",
    "seethesigns.meetings",
    "seethesigns.linkage",
    "seethesigns.screening",
    "seethesigns.referrals",
    "seethesigns.training",
    "seethesigns.dataprotection",
    "seethesigns.problemprofile",
    "seethesigns.workspace",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.typed_table_block",
    "wagtail.locales",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.sites",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "seethesigns.security.SecurityHeadersMiddleware",
    # A body bigger than MAX_REQUEST_BODY: 413 before any of it is read (not only in nginx).
    "seethesigns.bodylimit.BodyLimitMiddleware",
    # Pre-rendered public pages, answered before anything else can touch the database.
    "seethesigns.pagecache.PageCacheMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "seethesigns.accounts.middleware.IdleSignOutMiddleware",
    "seethesigns.accounts.middleware.StaffSecondFactorMiddleware",
    # A 404 met by a signed-in person (another team's record, or a guessed one): audited.
    "seethesigns.audit.middleware.RefusedAccessMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # So that the CMS can confirm a lead's approval, wherever in the CMS they gave it.
    "seethesigns.website.approval.RememberCMSRequest",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A form that lacks a field the code reads directly: 400, not 500.
    "seethesigns.badrequest.MissingFieldMiddleware",
    # A `next` in the CMS that is not a path: dropped, not a 500 after the save.
    "seethesigns.badrequest.NextIsAPathMiddleware",
    # Last, so that it sees a sign-in that the lockout refused.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "seethesigns.urls"
WSGI_APPLICATION = "seethesigns.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "seethesigns" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "seethesigns.website.context_processors.site",
                "seethesigns.workspace.context_processors.workspace",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # A database that has gone quiet (not refusing, just not answering) must not hold a worker
    # until gunicorn kills it: give up and show the "not saved yet" page (seethesigns/outage.py).
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
        "DATABASE_CONNECT_TIMEOUT", 5
    )
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not memory: the browser tests' server process reads the same test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Join the dots (seethesigns/matching): the match probability a pair needs to be shown as "very
# likely the same person" or "possibly the same". The precision and recall each gives on the
# benchmarks are in docs/join-the-dots.md (`make join-the-dots` prints them).
MATCHING_THRESHOLDS = {"very_likely": 0.95, "possibly": 0.02}

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    # Losing Redis loses cached values and rate limits, never a page or a form.
    REDIS_TIMEOUT = env_int("REDIS_TIMEOUT_SECONDS", 1)
    CACHES = {
        "default": {
            "BACKEND": "seethesigns.rediscache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": REDIS_TIMEOUT, "socket_timeout": REDIS_TIMEOUT},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "seethesigns.accounts.backends.AccountBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# NCSC: length over complexity, no composition rules, refuse passwords known to be common.
LOGIN_URL = "wagtailadmin_login"
# Five wrong passwords for one account, from any addresses, pause signing in to it for 15
# minutes; five from one address, for any accounts, pause that address. The pause ends by itself
# (the NCSC's advice: throttle, don't lock for ever), the account holder is e-mailed, and a
# partnership admin can lift it (seethesigns/accounts/lockout.py).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["password", "code"]
AXES_CLIENT_IP_CALLABLE = "seethesigns.addresses.client_ip"
# How many reverse proxies of our own stand in front of gunicorn (each appends to X-Forwarded-For).
# 0: trust only the connecting address. Rate limits, lockouts and the audit's "from" use this.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# Signed-in staff are signed out after this long without a request.
IDLE_TIMEOUT = timedelta(minutes=env_int("IDLE_TIMEOUT_MINUTES", 15))
OTP_TOTP_ISSUER = env_str("PARTNERSHIP_NAME", "SeeTheSigns")
# A decision on a new concern is due within this many working days.
CONCERN_DECISION_WORKING_DAYS = 1
# A concern whose sender says someone is in danger right now is due within this many minutes.
CONCERN_DANGER_NOW_MINUTES = env_int("CONCERN_DANGER_NOW_MINUTES", 60)
# The front door's office hours on working days (local time, from hour, to hour). Outside them a
# danger-now concern says to pass it to the emergency duty team and the police.
FRONT_DOOR_HOURS = (env_int("FRONT_DOOR_OPENS_AT", 9), env_int("FRONT_DOOR_CLOSES_AT", 17))
# The local contacts (help contact identifiers, editable in the CMS) to call out of hours.
OUT_OF_HOURS_CONTACTS = env_list(
    "OUT_OF_HOURS_CONTACTS", ["northbridge-emergency-duty-team", "northbridge-police"]
)
# Concerns a single address may send: a few in ten minutes, more in a day. No captcha.
CONCERN_RATE_LIMITS = [
    (env_int("CONCERNS_PER_10_MINUTES", 5), 600),
    (env_int("CONCERNS_PER_DAY", 20), 86400),
]

# Repeat missing (seethesigns/children/missing.py): a child who went missing this many times within
# this many days (counting the day itself) is flagged, and the CSE coordinator is told once.
REPEAT_MISSING_EPISODES = env_int("REPEAT_MISSING_EPISODES", 3)
REPEAT_MISSING_DAYS = env_int("REPEAT_MISSING_DAYS", 90)
if REPEAT_MISSING_EPISODES < 2 or REPEAT_MISSING_DAYS < 1:
    raise ImproperlyConfigured("Repeat missing needs at least 2 episodes within at least 1 day.")

# Values a worker may type to be matched against every team's records (a new record, a link, a
# new label) in an hour and in a day: the alert must not become a lookup service (links/views.py).
LINK_PROBE_LIMITS = [
    (env_int("LINK_PROBES_PER_HOUR", 40), 3600),
    (env_int("LINK_PROBES_PER_DAY", 150), 86400),
]

# The linkage hub (docs/linkage-hub.md): off unless LINKAGE_HUB_URL is set. `manage.py
# linkage_sync` sends keyed encodings (never names or numbers) of people of concern, phones,
# handles, vehicles and children who went missing; the hub tells both sides of a likely match.
LINKAGE_HUB_URL = env_str("LINKAGE_HUB_URL").rstrip("/")
LINKAGE_PARTNERSHIP = env_str("LINKAGE_PARTNERSHIP")  # this partnership's slug at the hub
LINKAGE_SIGNING_KEY = env_str("LINKAGE_SIGNING_KEY")  # path to its Ed25519 private key (PEM)
# The secret the partnerships share and the hub never sees: it keys every encoding.
LINKAGE_ENCODING_KEY = env_str("LINKAGE_ENCODING_KEY")
LINKAGE_TIMEOUT_SECONDS = env_int("LINKAGE_TIMEOUT_SECONDS", 20)
if LINKAGE_HUB_URL and not (
    LINKAGE_PARTNERSHIP and LINKAGE_SIGNING_KEY and len(LINKAGE_ENCODING_KEY) >= 32
):
    raise ImproperlyConfigured(
        "LINKAGE_HUB_URL is set: also set LINKAGE_PARTNERSHIP, LINKAGE_SIGNING_KEY (a path) and "
        "LINKAGE_ENCODING_KEY (at least 32 characters, shared with the other partnerships)."
    )

# Searches before a child's record is made (children/search.py) one worker may run in an hour
# and in a day: the search must not become a way to find out who is known where.
CHILD_SEARCH_LIMITS = [
    (env_int("CHILD_SEARCHES_PER_HOUR", 30), 3600),
    (env_int("CHILD_SEARCHES_PER_DAY", 100), 86400),
]

# Pre-rendered public pages (seethesigns/pagecache.py): on in production, off in development so
# that a change to a template shows at once. An empty value switches it off.
PAGE_CACHE_DIR = env_str("PAGE_CACHE_DIR", str(BASE_DIR / "var" / "pages") if PRODUCTION else "")
PAGE_CACHE_HOST = env_str("PAGE_CACHE_HOST", "")

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", _("English"))]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "seethesigns" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", PRODUCTION)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Without a manifest (development, tests) WhiteNoise serves straight from the app folders.
WHITENOISE_USE_FINDERS = not env_bool("STATIC_MANIFEST", PRODUCTION)
WHITENOISE_MAX_AGE = 31536000 if PRODUCTION else 0

# Sessions exist only for signed-in staff; public pages never touch them, so never set a cookie.
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "no-referrer"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# A huge search or form body is refused with a clear page rather than a server error.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Any body bigger than this, files included, is refused before it is read (seethesigns/
# bodylimit.py); nginx's client_max_body_size is the same.
MAX_REQUEST_BODY = env_int("MAX_REQUEST_BODY_MB", 4) * 1_048_576

# Locally e-mails are printed; in production set EMAIL_BACKEND to Django's SMTP backend and EMAIL_*.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "seethesigns@localhost")

WAGTAIL_SITE_NAME = env_str("PARTNERSHIP_NAME", "SeeTheSigns")
WAGTAILADMIN_BASE_URL = env_str("BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILADMIN_COMMENTS_ENABLED = False
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Draftail with a converter that two requests can use at once (found by make scan).
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {"WIDGET": "seethesigns.website.richtext.DraftailRichTextArea"}
}
# Broken image data is a form error, not a server error (found by make scan).
WAGTAILIMAGES_IMAGE_FORM_BASE = "seethesigns.website.images.ImageForm"

# Where the exit button sends people: a neutral, common page.
EXIT_URL = env_str("EXIT_URL", "https://www.bbc.co.uk/weather")
# Hosts a film player may be loaded from, and only after the viewer presses play.
FILM_EMBED_HOSTS = env_list(
    "FILM_EMBED_HOSTS", ["https://www.youtube-nocookie.com", "https://player.vimeo.com"]
)
PARTNERSHIP_NAME = WAGTAIL_SITE_NAME
# Help contacts whose details were last checked longer ago than this are listed to the editors
# each week (manage.py list_stale_contacts, run from cron).
CONTACTS_CHECK_EVERY_DAYS = env_int("CONTACTS_CHECK_EVERY_DAYS", 182)

# Never log request bodies or query strings: people type about abuse into this site.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_query_strings": {"()": "seethesigns.security.RedactQueryStrings"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["no_query_strings"]},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "modelsearch": {"level": "WARNING"},
    },
}
