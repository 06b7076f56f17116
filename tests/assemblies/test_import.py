import datetime as dt
import io
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from assemblies.models import Household, RepresentativeChange
from assemblies.resources import COLUMNS
from villages.idnumbers import make_id_number
from villages.models import Person

pytestmark = pytest.mark.django_db

ID1 = make_id_number("350702", dt.date(1968, 3, 4), 11, "M")
ID2 = make_id_number("350702", dt.date(1972, 8, 19), 12, "F")
ID3 = make_id_number("350702", dt.date(1980, 1, 2), 13, "M")


def _xlsx(rows, headers=COLUMNS) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("households.xlsx", out.getvalue())


def _rows(world):
    code = world.village_a.code
    return [
        [code, "1", "王大山", "一组", "王大山", ID1],
        [code, 2, "李秀英", "二组", "李秀英", ID2],
    ]


def _post(client, upload, confirm=True):
    """Upload (the preview); with confirm, confirm it and follow to the page with the outcome."""
    url = reverse("assemblies:household_import")
    response = client.post(url, {"file": upload})
    if confirm and "确认导入" in response.content.decode():
        response = client.post(url, {"confirm": "1"}, follow=True)
    return response


def _nothing_written():
    return not Household.objects.exists() and not RepresentativeChange.objects.exists() and \
        not Person.objects.filter(id_number__in=[ID1, ID2, ID3]).exists()


def test_preview_writes_nothing_then_import_writes_everything(world, client_for):
    client = client_for(world.users["township_a"])
    r = _post(client, _xlsx(_rows(world)), confirm=False)
    content = r.content.decode()
    assert "预览（尚未写入）" in content and '<div class="figure">2</div><div class="label">新增户</div>' in content
    assert _nothing_written()
    r = _post(client, _xlsx(_rows(world)))
    assert "导入完成：新增2户" in r.content.decode()
    households = {h.number: h for h in Household.objects.select_related("representative")}
    assert households["2"].representative.name == "李秀英"
    assert households["2"].representative.gender == "F"
    assert households["1"].representative.birth_date == dt.date(1968, 3, 4)
    assert RepresentativeChange.objects.count() == 2


def test_reimport_with_another_representative_records_a_change(world, client_for):
    client = client_for(world.users["township_a"])
    _post(client, _xlsx(_rows(world)))
    rows = _rows(world)
    rows[0][4:] = ["王小山", ID3]
    r = _post(client, _xlsx(rows))
    assert r.status_code == 200
    change = RepresentativeChange.objects.filter(household__number="1").order_by("-pk").first()
    assert (change.from_person.name, change.to_person.name, change.reason) == ("王大山", "王小山", "Excel导入")
    assert Household.objects.count() == 2


BAD_CASES = {
    "wrong_headers": (lambda w: _xlsx(_rows(w),
                                      headers=["村", "户号", "户主姓名", "自然村或村民小组", "户代表姓名", "身份证"]),
                      "列标题行（第1行）缺少以下列：村代码、户代表身份证号"),
    "unknown_village": (lambda w: _xlsx([["359901999999", "1", "王", "", "王大山", ID1]]),
                        "第2行“村代码”列：您的管辖范围内没有代码为359901999999的村"),
    "other_township_village": (lambda w: _xlsx([[w.village_b.code, "1", "王", "", "王大山", ID1]]),
                               "第2行“村代码”列：您的管辖范围内没有代码为{code_b}的村"),
    "duplicate_household": (lambda w: _xlsx([_rows(w)[0], [w.village_a.code, "1", "张三", "", "李秀英", ID2]]),
                            "第3行“户号”列：村{code}的1号户已在第2行出现"),
    "duplicate_person": (lambda w: _xlsx([_rows(w)[0], [w.village_a.code, "3", "张三", "", "王大山", ID1]]),
                         "第3行“户代表身份证号”列：同一人已是第2行那一户的户代表"),
    "bad_check_digit": (lambda w: _xlsx([[w.village_a.code, "1", "王", "", "王大山",
                                          ID1[:17] + ("0" if ID1[17] != "0" else "1")]]),
                        "第2行“户代表身份证号”列：身份证号校验码错误"),
    "text_in_number": (lambda w: _xlsx([[w.village_a.code, "十二", "王", "", "王大山", ID1]]),
                       "第2行“户号”列：户号应为数字，而不是“十二”"),
    "empty_cell": (lambda w: _xlsx([[w.village_a.code, "1", "", "", "王大山", ID1]]),
                   "第2行“户主姓名”列：此项必须填写"),
    "only_empty_rows": (lambda w: _xlsx([[None] * 6, [""] * 6]), "工作表有列标题，但下面没有任何数据行"),
    "not_a_spreadsheet": (lambda w: SimpleUploadedFile("households.xlsx", "户号,户主\n1,王\n".encode()),
                          "该文件不是Excel工作簿（.xlsx）"),
    "name_mismatch": (lambda w: _xlsx([[w.village_a.code, "1", "王", "", "别人", w.person_a.id_number]]),
                      "第2行“户代表姓名”列：该身份证号已登记为王甲明，与表中姓名别人不符"),
}


