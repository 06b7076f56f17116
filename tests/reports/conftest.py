"""The reports' shared fixtures: a city of two counties (tests/reports/test_regions.py, the region benchmark)."""
import datetime as dt
import io
import random

import pytest

from core.demo import DemoContext
from members import demo
from tests.members.factories import members_for
from tests.villages.factories import CountyFactory, TownshipFactory, VillageFactory


def _assess(county, villages):
    ctx = DemoContext(rng=random.Random(7), scale=1, today=dt.date(2026, 11, 26), stdout=io.StringIO(),
                      data={"county": county, "villages": villages, "party_people": []})
    demo._seed_assessments(ctx)


@pytest.fixture
def city(world, monkeypatch):
    """The world's city with a second county 青山县 (one township, three villages); both counties assessed for the
    year to November 2026, a village of each inflated."""
    monkeypatch.setattr(demo, "INFLATED_VILLAGE_INDEXES", (1,))
    second = CountyFactory(code="359902", name="青山县", region=world.county.region)
    township = TownshipFactory(county=second, name="青山镇")
    villages = [VillageFactory(township=township, name=name) for name in ("青一村", "青二村", "青三村")]
    for v in [world.village_a, world.village_a2, world.village_b, *villages]:
        members_for(v, 6)
    _assess(world.county, [world.village_a, world.village_a2, world.village_b])
    _assess(second, villages)
    world.extra.update(second=second, second_township=township, second_villages=villages)
    return world
