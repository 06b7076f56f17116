"""Production: every secret from the environment with no default; PostgreSQL through DATABASE_URL."""
from .base import *  # noqa: F401,F403
from .base import env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
DATABASES = {"default": env.db("DATABASE_URL")}
postgresql_jit_off(DATABASES["default"])  # noqa: F405
# Keep each worker thread's database connection between requests (checked before reuse): opening a PostgreSQL
# connection per request cost 8–12 ms, as much as a whole small page (bin/load-test). `?conn_max_age=0` in
# DATABASE_URL or CONN_MAX_AGE=0 turns it off.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
# The read replica (REPLICA_DATABASE_URL, optional): connections kept the same way.
replica_database(DATABASES)  # noqa: F405
if "replica" in DATABASES:
    DATABASES["replica"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["replica"].setdefault("CONN_HEALTH_CHECKS", True)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# The load balancer's health probe may ask over plain http inside the network: /healthz answers it, not a redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Several web hosts share the uploaded files: MEDIA_ROOT on a mount every host has, or, when AWS_STORAGE_BUCKET_NAME
# is set, an S3-compatible store (MinIO on the intranet) through django-storages (`pip install -e ".[s3]"`). Files
# are private: no public ACL, served only through the portal's scoped views. The import previews and backups still
# use MEDIA_ROOT as a folder (README "Serving a city or a province").
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env("AWS_S3_REGION_NAME", default=None),
            "access_key": env("AWS_ACCESS_KEY_ID"),
            "secret_key": env("AWS_SECRET_ACCESS_KEY"),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
            "location": env("AWS_LOCATION", default="media"),
        },
    }
# seed_demo refuses to run here.
QIANGJI_DEMO_ALLOWED = False
