"""The report pages' side of background exports: over the threshold (or for a large report) the workbook or PDF
link leads to the export's page, which says it is queued until a worker runs, shows progress, then offers the file
to the asker only; after a day the link says the file has expired."""
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.models import Export
from members.reports import CadreRosterReport
from tests.exports import make_export, run_worker

pytestmark = pytest.mark.django_db

QUEUED = "排队中，等待后台任务处理"


def _ask(client, world, fmt="xlsx"):
    url = reverse("reports:report_run", kwargs={"code": "cadre-roster"})
    return client.get(f"{url}?township={world.township_a.pk}&format={fmt}")


def test_under_the_threshold_the_workbook_comes_at_once(world, client_for):
    response = _ask(client_for(world.users["township_a"]), world)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert not Export.objects.exists()


# The worker runs outside any transaction (it checks its connection between tasks, as a real one does).
@pytest.mark.django_db(transaction=True)
def test_over_the_threshold_the_page_says_queued_then_offers_the_file(world, client_for, settings):
    settings.QIANGJI_BACKGROUND_EXPORT_ROWS = 1  # the roster of township A has a summary row and a cadre row
    client = client_for(world.users["township_a"])
    response = _ask(client, world)
    export = Export.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:export_detail", args=[export.pk])

    page = client.get(response["Location"]).content.decode()
    assert QUEUED in page
    assert f'href="/reports/cadre-roster/?township={world.township_a.pk}"' in page  # back to the same report
    assert '<meta http-equiv="refresh"' in page  # checks again by itself, no script
    assert client.get(reverse("reports:export_download", args=[export.pk])).status_code == 302  # not ready yet

    run_worker()
    page = client.get(response["Location"]).content.decode()
    assert QUEUED not in page and '<meta http-equiv="refresh"' not in page
    assert "下载文件" in page and "仅限本人" in page

    download = client.get(reverse("reports:export_download", args=[export.pk]))
    assert download.status_code == 200
    assert "filename*=UTF-8''" in download["Content-Disposition"] and ".xlsx" in download["Content-Disposition"]
    wb = load_workbook(io.BytesIO(download.content))
    cells = {c for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row}
    assert world.person_a.name in cells

    # A county colleague, another township, the village clerk: not found.
    for role in ("county", "township_b", "clerk_a"):
        other = client_for(world.users[role])
        assert other.get(reverse("reports:export_download", args=[export.pk])).status_code == 404
        assert other.get(reverse("reports:export_detail", args=[export.pk])).status_code == 404


def test_a_large_report_is_always_built_in_the_background(world, client_for, monkeypatch):
    monkeypatch.setattr(CadreRosterReport, "large", True)
    monkeypatch.setattr(CadreRosterReport, "get_data", lambda self, **kw: pytest.fail("computed in the request"))
    response = _ask(client_for(world.users["township_a"]), world, fmt="pdf")
    export = Export.objects.get()
    assert response.status_code == 302 and export.format == "pdf"
    assert export.params == {"township": str(world.township_a.pk)}


def test_a_large_report_out_of_scope_is_not_queued(world, client_for, monkeypatch):
    monkeypatch.setattr(CadreRosterReport, "large", True)
    url = reverse("reports:report_run", kwargs={"code": "cadre-roster"})
    response = client_for(world.users["township_a"]).get(f"{url}?township={world.township_b.pk}&format=xlsx")
    assert response.status_code == 404 and not Export.objects.exists()


def test_progress_is_shown_while_the_worker_builds(world, client_for):
    export = make_export(world.users["township_a"], status="running")
    Export.objects.filter(pk=export.pk).update(progress=60)
    page = client_for(world.users["township_a"]).get(reverse("reports:export_detail", args=[export.pk]))
    assert "正在生成：60%" in page.content.decode()
    assert '<progress max="100" value="60">' in page.content.decode()


def test_an_expired_export_is_gone_with_a_chinese_message(world, client_for):
    export = make_export(world.users["township_a"], expires_in=-dt.timedelta(minutes=1))
    client = client_for(world.users["township_a"])
    response = client.get(reverse("reports:export_download", args=[export.pk]))
    assert response.status_code == 410
    assert "该导出文件已过期" in response.content.decode()
    assert "该导出文件已过期" in client.get(reverse("reports:export_detail", args=[export.pk])).content.decode()


def test_a_failed_export_says_so(world, client_for):
    export = make_export(world.users["township_a"], status="failed")
    page = client_for(world.users["township_a"]).get(reverse("reports:export_detail", args=[export.pk]))
    assert "导出失败" in page.content.decode()


def test_a_report_large_for_some_parameters_only(world, client_for, monkeypatch):
    """E.g. a region's report: the whole region in the background, one county at once. Here: the county-wide roster."""
    monkeypatch.setattr(CadreRosterReport, "is_large", lambda self, township=None, **params: township is None)
    client = client_for(world.users["county"])
    url = reverse("reports:report_run", kwargs={"code": "cadre-roster"})
    one_township = client.get(f"{url}?township={world.township_a.pk}&format=xlsx")
    assert one_township.status_code == 200 and not Export.objects.exists()
    county_wide = client.get(f"{url}?township=&format=xlsx")
    assert county_wide.status_code == 302 and Export.objects.get().user == world.users["county"]
