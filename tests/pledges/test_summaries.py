"""The pledge reviews' summary stays equal to a fresh aggregate after every write (issue 13)."""
import datetime as dt

from core import summaries
from core.periods import Quarter
from pledges import services
from pledges.choices import RectificationStatus
from pledges.models import PledgeQuarterSummary
from pledges.summaries import PLEDGE_QUARTER

from .factories import PledgeFactory, PledgeItemFactory


def test_review_workflow_and_rectifications_keep_the_summary(world):
    staff, county = world.users["township_a"], world.users["county"]
    pledge = PledgeFactory(person=world.person_a)
    items = [PledgeItemFactory(pledge=pledge) for _ in range(3)]
    review = services.quarterly_review_get_or_create(user=staff, village=world.village_a, quarter=Quarter(2026, 2))
    row = lambda: PledgeQuarterSummary.objects.get(review=review)  # noqa: E731
    assert (row().meeting_held, row().items_checked) == (False, 0)
    assert summaries.differences(PLEDGE_QUARTER) == []
    services.quarterly_review_save(user=staff, review=review, expected_version=0,
                                   meeting={"meeting_date": dt.date(2026, 6, 20)},
                                   statuses={items[0].pk: ("done", ""), items[1].pk: ("behind", "资金未到"),
                                             items[2].pk: ("not_started", "")})
    assert (row().meeting_held, row().items_checked, row().items_done, row().items_behind) == (True, 3, 1, 2)
    rect = services.rectification_open(user=staff, review=review, item=items[1], problem="进度滞后",
                                       responsible="主任", deadline=dt.date(2026, 9, 30))
    assert (row().rect_opened, row().rect_done) == (1, 0)
    assert summaries.differences(PLEDGE_QUARTER) == []
    review.refresh_from_db()
    services.quarterly_review_submit(user=staff, review=review)
    assert row().status == "submitted"
    services.quarterly_review_accept(user=county, review=review)
    assert row().status == "accepted"
    services.rectification_update(user=staff, rectification=rect, status=RectificationStatus.DONE,
                                  verified_how="实地查看", verified_on=dt.date(2026, 9, 1))
    assert row().rect_done == 1
    services.quarterly_review_return(user=county, review=review, reason="重新评议")
    assert row().status == "returned"
    assert summaries.differences(PLEDGE_QUARTER) == []


def test_check_names_the_village_quarter_that_differs(world):
    review = services.quarterly_review_get_or_create(user=world.users["township_a"], village=world.village_a,
                                                     quarter=Quarter(2026, 3))
    PledgeQuarterSummary.objects.filter(review=review).update(items_done=7)
    assert summaries.differences(PLEDGE_QUARTER) == [
        f"pledges.pledgequartersummary [village_id={world.village_a.pk}, year=2026, quarter=3]: items_done 7 ≠ 0"]
