"""Report exports built in the background (django-tasks, database backend; the worker is `manage.py db_worker`).

A report's workbook or PDF is built in the request as before, unless the report is `large` (region-wide reports) or
its rows exceed settings.QIANGJI_BACKGROUND_EXPORT_ROWS: then export_start records an Export and queues
core.tasks.export_build, which runs the same report code path (report_params → get_data → report_file) as the
user who asked and stores the file under MEDIA_ROOT/exports/ with a random name. The file is the asker's alone
(export_get: anyone else, a county colleague too, gets 404) and is kept for QIANGJI_EXPORT_TTL_HOURS; export_sweep
deletes expired files (the task sweeps after each build; `manage.py sweep_exports` does it on demand).
"""
from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from . import hooks
from .models import Export, ExportStatus
from .replica import replica_reads
from .reports.formatters import report_file
from .reports.registry import Report, ReportData, report_get, report_params

# Progress shown while the worker builds: started, figures computed, file written.
PROGRESS_STARTED, PROGRESS_DATA, PROGRESS_DONE = 10, 60, 100
# An expired export's row stays this long after its file is swept, so its link still says "expired" (410).
EXPIRED_ROW_KEEP = dt.timedelta(days=7)


def export_in_background(*, data: ReportData | None) -> bool:
    """Whether this export is built by the worker: always for a large report (no data computed in the request: None),
    otherwise over the row threshold."""
    return data is None or data.row_count > settings.QIANGJI_BACKGROUND_EXPORT_ROWS


@transaction.atomic
def export_start(*, user, report: Report, fmt: str, params: dict, title: str = "") -> Export:
    """Record the export and queue its build (the queued task is written in the same transaction)."""
    from .tasks import export_build

    now = timezone.now()
    export = Export(
        user=user, report_code=report.code, format=fmt, params=dict(params), title=title or str(report.title),
        created=now, expires=now + dt.timedelta(hours=settings.QIANGJI_EXPORT_TTL_HOURS),
    )
    export.full_clean()
    export.save()
    export_build.enqueue(str(export.pk))
    return export


def export_get(*, user, pk) -> Export:
    """One of the user's own exports; anyone else's (a colleague's of the same county too) does not exist → 404."""
    try:
        return Export.objects.get(pk=pk, user=user)
    except (Export.DoesNotExist, ValueError):
        raise Http404


def _progress(export: Export, status: str, progress: int, **fields) -> None:
    export.status, export.progress = status, progress
    for name, value in fields.items():
        setattr(export, name, value)
    export.save(update_fields=["status", "progress", *fields])


def export_build_file(*, export_id: str) -> Export:
    """Build one queued export as the user who asked (their scope and permissions as they are now) and store it."""
    export = Export.objects.select_related("user").get(pk=export_id)
    if export.status not in (ExportStatus.QUEUED, ExportStatus.RUNNING) or export.is_expired:
        return export
    _progress(export, ExportStatus.RUNNING, PROGRESS_STARTED)
    try:
        report = report_get(user=export.user, code=export.report_code)(export.user)
        _form, cleaned = report_params(report, export.params)
        if cleaned is None:
            raise Http404
        with replica_reads():  # the figures, like a report page's, from the replica when there is one
            data = report.get_data(**cleaned)
        _progress(export, ExportStatus.RUNNING, PROGRESS_DATA, rows=data.row_count)
        body, filename = report_file(data, export.format, report.pdf_template,
                                     issuer=hooks.document_issuer(user=export.user), prepared_by=str(export.user))
    except Http404:
        # The report or its parameters left the user's scope since they asked (a role or a post changed).
        _progress(export, ExportStatus.FAILED, export.progress, error="out of scope", finished=timezone.now())
        return export
    except Exception as exc:
        _progress(export, ExportStatus.FAILED, export.progress, error=f"{type(exc).__name__}: {exc}"[:2000],
                  finished=timezone.now())
        raise
    export.file.save(f"{secrets.token_urlsafe(24)}.{export.format}", ContentFile(body), save=False)
    _progress(export, ExportStatus.DONE, PROGRESS_DONE, file=export.file, filename=filename, finished=timezone.now())
    return export


def export_sweep(*, now: dt.datetime | None = None) -> int:
    """Delete the files of expired exports (their rows say "expired" for a week, then go); the number swept."""
    now = now or timezone.now()
    swept = 0
    for export in Export.objects.filter(expires__lte=now).exclude(status=ExportStatus.EXPIRED):
        if export.file:
            export.file.delete(save=False)
        export.status, export.file = ExportStatus.EXPIRED, ""
        export.save(update_fields=["status", "file"])
        swept += 1
    Export.objects.filter(expires__lte=now - EXPIRED_ROW_KEEP).delete()
    return swept
