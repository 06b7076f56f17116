"""The journeys of issue 8 and the overview's work queue, each asserting what its user sees, each leaving a
screenshot of its last page."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

# 寨里镇 (township01) and its villages in the demo county; 东山镇 belongs to township02.
SHANGPING = "359901101201"
XINTOU = "359901101203"
GAOKENG = "359901101204"
OTHER_TOWNSHIP_VILLAGE = "359901102201"
MONTH = "2026-11"


def grid_path(code, month=MONTH):
    return f"/members/months/{code}/{month}/"


def member_rows(page):
    return page.locator("table.grid tbody tr[data-member]")


def test_township_enters_a_month_saves_reloads_and_submits(portal):
    page = portal.login("township01").page
    portal.goto(grid_path(SHANGPING))
    expect(page.locator("h1")).to_contain_text("上坪村")
    rows = member_rows(page)
    first, second = rows.nth(0), rows.nth(1)
    first_name = first.get_attribute("data-name")
    second_name = second.get_attribute("data-name")

    first.locator("select[name^=rating-]").select_option("excellent")
    first.locator("input[name^=reason-]").fill("带头修缮村道，义务投工十二天")
    slot = second.locator(".deduction").last
    slot.locator("select[name$=-rule]").select_option(index=3)
    rule_text = slot.locator("select[name$=-rule] option:checked").inner_text()
    slot.locator("input[name$=-note]").fill("十一月主题党日无故缺席")
    slot.locator("input[name$=-talk_by]").fill("林书记")
    slot.locator("input[name$=-talk_date]").fill("2026-11-20")
    page.get_by_role("button", name="保存本月评定").click()
    expect(page.locator(".messages")).to_contain_text("已保存")

    page.reload()
    first = page.locator(f"tr[data-name='{first_name}']")
    second = page.locator(f"tr[data-name='{second_name}']")
    expect(first.locator("select[name^=rating-]")).to_have_value("excellent")
    expect(first.locator("input[name^=reason-]")).to_have_value("带头修缮村道，义务投工十二天")
    saved = second.locator(".deduction").first
    expect(saved.locator("select[name$=-rule] option:checked")).to_have_text(rule_text)
    expect(saved.locator("input[name$=-talk_by]")).to_have_value("林书记")
    expect(saved.locator("input[name$=-talk_date]")).to_have_value("2026-11-20")

    page.get_by_role("button", name="报送县委组织部").click()
    expect(page.locator("h1 small")).to_contain_text("已报送")
    expect(page.get_by_role("button", name="保存本月评定")).to_have_count(0)
    portal.screenshot("1-township-month-submitted")


def test_county_accepts_and_the_township_is_told_why_it_cannot_edit(portal):
    page = portal.login("township01").page
    portal.goto(grid_path(XINTOU))
    page.get_by_role("button", name="报送县委组织部").click()
    expect(page.locator("h1 small")).to_contain_text("已报送")

    portal.login("county")
    portal.goto(f"/reports/dashboard/?period={MONTH}")
    page.get_by_role("link", name="寨里镇", exact=True).click()  # the village × month grid is on the township's page
    row = page.locator("table.completeness tr", has_text="新头村")
    expect(row.locator("td.status").nth(10)).to_have_class(re.compile(r"status-submitted"))
    portal.goto(grid_path(XINTOU))
    page.get_by_role("button", name="接收并锁定").click()
    expect(page.locator("h1 small")).to_contain_text("已接收")

    portal.login("township01")
    portal.goto(grid_path(XINTOU))
    expect(page.locator(".errorbox")).to_contain_text("锁定")
    expect(page.get_by_role("button", name="保存本月评定")).to_have_count(0)
    expect(page.locator("select[name^=rating-]")).to_have_count(0)  # a plain table, not disabled inputs
    expect(page.locator("table.readonly-results tbody tr[data-member]").first).to_be_visible()
    portal.screenshot("2-township-sees-locked-month")


def test_township_cannot_open_another_townships_village(portal):
    page = portal.login("township01").page
    response = portal.goto(grid_path(OTHER_TOWNSHIP_VILLAGE))
    assert response.status == 404
    expect(page.locator("h1")).to_contain_text("404")
    expect(page.locator(".errorpage")).to_contain_text("不在您的")  # outside your area
    portal.screenshot("5-township-other-village-not-found")


def _total_row(page, heading_index=0):
    """The 合计 row of the report's first table, as a list of cell texts."""
    row = page.locator("table").nth(heading_index).locator("tr", has_text="合计").first
    return [c.strip() for c in row.locator("th, td").all_inner_texts()]


