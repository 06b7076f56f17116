"""The load script's settings (bin/load-test): production, served over plain http on loopback.

Everything comes from `prod` — DEBUG off, the manifest static storage, the same middleware, logging and password
hashing — so the figures are those of the production configuration. Only what cannot work over http on 127.0.0.1 is
relaxed:
- no redirect to https and no HSTS (there is no TLS on loopback);
- session and CSRF cookies without the Secure flag (a client keeps Secure cookies for https only, so over http every
  login and every form would fail);
- the demo county may be seeded (prod refuses, rightly: the load database is a throwaway copy of the demo).

Like prod it needs SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL in the environment; bin/load-test sets them (a fresh
secret per run) and never points DATABASE_URL at the developer's database.
"""
from .base import BASE_DIR, env
from .prod import *  # noqa: F401,F403

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

# Transient files of the run stay under var/ (gitignored), apart from the developer's own.
STATIC_ROOT = BASE_DIR / "var" / "load" / "static"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(BASE_DIR / "var" / "load" / "media"))

QIANGJI_DEMO_ALLOWED = True

# SQLite (LOAD_DATABASE_URL=sqlite:///…) for comparison: prod's DATABASES drops base's SQLite options, so put them
# back — writers queue for the lock (IMMEDIATE, 20 s) instead of failing with "database is locked" — and let
# readers go on while one writes (WAL).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {}).update({  # noqa: F405
        "timeout": 20, "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    })
