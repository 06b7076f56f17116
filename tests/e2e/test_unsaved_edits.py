"""Unsaved edits on the month grid are never lost silently (issue 16, defect 2): leaving the page asks first
(core/static/core/unsaved.js), and 报送县委组织部 saves them before submitting."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

SHIKENG = "359901101208"  # 寨里镇 · 石坑村, used by no other journey
MONTH = "2026-11"
REASON = "带头清理河道"


def test_leaving_with_an_unsaved_excellent_asks_and_submitting_saves_it(portal):
    page = portal.login("township01").page
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # "stay on this page"

    page.on("dialog", answer)
    grid = f"/members/months/{SHIKENG}/{MONTH}/"
    portal.goto(grid)
    # Without changes the next village is one click away, without a question.
    page.locator("a[rel=next]").click()
    expect(page.locator("h1")).not_to_contain_text("石坑村")
    page.locator("a[rel=prev]").click()
    expect(page.locator("h1")).to_contain_text("石坑村")
    assert dialogs == []

    rows = page.locator("table.grid tbody tr[data-member]")
    name = rows.nth(0).get_attribute("data-name")
    rows.nth(0).locator("select[name^=rating-]").focus()
    page.keyboard.press("2")
    page.keyboard.type(REASON)
    # Leaving now asks; the clerk stays and the edit is still there.
    page.locator("a[rel=next]").click()
    expect(page.locator("h1")).to_contain_text("石坑村")
    assert dialogs == ["beforeunload"]
    expect(rows.nth(0).locator("input[name^=reason-]")).to_have_value(REASON)

    # The review meeting's date typed on the page becomes the prefilled talk date of a new deduction.
    page.fill("input[name=meeting-meeting_date]", "2026-11-27")
    expect(rows.nth(1).locator(".slot-new input[name$=-talk_date]")).to_have_value("2026-11-27")

    # 报送县委组织部 with the edit unsaved: no question, the edit is saved, then the month is submitted.
    page.get_by_role("button", name="报送县委组织部").click()
    expect(page.locator("h1 small")).to_contain_text("已报送")
    expect(page.locator(".messages")).to_contain_text("已保存")
    assert dialogs == ["beforeunload"]
    portal.screenshot("unsaved-excellent-saved-on-submit")
    page.reload()
    expect(page.locator(f"tr[data-name='{name}']")).to_contain_text(REASON)
