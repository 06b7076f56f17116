"""Pages that read the summaries (issue 13): the county dashboard's size and query count do not grow with the
villages, the long per-village lists paginate with filters."""
import datetime as dt
import io
import random

import pytest
from django.urls import reverse

from core.demo import DemoContext
from members import demo
from tests.members.factories import MonthlyReviewFactory, members_for
from tests.villages.factories import VillageFactory

pytestmark = pytest.mark.django_db


def _seed(world, villages, monkeypatch, seed=7):
    monkeypatch.setattr(demo, "INFLATED_VILLAGE_INDEXES", (1,))
    for v in villages:
        members_for(v, 6)
    ctx = DemoContext(rng=random.Random(seed), scale=1, today=dt.date(2026, 11, 26), stdout=io.StringIO(),
                      data={"county": world.county, "villages": villages, "party_people": []})
    demo._seed_assessments(ctx)


def test_county_dashboard_shows_townships_and_does_not_grow_with_villages(world, client_for, monkeypatch,
                                                                         django_assert_max_num_queries):
    _seed(world, [world.village_a, world.village_a2, world.village_b], monkeypatch)
    client = client_for(world.users["county"])
    url = reverse("reports:dashboard") + "?period=2026"
    with django_assert_max_num_queries(20):
        before = client.get(url).content.decode()
    for i in range(15):
        village = VillageFactory(township=world.township_a if i % 2 else world.township_b)
        members_for(village, 3)
        MonthlyReviewFactory(village=village, year=2026, month=5)
    with django_assert_max_num_queries(20):
        after = client.get(url).content.decode()
    # The same townships; no village row or grid row more (a village's grid row alone is ~700 bytes).
    assert abs(len(after) - len(before)) < 200
    assert world.township_a.name in after and world.village_a.name not in after
    assert "status-missing" not in after  # the village × month grid is on a township's page
    drill = client.get(url + f"&township={world.township_a.pk}").content.decode()
    assert world.village_a.name in drill and drill.count("status status-") >= 12 * 2
    assert world.village_b.name not in drill


def test_month_overview_paginates_and_filters(world, client_for):
    for i in range(55):
        VillageFactory(township=world.township_a if i % 2 else world.township_b)
    client = client_for(world.users["county"])
    # status= asks for every status (without it the county sees what waits for it)
    url = reverse("members:monthlyreview_list") + "?month=2026-10&status="
    first = client.get(url).content.decode()
    assert "第 1 页，共 2 页（共 58 条）" in first
    rows = lambda html: html.count("/2026-10/")  # noqa: E731  (one grid link per village row)
    assert rows(first) == 50
    assert rows(client.get(url + "&page=2").content.decode()) == 58 - 50
    only_b = client.get(url + f"&township={world.township_b.pk}").content.decode()
    assert rows(only_b) == 1 + 28 and world.village_a.name not in only_b
    missing = client.get(url + "&status=missing").content.decode()
    assert rows(missing) == 50