@pytest.mark.parametrize("case", list(BAD_CASES))
def test_bad_input_is_refused_with_a_message_and_nothing_written(world, client_for, case):
    make, message = BAD_CASES[case]
    client = client_for(world.users["township_a"])
    r = _post(client, make(world))
    content = r.content.decode()
    assert r.status_code == 200
    assert "未导入任何数据" in content
    assert message.format(code=world.village_a.code, code_b=world.village_b.code) in content, (
        content.split('id="import-errors"')[-1][:600])
    assert _nothing_written()


def test_one_bad_row_among_good_rows_writes_nothing(world, client_for):
    rows = _rows(world) + [[], [world.village_a.code, "7", "赵", "", "赵四", "350702198001020011"]]
    r = _post(client_for(world.users["township_a"]), _xlsx(rows))
    content = r.content.decode()
    assert "第5行“户代表身份证号”列" in content  # the empty row 4 is skipped, the numbering stays the sheet's
    assert _nothing_written()


def test_template_download_has_the_headers(world, client_for):
    from openpyxl import load_workbook

    r = client_for(world.users["township_a"]).get(reverse("assemblies:household_import") + "?template=1")
    ws = load_workbook(io.BytesIO(r.content)).active
    assert [c.value for c in ws[1]] == COLUMNS
    assert r["Content-Disposition"] == "attachment; filename*=utf-8''" + quote("户代表导入模板.xlsx")


def test_confirm_after_preview_writes_the_previewed_file_without_choosing_it_again(world, client_for):
    client = client_for(world.users["township_a"])
    url = reverse("assemblies:household_import")
    content = _post(client, _xlsx(_rows(world)), confirm=False).content.decode()
    assert "确认导入" in content and _nothing_written()
    r = client.post(url, {"confirm": "1"}, follow=True)
    assert "导入完成：新增2户" in r.content.decode()
    assert Household.objects.count() == 2
    # The kept file is used once: confirming again has nothing to write and says so.
    r = client.post(url, {"confirm": "1"})
    assert "上传已过期，请重新上传" in r.content.decode()
    assert Household.objects.count() == 2


def test_confirm_without_a_preview_writes_nothing_and_says_why(world, client_for):
    r = client_for(world.users["township_a"]).post(reverse("assemblies:household_import"), {"confirm": "1"})
    assert r.status_code == 200 and "上传已过期" in r.content.decode()
    assert _nothing_written()


# ---------------------------------------------------------------- workbooks written by LibreOffice (tests/fixtures)

@pytest.fixture
def from_fixtures(world, client_for, settings):
    from tests.fixtures.imports.helpers import fixture_world

    settings.LANGUAGE_CODE = "zh-hans"
    fixture_world(world, people=False)
    return world, client_for(world.users["township_a"])


