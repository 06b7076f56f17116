"""Warnings, dispositions, year totals against the county's thresholds, rule-set adoption and the thresholds page."""
import datetime as dt

import pytest
from django.urls import reverse

from core.periods import Month
from members import selectors, services
from members.models import BasicRequirement, CountyPolicy, Disposition, MemberWarning, RuleSet
from members.services import DeductionEntry, ResultEntry
from tests.members.factories import members_for, rule_set_with_rules


@pytest.fixture
def year(world):
    rule_set = rule_set_with_rules(world.village_a, points=(2, 3, 5))
    members = members_for(world.village_a, 3)
    five = rule_set.rules.get(points=5)
    township = world.users["township_a"]
    for m in (3, 4):  # members[0]: 10 points in two months; members[1]: 优 twice
        services.monthly_grid_save(user=township, village=world.village_a, month=Month(2026, m), expected_version=0,
                                   entries=[ResultEntry(member_id=members[0].pk,
                                                        deductions=[DeductionEntry(rule_id=five.pk)]),
                                            ResultEntry(member_id=members[1].pk, excellent=True,
                                                        excellent_reason="好")])
    return world, members


def test_member_year_totals(year):
    world, members = year
    totals = {m.pk: m for m in selectors.member_year_totals(user=world.users["county"], year=2026)}
    assert (totals[members[0].pk].deduction_points, totals[members[0].pk].deducted_months) == (10, 2)
    assert (totals[members[1].pk].excellent_months, totals[members[1].pk].deduction_points) == (2, 0)
    assert totals[members[0].pk].talks_missing == 2
    assert not selectors.member_year_totals(user=world.users["township_b"], year=2026).filter(pk=members[0].pk).exists()


def test_thresholds_page_suggests_by_the_county_setting(year, client_for):
    world, members = year
    client = client_for(world.users["township_a"])
    content = client.get(reverse("members:member_totals") + "?year=2026").content.decode()
    assert members[0].person.name in content and members[1].person.name not in content
    # The county raises the warning threshold above 10 points: nobody is suggested any more.
    county = client_for(world.users["county"])
    response = county.post(reverse("members:countypolicy_edit"), {
        "submission_due_days": 10, "warning_points": 12, "disposition_points": 20, "flag_z": "2.0",
        "notice_working_days": 5, "notice_public_days": 90})
    assert response.status_code == 302
    assert CountyPolicy.objects.get(county=world.county).warning_points == 12
    content = client_for(world.users["township_a"]).get(
        reverse("members:member_totals") + "?year=2026").content.decode()
    assert members[0].person.name not in content


def test_policy_refuses_disposition_below_warning(world, client_for):
    response = client_for(world.users["county"]).post(reverse("members:countypolicy_edit"), {
        "submission_due_days": 10, "warning_points": 12, "disposition_points": 6, "flag_z": "2.0",
        "notice_working_days": 5, "notice_public_days": 90})
    assert response.status_code == 200 and not CountyPolicy.objects.exists()


def test_warning_and_disposition_recorded_with_history(year, client_for):
    world, members = year
    client = client_for(world.users["township_a"])
    response = client.post(reverse("members:warning_add"), {
        "member": members[0].pk, "reason": "长期不参加组织生活", "issued_by": "村党支部", "issued_date": "2026-06-01",
        "deadline": "2026-09-01", "outcome": "pending", "outcome_note": ""})
    assert response.status_code == 302
    warning = MemberWarning.objects.get()
    assert warning.history.get().history_user == world.users["township_a"]
    response = client.post(reverse("members:disposition_add"), {
        "member": members[0].pk, "kind": "correct", "reason": "告诫后未改正", "decision_date": "2026-10-01",
        "approved_by": "镇党委", "outcome": "open", "outcome_note": ""})
    assert response.status_code == 302 and Disposition.objects.count() == 1
    content = client.get(reverse("members:warning_list") + "?year=2026").content.decode()
    assert "长期不参加组织生活" in content and "告诫后未改正" in content
    # Deadline before the warning date is refused, nothing written.
    client.post(reverse("members:warning_add"), {
        "member": members[0].pk, "reason": "x", "issued_by": "y", "issued_date": "2026-06-01",
        "deadline": "2026-05-01", "outcome": "pending"})
    assert MemberWarning.objects.count() == 1
    # Another township cannot record a warning for this member (not even offered).
    other = client_for(world.users["township_b"])
    other.post(reverse("members:warning_add"), {
        "member": members[0].pk, "reason": "x", "issued_by": "y", "issued_date": "2026-06-01",
        "deadline": "2026-07-01", "outcome": "pending"})
    assert MemberWarning.objects.count() == 1
    assert "长期不参加组织生活" not in other.get(reverse("members:warning_list") + "?year=2026").content.decode()


