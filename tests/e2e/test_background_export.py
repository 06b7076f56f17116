"""A large workbook is built in the background: the township asks for its cadre roster in Excel with the threshold
set low, sees the export queued (no worker yet), the database worker runs, the page (refreshing itself) offers the
file, and the downloaded workbook holds the township's cadres. The county, a colleague of the same county, gets 404
for that file."""
from __future__ import annotations

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.exports import run_worker

pytestmark = pytest.mark.e2e
ZHAILI = "寨里镇"  # township01's township in the demo county


def test_large_workbook_is_queued_built_by_the_worker_and_downloaded_by_its_asker_only(portal, settings, tmp_path):
    from django_tasks_db.models import DBTaskResult

    from core.models import Export

    settings.QIANGJI_BACKGROUND_EXPORT_ROWS = 10  # the roster of a township has dozens of rows
    page = portal.login("township01").page
    portal.goto("/reports/cadre-roster/")
    page.get_by_role("link", name="下载 Excel").click()
    expect(page.locator(".export-status")).to_contain_text("排队中，等待后台任务处理")
    export = Export.objects.get(user__username="township01")
    assert page.url.endswith(f"/reports/exports/{export.pk}/")
    for width in (1400, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        portal.screenshot(f"background-export-queued-{width}")
    page.set_viewport_size({"width": 1400, "height": 900})

    run_worker()  # `manage.py db_worker --batch` against the live server's database
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"

    download_link = page.get_by_role("link", name="下载文件")
    expect(download_link).to_be_visible()  # the page checked again by itself
    expect(page.locator(".export-status")).to_contain_text("仅限本人下载")
    portal.screenshot("background-export-ready")
    with page.expect_download() as info:
        download_link.click()
    assert info.value.suggested_filename.endswith(".xlsx")
    path = tmp_path / "roster.xlsx"
    info.value.save_as(path)
    sheet = load_workbook(path)["干部名单"]
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header[:2] == ("乡镇", "村") and "姓名" in header
    cadres = [r for r in rows if r[0] != "合计"]
    assert len(cadres) > 10 and {r[0] for r in cadres} == {ZHAILI}

    portal.login("county")
    assert page.goto(portal.url(f"/reports/exports/{export.pk}/download/")).status == 404
    assert page.goto(portal.url(f"/reports/exports/{export.pk}/")).status == 404
