"""/healthz for load balancers and monitoring: the database answers, every migration is applied, MEDIA_ROOT takes a
file. No login, no data: 200 "ok" or 503 with the names of the failing checks (the reasons go to the log).

A small view rather than django-health-check: its 4.x view answers 500 rather than 503, puts the checks' error
texts in the response, and has no migrations check."""
from __future__ import annotations

import logging
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def database_reachable() -> None:
    with connection.cursor() as cursor:
        cursor.execute("select 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("select 1 did not return 1")


def migrations_applied() -> None:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise RuntimeError(f"{len(plan)} migrations not applied, first {plan[0][0]}")


def media_writable() -> None:
    name = default_storage.save(f".healthz/{uuid.uuid4().hex}", ContentFile(b"ok"))
    default_storage.delete(name)


CHECKS = {"database": database_reachable, "migrations": migrations_applied, "media": media_writable}


@never_cache
@require_GET
def healthz(request):
    failed = []
    for name, check in CHECKS.items():
        if name == "migrations" and "database" in failed:
            failed.append(name)
            continue
        try:
            check()
        except Exception:
            logger.exception("health check %s failed", name)
            failed.append(name)
    if failed:
        return HttpResponse("unavailable: " + ", ".join(failed) + "\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