def test_month_overview_counts_the_statuses_and_totals_the_listed_villages_from_the_raw_rows(
        world, client_for, monkeypatch, django_assert_max_num_queries):
    import re

    from members.models import Deduction, MonthlyResult, MonthlyReview
    from members.selectors import active_members

    villages = [world.village_a, world.village_a2, world.village_b]
    _seed(world, villages, monkeypatch)
    extra = VillageFactory(township=world.township_b)  # no month at all: 未开始
    members_for(extra, 2)
    MonthlyReview.objects.filter(village=world.village_a, year=2026, month=10).update(status="returned")
    from core.summaries import rebuild_all
    rebuild_all()  # the update above bypassed the services on purpose: only the status changes
    client = client_for(world.users["county"])
    url = reverse("members:monthlyreview_list") + "?month=2026-10&status="  # every status
    with django_assert_max_num_queries(14):
        page = client.get(url).content.decode()
    reviews = MonthlyReview.objects.filter(year=2026, month=10)
    head = re.search(r'<p class="status-counts">(.*?)</p>', page).group(1)
    assert f"全部 {len(villages) + 1}</strong>" in head and "未开始 1</a>" in head
    assert "已退回 1</a>" in head and f"已报送 {reviews.filter(status='submitted').count()}</a>" in head
    results = MonthlyResult.objects.filter(review__in=reviews)
    foot = re.search(r"<tfoot>(.*?)</tfoot>", page).group(1)
    figures = re.findall(r'<td class="num">(\d+)</td>', foot)
    assert figures == [str(active_members().count()), str(results.filter(rating="excellent").count()),
                       str(results.filter(rating="deducted").count()),
                       str(Deduction.objects.filter(result__in=results, talk_date__isnull=True).count())]
    assert "合计（4个村）" in foot
    # The status filter lists and totals only its villages; the head still counts every status.
    only = client.get(url + "&status=returned").content.decode()
    foot = re.search(r"<tfoot>(.*?)</tfoot>", only).group(1)
    assert "合计（1个村）" in foot
    assert re.findall(r'<td class="num">(\d+)</td>', foot)[0] == str(active_members().filter(
        village=world.village_a).count())
    assert f"全部 {len(villages) + 1}</a>" in only


def test_signals_page_paginates_and_filters(world, client_for, monkeypatch):
    villages = [world.village_a, world.village_a2, world.village_b] + [
        VillageFactory(township=world.township_b) for _ in range(52)]
    _seed(world, villages, monkeypatch)
    client = client_for(world.users["county"])
    url = reverse("members:signals") + "?year=2026"
    page = client.get(url).content.decode()
    assert "第 1 页，共 2 页（共 55 条）" in page
    assert "第 2 页，共 2 页（共 55 条）" in client.get(url + "&page=2").content.decode()
    only_a = client.get(url + f"&township={world.township_a.pk}").content.decode()
    assert world.village_a.name in only_a and world.village_b.name not in only_a
    flagged = client.get(url + "&flagged=on").content.decode()
    assert villages[1].name in flagged and world.village_b.name not in flagged


def test_county_dashboard_and_report_page_show_fifty_townships_a_page_totals_over_all(world, client_for,
                                                                                     django_assert_max_num_queries):
    from members.selectors import active_members
    from tests.villages.factories import TownshipFactory

    townships = [TownshipFactory(county=world.county, code=f"35999{i:04d}", name=f"末{i:02d}镇") for i in range(55)]
    last = VillageFactory(township=townships[-1])  # on the second page, by code
    members_for(last, 7)
    MonthlyReviewFactory(village=last, year=2026, month=5)
    client = client_for(world.users["county"])
    members = active_members().count()
    url = reverse("reports:dashboard") + "?period=2026Q2"
    with django_assert_max_num_queries(20):
        first = client.get(url).content.decode()
    assert first.count("&amp;township=") == 50 and "第 1 页，共 2 页（共 57 条）" in first
    assert townships[-1].name not in first and f'<div class="figure">{members}</div>' in first  # totals: all
    second = client.get(url + "&page=2").content.decode()
    assert second.count("&amp;township=") == 7 and townships[-1].name in second

    report = reverse("reports:report_run", args=["quarterly"]) + "?quarter=2026Q2"
    page = client.get(report).content.decode()
    cell = f"<td>{townships[-1].name}</td>"  # its row (the township filter lists every township)
    assert "第 1 页，共 2 页（共 57 条）" in page and cell not in page
    assert f'<td class="num"><strong>{members}</strong></td>' in page  # the totals row counts every township
    assert cell in client.get(report + "&page=2").content.decode()
    workbook = client.get(report + "&format=xlsx")
    from openpyxl import load_workbook
    sheet = load_workbook(io.BytesIO(workbook.content)).worksheets[0]
    assert townships[-1].name in [c.value for c in sheet["A"]]  # the workbook keeps every row