def test_county_downloads_the_quarterly_workbook_and_pdf_matching_the_page(portal, tmp_path):
    import openpyxl
    from pypdf import PdfReader

    page = portal.login("county").page
    portal.goto("/reports/quarterly/")
    expect(page.locator("h1")).to_contain_text("全县")
    page_total = _total_row(page)
    assert page_total[0] == "合计" and page_total[1].isdigit()
    members, assessed, excellent = page_total[1], page_total[2], page_total[3]

    with page.expect_download() as xlsx_info:
        page.get_by_role("link", name="下载 Excel").click()
    xlsx = tmp_path / "quarterly.xlsx"
    xlsx_info.value.save_as(xlsx)
    workbook = openpyxl.load_workbook(xlsx, data_only=True)
    sheet_rows = [[("" if v is None else str(v)) for v in row] for ws in workbook.worksheets
                  for row in ws.iter_rows(values_only=True)]
    totals = [r for r in sheet_rows if r and r[0] == "合计"]
    assert totals, "the workbook has no 合计 row"
    assert totals[0][1:4] == [members, assessed, excellent]

    with page.expect_download() as pdf_info:
        page.get_by_role("link", name="下载 PDF").click()
    pdf = tmp_path / "quarterly.pdf"
    pdf_info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    for figure in (members, assessed, excellent):
        assert figure in text
    assert "合计" in text
    portal.screenshot("3-county-quarterly-report")


IMPORT_VILLAGE = "359901101207"


def test_township_uploads_a_workbook_with_a_bad_row_fixes_it_and_confirms(portal, tmp_path):
    import openpyxl

    page = portal.login("township01").page
    portal.goto(f"/members/months/{IMPORT_VILLAGE}/{MONTH}/import/")
    with page.expect_download() as info:
        page.get_by_role("link", name="下载模板").click()
    path = tmp_path / "month.xlsx"
    info.value.save_as(path)
    workbook = openpyxl.load_workbook(path)
    ws = workbook.worksheets[0]
    headers = [c.value for c in ws[1]]
    col = {h: i + 1 for i, h in enumerate(headers)}
    assert ws.max_row >= 4
    name = ws.cell(row=3, column=col["姓名"]).value
    ws.cell(row=3, column=col["评定"]).value = "良好"  # not a result
    workbook.save(path)

    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="预览").click()
    errors = page.locator(".import-errors")
    expect(errors).to_contain_text("3")
    expect(errors).to_contain_text("评定")
    expect(errors).to_contain_text("良好")
    expect(page.get_by_role("button", name="确认并保存全部行")).to_have_count(0)

    ws.cell(row=3, column=col["评定"]).value = "优"
    ws.cell(row=3, column=col["优秀理由"]).value = "带头开展秸秆禁烧巡查"
    workbook.save(path)
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="预览").click()
    expect(page.locator(".import-errors")).to_have_count(0)
    expect(page.locator("table tr", has_text=name)).to_contain_text("带头开展秸秆禁烧巡查")
    page.get_by_role("button", name="确认并保存全部行").click()

    expect(page.locator("h1")).to_contain_text(MONTH[:4])
    member = page.locator(f"tr[data-name='{name}']")
    expect(member.locator("select[name^=rating-]")).to_have_value("excellent")
    expect(member.locator("input[name^=reason-]")).to_have_value("带头开展秸秆禁烧巡查")
    portal.screenshot("4-township-workbook-imported")


def _open_items(page):
    """The dashboard's open items: overdue rectifications and decided matters open too long (the cards linking to
    their lists)."""
    def figure(href):
        card = page.locator(".card", has=page.locator(f"a[href*='{href}']")).first
        return int(card.locator(".figure").inner_text().strip())

    return {"rectifications": figure("/pledges/rectifications/"), "matters": figure("/assemblies/matters/")}


