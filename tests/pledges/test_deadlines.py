"""Past deadlines are flagged (defect 5 of issue 16): a pledge item due 06-15 that no check found done reads 逾期
(whatever the last check said, e.g. 正常推进); the rectification list puts the open overdue ones first and the
rectified old ones last; a warning to an inactive member still pending after its deadline reads 逾期, not 待整改."""
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import MemberWarning
from pledges import selectors
from pledges.choices import ItemStatus, RectificationStatus

from .factories import ItemReviewFactory, PledgeFactory, PledgeItemFactory, QuarterlyReviewFactory, RectificationFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _row(page: str, text: str) -> str:
    start = page.index(text)
    return page[page.rfind("<tr", 0, start):page.index("</tr>", start)]


def test_a_pledge_item_past_its_due_date_and_not_done_reads_overdue(world, client_for):
    pledge = PledgeFactory(person=world.person_a, year=2026)
    past = PledgeItemFactory(pledge=pledge, commitment="修缮村部", due_date=dt.date(2026, 6, 15))
    done = PledgeItemFactory(pledge=pledge, commitment="清理河道", due_date=dt.date(2026, 6, 15))
    later = PledgeItemFactory(pledge=pledge, commitment="建文化广场", due_date=TODAY + dt.timedelta(days=30))
    review = QuarterlyReviewFactory(village=world.village_a, year=2026, quarter=2, meeting_date=dt.date(2026, 6, 1))
    ItemReviewFactory(review=review, item=past, status=ItemStatus.ON_TRACK)
    ItemReviewFactory(review=review, item=done, status=ItemStatus.DONE)
    ItemReviewFactory(review=review, item=later, status=ItemStatus.ON_TRACK)
    page = client_for(world.users["township_a"]).get(
        reverse("pledges:pledge_detail", args=[pledge.pk])).content.decode()
    assert "正常推进" in _row(page, "修缮村部") and "逾期" in _row(page, "修缮村部")
    assert "逾期" not in _row(page, "清理河道")
    assert "逾期" not in _row(page, "建文化广场")
    # On 15 June itself the item is still in time.
    on_the_day = selectors.pledge_get(user=world.users["township_a"], pk=pledge.pk, today=dt.date(2026, 6, 15))
    assert not any(i.is_overdue for i in on_the_day.items.all())


def test_rectifications_list_open_overdue_first_and_old_rectified_ones_last(world, client_for):
    review = QuarterlyReviewFactory(village=world.village_a, year=2025, quarter=1)
    RectificationFactory(review=review, problem="旧账已整改", deadline=dt.date(2025, 3, 31),
                         status=RectificationStatus.DONE, verified_on=dt.date(2025, 3, 30), verified_how="现场查看")
    RectificationFactory(review=review, problem="尚未到期", deadline=TODAY + dt.timedelta(days=20))
    RectificationFactory(review=review, problem="逾期较短", deadline=TODAY - dt.timedelta(days=3))
    RectificationFactory(review=review, problem="逾期最久", deadline=TODAY - dt.timedelta(days=200))
    RectificationFactory(review=review, problem="新近整改", deadline=TODAY - dt.timedelta(days=10),
                         status=RectificationStatus.DONE, verified_on=TODAY, verified_how="查阅台账")
    problems = ["逾期最久", "逾期较短", "尚未到期", "新近整改", "旧账已整改"]
    listed = [r.problem for r in selectors.rectification_list(user=world.users["county"])]
    assert listed == problems
    page = client_for(world.users["county"]).get(reverse("pledges:rectification_list")).content.decode()
    assert [page.index(f"<td>{p}</td>") for p in problems] == sorted(page.index(f"<td>{p}</td>") for p in problems)


def test_a_warning_pending_past_its_deadline_reads_overdue(world, client_for):
    member = world.person_a.membership
    MemberWarning.objects.create(member=member, reason="长期不参加组织生活", issued_by="镇党委",
                                 issued_date=TODAY - dt.timedelta(days=60), deadline=TODAY - dt.timedelta(days=1))
    MemberWarning.objects.create(member=member, reason="不缴纳党费", issued_by="镇党委",
                                 issued_date=TODAY - dt.timedelta(days=5), deadline=TODAY)
    page = client_for(world.users["township_a"]).get(
        reverse("members:warning_list") + f"?year={(TODAY - dt.timedelta(days=60)).year}").content.decode()
    overdue = _row(page, "长期不参加组织生活")
    assert "逾期" in overdue and "待整改" not in overdue
    if (TODAY - dt.timedelta(days=5)).year == (TODAY - dt.timedelta(days=60)).year:
        assert "待整改" in _row(page, "不缴纳党费") and "逾期" not in _row(page, "不缴纳党费")
