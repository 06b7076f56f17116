"""A region's quarterly workbook (issue 17): the demo county is put under a city (with a second, empty county) for
this journey only; the city's account asks for the whole region's workbook, sees it queued, the database worker
builds it, the page (refreshing itself) offers the file, and the workbook has a row per county. The county's account
gets 404 for that export's page and file. The city, its second county, its account and the export are removed
again, so other journeys see no region."""
from __future__ import annotations

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.exports import run_worker

pytestmark = pytest.mark.e2e


def test_city_asks_for_the_region_workbook_sees_it_queued_and_downloads_it_when_built(portal, tmp_path):
    from django_tasks_db.models import DBTaskResult

    from accounts.demo import seed_region
    from accounts.models import User
    from core.demo import demo_today
    from core.models import Export
    from core.periods import Quarter
    from villages.demo import place_in_city
    from villages.models import County, Region

    county = County.objects.get()  # the demo county, alone in the e2e database
    tasks_before = set(DBTaskResult.objects.values_list("pk", flat=True))
    city = place_in_city(county)
    # A region with one county reads as that county; a second (empty) one makes the city compare counties.
    second = County.objects.create(code="359902", name="青山县", region=city)
    seed_region(city)  # the account `city`, password as every demo account
    try:
        quarter = Quarter.of(demo_today()).previous()
        page = portal.login("city").page
        portal.goto(reverse("reports:report_run", args=["quarterly"]) + f"?quarter={quarter}")
        expect(page.get_by_role("cell", name=county.name, exact=True).first).to_be_visible()  # a row per county
        page.get_by_role("link", name="下载 Excel").click()
        expect(page.locator(".export-status")).to_contain_text("排队中，等待后台任务处理")
        export = Export.objects.get(user__username="city")
        assert export.format == "xlsx" and page.url.endswith(f"/reports/exports/{export.pk}/")
        portal.screenshot("region-export-queued")

        run_worker()  # `manage.py db_worker --batch` against the live server's database
        export.refresh_from_db()
        assert export.status == "done", export.error

        download_link = page.get_by_role("link", name="下载文件")
        expect(download_link).to_be_visible()  # the page checked again by itself
        portal.screenshot("region-export-ready")
        with page.expect_download() as info:
            download_link.click()
        assert info.value.suggested_filename.endswith(".xlsx")
        path = tmp_path / "region.xlsx"
        info.value.save_as(path)
        sheet = load_workbook(path).worksheets[0]
        header, *rows = list(sheet.iter_rows(values_only=True))
        assert header[0] == "县"  # a row per county of the city
        by_name = {r[0]: dict(zip(header, r)) for r in rows}
        assert list(by_name) == [county.name, second.name, "合计"]
        assert by_name[county.name]["评定人次"] > 0 and by_name[second.name]["评定人次"] == 0
        assert by_name["合计"]["评定人次"] == by_name[county.name]["评定人次"]

        portal.login("county")
        assert page.goto(portal.url(f"/reports/exports/{export.pk}/download/")).status == 404
        assert page.goto(portal.url(f"/reports/exports/{export.pk}/")).status == 404
    finally:
        for export in Export.objects.filter(user__username="city"):
            export.file.delete(save=False)
        User.objects.filter(username="city").delete()  # and its exports
        DBTaskResult.objects.exclude(pk__in=tasks_before).delete()
        County.objects.filter(pk=county.pk).update(region=None)
        County.objects.filter(code="359902").delete()
        Region.objects.filter(pk=city.pk).delete()
