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
    url = reverse("members:monthlyreview_list") + "?month=2026-10"
    first = client.get(url).content.decode()
    assert "第 1 页，共 2 页（共 58 条）" in first
    rows = lambda html: html.count("/2026-10/")  # noqa: E731  (one grid link per village row)
    assert rows(first) == 50
    assert rows(client.get(url + "&page=2").content.decode()) == 58 - 50
    only_b = client.get(url + f"&township={world.township_b.pk}").content.decode()
    assert rows(only_b) == 1 + 28 and world.village_a.name not in only_b
    missing = client.get(url + "&status=missing").content.decode()
    assert rows(missing) == 50


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
