"""The quarterly report: workbook totals against independent ORM counts, the same totals in the PDF."""
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.models import User
from assemblies.models import Matter
from core.periods import Quarter
from core.reports.formatters import to_pdf, to_xlsx
from members.choices import Rating
from members.models import Deduction, Disposition, MemberWarning, MonthlyResult
from reports.reports import QuarterlyReport


def check_quarterly_report_matches_orm(quarter: Quarter) -> None:
    """Run on the seeded demo county (from the seed test): every total is counted again with the ORM."""
    with translation.override("zh-hans"):
        _check(quarter)


def _check(quarter: Quarter) -> None:
    county = User.objects.get(username="county")
    data = QuarterlyReport(county).get_data(quarter=quarter)
    wb = load_workbook(io.BytesIO(to_xlsx(data)))
    sheet = wb.worksheets[0]
    header = [c.value for c in sheet[1]]
    totals = dict(zip(header, [c.value for c in sheet[sheet.max_row]]))
    in_quarter = {"review__year": quarter.year, "review__month__in": [m.month for m in quarter.months]}
    results = MonthlyResult.objects.filter(**in_quarter)
    deductions = Deduction.objects.filter(result__review__year=quarter.year,
                                          result__review__month__in=[m.month for m in quarter.months])
    assert list(totals.values())[0] == "合计"
    assert totals["评定人次"] == results.count() > 0
    assert totals["优"] == results.filter(rating=Rating.EXCELLENT).count()
    assert totals["扣分"] == results.filter(rating=Rating.DEDUCTED).count()
    assert totals["扣分分值"] == sum(deductions.values_list("points", flat=True))
    assert totals["扣分未谈话"] == deductions.filter(talk_date__isnull=True).count()
    days = (quarter.first_day, quarter.last_day)
    assert totals["告诫"] == MemberWarning.objects.filter(issued_date__range=days).count()
    assert totals["处置"] == Disposition.objects.filter(decision_date__range=days).count()
    assembly = wb.worksheets[2]
    a_totals = dict(zip([c.value for c in assembly[1]], [c.value for c in assembly[assembly.max_row]]))
    assert a_totals["议定事项"] == Matter.objects.filter(meeting__date__range=days).count()
    assert sheet.freeze_panes == "A2" and len(wb.worksheets) >= 3

    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(to_pdf(data))).pages)
    assert "党员底线管理" in text and "户代表会议" in text and quarter.label in text
    for figure in (totals["评定人次"], totals["优"], totals["扣分"]):
        assert str(figure) in text


@pytest.mark.django_db
def test_quarterly_report_scope(world, client_for):
    url = reverse("reports:report_run", args=["quarterly"])
    client = client_for(world.users["township_b"])
    assert client.get(url + f"?township={world.township_a.pk}&quarter=2026Q2&format=xlsx").status_code == 404
    assert client.get(url + "?quarter=2026Q2&format=pdf").status_code == 404  # county-wide: not for a township
    response = client_for(world.users["county"]).get(url + "?quarter=2026Q2&format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert rows[:2] == [world.township_a.name, world.township_b.name]


@pytest.mark.django_db
def test_dashboard_shows_townships_and_drills_down(world, client_for, django_assert_max_num_queries):
    client = client_for(world.users["county"])
    with django_assert_max_num_queries(30):
        page = client.get(reverse("reports:dashboard") + "?period=2026Q2").content.decode()
    assert world.township_a.name in page and world.township_b.name in page
    page = client.get(reverse("reports:dashboard") + f"?period=2026&township={world.township_a.pk}").content.decode()
    assert world.village_a.name in page and world.village_b.name not in page
    assert client_for(world.users["township_b"]).get(
        reverse("reports:dashboard") + f"?township={world.township_a.pk}").status_code == 404


@pytest.mark.django_db
def test_fourth_quarter_report_has_the_years_evaluation_results(world, client_for):
    from tests.evaluations.factories import evaluation_world

    evaluation_world(world)  # township A: person A failed 2025 and 2026 (published), so one open case
    url = reverse("reports:report_run", args=["quarterly"])
    client = client_for(world.users["county"])
    wb = load_workbook(io.BytesIO(client.get(url + "?quarter=2026Q4&format=xlsx").content))
    sheet = next(ws for ws in wb.worksheets if ws.title.startswith("村干部年度考评"))
    header = [c.value for c in sheet[1]]
    row_a = dict(zip(header, [c.value for c in sheet[2]]))
    assert row_a["乡镇"] == world.township_a.name
    assert row_a["参评干部"] == 1 and row_a["不称职"] == 1 and row_a["未结的连续不合格处理"] == 1
    # Not in the third quarter's report.
    wb = load_workbook(io.BytesIO(client.get(url + "?quarter=2026Q3&format=xlsx").content))
    assert not any(ws.title.startswith("村干部年度考评") for ws in wb.worksheets)
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert "未结的连续不合格处理" in page


@pytest.mark.django_db
@pytest.mark.parametrize("extra_villages", [0, 12])
def test_dashboard_and_quarterly_report_queries_do_not_grow_with_the_data(
    world, client_for, django_assert_max_num_queries, extra_villages
):
    from tests.members.factories import MonthlyReviewFactory, members_for
    from tests.villages.factories import VillageFactory

    for i in range(extra_villages):
        village = VillageFactory(township=world.township_a if i % 2 else world.township_b)
        members_for(village, 3)
        MonthlyReviewFactory(village=village, year=2026, month=5)
    client = client_for(world.users["county"])
    with django_assert_max_num_queries(30):
        assert client.get(reverse("reports:dashboard") + "?period=2026Q2").status_code == 200
    with django_assert_max_num_queries(30):
        url = reverse("reports:report_run", args=["quarterly"]) + "?quarter=2026Q2&format=xlsx"
        assert client.get(url).status_code == 200
