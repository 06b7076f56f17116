"""Natural order of names carrying Chinese ordinals or Arabic numbers (core.ordering)."""
import pytest
from django.urls import reverse

from core.ordering import chinese_number, natural_key
from tests.assemblies.factories import DiscussionPointFactory, HouseholdFactory


@pytest.mark.parametrize("text, value", [("一", 1), ("三", 3), ("十", 10), ("十一", 11), ("十九", 19), ("二十", 20),
                                         ("二十三", 23), ("一百零五", 105), ("二〇二六", 2026), ("两", 2)])
def test_chinese_numerals_read_as_their_value(text, value):
    assert chinese_number(text) == value


def test_groups_sort_by_their_ordinal_not_by_code_point():
    names = ["三组", "十一组", "二组", "一组", "十组", "四组", "组长家"]
    assert sorted(names) == ["一组", "三组", "二组", "十一组", "十组", "四组", "组长家"]  # what the database gives
    assert sorted(names, key=natural_key) == ["一组", "二组", "三组", "四组", "十组", "十一组", "组长家"]


def test_arabic_and_full_width_numbers_sort_by_value():
    assert sorted(["10号", "2号", "１号", "1号院"], key=natural_key) == ["１号", "1号院", "2号", "10号"]
    points = ["第10议事点", "第9议事点", "第二议事点"]
    assert sorted(points, key=natural_key) == ["第二议事点", "第9议事点", "第10议事点"]


@pytest.mark.django_db
def test_a_villages_discussion_points_and_households_are_listed_in_natural_order(world, client_for):
    for name in ["三组议事点", "一组议事点", "十一组议事点", "二组议事点", "四组议事点"]:
        DiscussionPointFactory(village=world.village_a, name=name)
    for number in ["10", "2", "1"]:
        HouseholdFactory(village=world.village_a, number=number)
    page = client_for(world.users["township_a"]).get(
        reverse("assemblies:village_detail", args=[world.village_a.code])).content.decode()
    points = ["一组议事点", "二组议事点", "三组议事点", "四组议事点", "十一组议事点"]
    assert [page.index(f"<td>{p}</td>") for p in points] == sorted(page.index(f"<td>{p}</td>") for p in points)
    rows = [page.index(f">{n}</a></td>") for n in ["1", "2", "10"]]
    assert rows == sorted(rows)
