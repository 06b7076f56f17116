"""Background exports (core/exports.py, core/tasks.py): a workbook or PDF over the row threshold is built by the
database worker as the user who asked, stored under a random name, kept for a day and then swept."""
import datetime as dt
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.http import Http404
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook
from pypdf import PdfReader

from core.exports import export_build_file, export_get, export_start, export_sweep
from core.models import Export, ExportStatus
from core.reports.registry import report_get
from core.tasks import export_build
from tests.exports import make_export, run_worker
from tests.pdfs import assert_official_document


def _start(world, fmt="xlsx", user_role="township_a", township=None):
    user = world.users[user_role]
    report = report_get(user=user, code="cadre-roster")(user)
    township = township or world.township_a
    return export_start(user=user, report=report, fmt=fmt, params={"township": str(township.pk)})


def _cells(body: bytes) -> set:
    wb = load_workbook(io.BytesIO(body))
    return {cell for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for cell in row}


@pytest.mark.django_db(transaction=True)
def test_the_worker_builds_the_queued_workbook(world):
    export = _start(world)
    assert export.status == ExportStatus.QUEUED and export.progress == 0
    assert DBTaskResult.objects.filter(status="READY").count() == 1  # queued with the export, nothing run yet

    run_worker()

    export.refresh_from_db()
    assert export.status == ExportStatus.DONE and export.progress == 100
    assert export.filename.startswith("村两委干部名册-甲镇") and export.filename.endswith(".xlsx")
    stored = Path(settings.MEDIA_ROOT) / export.file.name
    assert stored.parent.name == "exports" and "cadre" not in stored.name and "村" not in stored.name  # random name
    cells = _cells(stored.read_bytes())
    assert world.person_a.name in cells and world.person_b.name not in cells  # the asker's scope, not the county's
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_task_builds_a_pdf_through_the_report(world):
    world.county.issuing_authority = "中共后台县委组织部"
    world.county.save()
    export = _start(world, fmt="pdf")
    export_build.call(str(export.pk))
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE
    with export.file.open("rb") as f:
        data = f.read()
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert world.person_a.name in text and "村两委干部名册" in text
    # The same official document as a download in the request: the asker's county issues it, the asker drew it up.
    flat = assert_official_document(data, authority="中共后台县委组织部")
    assert f"制表人：{world.users['township_a']}" in flat


def test_a_township_out_of_scope_is_not_found_when_asked(world):
    user = world.users["township_a"]
    report = report_get(user=user, code="cadre-roster")(user)
    from core.reports.registry import report_params

    with pytest.raises(Http404):
        report_params(report, {"township": str(world.township_b.pk)})


def test_an_export_whose_scope_was_lost_before_the_build_fails_without_a_file(world):
    export = _start(world)
    user = world.users["township_a"]
    user.township = world.township_b  # moved to another township while the export waited
    user.save()
    export_build_file(export_id=str(export.pk))
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED and not export.file


def test_only_the_asker_gets_the_export(world):
    export = _start(world)
    assert export_get(user=world.users["township_a"], pk=export.pk) == export
    for role in ("county", "township_b", "clerk_a", "admin"):
        with pytest.raises(Http404):
            export_get(user=world.users[role], pk=export.pk)


def test_export_expires_after_a_day(world, settings):
    settings.QIANGJI_EXPORT_TTL_HOURS = 24
    export = _start(world)
    assert dt.timedelta(hours=23, minutes=59) < export.expires - export.created <= dt.timedelta(hours=24)


def test_sweep_deletes_the_files_of_expired_exports_only(world):
    user = world.users["township_a"]
    old = make_export(user, expires_in=dt.timedelta(seconds=-1))
    fresh = make_export(user)
    old_path = Path(old.file.path)
    assert export_sweep() == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.status == ExportStatus.EXPIRED and not old.file and not old_path.exists()
    assert fresh.status == ExportStatus.DONE and Path(fresh.file.path).exists()
    # A week after expiry the row goes too.
    assert export_sweep(now=timezone.now() + dt.timedelta(days=8)) == 1
    assert not Export.objects.filter(pk=old.pk).exists()


def test_the_task_sweeps_after_building(world):
    stale = make_export(world.users["township_b"], expires_in=dt.timedelta(seconds=-1))
    export = _start(world)
    assert export_build.call(str(export.pk)) == ExportStatus.DONE
    stale.refresh_from_db()
    assert stale.status == ExportStatus.EXPIRED


def test_sweep_exports_command_says_how_many_it_swept(world):
    from io import StringIO

    from django.core.management import call_command

    make_export(world.users["township_a"], expires_in=dt.timedelta(seconds=-1))
    out = StringIO()
    call_command("sweep_exports", stdout=out)
    assert out.getvalue().strip() == "1 expired export(s) swept."
    assert Export.objects.get().status == ExportStatus.EXPIRED
