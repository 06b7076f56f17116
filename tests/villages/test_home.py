"""The overview page: its figures come from grouped counts (active members from the kept per-village counts), and
its size and queries do not grow with the townships and villages beneath it."""
import datetime as dt
import re

import pytest
from django.urls import reverse

from members.selectors import active_members
from tests.members.factories import members_for
from tests.villages.factories import CadrePostFactory, PersonFactory, TownshipFactory, VillageFactory
from villages.choices import TWO_COMMITTEES
from villages.models import CadrePost, Township, Village

pytestmark = pytest.mark.django_db


def _figures(page: str) -> list[str]:
    return re.findall(r'<div class="figure">(\d+)</div>', page)


def test_overview_counts_townships_villages_cadres_and_members_and_pages_the_townships(
        world, client_for, django_assert_max_num_queries):
    members_for(world.village_a, 4)
    members_for(world.village_b, 3)
    CadrePostFactory(person=PersonFactory(village=world.village_a))
    CadrePostFactory(person=PersonFactory(village=world.village_b), end_date=dt.date(2025, 1, 1))  # no longer serving
    client = client_for(world.users["county"])
    # 17: one query per kind of period in the work queue (core.queue), requests to reopen (checks) included.
    with django_assert_max_num_queries(17):
        before = client.get(reverse("home")).content.decode()
    serving = CadrePost.objects.filter(end_date__isnull=True, committee__in=TWO_COMMITTEES)
    assert _figures(before) == [str(Township.objects.filter(villages__isnull=False).distinct().count()),
                                str(Village.objects.count()),
                                str(serving.values("person").distinct().count()),
                                str(active_members().count())]
    for i in range(60):  # more townships than a page shows, each with a village and members
        village = VillageFactory(township=TownshipFactory(county=world.county, code=f"35998{i:04d}",
                                                          name=f"新{i:02d}镇"))
        members_for(village, 2)
    with django_assert_max_num_queries(17):
        after = client.get(reverse("home")).content.decode()
    assert _figures(after)[0] == str(Township.objects.filter(villages__isnull=False).distinct().count())
    assert _figures(after)[3] == str(active_members().count())
    assert after.count('href="/villages/?township=') == 50 and "第 1 页，共 2 页" in after
    assert "新59镇" not in after and "新59镇" in client.get(reverse("home") + "?page=2").content.decode()


def test_a_township_user_sees_only_its_own_figures(world, client_for):
    members_for(world.village_a, 4)
    members_for(world.village_b, 3)
    page = client_for(world.users["township_a"]).get(reverse("home")).content.decode()
    own = Village.objects.filter(township=world.township_a)
    assert _figures(page)[1] == str(own.count())
    assert _figures(page)[3] == str(active_members().filter(village__in=own).count())
