import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from core.workflow import PeriodLocked, StaleEdit
from pledges import services
from pledges.choices import ItemStatus, PledgeKind, RectificationStatus
from pledges.models import ItemReview, Pledge, PledgeItem, Rectification
from pledges.selectors import Fulfilment, pledge_fulfilment_rate, pledge_fulfilment_rates

from .factories import ItemReviewFactory, PledgeFactory, PledgeItemFactory, QuarterlyReviewFactory


@pytest.fixture
def staff(world):
    return world.users["township_a"]


def test_public_pledge_needs_both_adoption_meetings(world, staff):
    pledge = services.pledge_create(user=staff, village=world.village_a, kind=PledgeKind.ANNUAL, year=2026,
                                    person=world.person_a)
    with pytest.raises(ValidationError) as exc:
        services.pledge_adopt(user=staff, pledge=pledge, party_assembly_date=dt.date(2026, 2, 1),
                              publicly_pledged_date=dt.date(2026, 2, 10))
    assert "publicly_pledged_date" in exc.value.error_dict
    pledge.refresh_from_db()
    assert pledge.publicly_pledged_date is None
    services.pledge_adopt(user=staff, pledge=pledge, party_assembly_date=dt.date(2026, 2, 1),
                          representative_meeting="household", representative_meeting_date=dt.date(2026, 2, 5),
                          publicly_pledged_date=dt.date(2026, 2, 10))
    pledge.refresh_from_db()
    assert pledge.publicly_pledged_date == dt.date(2026, 2, 10)
    assert pledge.missing_adoption_steps == []
    assert pledge.history.first().history_user == staff


def test_annual_pledge_only_for_a_cadre_of_the_village_and_only_once(world, staff):
    services.pledge_create(user=staff, village=world.village_a, kind=PledgeKind.ANNUAL, year=2026,
                           person=world.person_a)
    with pytest.raises(ValidationError):
        services.pledge_create(user=staff, village=world.village_a, kind=PledgeKind.ANNUAL, year=2026,
                               person=world.person_a)
    with pytest.raises(PermissionDenied):
        services.pledge_create(user=world.users["township_b"], village=world.village_a, kind=PledgeKind.ANNUAL,
                               year=2027, person=world.person_a)
    assert Pledge.objects.count() == 1


def test_copy_last_years_pledge(world, staff):
    old = PledgeFactory(person=world.person_a, year=2025)
    PledgeItemFactory(pledge=old, commitment="修建水渠", due_date=dt.date(2025, 9, 30))
    PledgeItemFactory(pledge=old, commitment="调解纠纷", due_date=None)
    new = services.pledge_copy_to_next_year(user=staff, pledge=old)
    assert (new.year, new.person, new.copied_from, new.publicly_pledged_date) == (2026, world.person_a, old, None)
    assert sorted(new.items.values_list("commitment", "due_date")) == [
        ("修建水渠", dt.date(2026, 9, 30)), ("调解纠纷", None)]
    with pytest.raises(ValidationError):
        services.pledge_copy_to_next_year(user=staff, pledge=old)  # 2026 exists now


@pytest.fixture
def reviewed(world):
    pledge = PledgeFactory(person=world.person_a)
    items = [PledgeItemFactory(pledge=pledge) for _ in range(2)]
    review = QuarterlyReviewFactory(village=world.village_a)
    return pledge, items, review


def test_review_save_writes_statuses_and_refuses_stale_and_locked(world, staff, reviewed):
    _, items, review = reviewed
    county = world.users["county"]
    services.quarterly_review_save(user=staff, review=review, expected_version=0, meeting={"party_members_present": 30},
                                   statuses={items[0].pk: ("behind", "资金未到"), items[1].pk: ("done", "")})
    assert dict(ItemReview.objects.values_list("item_id", "status")) == {items[0].pk: "behind", items[1].pk: "done"}
    with pytest.raises(StaleEdit):
        services.quarterly_review_save(user=staff, review=review, expected_version=0, meeting={},
                                       statuses={items[1].pk: ("behind", "")})
    review.refresh_from_db()
    services.quarterly_review_submit(user=staff, review=review)
    with pytest.raises(PermissionDenied):
        services.quarterly_review_accept(user=staff, review=review)
    services.quarterly_review_accept(user=county, review=review)
    review.refresh_from_db()
    with pytest.raises(PeriodLocked) as exc:
        services.quarterly_review_save(user=staff, review=review, expected_version=review.version, meeting={},
                                       statuses={items[1].pk: ("behind", "")})
    assert "县委组织部" in exc.value.messages[0]
    with pytest.raises(PeriodLocked):
        services.rectification_open(user=staff, review=review, problem="x", responsible="y",
                                    deadline=dt.date(2026, 6, 1))
    assert ItemReview.objects.get(item=items[1]).status == "done"
    services.quarterly_review_return(user=county, review=review, reason="请补充会议记录")
    review.refresh_from_db()
    services.quarterly_review_save(user=staff, review=review, expected_version=review.version, meeting={},
                                   statuses={items[1].pk: ("on_track", "")})
    assert ItemReview.objects.get(item=items[1]).status == "on_track"


