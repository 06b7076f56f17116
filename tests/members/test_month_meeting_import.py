"""The month workbook carries the review meeting (its 评议会议 sheet): the template holds the stored meeting, the import
reads it with the results and saves both through the grid's service, so the summaries count the month as having
minutes and posted. The workbooks are the committed LibreOffice-written fixtures (tests/fixtures/imports)."""
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.periods import Month
from members import selectors, services
from members.choices import Rating
from members.models import MonthlyResult, MonthlyReview, VillageMonthSummary
from tests.dbstate import changed_tables, snapshot
from tests.fixtures.imports.data import MONTH_MEMBERS
from tests.fixtures.imports.helpers import assert_refused_writing_nothing, fixture_world, preview
from tests.members.factories import PartyMemberFactory, rule_set_with_rules

MAY = Month(2026, 5)
CONFIRM = "确认并保存全部行"
MINUTES = "支部委员会通报本月评定情况，逐人评议，无异议。"


@pytest.fixture
def month_world(world, client_for, settings):
    """Village A under the fixtures' code with its rule set and the three members the workbooks number 7001–7003
    (four active members with the world's own)."""
    settings.LANGUAGE_CODE = "zh-hans"
    people = fixture_world(world)
    rule_set_with_rules(world.village_a)
    members = [PartyMemberFactory(pk=pk, person=people[i]) for i, (pk, _name) in enumerate(MONTH_MEMBERS)]
    return world, members, client_for(world.users["township_a"])


def _url(name, world):
    return reverse(f"members:{name}", kwargs={"code": world.village_a.code, "month": str(MAY)})


def _review(world):
    return MonthlyReview.objects.filter(village=world.village_a, year=MAY.year, month=MAY.month).first()


def _may_figures(user):
    return selectors.period_totals(user=user, year=MAY.year, month_from=MAY.month, month_to=MAY.month)


def test_the_meeting_sheet_is_imported_with_the_results_and_counts_in_the_figures(month_world):
    world, members, client = month_world
    url = _url("monthlyreview_import", world)
    content = preview(client, url, "month_meeting").content.decode()
    assert CONFIRM in content and 'id="meeting-preview"' in content
    assert "2026-05-28" in content and MINUTES in content and "2026-05-30" in content
    assert _review(world) is None  # the preview writes nothing
    assert client.post(url, {"confirm": "1"}).status_code == 302
    review = _review(world)
    assert (review.meeting_date, review.attendance, review.minutes, review.posted_date) == (
        dt.date(2026, 5, 28), 3, MINUTES, dt.date(2026, 5, 30))
    assert MonthlyResult.objects.get(member=members[0]).rating == Rating.EXCELLENT
    assert MonthlyResult.objects.filter(review=review).count() == 4
    summary = VillageMonthSummary.objects.get(review_id=review.pk)
    assert summary.has_minutes and summary.has_posting
    figures = _may_figures(world.users["township_a"])
    assert (figures["months_recorded"], figures["months_without_minutes"], figures["months_without_posting"]) == (
        1, 0, 0)
    # The grid shows what the workbook brought.
    grid = client.get(_url("monthlyreview_grid", world)).content.decode()
    assert MINUTES in grid and 'value="2026-05-28"' in grid


def test_a_workbook_without_the_meeting_sheet_imports_the_results_and_keeps_the_meeting(month_world):
    world, members, client = month_world
    user = world.users["township_a"]
    services.monthly_grid_save(user=user, village=world.village_a, month=MAY, expected_version=0, entries=[],
                               meeting=services.MeetingEntry(meeting_date=dt.date(2026, 5, 27), attendance=4,
                                                             minutes="原有记录", posted_date=dt.date(2026, 5, 29)))
    url = _url("monthlyreview_import", world)
    content = preview(client, url, "month_results_only").content.decode()
    assert "工作簿中没有“评议会议”工作表" in content
    assert client.post(url, {"confirm": "1"}).status_code == 302
    review = _review(world)
    assert (review.meeting_date, review.attendance, review.minutes, review.posted_date) == (
        dt.date(2026, 5, 27), 4, "原有记录", dt.date(2026, 5, 29))
    assert MonthlyResult.objects.get(member=members[0]).rating == Rating.EXCELLENT
    assert _may_figures(user)["months_without_minutes"] == 0


def test_posting_before_the_meeting_is_refused_at_its_cell(month_world):
    world, members, client = month_world
    content = assert_refused_writing_nothing(client, _url("monthlyreview_import", world), "month_meeting_posted_early",
                                   "工作表“评议会议”第2行“公示日期”列：公示日期不能早于评议会日期。")
    assert CONFIRM not in content


