"""A month is missing only once past its due date (defect 5 of issue 16): before it — November until 10 December —
the signals, the monthly bulletin and the dashboard's village × month grid say it is not yet due (未到期)."""
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.periods import Month
from core.workflow import ReviewStatus
from members import selectors
from tests.members.factories import MonthlyReviewFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
THIS_MONTH = Month.of(TODAY)  # always before its due date (its last day + the county's 10 days)
TWO_BACK = THIS_MONTH.previous().previous()  # always past its due date


def _draft(village, month: Month, **kwargs):
    return MonthlyReviewFactory(village=village, year=month.year, month=month.month,
                                due_date=month.due_date(10), **kwargs)


def test_a_draft_month_counts_as_not_submitted_only_past_its_due_date(world):
    _draft(world.village_a, THIS_MONTH)
    _draft(world.village_a, TWO_BACK)
    year = THIS_MONTH.year
    for m in (THIS_MONTH, TWO_BACK):
        if m.year != year:
            pytest.skip("the months straddle a year end")
    v = selectors.village_period_stats(user=world.users["township_a"], year=year).get(pk=world.village_a.pk)
    assert (v.months_recorded, v.months_not_submitted, v.late_submissions) == (2, 1, 1)
    assert selectors.period_totals(user=world.users["county"], year=year)["months_not_submitted"] == 1


def test_month_cell_before_and_after_the_due_date():
    november = Month(2026, 11)
    assert november.due_date(10).isoformat() == "2026-12-10"
    on_30_november = Month(2026, 11).last_day
    assert selectors.month_cell(ReviewStatus.DRAFT, november.due_date(10), november, on_30_november).code == "not_due"
    assert selectors.month_cell(None, november.due_date(10), november, on_30_november).code == "not_due"
    on_10_december = november.due_date(10)  # the due day itself is still in time
    assert selectors.month_cell(None, november.due_date(10), november, on_10_december).code == "not_due"
    on_11_december = Month(2026, 12).first_day.replace(day=11)
    assert selectors.month_cell(ReviewStatus.DRAFT, november.due_date(10), november, on_11_december).code == "draft"
    assert selectors.month_cell(None, november.due_date(10), november, on_11_december).code == "missing"
    assert selectors.month_cell(None, Month(2026, 12).due_date(10), Month(2026, 12), on_30_november).code == "future"
    cell = selectors.month_cell(ReviewStatus.SUBMITTED, november.due_date(10), november, on_11_december)
    assert (cell.code, cell.label) == ("submitted", "已报送")


def test_the_bulletin_says_a_month_not_yet_due_is_not_yet_due(world, client_for):
    _draft(world.village_a, THIS_MONTH)
    client = client_for(world.users["township_a"])
    url = reverse("reports:report_run", args=["monthly-bulletin"])
    response = client.get(f"{url}?township={world.township_a.pk}&month={THIS_MONTH}&format=xlsx")
    by_village = load_workbook(io.BytesIO(response.content)).worksheets[0]
    status = {r[1]: r[6] for r in by_village.iter_rows(min_row=2, values_only=True) if r[1]}
    assert status[world.village_a.name] == "未到期"  # a draft, not yet due
    assert status[world.village_a2.name] == "未到期"  # not started, not yet due
    response = client.get(f"{url}?township={world.township_a.pk}&month={TWO_BACK}&format=xlsx")
    by_village = load_workbook(io.BytesIO(response.content)).worksheets[0]
    status = {r[1]: r[6] for r in by_village.iter_rows(min_row=2, values_only=True) if r[1]}
    assert status[world.village_a.name] == "未开始，已逾期"


def _township_year_dashboard(world, client_for) -> str:
    """Township A's dashboard for this year as the county sees it, with village A's month two back a draft."""
    _draft(world.village_a, TWO_BACK)
    if TWO_BACK.year != THIS_MONTH.year:
        pytest.skip("the months straddle a year end")
    return client_for(world.users["county"]).get(
        reverse("reports:dashboard") + f"?period={THIS_MONTH.year}&township={world.township_a.pk}").content.decode()


def test_the_dashboard_grid_titles_its_cells_in_chinese_and_a_month_not_yet_due_is_not_missing(world, client_for):
    _draft(world.village_a, THIS_MONTH)
    page = _township_year_dashboard(world, client_for)
    grid = page[page.index('class="table completeness"'):]
    grid = grid[:grid.index("</table>")]
    row = grid[grid.index(f"<td>{world.village_a.name}</td>"):]
    row = row[:row.index("</tr>")]
    titles = re.findall(r'title="([^"]*)"', row)
    assert len(titles) == 12
    assert titles[THIS_MONTH.month - 1] == "未到期"
    assert titles[TWO_BACK.month - 1] == "草稿，已逾期未报送"
    assert not re.search(r'title="[a-z_]+"', grid)  # no raw status codes (accepted / submitted / draft)
    assert set(titles) <= {"已接收（锁定）", "已报送", "已退回", "草稿，已逾期未报送", "未开始，已逾期", "未到期",
                           "月份未到"}


def test_the_grid_legend_names_each_colour_as_the_cells_titles_do(world, client_for):
    """The legend names yellow 草稿，已逾期未报送 and red 未开始，已逾期, as the cells' titles do (not 草稿 / 未报)."""
    page = _township_year_dashboard(world, client_for)
    legend = page[page.index('<p class="legend">'):]
    legend = dict(re.findall(r'<span class="status status-([a-z_]+)"></span>\s*([^<]+?)\s*(?=</span>|<span|</p>)',
                             legend[:legend.index("</p>")]))
    assert legend["draft"] == "草稿，已逾期未报送" and legend["missing"] == "未开始，已逾期"
    cells = re.findall(r'<td class="status status-([a-z_]+)" title="([^"]*)"', page)
    assert {"draft", "missing", "not_due"} <= {code for code, _title in cells}
    for code, title in cells:
        assert legend.get(code, title) == title, code  # every colour the legend names reads as its cells' titles
