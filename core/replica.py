"""Read replicas: the reads of dashboards, reports and exports go to the `replica` database, everything else to
`default` (issue 17).

Only when REPLICA_DATABASE_URL is set do the settings define the `replica` alias; without it the router has no
opinion and every query goes to `default`, as before.

Which reads go to the replica:
- the ORM reads a view makes on a GET or HEAD request whose URL is in a namespace of REPLICA_READ_NAMESPACES
  ("reports": the dashboard, the report pages and their workbooks and PDFs), or whose view is marked with
  `ReplicaReadsMixin` (a function view: `view.replica_reads = True`) (an export elsewhere, e.g. a township's pay table);
- code running inside `with replica_reads():` (e.g. a background export task).

What never goes there, even then:
- writes, and reads made while `default` is inside a transaction (`transaction.atomic()`: a read that decides a
  write must see the primary);
- the session, the signed-in user, the permissions and the lockout records (apps in PRIMARY_ONLY_APPS): who is
  asking and what they may see is read from the primary, so a new login, a changed scope or a removed permission
  counts at once, whatever the replica's lag; also the background task queue's rows and the exports' records (a
  just-queued export's page must find it), and the database cache's table. The middleware loads the
  session and the user before the view runs.
- what middleware reads before the view (the contextvar is set in process_view, after them).
"""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import connections

DEFAULT = "default"
REPLICA = "replica"
# Who is asking and what they may see; the background task queue (a task's state, just written, read fresh); and the
# database cache's table (django_cache: a count just written, e.g. a request limit, is read fresh).
PRIMARY_ONLY_APPS = frozenset({"sessions", "auth", "accounts", "axes", "contenttypes", "admin",
                               "django_tasks_database", "django_cache"})
# A background export's record: the page that follows its creation must find it, whatever the replica's lag.
PRIMARY_ONLY_MODELS = frozenset({"core.export"})
SAFE_METHODS = frozenset({"GET", "HEAD"})

_reading = ContextVar("qiangji_replica_reads", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads():
    """Send the ORM reads made inside this block to the replica (if there is one; see the module's rules)."""
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


class ReplicaRouter:
    """Reads to `replica` while `replica_reads` is on (outside transactions on `default`), everything else to
    `default`. Without a `replica` alias it returns None everywhere (Django's own choice: `default`)."""

    def db_for_read(self, model, **hints):
        if not replica_configured():
            return None
        if (_reading.get() and model._meta.app_label not in PRIMARY_ONLY_APPS
                and model._meta.label_lower not in PRIMARY_ONLY_MODELS
                and not connections[DEFAULT].in_atomic_block):
            return REPLICA
        # Also for an object read from the replica earlier: its related rows now come from the primary.
        return DEFAULT

    def db_for_write(self, model, **hints):
        return DEFAULT if replica_configured() else None

    def allow_relation(self, obj1, obj2, **hints):
        # The replica is a copy of the primary: an object from one may point to an object from the other.
        if {obj1._state.db, obj2._state.db} <= {DEFAULT, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica receives the primary's schema by replication; `migrate --database=replica` changes nothing.
        return False if db == REPLICA else None


class ReplicaReadsMixin:
    """Marks a class-based view whose GET reads may come from the replica (an export outside `reports`)."""

    replica_reads = True


def _wants_replica(request, view_func) -> bool:
    if request.method not in SAFE_METHODS:
        return False
    if getattr(getattr(view_func, "view_class", None), "replica_reads", False) or getattr(
            view_func, "replica_reads", False):
        return True
    match = request.resolver_match
    return bool(match and set(match.namespaces) & set(settings.REPLICA_READ_NAMESPACES))


class ReplicaReadsMiddleware:
    """Turns `replica_reads` on for the view of a report, dashboard or export GET (and off again after its
    response is rendered). Placed after the authentication middleware; it loads the session and the user from the
    primary before the view runs. Without a `replica` alias it does nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        token = getattr(request, "_replica_reads_token", None)
        if token is not None:
            _reading.reset(token)
            del request._replica_reads_token
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not replica_configured() or not _wants_replica(request, view_func):
            return None
        user = getattr(request, "user", None)
        if user is not None:
            user.is_authenticated  # noqa: B018 - loads the session and the user from the primary now
        request._replica_reads_token = _reading.set(True)
        return None
