"""The audit trail of a month as the county reads it, and the admin pages of the members app."""
import pytest
from django.urls import reverse

from core.periods import Month
from members import services
from members.services import DeductionEntry, ResultEntry
from tests.members.factories import rule_set_with_rules

MAY = Month(2026, 5)


@pytest.fixture
def accepted_then_returned(world):
    rule_set = rule_set_with_rules(world.village_a)
    township, county = world.users["township_a"], world.users["county"]
    member = world.person_a.membership
    review = services.monthly_grid_save(
        user=township, village=world.village_a, month=MAY, expected_version=0,
        entries=[ResultEntry(member_id=member.pk, deductions=[DeductionEntry(rule_id=rule_set.rules.first().pk)])])
    review = services.monthly_review_submit(user=township, review=review)
    review = services.monthly_review_accept(user=county, review=review)
    review = services.monthly_review_return(user=county, review=review, reason="补谈话记录")
    return world, review


def test_county_reads_every_step_in_the_history(accepted_then_returned, client_for, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    world, review = accepted_then_returned
    content = client_for(world.users["county"]).get(
        reverse("record_history", kwargs={"app_label": "members", "model_name": "monthlyreview", "pk": review.pk})
    ).content.decode()
    for text in ("已报送", "已接收（锁定）", "已退回", "补谈话记录", "township_a", "county"):
        assert text in content, text
    deduction = review.results.get().deductions.get()
    content = client_for(world.users["county"]).get(
        reverse("record_history", kwargs={"app_label": "members", "model_name": "deduction", "pk": deduction.pk})
    ).content.decode()
    assert "township_a" in content


def test_grid_links_the_history_for_county(accepted_then_returned, client_for):
    world, review = accepted_then_returned
    url = reverse("members:monthlyreview_grid", kwargs={"code": world.village_a.code, "month": "2026-05"})
    history = reverse("record_history", kwargs={"app_label": "members", "model_name": "monthlyreview", "pk": review.pk})
    assert history in client_for(world.users["county"]).get(url).content.decode()
    assert history not in client_for(world.users["township_a"]).get(url).content.decode()


@pytest.mark.parametrize("model", ["partymember", "countypolicy", "basicrequirement", "ruleset", "monthlyreview",
                                   "monthlyresult", "deduction", "memberwarning", "disposition"])
def test_admin_changelists_open(accepted_then_returned, client_for, model):
    world, review = accepted_then_returned
    response = client_for(world.users["admin"]).get(reverse(f"admin:members_{model}_changelist"))
    assert response.status_code == 200


def test_village_clerk_drafts_but_cannot_submit(world, client_for):
    rule_set_with_rules(world.village_a)
    clerk = world.users["clerk_a"]
    review = services.monthly_grid_save(user=clerk, village=world.village_a, month=MAY, expected_version=0,
                                        entries=[ResultEntry(member_id=world.person_a.membership.pk, excellent=True,
                                                             excellent_reason="带头")])
    assert review.results.get().rating == "excellent"
    from django.core.exceptions import PermissionDenied
    with pytest.raises(PermissionDenied):
        services.monthly_review_submit(user=clerk, review=review)
    with pytest.raises(PermissionDenied):
        services.monthly_grid_save(user=clerk, village=world.village_a2, month=MAY, expected_version=0, entries=[])
