"""Tests: fast hashing, a temporary media root, the database from DATABASE_URL (SQLite by default)."""
import copy
import tempfile
from pathlib import Path

from .base import *  # noqa: F401,F403

DEBUG = False
SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PUBLIC_BASE_URL = ""  # the request's address (http://testserver), whatever the environment says; tests set their own
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="qiangji-test-media-"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
QIANGJI_DEMO_ALLOWED = True

# The read replica is always there in tests, as a mirror of the test database (Django's TEST MIRROR: the same
# database, no copy made; its connection settings are those of `default`, whatever REPLICA_DATABASE_URL says), so
# the routing of core/replica.py runs in every test, with or without the variable. A test that reads it lists it:
# django_db(databases=["default", "replica"]); tests/conftest.py adds it to the transactional tests.
DATABASES["replica"] = {**copy.deepcopy(DATABASES["default"]), "TEST": {"MIRROR": "default"}}  # noqa: F405

# The test client's login() calls authenticate() without a request, which django-axes refuses;
# the lockout tests switch it on for themselves.
AXES_ENABLED = False

# The demo county the seed test and the browser journeys load is built around a fixed "today", so they pass
# whatever the date the suite runs on (the journeys enter November 2026, the demo's month in progress).
QIANGJI_DEMO_TODAY = "2026-11-26"