def test_township_records_a_pledge_problem_and_a_meeting_matter_that_show_on_the_county_dashboard(portal):
    page = portal.login("county").page
    portal.goto("/reports/dashboard/")
    before = _open_items(page)

    portal.login("township01")
    # The quarter's pledge review: one commitment behind, with a problem to rectify by a date already past.
    portal.goto(f"/pledges/reviews/{SHANGPING}/2026Q4/")
    expect(page.locator("h1")).to_contain_text("上坪村")
    page.fill("input[name=meeting_date]", "2026-10-12")
    page.fill("input[name=party_members_present]", "28")
    page.fill("input[name=representatives_present]", "9")
    page.fill("input[name=supervisors_present]", "3")
    first_status = page.locator("select[name^=status-]").first
    first_status.select_option("behind")
    page.locator("input[name^=comment-]").first.fill("村道硬化进度滞后两个月")
    page.get_by_role("button", name="保存评议").click()
    expect(page.locator("select[name^=status-]").first).to_have_value("behind")
    page.get_by_role("link", name="提出整改").click()
    page.locator("select[name=item]").select_option(index=1)
    page.fill("textarea[name=problem]", "村道硬化工程未按承诺时间开工")
    page.fill("input[name=responsible]", "村委会主任")
    page.fill("input[name=deadline]", "2026-11-10")
    page.locator("form.form button[type=submit], main form button[type=submit]").last.click()
    expect(page.locator("main")).to_contain_text("村道硬化工程未按承诺时间开工")

    # A household-representative meeting in June whose decided matter is still open.
    portal.goto(f"/assemblies/villages/{SHANGPING}/meetings/add/")
    page.locator("select[name=discussion_point]").select_option(index=1)
    page.fill("input[name=date]", "2026-06-15")
    page.fill("input[name=topic]", "村部前道路拓宽方案")
    page.fill("input[name=households_expected]", "40")
    page.fill("input[name=households_present]", "36")
    page.fill("textarea[name=minutes]", "户代表会议讨论村部前道路拓宽方案，表决通过。")
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator("main")).to_contain_text("村部前道路拓宽方案")
    page.locator("a[href*='/matters/add/']").first.click()
    page.fill("input[name=title]", "拓宽村部前道路至六米")
    category = page.locator("select[name=category]")
    if category.count():
        category.select_option(index=1)
    page.fill("textarea[name=decision]", "同意拓宽至六米，年底前完工。")
    page.fill("input[name=votes_for]", "33")
    page.fill("input[name=votes_against]", "2")
    page.fill("input[name=votes_abstaining]", "1")
    page.fill("input[name=implementer]", "村民委员会")
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator("main")).to_contain_text("拓宽村部前道路至六米")

    portal.login("county")
    portal.goto("/reports/dashboard/")
    after = _open_items(page)
    assert after["rectifications"] == before["rectifications"] + 1
    assert after["matters"] == before["matters"] + 1
    portal.screenshot("6-county-dashboard-open-items")


def test_a_returned_month_waits_on_the_townships_overview_with_the_reason(portal):
    xiagang = "359901101205"  # 下岗村, 寨里镇: used by no other journey
    page = portal.login("township01").page
    portal.goto(grid_path(xiagang))
    page.get_by_role("button", name="保存本月评定").click()
    expect(page.locator(".messages")).to_contain_text("已保存")
    page.get_by_role("button", name="报送县委组织部").click()
    expect(page.locator("h1 small")).to_contain_text("已报送")

    portal.login("county")
    portal.goto(grid_path(xiagang))
    page.fill("[name=reason]", "请补充十一月扣分党员的谈话记录")
    page.get_by_role("button", name="退回乡镇").click()
    expect(page.locator("h1 small")).to_contain_text("已退回")

    portal.login("township01")  # lands on the overview
    queue = page.locator("table.queue")
    item = queue.locator("tr", has_text="下岗村 2026年11月")
    expect(item).to_contain_text("县里已退回：请补充十一月扣分党员的谈话记录")
    item.get_by_role("link").click()
    expect(page.locator("h1")).to_contain_text("下岗村")
    expect(page.locator(".message.warning")).to_contain_text("请补充十一月扣分党员的谈话记录")
    expect(page.get_by_role("button", name="保存本月评定")).to_be_visible()
    portal.screenshot("7-township-returned-month-from-the-overview")