def test_rule_set_adoption_copies_the_county_template(world, client_for):
    BasicRequirement.objects.create(county=world.county, number=1, category="organisation", text="按时交纳党费",
                                    points=2)
    BasicRequirement.objects.create(county=world.county, number=2, category="duty", text="完成组织任务", points=3)
    client = client_for(world.users["township_a"])
    response = client.post(reverse("members:ruleset_add"), {
        "village": world.village_a.pk, "year": 2027, "adopted_date": "2027-02-15",
        "specific": "不带头参加村道保洁|2\n乱搭乱建｜4"})
    assert response.status_code == 302
    rule_set = RuleSet.objects.get(village=world.village_a, year=2027)
    assert list(rule_set.rules.values_list("text", "points", "kind")) == [
        ("按时交纳党费", 2, "basic"), ("完成组织任务", 3, "basic"), ("不带头参加村道保洁", 2, "specific"),
        ("乱搭乱建", 4, "specific")]
    # A second adoption for the same year is refused: changes make a new version.
    client.post(reverse("members:ruleset_add"), {"village": world.village_a.pk, "year": 2027,
                                                 "adopted_date": "2027-03-01", "specific": ""})
    assert RuleSet.objects.filter(village=world.village_a, year=2027).count() == 1
    # Bad line → message, nothing written.
    response = client.post(reverse("members:ruleset_add"), {"village": world.village_a2.pk, "year": 2027,
                                                            "adopted_date": "2027-03-01", "specific": "没有分值"})
    assert response.status_code == 200 and not RuleSet.objects.filter(village=world.village_a2).exists()


def test_warning_outcome_recorded_later(year, client_for):
    world, members = year
    township = world.users["township_a"]
    warning = services.warning_create(user=township, member=members[0], reason="不参加组织生活", issued_by="支部",
                                      issued_date=dt.date(2026, 6, 1), deadline=dt.date(2026, 9, 1), outcome="pending",
                                      outcome_note="")
    client = client_for(township)
    response = client.post(reverse("members:warning_edit", args=[warning.pk]), {
        "member": members[0].pk, "reason": "不参加组织生活", "issued_by": "支部", "issued_date": "2026-06-01",
        "deadline": "2026-09-01", "outcome": "corrected", "outcome_note": "已按时参加"})
    assert response.status_code == 302
    warning.refresh_from_db()
    assert warning.outcome == "corrected"
    assert [h.outcome for h in warning.history.order_by("history_date")] == ["pending", "corrected"]
    assert client_for(world.users["township_b"]).get(
        reverse("members:warning_edit", args=[warning.pk])).status_code == 404


def test_county_adds_to_the_template_townships_only_read_it(world, client_for):
    url = reverse("members:basicrequirement_list")
    county = client_for(world.users["county"])
    response = county.post(url, {"number": 1, "category": "duty", "text": "完成党组织分配的任务", "points": 3,
                                 "active": "on"})
    assert response.status_code == 302
    assert BasicRequirement.objects.get().county == world.county
    township = client_for(world.users["township_a"])
    assert "完成党组织分配的任务" in township.get(url).content.decode()
    assert township.post(url, {"number": 2, "category": "duty", "text": "x", "points": 1}).status_code == 403
    assert BasicRequirement.objects.count() == 1
    # A duplicate number is refused on the page, nothing written.
    county.post(url, {"number": 1, "category": "duty", "text": "重复", "points": 1})
    assert BasicRequirement.objects.count() == 1


def test_revising_rules_makes_a_new_version_and_new_months_use_it(year, client_for):
    world, members = year
    old = RuleSet.objects.get(village=world.village_a, year=2026)
    client = client_for(world.users["township_a"])
    page = client.get(reverse("members:ruleset_revise", args=[old.pk])).content.decode()
    assert "底线第1条|2" in page
    response = client.post(reverse("members:ruleset_revise", args=[old.pk]), {
        "adopted_date": "2026-06-15", "rules": "底线第1条|2\n底线第3条|5\n新增：不参加义务投工|3"})
    assert response.status_code == 302
    new = RuleSet.objects.get(village=world.village_a, year=2026, version=2)
    assert list(new.rules.values_list("text", "points")) == [
        ("底线第1条", 2), ("底线第3条", 5), ("新增：不参加义务投工", 3)]
    assert old.rules.count() == 3  # the old version, used by March and April, is untouched
    june = services.monthly_grid_save(user=world.users["township_a"], village=world.village_a, month=Month(2026, 6),
                                      expected_version=0, entries=[])
    assert june.rule_set == new
