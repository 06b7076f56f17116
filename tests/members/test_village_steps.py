"""Previous / next village of the township on the month grid and the printable notice (issue 16, item 7)."""
import re

import pytest
from django.urls import reverse

from core.periods import Month
from members import services
from tests.members.factories import rule_set_with_rules
from tests.villages.factories import VillageFactory

MAY = Month(2026, 5)


def url(name, village, month=MAY):
    return reverse(f"members:{name}", kwargs={"code": village.code, "month": str(month)})


def steps(page: str) -> dict:
    """The page's previous / next village links: {"prev": (href, text), "next": (href, text)}."""
    return {rel: (href, text.strip()) for rel, href, text in
            re.findall(r'<a class="button secondary" rel="(prev|next)" href="([^"]+)">(.*?)</a>', page, re.S)}


@pytest.fixture
def township(world):
    # 甲三村 comes after 甲二村 by code; 乙一村 is in another township.
    village_a3 = VillageFactory(township=world.township_a, name="甲三村")
    for village in (world.village_a, world.village_a2, village_a3, world.village_b):
        rule_set_with_rules(village)
    return world, village_a3


def test_the_grid_links_the_previous_and_next_village_of_the_township_for_the_same_month(township, client_for):
    world, village_a3 = township
    client = client_for(world.users["township_a"])
    middle = steps(client.get(url("monthlyreview_grid", world.village_a2)).content.decode())
    assert middle == {"prev": (url("monthlyreview_grid", world.village_a), "← 上一村：甲一村"),
                      "next": (url("monthlyreview_grid", village_a3), "下一村：甲三村 →")}
    first = steps(client.get(url("monthlyreview_grid", world.village_a)).content.decode())
    assert list(first) == ["next"]
    last = steps(client.get(url("monthlyreview_grid", village_a3, Month(2026, 7))).content.decode())
    assert last == {"prev": (url("monthlyreview_grid", world.village_a2, Month(2026, 7)), "← 上一村：甲二村")}
    # The county sees the same steps: within the township, never into the next township.
    county = client_for(world.users["county"])
    assert steps(county.get(url("monthlyreview_grid", village_a3)).content.decode())["prev"][1] == "← 上一村：甲二村"
    assert "next" not in steps(county.get(url("monthlyreview_grid", village_a3)).content.decode())


def test_a_village_clerk_gets_no_steps_to_villages_outside_their_scope(township, client_for):
    world, _village_a3 = township
    page = client_for(world.users["clerk_a"]).get(url("monthlyreview_grid", world.village_a)).content.decode()
    assert steps(page) == {} and "甲二村" not in page


def test_the_notice_steps_to_the_villages_that_have_the_month(township, client_for):
    world, village_a3 = township
    user = world.users["township_a"]
    for village in (world.village_a, village_a3):
        services.monthly_grid_save(user=user, village=village, month=MAY, expected_version=0, entries=[])
    client = client_for(user)
    page = client.get(url("monthlyreview_notice", world.village_a)).content.decode()
    # 甲二村 has nothing for May (its notice would be "not found"): the next notice is 甲三村's.
    assert steps(page) == {"next": (url("monthlyreview_notice", village_a3), "下一村：甲三村 →")}
    assert client.get(steps(page)["next"][0]).status_code == 200
