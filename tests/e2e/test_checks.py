"""Issue 18's county checks in the browser: a township asks to reopen an accepted month and the county approves it;
the county draws a spot-check, records a rating not confirmed and finds it on the signals page. Every new page is
looked at on a phone (390 px) and a desk (1400 px): nothing scrolls sideways."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

SHANGPING = "359901101201"  # 上坪村, 寨里镇 (township01); its September is accepted in the demo county
REASON = "九月王某某的扣分录错了规则条目，需更正后重新报送"
NOTE = "入户核实：该党员九月未参加义务劳动"


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), page.url


def test_township_asks_to_reopen_a_month_and_the_county_approves(portal):
    page = portal.login("township01").page
    portal.goto(f"/members/months/{SHANGPING}/2026-09/")
    page.get_by_role("link", name="申请重新打开").click()
    page.fill("[name=reason]", REASON)
    page.get_by_role("button", name="保存").click()
    expect(page.locator("table.checks-table")).to_contain_text(REASON)

    portal.login("county")  # lands on the overview: the request waits in the work queue
    item = page.locator("table.queue tr", has_text="上坪村 2026年9月")
    expect(item).to_contain_text(REASON)
    portal.goto("/checks/reopen/")
    page.locator("table.checks-table tr", has_text=REASON).get_by_role("link", name="同意", exact=True).click()
    expect(page.locator(".message.warning")).to_contain_text("同意后")
    page.get_by_role("button", name="确认").click()
    expect(page.locator("table.checks-table")).to_contain_text("已同意：已退回")

    portal.login("township01")
    portal.goto(f"/members/months/{SHANGPING}/2026-09/")
    expect(page.locator("h1 small")).to_contain_text("已退回")
    expect(page.locator(".message.warning")).to_contain_text(REASON)
    portal.screenshot("checks-1-returned-at-the-townships-request")


@pytest.mark.parametrize("width", [390, 1400])
def test_county_draws_a_spot_check_and_a_rating_not_confirmed_reaches_the_signals_page(portal, width):
    page = portal.login("county").page
    page.set_viewport_size({"width": width, "height": 900})
    portal.goto("/checks/spot-checks/draw/")
    no_sideways_scroll(page)
    page.fill("[name=seed]", str(20260000 + width))
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messages")).to_contain_text(f"种子 {20260000 + width}")  # on the draw's page
    expect(page.locator("#seed")).to_have_text(str(20260000 + width))
    no_sideways_scroll(page)
    page.locator("table.checks-table tbody a").first.click()  # its first sampled month
    first = page.locator("table.checks-table tbody tr").first
    first.locator("select").select_option("disputed")
    first.locator("input[type=text]").fill(f"{NOTE}（{width}）")
    no_sideways_scroll(page)
    page.get_by_role("button", name="保存核查结论").click()
    expect(page.locator(".messages")).to_contain_text("已登记 1 项核查结论")

    portal.goto("/members/signals/?year=2026")
    expect(page.locator("#spot-check-discrepancies + .table-scroll")).to_contain_text(f"{NOTE}（{width}）")
    no_sideways_scroll(page)
    for path in ("/checks/spot-checks/", "/checks/reopen/", "/reports/spot-check/"):
        portal.goto(path)
        no_sideways_scroll(page)
    portal.screenshot(f"checks-2-spot-check-{width}")
