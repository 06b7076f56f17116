"""The dashboard's village × month grid on a township's page (issue 16, defect 1): at 1400 px each month's cell
lies under its month's header (its centre within the header's left and right edges), and each cell's hover title
is a Chinese status (已报送, 草稿，已逾期未报送, 未到期 …), never a raw code (accepted / submitted / draft)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from core.demo import demo_today

pytestmark = pytest.mark.e2e


def test_each_month_cell_lies_under_its_header_and_is_titled_in_chinese(portal):
    page = portal.login("county").page
    page.set_viewport_size({"width": 1400, "height": 900})
    year = demo_today().year  # the year the demo county has months in
    portal.goto(f"/reports/dashboard/?period={year}")
    page.locator("table.table tbody td a").first.click()  # the first township's page
    grid = page.locator("table.completeness")
    expect(grid).to_be_visible()
    grid.scroll_into_view_if_needed()
    headers = grid.locator("thead th")
    expect(headers).to_have_count(13)  # the village, then months 1–12
    boxes = [headers.nth(i).bounding_box() for i in range(1, 13)]
    assert [headers.nth(i).inner_text().strip() for i in range(1, 13)] == [str(m) for m in range(1, 13)]
    rows = grid.locator("tbody tr")
    assert rows.count() > 0
    titles = set()
    for r in range(rows.count()):
        cells = rows.nth(r).locator("td.status")
        expect(cells).to_have_count(12)
        for m in range(12):
            cell = cells.nth(m).bounding_box()
            centre = cell["x"] + cell["width"] / 2
            header = boxes[m]
            assert header["x"] <= centre <= header["x"] + header["width"], (
                f"row {r + 1}, month {m + 1}: cell centre {centre:.0f} outside its header "
                f"{header['x']:.0f}–{header['x'] + header['width']:.0f}")
            assert cell["width"] >= 10 and cell["height"] >= 10  # a visible square, not a squashed strip
            titles.add(cells.nth(m).get_attribute("title"))
    assert titles and not any(re.search(r"[A-Za-z]", t or "x") for t in titles), titles
    assert titles & {"已接收（锁定）", "已报送", "草稿，已逾期未报送", "未到期", "已退回"}
    portal.screenshot("dashboard-grid-1400")
