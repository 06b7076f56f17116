"""The overview's work queue: the county sees what waits for its acceptance, a township what was returned to it
or is past due; each only within scope, in a fixed number of queries."""
import pytest
from django.urls import reverse

from assemblies import services as assembly_services
from core.periods import Month
from evaluations import services as evaluation_services
from members import services as member_services
from pledges import services as pledge_services
from tests.evaluations.factories import GOOD, enter, open_round, sheet_of
from tests.members.factories import members_for, rule_set_with_rules
from tests.pledges.factories import pledge_world

pytestmark = pytest.mark.django_db

MAY, JUNE = Month(2026, 5), Month(2026, 6)


@pytest.fixture
def queued(world):
    township, county = world.users["township_a"], world.users["county"]
    rule_set_with_rules(world.village_a)
    may = member_services.monthly_grid_save(user=township, village=world.village_a, month=MAY, expected_version=0,
                                            entries=[])
    member_services.monthly_review_submit(user=township, review=may)
    june = member_services.monthly_grid_save(user=township, village=world.village_a, month=JUNE, expected_version=0,
                                             entries=[])  # a draft, due in early July: past due now
    member_services.monthly_review_submit(user=township, review=june)
    member_services.monthly_review_return(user=county, review=june, reason="六月缺少谈话记录")
    pledge_world(world)
    pledge_services.quarterly_review_submit(user=township, review=world.extra["review"])
    round_ = open_round(world)
    enter(world, round_, world.person_a, GOOD)
    evaluation_services.sheet_submit(user=township, sheet=sheet_of(round_, world.township_a))
    filing = assembly_services.filing_create(user=township, township=world.township_a, year=2026, quarter=2)
    assembly_services.filing_submit(user=township, filing=filing)
    return world


def _home(client):
    return client.get(reverse("home")).content.decode()


def test_the_county_sees_every_submission_waiting_for_it(queued, client_for, django_assert_max_num_queries):
    client = client_for(queued.users["county"])
    with django_assert_max_num_queries(30):
        page = _home(client)
    section = page.split("<h2>待办</h2>")[1]
    for kind in ("月度评定", "季度履诺评议", "乡镇考评汇总表", "季度报备"):
        assert kind in section
    assert "甲一村 2026年5月" in section and "已报送，待县里接收" in section
    assert "六月缺少谈话记录" not in section  # returned: the township's to do, not the county's
    assert reverse("members:monthlyreview_grid", kwargs={"code": queued.village_a.code, "month": "2026-05"}) in section


def test_a_township_sees_what_was_returned_with_the_reason_and_nothing_of_others(queued, client_for):
    section = _home(client_for(queued.users["township_a"])).split("<h2>待办</h2>")[1]
    assert "甲一村 2026年6月" in section and "县里已退回：六月缺少谈话记录" in section
    assert "已报送，待县里接收" not in section
    other = _home(client_for(queued.users["township_b"])).split("<h2>待办</h2>")[1]
    assert "甲一村" not in other and "暂无待办" in other


def test_a_past_due_draft_is_listed_for_the_township(world, client_for):
    rule_set_with_rules(world.village_a)
    member_services.monthly_grid_save(user=world.users["township_a"], village=world.village_a, month=MAY,
                                      expected_version=0, entries=[])
    section = _home(client_for(world.users["township_a"])).split("<h2>待办</h2>")[1]
    assert "甲一村 2026年5月" in section and "逾期未报送" in section


def test_more_than_ten_link_to_the_list_showing_the_oldest(world, client_for):
    from tests.villages.factories import VillageFactory

    township, county = world.users["township_a"], world.users["county"]
    for i in range(12):
        village = world.village_a if i == 0 else VillageFactory(township=world.township_a, name=f"加村{i}")
        rule_set_with_rules(village)
        members_for(village, 1)
        review = member_services.monthly_grid_save(user=township, village=village, month=MAY, expected_version=0,
                                                   entries=[])
        member_services.monthly_review_submit(user=township, review=review)
    section = _home(client_for(county)).split("<h2>待办</h2>")[1]
    assert section.count("已报送，待县里接收") == 10 and "另有 2 项" in section
    assert f'{reverse("members:monthlyreview_list")}?month=2026-05' in section
