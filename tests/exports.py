"""Helpers for the background exports' tests: run the database worker in this process, and a ready-made export."""
from __future__ import annotations

import datetime as dt
import signal

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone


def run_worker() -> None:
    """`manage.py db_worker --batch`: every queued task, then exit. The command installs its own SIGINT/SIGTERM
    handlers for a graceful stop; they are put back afterwards so Ctrl-C still stops pytest. Between tasks the worker
    closes connections left in a transaction, so a test that runs it must not be inside one: mark it
    @pytest.mark.django_db(transaction=True) (on SQLite's in-memory test database the close is a no-op)."""
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0)
    finally:
        for s, handler in saved.items():
            signal.signal(s, handler)


def make_export(user, *, status="done", expires_in=dt.timedelta(hours=24), body=b"PK fake workbook"):
    """An export of the user's (a ready one has a small file) without going through a report."""
    from core.models import Export

    now = timezone.now()
    export = Export(user=user, report_code="cadre-roster", title="村两委干部名册", format="xlsx", status=status,
                    progress=100 if status == "done" else 0, rows=1, created=now, expires=now + expires_in,
                    filename="村两委干部名册.xlsx")
    if status == "done":
        export.file.save("test-export.xlsx", ContentFile(body), save=False)
    export.save()
    return export
