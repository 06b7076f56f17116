"""Two township users save the same village-month grid at the same moment, each from the page they opened.

Runs on PostgreSQL (CI runs the suite there too): two real connections in two threads, each its own transaction.
One save wins; the other is told to reload and writes nothing; the audit trail holds exactly what the winner wrote."""
import pytest
from django.urls import reverse
from django.utils import timezone

from core.periods import Month
from members import services
from members.choices import Rating
from members.models import Deduction, MonthlyResult, MonthlyReview
from tests.accounts.factories import make_user
from tests.concurrency import HOLD, logged_in, postgresql_only, race, slow_claim
from tests.dbstate import changed_tables, snapshot
from tests.members.factories import grid_post, members_for, rule_set_with_rules

pytestmark = [pytest.mark.django_db(transaction=True), postgresql_only]

MAY = Month(2026, 5)


def grid_url(village):
    return reverse("members:monthlyreview_grid", kwargs={"code": village.code, "month": str(MAY)})


@pytest.fixture
def two_users(world):
    rule_set_with_rules(world.village_a)
    members = [world.person_a.membership] + members_for(world.village_a, 3)
    second = make_user("township_a2", role="township_staff", county=world.county, township=world.township_a)
    return world, members, world.users["township_a"], second


def _post(members, version, excellent, reason):
    return grid_post(members, version, **{f"rating-{excellent.pk}": "excellent", f"reason-{excellent.pk}": reason})


@pytest.mark.parametrize("month_exists", [True, False], ids=["saved-before", "first-save-of-the-month"])
def test_one_save_wins_the_other_is_told_to_reload(two_users, monkeypatch, month_exists):
    world, members, first, second = two_users
    version = 0
    if month_exists:
        review = services.monthly_grid_save(user=first, village=world.village_a, month=MAY, expected_version=0,
                                            entries=[])
        version = review.version
    clients = {first: logged_in(first), second: logged_in(second)}
    before = snapshot()
    race_start = timezone.now()
    claimed = slow_claim(monkeypatch, services)

    url = grid_url(world.village_a)
    responses, started = race([
        (first.username, clients[first], url,
         _post(members, version, excellent=members[1], reason="甲的理由：抗洪抢险")),
        (second.username, clients[second], url,
         _post(members, version, excellent=members[2], reason="乙的理由：扶贫帮困")),
    ])
    pages = {name: r.content.decode() for name, r in responses.items()}

    saved = [name for name, page in pages.items() if "已保存" in page]
    refused = [name for name, page in pages.items() if "其他人保存过" in page and "刷新页面" in page]
    assert len(saved) == 1 and len(refused) == 1 and saved != refused, pages
    winner = first if saved == [first.username] else second
    loser = second if winner is first else first
    # They really overlapped: the refused save started while the winner held the month.
    assert len(claimed) == 1 and started[loser.username] < claimed[0] + HOLD
    assert "已保存" not in pages[loser.username]

    # The database holds exactly the winner's grid.
    review = MonthlyReview.objects.get(village=world.village_a, year=MAY.year, month=MAY.month)
    assert review.version == version + 1
    ratings = dict(MonthlyResult.objects.filter(review=review).values_list("member_id", "rating"))
    win_member = members[1] if winner is first else members[2]
    assert ratings == {m.pk: (Rating.EXCELLENT if m == win_member else Rating.QUALIFIED) for m in members}
    assert not Deduction.objects.exists()

    # The audit trail shows what was written, by whom, and nothing of the refused save.
    loser_reason = "乙的理由" if loser is second else "甲的理由"
    history = MonthlyResult.history.filter(review_id=review.pk)
    expected_users = {winner.username} | ({first.username} if month_exists else set())
    assert set(history.values_list("history_user__username", flat=True)) == expected_users
    excellent = history.filter(rating=Rating.EXCELLENT)
    assert list(excellent.values_list("member_id", "history_user__username")) == [(win_member.pk, winner.username)]
    assert not MonthlyResult.history.filter(excellent_reason__contains=loser_reason).exists()
    review_history = MonthlyReview.history.filter(id=review.pk).order_by("history_date")
    written = review_history.filter(history_date__gte=race_start)
    assert set(written.values_list("history_user__username", flat=True)) == {winner.username}
    assert review_history.last().version == version + 1
    assert set(changed_tables(before, snapshot())) <= {
        "members.monthlyreview", "members.historicalmonthlyreview",
        "members.monthlyresult", "members.historicalmonthlyresult",
        "members.villagemonthsummary"}  # the month's summary row, written in the winner's transaction

    # The refused user reloads, sees the winner's entry, and saves on top of it.
    client = clients[loser]
    page = client.get(grid_url(world.village_a)).content.decode()
    assert ("甲的理由" if winner is first else "乙的理由") in page
    data = _post(members, review.version, excellent=members[3], reason="重新加载后再存")
    assert "已保存" in client.post(grid_url(world.village_a), data, follow=True).content.decode()
    assert MonthlyResult.objects.get(review=review, member=members[3]).rating == Rating.EXCELLENT
