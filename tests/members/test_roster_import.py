"""Roster import: every bad input gets a Chinese message naming row and column; nothing
is written unless every row is good."""
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from members.models import PartyMember
from members.resources import ROSTER_HEADERS
from tests.villages.factories import PersonFactory

URL = reverse("members:partymember_import")


@pytest.fixture
def roster(world, client_for, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    people = [PersonFactory(village=world.village_a, name=f"新党员{i}") for i in range(3)]
    return world, people, client_for(world.users["township_a"])


def _rows(world, people):
    return [[world.village_a.code, p.id_number, p.name, dt.date(2020, 7, 1), "正式党员", "在册"] for p in people]


def _upload(client, rows, headers=ROSTER_HEADERS, raw=None):
    if raw is None:
        wb = Workbook()
        ws = wb.active
        ws.append(headers)
        for r in rows:
            ws.append(r)
        out = io.BytesIO()
        wb.save(out)
        raw = out.getvalue()
    return client.post(URL, {"file": SimpleUploadedFile("roster.xlsx", raw)}).content.decode()


def _count():
    return PartyMember.objects.count()


def test_preview_then_confirm_adds_every_row(roster):
    world, people, client = roster
    before = _count()
    content = _upload(client, _rows(world, people))
    assert _count() == before and "确认导入" in content
    response = client.post(URL, {"confirm": "1"})
    assert response.status_code == 302
    imported = PartyMember.objects.filter(person__in=people).values_list("person__name", flat=True)
    assert set(imported) == {p.name for p in people}
    assert PartyMember.history.filter(person_id=people[0].pk, history_user=world.users["township_a"]).exists()


@pytest.mark.parametrize("case, mutate, expected", [
    ("wrong headers", lambda rows, w: ("headers", ["村代码", "身份证", "姓名", "入党日期", "党员类别", "状态"]),
     "列标题行（第1行）缺少以下列：身份证号"),
    ("unknown village", lambda rows, w: rows[1].__setitem__(0, "359901000000"),
     "第3行“村代码”列：您的管辖范围内没有村代码为“359901000000”的村"),
    ("village of another township", lambda rows, w: rows[0].__setitem__(0, w.village_b.code), "第2行“村代码”列"),
    ("unknown ID number", lambda rows, w: rows[2].__setitem__(1, "11010519491231002X"),
     "第4行“身份证号”列：您的管辖范围内没有身份证号为"),
    ("bad check digit",
     lambda rows, w: rows[0].__setitem__(1, rows[0][1][:17] + ("0" if rows[0][1][17] != "0" else "1")),
     "第2行“身份证号”列：身份证号校验码错误"),
    ("duplicate", lambda rows, w: rows.append(list(rows[0])), "第5行“身份证号”列"),
    ("text date", lambda rows, w: rows[1].__setitem__(3, "2020年7月"), "第3行“入党日期”列：“2020年7月”不是日期"),
    ("text in a choice cell", lambda rows, w: rows[1].__setitem__(4, 3), "第3行“党员类别”列：“3”不是以下之一"),
    ("ID as a number", lambda rows, w: rows[1].__setitem__(1, int(rows[1][1][:17]) * 10),
     "第3行“身份证号”列：该单元格是数字格式，号码已失真"),
    ("empty cell", lambda rows, w: rows[0].__setitem__(3, None), "第2行“入党日期”列：此项必须填写"),
])
def test_bad_input_names_row_and_column_and_writes_nothing(roster, case, mutate, expected):
    world, people, client = roster
    rows = _rows(world, people)
    headers = ROSTER_HEADERS
    changed = mutate(rows, world)
    if isinstance(changed, tuple):
        headers = changed[1]
    before = _count()
    content = _upload(client, rows, headers=headers)
    assert expected in content, case
    assert _count() == before
    # A confirm after a failed preview has nothing to confirm.
    client.post(URL, {"confirm": "1"})
    assert _count() == before


def test_empty_rows_between_are_skipped_and_rows_keep_their_sheet_numbers(roster):
    world, people, client = roster
    rows = _rows(world, people)
    rows.insert(1, [None] * 6)
    rows[3][5] = "失联"
    assert "第5行“状态”列" in _upload(client, rows)
    rows[3][5] = "在册"
    assert "确认导入" in _upload(client, rows)
    assert client.post(URL, {"confirm": "1"}).status_code == 302
    assert PartyMember.objects.filter(person__in=people).count() == 3


def test_not_a_spreadsheet(roster):
    world, people, client = roster
    content = _upload(client, [], raw=b"%PDF-1.4 not a workbook")
    assert "不是Excel工作簿" in content


def test_one_bad_row_blocks_the_good_ones(roster):
    world, people, client = roster
    rows = _rows(world, people)
    rows[2][5] = "失联"
    content = _upload(client, rows)
    assert "第4行“状态”列" in content
    assert not PartyMember.objects.filter(person__in=people).exists()


# ---------------------------------------------------------------- workbooks written by LibreOffice (tests/fixtures)

@pytest.fixture
def from_fixtures(world, client_for, settings):
    from tests.fixtures.imports.helpers import fixture_world

    settings.LANGUAGE_CODE = "zh-hans"
    people = fixture_world(world)
    return world, people, client_for(world.users["township_a"])


def test_workbook_as_users_write_it_imports_every_row(from_fixtures):
    """A title line merged above, the header in row 3 with （必填）, spaces and * markers, the columns in another
    order, joined dates as a date cell, an Excel serial and four written forms, an ID in full-width digits."""
    from tests.fixtures.imports.data import JOINED
    from tests.fixtures.imports.helpers import preview

    world, people, client = from_fixtures
    content = preview(client, URL, "roster_good").content.decode()
    assert "确认导入" in content and not PartyMember.objects.filter(person__in=people).exists()
    assert '<div class="figure">6</div><div class="label">新增</div>' in content
    assert client.post(URL, {"confirm": "1"}).status_code == 302
    joined = dict(PartyMember.objects.filter(person__in=people).values_list("person__name", "joined_date"))
    assert joined == {p.name: date for p, (_kind, _text, date) in zip(people, JOINED)}


@pytest.mark.parametrize("name, messages", [
    ("roster_numbers", ["第2行“身份证号”列：该单元格是数字格式，号码已失真（3.50702196003012e+17），"
                        "请将此列设为文本后重新填写",
                        "第3行“村代码”列：该单元格是数字格式，号码已失真（35070210120）"]),
    ("roster_merged", ["第2–4行“村代码”列：是合并单元格，请取消合并并在每一行填写"]),
    ("roster_formula", ["第2行“姓名”列：该单元格是没有计算结果的公式"]),
    ("roster_duplicates", ["第4行“身份证号”列：“350702********2014”已在第2行出现（重复）"]),
    ("roster_other_township", ["第3行“村代码”列：您的管辖范围内没有村代码为“350702201201”的村"]),
    ("roster_5001", ["文件有5001行数据，超过上限5000行，请分成几个文件"]),
])
def test_workbook_problems_are_named_by_row_and_column_and_nothing_is_written(from_fixtures, name, messages):
    from tests.fixtures.imports.helpers import assert_refused_writing_nothing

    world, people, client = from_fixtures
    assert_refused_writing_nothing(client, URL, name, *messages)


def test_merged_cells_are_reported_once(from_fixtures):
    from tests.fixtures.imports.helpers import preview

    world, people, client = from_fixtures
    content = preview(client, URL, "roster_merged").content.decode()
    problems = content.split('id="import-errors"')[1].split("</table>")[0].count("<tr><td>")
    assert problems == 1 and "第2–4行“村代码”列：是合并单元格" in content and "此项必须填写" not in content


@pytest.mark.parametrize("n", [40, 160])
def test_queries_do_not_grow_with_the_rows(from_fixtures, django_assert_max_num_queries, n):
    """The look-ups are one query each for the whole file and the rows are written in bulk: 40 or 160 new members
    preview and confirm within the same number of queries (it was about four a row)."""
    from tests.villages.factories import PersonFactory

    world, people, client = from_fixtures
    many = [PersonFactory(village=world.village_a) for _ in range(n)]
    rows = [[world.village_a.code, p.id_number, p.name, dt.date(2020, 7, 1), "正式党员", "在册"] for p in many]
    with django_assert_max_num_queries(55):  # a few more for 160 rows: SQLite's bulk inserts come in chunks
        assert "确认导入" in _upload(client, rows)
        assert client.post(URL, {"confirm": "1"}).status_code == 302
    assert PartyMember.objects.filter(person__in=many).count() == n


def test_reimport_changes_only_what_differs(roster):
    world, people, client = roster
    rows = _rows(world, people)
    _upload(client, rows)
    client.post(URL, {"confirm": "1"})
    rows[1][5] = "转出"
    content = _upload(client, rows)
    assert '<div class="figure">1</div><div class="label">修改</div>' in content
    assert '<div class="figure">2</div><div class="label">未变</div>' in content
    before = PartyMember.history.count()
    assert client.post(URL, {"confirm": "1"}).status_code == 302
    assert PartyMember.objects.get(person=people[1]).status == "transferred_out"
    assert PartyMember.history.count() == before + 1  # one history row: the changed member's
