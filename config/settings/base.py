"""Settings shared by every environment. Values come from the environment through django-environ."""
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False) if (BASE_DIR / ".env").exists() else None

DEBUG = False
ALLOWED_HOSTS: list[str] = []

INSTALLED_APPS = [
    # Qiangji first: its templates and its zh_Hans catalogues take precedence over the contrib apps' own
    # (Django looks translations up in INSTALLED_APPS order). The base app before those that build on it.
    "core",
    "villages",
    "accounts",
    "members",
    "evaluations",
    "pledges",
    "assemblies",
    "checks",
    "reports",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_filters",
    "django_guid",
    "simple_history",
    # Background tasks (the backport of Django 6's django.tasks) with their queue in the database: core/tasks.py.
    "django_tasks",
    "core.tasks_names.TasksConfig",  # django-tasks-db, with its names in Chinese
    # Limits on the public objection form (members/views.py), counted in the shared cache below.
    "django_ratelimit",
    # Last: accounts syncs the roles' permissions on the last app's post_migrate (an app with models).
    "accounts.axes_names.AxesConfig",  # django-axes, with its names in Chinese
]

MIDDLEWARE = [
    # First: every log line of the request carries its id (django-guid), also those of the middleware below.
    "django_guid.middleware.guid_middleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.sessions.SessionRefreshMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # The view of a report, dashboard or export GET reads from the replica, if there is one (core/replica.py); after
    # the middleware above, so what they read comes from the primary.
    "core.replica.ReplicaReadsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend, its permissions read in one query (accounts/backends.py).
    "accounts.backends.PermissionBackend",
]

# Login lockout (django-axes): 5 failures for one user name from one address lock that pair for 30 minutes.
# `manage.py axes_reset` (all) or `axes_reset_username NAME` clears it.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
# The caller behind the proxy, as the objection limit sees it (RATELIMIT_IP_META_KEY below; core/client_ip.py).
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_ip"

# One cache for every process and host: a table in the database (`manage.py createcachetable` after `migrate`; the
# test database gets it when it is created). The public objection form's limits (django-ratelimit) are counted here,
# so 5 an hour from one address holds whichever gunicorn worker or host takes the request.
CACHES = {
    "default": {
        # Django's database cache, its increment keeping the entry's expiry and holding its row (core/cache.py).
        "BACKEND": "core.cache.CountingDatabaseCache",
        "LOCATION": "qiangji_cache",
    }
}
# django-ratelimit names memcached and Redis, whose increment is atomic, and does not know this backend (W001); its
# increment is one transaction holding the entry's row, so concurrent requests each count.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
# The client's address for django-ratelimit's "ip" key: REMOTE_ADDR by default (the development server, tests).
# Behind nginx, gunicorn's REMOTE_ADDR is the proxy's own address, so production names the header the proxy sets
# from the connection it accepted (deploy/nginx/qiangji.conf: X-Real-IP $remote_addr; deploy/qiangji.env.example).
RATELIMIT_IP_META_KEY = env("RATELIMIT_IP_META_KEY", default=None)

# Content-Security-Policy (django-csp 4): only the portal's own files; no inline script or style, no eval.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.portal",
            ],
        },
    },
]

# The embedded default is a SQLite file inside the project; PostgreSQL is the production database.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})


def postgresql_jit_off(database: dict) -> None:
    """JIT off for the portal's PostgreSQL connections: the planner JIT-compiled the report queries (their cost
    estimates are high) and spent 2-3 s compiling what then ran in a fraction of that; pages measured 2-4x slower
    with it (issue 13)."""
    if database["ENGINE"] == "django.db.backends.postgresql":
        options = database.setdefault("OPTIONS", {})
        if "jit=" not in options.get("options", ""):
            options["options"] = (options.get("options", "") + " -c jit=off").strip()


postgresql_jit_off(DATABASES["default"])


def replica_database(databases: dict) -> None:
    """The `replica` alias, a read replica of `default`, when REPLICA_DATABASE_URL is set (core/replica.py: the
    reads of dashboards, reports and exports go there). In tests it is a mirror of the test database."""
    url = env("REPLICA_DATABASE_URL", default="")
    if url:
        databases["replica"] = {**env.db_url_config(url), "TEST": {"MIRROR": "default"}}
        databases["replica"]["ATOMIC_REQUESTS"] = False
        postgresql_jit_off(databases["replica"])


