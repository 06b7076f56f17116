"""The month's Excel path: download the template, upload with a preview, confirm; bad input names row and column
in Chinese and writes nothing."""
import datetime as dt
import io
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from core.periods import Month
from members import services
from members.choices import Rating
from members.excel import MONTH_HEADERS
from members.models import Deduction, MonthlyResult, MonthlyReview
from tests.members.factories import members_for, rule_set_with_rules

MAY = Month(2026, 5)


@pytest.fixture
def setup(world, client_for, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    rule_set_with_rules(world.village_a)
    members = [world.person_a.membership] + members_for(world.village_a, 2)
    client = client_for(world.users["township_a"])
    return world, members, client


def _url(name, world):
    return reverse(f"members:{name}", kwargs={"code": world.village_a.code, "month": str(MAY)})


def _template(client, world):
    response = client.get(_url("monthlyreview_template", world))
    assert response.status_code == 200
    assert unquote(response["Content-Disposition"]).endswith(f"{world.village_a.name}2026年5月党员评定表.xlsx")
    return load_workbook(io.BytesIO(response.content))


def _upload(client, world, wb_or_bytes, name="may.xlsx"):
    if isinstance(wb_or_bytes, bytes):
        data = wb_or_bytes
    else:
        out = io.BytesIO()
        wb_or_bytes.save(out)
        data = out.getvalue()
    return client.post(_url("monthlyreview_import", world), {"file": SimpleUploadedFile(name, data)})


def _nothing_written():
    return not MonthlyResult.objects.exists() and not MonthlyReview.objects.exists()


def test_template_lists_the_members_and_round_trips(setup):
    world, members, client = setup
    wb = _template(client, world)
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]] == MONTH_HEADERS
    names = {ws.cell(r, 3).value for r in range(2, ws.max_row + 1)}
    assert names == {m.person.name for m in members}
    assert "*" in ws.cell(2, 4).value  # ID numbers masked for township staff
    row_of = {ws.cell(r, 3).value: r for r in range(2, ws.max_row + 1)}
    r = row_of[members[1].person.name]
    ws.cell(r, 5).value, ws.cell(r, 7).value, ws.cell(r, 8).value = "扣分", "2、3", "两次缺席"
    ws.cell(r, 9).value, ws.cell(r, 10).value = "书记", dt.date(2026, 5, 28)
    r = row_of[members[0].person.name]
    ws.cell(r, 5).value, ws.cell(r, 6).value = "优", "抢险带头"
    response = _upload(client, world, wb)
    assert response.status_code == 200
    content = response.content.decode()
    assert "抢险带头" in content and _nothing_written()  # the preview writes nothing
    response = client.post(_url("monthlyreview_import", world), {"confirm": "1"})
    assert response.status_code == 302
    assert MonthlyResult.objects.get(member=members[0]).rating == Rating.EXCELLENT
    assert sorted(Deduction.objects.values_list("points", flat=True)) == [3, 5]
    assert MonthlyResult.objects.count() == 3


def _bad(setup, mutate):
    world, members, client = setup
    wb = _template(client, world)
    mutate(wb.worksheets[0], members)
    response = _upload(client, world, wb)
    assert response.status_code == 200
    assert _nothing_written()
    return response.content.decode()


def test_wrong_headers(setup):
    def mutate(ws, members):
        ws.cell(1, 5).value = "等级"
    content = _bad(setup, mutate)
    assert "列标题行（第1行）缺少以下列：评定" in content


def test_unknown_village(setup):
    def mutate(ws, members):
        ws.cell(2, 1).value = "999999999999"
    content = _bad(setup, mutate)
    assert "第2行“村代码”列" in content and "999999999999" in content


def test_unknown_member_number(setup):
    def mutate(ws, members):
        ws.cell(3, 2).value = 987654
    content = _bad(setup, mutate)
    assert "第3行“党员编号”列" in content and "987654" in content


def test_duplicate_member(setup):
    def mutate(ws, members):
        for c in range(1, 11):
            ws.cell(4, c).value = ws.cell(2, c).value
    content = _bad(setup, mutate)
    assert "第4行“党员编号”列" in content and "第2行" in content


def test_text_in_number_cells(setup):
    def mutate(ws, members):
        ws.cell(2, 2).value = "王某"
        ws.cell(3, 5).value, ws.cell(3, 7).value = "扣分", "第三条"
    content = _bad(setup, mutate)
    assert "第2行“党员编号”列：“王某”不是数字" in content
    assert "第3行“扣分条款编号”列：“第三条”不是数字" in content


def test_dates_written_as_text(setup):
    def mutate(ws, members):
        ws.cell(2, 5).value, ws.cell(2, 7).value, ws.cell(2, 9).value = "扣分", 2, "书记"
        ws.cell(2, 10).value = "5月20日"
    content = _bad(setup, mutate)
    assert "第2行“谈话日期”列：“5月20日”不是日期" in content


def test_empty_rows_between_data_are_skipped_and_rows_keep_their_numbers(setup):
    def mutate(ws, members):
        ws.insert_rows(3)
        ws.cell(4, 5).value = "良"
    content = _bad(setup, mutate)
    assert "第4行“评定”列" in content


def test_not_a_spreadsheet(setup):
    world, members, client = setup
    response = _upload(client, world, "姓名,评定\n王甲明,优\n".encode(), name="may.xlsx")
    assert "不是Excel工作簿" in response.content.decode()
    assert _nothing_written()


def test_bad_check_digit_in_the_month_sheet_is_not_used_for_matching(setup):
    """The month sheet matches on the member number; a changed ID number column is ignored (it is masked)."""
    def mutate(ws, members):
        ws.cell(2, 4).value = "350799199001011230"
        ws.cell(2, 5).value = "合格"
        ws.cell(3, 5).value = "良"
    content = _bad(setup, mutate)
    assert "第3行“评定”列" in content


def test_locked_month_refuses_the_import(setup):
    world, members, client = setup
    review = services.monthly_grid_save(user=world.users["township_a"], village=world.village_a, month=MAY,
                                        expected_version=0, entries=[])
    services.monthly_review_submit(user=world.users["township_a"], review=review)
    services.monthly_review_accept(user=world.users["county"], review=review)
    wb = _template(client, world)
    ws = wb.worksheets[0]
    ws.cell(2, 5).value, ws.cell(2, 6).value = "优", "好"
    content = _upload(client, world, wb).content.decode()
    assert "锁定" in content
    assert not MonthlyResult.objects.filter(rating=Rating.EXCELLENT).exists()


def test_confirm_after_someone_else_saved_is_refused(setup):
    world, members, client = setup
    wb = _template(client, world)
    wb.worksheets[0].cell(2, 5).value, wb.worksheets[0].cell(2, 6).value = "优", "好"
    _upload(client, world, wb)
    services.monthly_grid_save(user=world.users["township_a"], village=world.village_a, month=MAY,
                               expected_version=0, entries=[])
    content = client.post(_url("monthlyreview_import", world), {"confirm": "1"}).content.decode()
    assert "其他人" in content
    assert not MonthlyResult.objects.filter(rating=Rating.EXCELLENT).exists()


def test_every_problem_is_listed_at_once(setup):
    def mutate(ws, members):
        ws.cell(2, 5).value = "优"
        ws.cell(3, 5).value, ws.cell(3, 7).value = "扣分", "第二条"
        ws.cell(4, 2).value = "王某"
    content = _bad(setup, mutate)
    assert "第2行“优秀理由”列" in content and "第3行“扣分条款编号”列" in content and "第4行“党员编号”列" in content
