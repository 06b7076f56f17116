"""The county works through its queue: it filters the month overview to one township's submitted months, ticks ten
and accepts them in one action while one of them was accepted meanwhile by another path; that one is reported by
name and not accepted twice."""
from __future__ import annotations

import pytest
from django.db.models import Count
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e
ZHAILI = "寨里镇"  # township01: the other journeys' villages; left alone here


def _busiest_township(month):
    """The township (not 寨里镇) with the most months of `month` waiting for the county, and how many."""
    from members.models import MonthlyReview

    row = (MonthlyReview.objects.filter(year=month.year, month=month.month, status="submitted")
           .exclude(village__township__name=ZHAILI).values("village__township_id", "village__township__name")
           .annotate(n=Count("id")).order_by("-n", "village__township__name").first())
    return row["village__township_id"], row["village__township__name"], row["n"]


def test_county_accepts_ten_months_in_one_action_one_was_accepted_meanwhile(portal):
    from accounts.models import User
    from members import selectors, services
    from members.models import MonthlyReview
    from tests.batch import accepts_in_history

    page = portal.login("county").page
    county = User.objects.get(username="county")
    portal.goto("/members/months/")
    month = selectors.monthly_review_waiting_month(user=county)
    expect(page.locator("h1 small")).to_have_text(month.label)  # opens on the month with the most waiting
    expect(page.locator(".waiting-note")).to_contain_text("等待您审核")
    township_id, township_name, waiting = _busiest_township(month)
    assert waiting >= 10, f"the demo county has only {waiting} months waiting in one township"

    page.locator("select[name=township]").select_option(str(township_id))
    page.get_by_role("button", name="筛选").click()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(waiting)
    for township_cell in rows.locator("td:nth-child(2)").all_inner_texts():
        assert township_cell == township_name
    page.locator("input[data-select-all]").check()  # select all on this page, then keep the first ten
    boxes = page.locator("input[name=ids]")
    expect(boxes.nth(waiting - 1)).to_be_checked()
    for i in range(10, waiting):
        boxes.nth(i).uncheck()
    ids = [int(boxes.nth(i).get_attribute("value")) for i in range(10)]
    chosen = list(MonthlyReview.objects.filter(pk__in=ids).select_related("village").order_by("village__code"))
    meanwhile = chosen[3]
    services.monthly_review_accept(user=county, review=meanwhile)  # another path, before the click

    page.get_by_role("button", name="接收所选").click()
    expect(page.locator("ol.batch-list li")).to_have_count(10)
    portal.screenshot("batch-review-confirm")
    page.get_by_role("button", name="接收以上各项并锁定").click()
    messages = page.locator(".messages")
    expect(messages).to_contain_text("已接收 9 个。")
    expect(messages.locator(".error")).to_have_count(1)
    expect(messages.locator(".error")).to_contain_text(meanwhile.village.name)
    expect(messages.locator(".error")).to_contain_text("现在不能接收")
    portal.screenshot("batch-review-accepted")

    assert {r.status for r in MonthlyReview.objects.filter(pk__in=ids)} == {"accepted"}
    assert accepts_in_history(meanwhile) == 1
    assert all(accepts_in_history(r) == 1 for r in chosen)
    # The queue of that township now holds only the months not chosen.
    expect(page.locator("input[name=ids]")).to_have_count(waiting - 10)