def test_workbook_as_users_write_it_imports_every_row(from_fixtures):
    """A merged title line, the header in row 3 with （必填） and *, household numbers as number cells, a village
    code with a leading zero kept as text, a representative's ID in full-width digits."""
    from tests.fixtures.imports.data import REPRESENTATIVES, VILLAGE_ZERO
    from tests.fixtures.imports.helpers import preview

    world, client = from_fixtures
    url = reverse("assemblies:household_import")
    content = preview(client, url, "households_good").content.decode()
    assert "确认导入" in content and _nothing_written()
    assert "导入完成：新增3户" in client.post(url, {"confirm": "1"}, follow=True).content.decode()
    households = {(h.village.code, h.number): h.representative for h in
                  Household.objects.select_related("village", "representative")}
    assert households[(VILLAGE_ZERO, "2")].name == REPRESENTATIVES[1][0]
    # The full-width ID number is stored as ASCII digits: the same person as one typed in half-width.
    assert Person.objects.get(id_number=REPRESENTATIVES[2][1]).name == REPRESENTATIVES[2][0]


@pytest.mark.parametrize("name, messages", [
    ("households_numbers", ["第2行“户代表身份证号”列：该单元格是数字格式，号码已失真",
                            "第3行“村代码”列：该单元格是数字格式，号码已失真（35070210120）"]),
    ("households_merged", ["第2–3行“村代码”列：是合并单元格，请取消合并并在每一行填写"]),
    ("households_formula", ["第2行“户主姓名”列：该单元格是没有计算结果的公式"]),
    ("households_duplicates", ["第4行“户号”列：村350702101201的1号户已在第2行出现（重复）",
                               "第5行“户代表身份证号”列：同一人已是第2行那一户的户代表（重复）"]),
    ("households_other_township", ["第3行“村代码”列：您的管辖范围内没有代码为350702201201的村"]),
    ("households_5001", ["文件有5001行数据，超过上限5000行，请分成几个文件"]),
])
def test_workbook_problems_are_named_by_row_and_column_and_nothing_is_written(from_fixtures, name, messages):
    from tests.fixtures.imports.helpers import assert_refused_writing_nothing

    world, client = from_fixtures
    assert_refused_writing_nothing(client, reverse("assemblies:household_import"), name, *messages)


@pytest.mark.parametrize("n", [50, 200])
def test_queries_do_not_grow_with_the_rows(world, client_for, django_assert_max_num_queries, n):
    """Every row is checked against look-ups made once for the file, then everything is written in bulk: 50 or
    200 new households with new representatives, and then the same households with their representatives swapped,
    each preview and confirmation within the same number of queries (a few more for 200 rows only because SQLite
    splits a bulk insert into statements of at most 999 parameters; it was about 14 a row)."""
    client = client_for(world.users["township_a"])
    url = reverse("assemblies:household_import")
    ids = [make_id_number("350702", dt.date(1960, 1, 1) + dt.timedelta(days=i), 10 + i % 80, "M") for i in range(n)]
    rows = [[world.village_a.code, str(i + 1), f"户主{i}", "一组", f"代表{i}", ids[i]] for i in range(n)]
    with django_assert_max_num_queries(80):
        assert "确认导入" in _post(client, _xlsx(rows), confirm=False).content.decode()
        assert client.post(url, {"confirm": "1"}).status_code == 302
    assert Household.objects.filter(representative__isnull=False).count() == n
    swapped = [[*row[:4], rows[(i + 1) % n][4], rows[(i + 1) % n][5]] for i, row in enumerate(rows)]
    with django_assert_max_num_queries(80):
        assert f'<div class="figure">{n}</div><div class="label">登记或变更户代表</div>' in _post(
            client, _xlsx(swapped), confirm=False).content.decode()
        assert client.post(url, {"confirm": "1"}).status_code == 302
    assert RepresentativeChange.objects.count() == 2 * n
    household = Household.objects.select_related("representative").get(number="1")
    assert household.representative.name == "代表1"
    assert Person.objects.filter(name__startswith="代表").count() == n
