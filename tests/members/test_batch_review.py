"""The county reviews many months at once from the month overview: each acceptance is checked, locked and audited
by itself; a refusal is listed with its period; ids outside the county do nothing; a return needs its reason."""
import datetime as dt

import pytest
from django.urls import reverse

from core.workflow import ReviewStatus
from members import services
from members.models import MonthlyReview, VillageMonthSummary
from tests.batch import accepts_in_history, batch_post, shown_messages
from tests.dbstate import changed_tables, snapshot
from tests.members.factories import MonthlyReviewFactory, members_for
from tests.villages.factories import CountyFactory, TownshipFactory, VillageFactory

pytestmark = pytest.mark.django_db
ROUTE = "members:monthlyreview_batch"


def _submitted(village, month=5):
    members_for(village, 2)
    return MonthlyReviewFactory(village=village, month=month, status=ReviewStatus.SUBMITTED,
                                due_date=dt.date(2026, month + 1, 10))


@pytest.fixture
def months(world, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    return [_submitted(v) for v in (world.village_a, world.village_a2, world.village_b)]


def test_county_accepts_many_each_locked_audited_and_summarised(world, months, client_for):
    response = batch_post(client_for(world.users["county"]), ROUTE, [m.pk for m in months])
    assert response.status_code == 200
    assert "已接收 3 个。" in shown_messages(response)
    for month in months:
        month.refresh_from_db()
        assert month.status == ReviewStatus.ACCEPTED and month.accepted_by == world.users["county"]
        assert accepts_in_history(month) == 1
        assert MonthlyReview.history.filter(id=month.pk, status="accepted").get().history_user == world.users["county"]
        assert VillageMonthSummary.objects.get(review=month).status == ReviewStatus.ACCEPTED


def test_one_accepted_meanwhile_is_listed_and_not_accepted_twice(world, months, client_for):
    first = months[0]
    services.monthly_review_accept(user=world.users["admin"], review=first)  # another path, before the click
    response = batch_post(client_for(world.users["county"]), ROUTE, [m.pk for m in months])
    shown = shown_messages(response)
    assert "已接收 2 个。" in shown
    refusal = [m for m in shown if first.village.name in m]
    assert refusal == ["甲一村 2026年5月 当前状态为“已接收（锁定）”，现在不能接收。"]
    first.refresh_from_db()
    assert first.accepted_by == world.users["admin"] and accepts_in_history(first) == 1
    assert all(MonthlyReview.objects.get(pk=m.pk).status == ReviewStatus.ACCEPTED for m in months)


def test_ids_outside_the_county_do_nothing(world, months, client_for):
    other_county = CountyFactory(code="359902", name="外县")
    other_village = VillageFactory(township=TownshipFactory(county=other_county), name="外县村")
    elsewhere = _submitted(other_village)
    response = batch_post(client_for(world.users["county"]), ROUTE, [elsewhere.pk, 987654, "x", months[0].pk])
    assert response.status_code == 200
    shown = shown_messages(response)
    assert "已接收 1 个。" in shown
    assert any("2 个不在您的范围内" in m for m in shown)
    elsewhere.refresh_from_db()
    assert elsewhere.status == ReviewStatus.SUBMITTED and accepts_in_history(elsewhere) == 0


def test_township_users_get_403_and_nothing_changes(world, months, client_for):
    before = snapshot()
    for role in ("township_a", "clerk_a"):
        response = client_for(world.users[role]).post(reverse(ROUTE), {"ids": [months[0].pk], "step": "accept",
                                                                       "confirm": "1"})
        assert response.status_code == 403
    # Signing in writes the account's last login; nothing else may change.
    assert [t for t in changed_tables(before, snapshot()) if not t.startswith("accounts.")] == []


def test_confirmation_lists_the_months_before_anything_is_done(world, months, client_for):
    client = client_for(world.users["county"])
    before = snapshot()
    response = batch_post(client, ROUTE, [m.pk for m in months], confirm=False)
    content = response.content.decode()
    assert response.status_code == 200 and "接收以上各项并锁定" in content
    for month in months:
        assert month.period_label() in content and f'name="ids" value="{month.pk}"' in content
    assert changed_tables(before, snapshot()) == []


def test_return_needs_a_reason_and_returns_each_with_it(world, months, client_for):
    client = client_for(world.users["county"])
    before = snapshot()
    response = batch_post(client, ROUTE, [m.pk for m in months], step="return", reason="  ")
    assert response.status_code == 200 and "请填写退回原因" in response.content.decode()
    assert changed_tables(before, snapshot()) == []
    response = batch_post(client, ROUTE, [m.pk for m in months], step="return", reason="扣分未谈话")
    assert "已退回乡镇 3 个。" in shown_messages(response)
    for month in months:
        month.refresh_from_db()
        assert month.status == ReviewStatus.RETURNED and month.return_reason == "扣分未谈话"


def test_overview_opens_a_reviewer_on_what_waits(world, months, client_for):
    MonthlyReviewFactory(village=world.village_a, month=6, due_date=dt.date(2026, 7, 10))  # a draft, later month
    response = client_for(world.users["county"]).get(reverse("members:monthlyreview_list"))
    content = response.content.decode()
    assert response.context["month"].month == 5 and response.context["status"] == "submitted"
    assert "当前显示：已报送、等待您审核的。" in content and "接收所选" in content
    for month in months:
        assert f'name="ids" value="{month.pk}"' in content
    response = client_for(world.users["county"]).get(reverse("members:monthlyreview_list") + "?month=2026-06")
    assert response.context["status"] == "submitted" and world.village_a.name not in _rows(response)
    response = client_for(world.users["county"]).get(reverse("members:monthlyreview_list") + "?month=2026-06&status=")
    assert world.village_a.name in _rows(response) and "当前显示" not in response.content.decode()


def _rows(response) -> str:
    return " ".join(v.name for v in response.context["villages"])


def test_township_sees_every_status_and_no_batch_controls(world, months, client_for):
    response = client_for(world.users["township_a"]).get(reverse("members:monthlyreview_list") + "?month=2026-05")
    content = response.content.decode()
    assert response.context["status"] == "" and 'name="ids"' not in content and "接收所选" not in content


def test_township_filter_narrows_the_queue(world, months, client_for):
    url = reverse("members:monthlyreview_list") + f"?month=2026-05&township={world.township_b.pk}"
    content = client_for(world.users["county"]).get(url).content.decode()
    assert f'name="ids" value="{months[2].pk}"' in content and f'name="ids" value="{months[0].pk}"' not in content


@pytest.mark.parametrize("n", [2, 14])
def test_overview_queries_stay_bounded(world, client_for, n, django_assert_max_num_queries):
    for _ in range(n):
        _submitted(VillageFactory(township=world.township_a))
    client = client_for(world.users["county"])
    with django_assert_max_num_queries(13):
        response = client.get(reverse("members:monthlyreview_list"))
    assert len(response.context["villages"]) == n


def test_next_waiting_on_the_grid(world, months, client_for):
    client = client_for(world.users["county"])
    first, second, third = sorted(months, key=lambda m: m.village.code)
    response = client.get(reverse("members:monthlyreview_grid", args=[first.village.code, "2026-05"]))
    assert response.context["next_waiting_url"] == reverse("members:monthlyreview_grid",
                                                           args=[second.village.code, "2026-05"])
    assert "下一个待审" in response.content.decode()
    services.monthly_review_accept(user=world.users["county"], review=second)
    response = client.get(reverse("members:monthlyreview_grid", args=[first.village.code, "2026-05"]))
    assert response.context["next_waiting_label"] == third.village.name
    response = client.get(reverse("members:monthlyreview_grid", args=[third.village.code, "2026-05"]))
    assert response.context["next_waiting_url"] == "" and "此后没有待审的了" in response.content.decode()
    township = client_for(world.users["township_a"]).get(
        reverse("members:monthlyreview_grid", args=[first.village.code, "2026-05"]))
    assert "下一个待审" not in township.content.decode()


def test_county_reads_a_submitted_month_as_a_plain_table_with_its_steps_on_top(world, client_for, settings):
    from core.periods import Month
    from tests.members.factories import rule_set_with_rules

    settings.LANGUAGE_CODE = "zh-hans"
    rule = rule_set_with_rules(world.village_a).rules.get(number=2)
    excellent, deducted = [world.person_a.membership] + members_for(world.village_a, 1)
    township = world.users["township_a"]
    review = services.monthly_grid_save(
        user=township, village=world.village_a, month=Month(2026, 5), expected_version=0, entries=[
            services.ResultEntry(member_id=excellent.pk, excellent=True, excellent_reason="抗洪抢险带头"),
            services.ResultEntry(member_id=deducted.pk, deductions=[services.DeductionEntry(
                rule_id=rule.pk, note="无故缺席", talk_by="林书记", talk_date=dt.date(2026, 5, 28))])])
    services.monthly_review_submit(user=township, review=review)
    content = client_for(world.users["county"]).get(
        reverse("members:monthlyreview_grid", args=[world.village_a.code, "2026-05"])).content.decode()
    assert "<select" not in content.split("readonly-results")[1] and 'name="rating-' not in content
    table = content[content.index("readonly-results"):content.index("</table>", content.index("readonly-results"))]
    assert "抗洪抢险带头" in table and f"{rule.number}. {rule.text}" in table and "−3" in table
    assert "无故缺席" in table and "林书记 2026-05-28" in table
    assert content.index("接收并锁定") < content.index("readonly-results")
    assert content.index("退回乡镇") < content.index("readonly-results")