replica_database(DATABASES)
# No opinion (every query to `default`) unless the `replica` alias exists.
DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]
# The URL namespaces whose views' GET reads go to the replica; other views opt in with core.replica.ReplicaReadsMixin.
REPLICA_READ_NAMESPACES = ["reports"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Simplified Chinese for everyone, whatever the browser asks for (no LocaleMiddleware); English is one
# setting away: LANGUAGE_CODE=en in the environment.
LANGUAGE_CODE = env("LANGUAGE_CODE", default="zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
# A month's grid posts about 8 fields per party member; villages of 200+ members exceed Django's default of 1000.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Deductions one party member may have in one month (each under a different rule): the grid refuses more at the
# member's row, so a month's page and its POST stay within bounds.
MEMBERS_MAX_DEDUCTIONS_PER_MONTH = env.int("MEMBERS_MAX_DEDUCTIONS_PER_MONTH", default=10)

# Sessions in the database: every web host behind the proxy reads the same ones (no sticky sessions needed).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 30 * 60
# Not saved on every request (a write per page): core.sessions.SessionRefreshMiddleware pushes the expiry forward at
# most once a minute, so 30 idle minutes still end a session (give or take that minute).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# simple-history keeps who, when and the full row for every change; the history pages show old → new.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
# No "revert to this version" in the admin: it would write past the services, their checks and the period locks.
SIMPLE_HISTORY_REVERT_DISABLED = True

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# Excel imports (core/imports.py): more data rows than this are refused with the count, never cut; an upload larger
# than IMPORT_MAX_UPLOAD_BYTES, or whose zip entries declare more than IMPORT_MAX_UNCOMPRESSED_BYTES, is refused
# before it is opened. A previewed file waits in MEDIA_ROOT/tmp/imports for at most an hour.
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=5000)
IMPORT_MAX_UPLOAD_BYTES = env.int("IMPORT_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
IMPORT_MAX_UNCOMPRESSED_BYTES = env.int("IMPORT_MAX_UNCOMPRESSED_BYTES", default=100 * 1024 * 1024)

QIANGJI_COUNTY_NAME = env("QIANGJI_COUNTY_NAME", default="强基县")

# Background tasks: django-tasks with its database backend (django-tasks-db). `manage.py db_worker` runs them (make run
# starts one beside the web server); moving to Django 6's django.tasks is a change of these settings and imports.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Report workbooks and PDFs of more rows than this (and those of large reports, e.g. region-wide) are built by the
# worker; the page shows progress and then offers the file, which is the asker's alone for QIANGJI_EXPORT_TTL_HOURS.
QIANGJI_BACKGROUND_EXPORT_ROWS = env.int("QIANGJI_BACKGROUND_EXPORT_ROWS", default=5000)
QIANGJI_EXPORT_TTL_HOURS = env.int("QIANGJI_EXPORT_TTL_HOURS", default=24)
# The portal's address for the public (scheme and host, e.g. https://qiangji.example.gov.cn): the QR code and link on
# a public notice point there, whoever builds it — a page, or the worker, which has no request to take the address
# from. Unset: the request's address, and without a request the first host in ALLOWED_HOSTS (core/public_urls.py);
# `check --deploy` asks for it.
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", default="")

# Request ids (django-guid): a fresh one per request, or the proxy's X-Request-ID if it is a valid UUID; returned in
# the response's X-Request-ID and written on every log line of the request (and tagged on its Sentry events).
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": True,
    "RETURN_HEADER": True,
    "EXPOSE_HEADER": False,
    "IGNORE_URLS": [],
    "INTEGRATIONS": [],
}

# ID and phone numbers never reach the logs: every handler masks them. Every line has its time and request id.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "core.logging.RequestIdFilter"},
        "mask_personal_data": {"()": "core.logging.MaskPersonalDataFilter"},
    },
    "formatters": {
        "portal": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id", "mask_personal_data"],
                             "formatter": "portal"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# Error reporting to the county's self-hosted Sentry, only when SENTRY_DSN is set. No personal data: no user, IP,
# cookies or request bodies (send_default_pii False, max_request_body_size "never"), no local variables of stack
# frames, and ID/mobile numbers masked in what is sent (core.logging.sentry_before_send).
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk
    from django_guid.integrations import SentryIntegration as GuidSentryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    from core.logging import sentry_before_send

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration()],
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        before_send=sentry_before_send,
    )
    DJANGO_GUID["INTEGRATIONS"] = [GuidSentryIntegration()]

CSRF_FAILURE_VIEW = "core.views.csrf_failure"

# Rows per page of the portal's long lists (core.views.ScopedListView); a view may set its own paginate_by.
QIANGJI_PAGE_SIZE = env.int("QIANGJI_PAGE_SIZE", default=50)