def test_rectification_closes_only_when_verified(world, staff, reviewed):
    _, items, review = reviewed
    rect = services.rectification_open(user=staff, review=review, item=items[0], problem="村道未开工",
                                       responsible="村委会主任", deadline=dt.date(2026, 6, 30))
    with pytest.raises(ValidationError):
        services.rectification_update(user=staff, rectification=rect, status=RectificationStatus.DONE)
    rect = Rectification.objects.get(pk=rect.pk)
    assert rect.status == RectificationStatus.OPEN
    services.rectification_update(user=staff, rectification=rect, status=RectificationStatus.DONE,
                                  verified_how="乡镇实地查看", verified_on=dt.date(2026, 6, 20))
    assert Rectification.objects.get(pk=rect.pk).status == RectificationStatus.DONE


def test_fulfilment_rate_from_the_latest_review_of_each_item(world, reviewed):
    pledge, items, q1 = reviewed
    extra = PledgeItemFactory(pledge=pledge)
    q2 = QuarterlyReviewFactory(village=world.village_a, quarter=2)
    ItemReviewFactory(review=q1, item=items[0], status=ItemStatus.BEHIND)
    ItemReviewFactory(review=q2, item=items[0], status=ItemStatus.DONE)
    ItemReviewFactory(review=q1, item=items[1], status=ItemStatus.DONE)
    ItemReviewFactory(review=q2, item=items[1], status=ItemStatus.BEHIND)
    # `extra` never reviewed; a term pledge of the village does not count for the cadre.
    term = Pledge.objects.create(village=world.village_a, kind=PledgeKind.TERM, committee="branch", year=2024,
                                 term_end_year=2027)
    ItemReviewFactory(review=q2, item=PledgeItemFactory(pledge=term), status=ItemStatus.DONE)
    county = world.users["county"]
    rate = pledge_fulfilment_rate(user=county, person=world.person_a, year=2026)
    assert rate == Fulfilment(items=3, reviewed=2, done=1, on_track=0, behind=1, not_started=0)
    assert rate.percent == "33.3%"
    assert pledge_fulfilment_rate(user=county, person=world.person_a, year=2025).rate is None
    assert extra.pk
    bulk = pledge_fulfilment_rates(user=county, persons=[world.person_a, world.person_b], year=2026)
    assert bulk == {world.person_a.pk: rate}
    assert pledge_fulfilment_rates(user=world.users["township_b"], persons=[world.person_a], year=2026) == {}
    with pytest.raises(Http404):
        pledge_fulfilment_rate(user=world.users["township_b"], person=world.person_a, year=2026)


def test_item_checked_in_a_locked_quarter_keeps_its_wording(world, staff, reviewed):
    _, items, review = reviewed
    ItemReviewFactory(review=review, item=items[0], status=ItemStatus.DONE)
    review.status = "accepted"
    review.save()
    original = items[0].commitment
    with pytest.raises(PeriodLocked):
        services.pledge_item_update(user=staff, item=items[0], commitment="改写后的承诺")
    assert PledgeItem.objects.get(pk=items[0].pk).commitment == original
    item = PledgeItem.objects.get(pk=items[0].pk)
    services.pledge_item_update(user=staff, item=item, due_date=dt.date(2026, 12, 31))  # the deadline may move
    services.pledge_item_update(user=staff, item=items[1], commitment="未评议的事项可以改")
    assert PledgeItem.objects.get(pk=items[1].pk).commitment == "未评议的事项可以改"