def test_attendance_written_with_a_unit_is_refused_at_its_cell(month_world):
    world, members, client = month_world
    url = _url("monthlyreview_import", world)
    content = assert_refused_writing_nothing(client, url, "month_meeting_attendance_text",
                                   "工作表“评议会议”第2行“参会人数”列：“12人”不是数字")
    assert CONFIRM not in content


def test_attendance_above_the_members_is_refused_at_its_cell(month_world):
    world, members, client = month_world
    url = _url("monthlyreview_import", world)
    content = assert_refused_writing_nothing(client, url, "month_meeting_attendance_over",
                                   "工作表“评议会议”第2行“参会人数”列：参会人数为40人，但本村只有4名在册党员。")
    assert CONFIRM not in content


def test_the_grid_refuses_attendance_above_the_members_too(month_world):
    world, members, client = month_world
    before = snapshot()
    with pytest.raises(services.ValidationError) as exc:
        services.monthly_grid_save(user=world.users["township_a"], village=world.village_a, month=MAY,
                                   expected_version=0, entries=[], meeting=services.MeetingEntry(attendance=5))
    assert "参会人数为5人，但本村只有4名在册党员。" in exc.value.message_dict["attendance"]
    assert changed_tables(before, snapshot()) == []


def test_a_locked_month_refuses_the_meeting_workbook(month_world):
    world, members, client = month_world
    review = services.monthly_grid_save(user=world.users["township_a"], village=world.village_a, month=MAY,
                                        expected_version=0, entries=[])
    services.monthly_review_submit(user=world.users["township_a"], review=review)
    services.monthly_review_accept(user=world.users["county"], review=review)
    before = snapshot()
    content = preview(client, _url("monthlyreview_import", world), "month_meeting").content.decode()
    assert "锁定" in content and CONFIRM not in content
    assert changed_tables(before, snapshot()) == []


def test_a_refused_confirm_writes_neither_results_nor_meeting(month_world):
    """Someone saves the grid between preview and confirm: the confirm is refused and nothing of the file is
    written, the meeting included."""
    world, members, client = month_world
    url = _url("monthlyreview_import", world)
    preview(client, url, "month_meeting")
    services.monthly_grid_save(user=world.users["township_a"], village=world.village_a, month=MAY,
                               expected_version=0, entries=[])
    before = snapshot()
    content = client.post(url, {"confirm": "1"}).content.decode()
    assert "其他人" in content
    assert changed_tables(before, snapshot()) == []
    assert _review(world).minutes == ""


def test_the_template_carries_the_stored_meeting(month_world):
    world, members, client = month_world
    services.monthly_grid_save(user=world.users["township_a"], village=world.village_a, month=MAY, expected_version=0,
                               entries=[], meeting=services.MeetingEntry(
                                   meeting_date=dt.date(2026, 5, 28), attendance=3, minutes="=1+1 记录",
                                   posted_date=dt.date(2026, 5, 30)))
    response = client.get(_url("monthlyreview_template", world))
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb["评议会议"]
    assert [c.value for c in ws[1]] == ["评议会议日期", "参会人数", "会议记录", "公示日期"]
    assert [c.value for c in ws[2]] == [dt.datetime(2026, 5, 28), 3, "=1+1 记录", dt.datetime(2026, 5, 30)]
    assert ws.cell(2, 3).data_type == "s"  # minutes are text, never a formula
    # A new month: the sheet is there with an empty row to fill in.
    response = client.get(reverse("members:monthlyreview_template",
                                  kwargs={"code": world.village_a.code, "month": "2026-06"}))
    ws = load_workbook(io.BytesIO(response.content))["评议会议"]
    assert [c.value for c in ws[1]] == ["评议会议日期", "参会人数", "会议记录", "公示日期"]
    assert all(c.value is None for c in ws[2])


def test_the_downloaded_template_round_trips_the_meeting(month_world):
    """Fill the downloaded template's meeting sheet and upload it: the meeting is saved as typed."""
    world, members, client = month_world
    wb = load_workbook(io.BytesIO(client.get(_url("monthlyreview_template", world)).content))
    ws = wb["评议会议"]
    ws["A2"], ws["B2"], ws["C2"], ws["D2"] = "2026.5.26", 4, "逐人评议", dt.date(2026, 5, 31)
    out = io.BytesIO()
    wb.save(out)
    url = _url("monthlyreview_import", world)
    preview(client, url, out.getvalue())
    assert client.post(url, {"confirm": "1"}).status_code == 302
    review = _review(world)
    assert (review.meeting_date, review.attendance, review.minutes, review.posted_date) == (
        dt.date(2026, 5, 26), 4, "逐人评议", dt.date(2026, 5, 31))
