"""The organisation, people and cadre-post imports, fed the LibreOffice-written workbooks in tests/fixtures/imports:
every problem is a Chinese message naming row and column and nothing is written; good files write the rows and
their history."""
import datetime as dt
import io
import unicodedata

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tests.dbstate import changed_tables, snapshot
from tests.fixtures.imports.data import (
    NEW_PEOPLE,
    ORGANISATION,
    OUTSIDER,
    PEOPLE,
    POST_START,
    POSTS,
    TOWNSHIP_A,
    TOWNSHIP_B,
    TOWNSHIP_NEW,
    VILLAGE_A,
    VILLAGE_B,
)
from tests.fixtures.imports.helpers import assert_refused_writing_nothing, fixture_world, preview, workbook
from tests.villages.factories import PersonFactory
from villages.idnumbers import birth_date_of
from villages.models import CadrePost, Person, Township, Village

ORGANISATION_URL = reverse("villages:organisation_import")
PEOPLE_URL = reverse("villages:person_import")
POSTS_URL = reverse("villages:cadrepost_import")


@pytest.fixture
def places(world, client_for, settings):
    """The world under the workbooks' codes (townships A and B, villages A, A2 with a leading zero, B), the six
    roster people in village A and OUTSIDER in village B."""
    settings.LANGUAGE_CODE = "zh-hans"
    Township.objects.filter(pk=world.township_a.pk).update(code=TOWNSHIP_A)
    Township.objects.filter(pk=world.township_b.pk).update(code=TOWNSHIP_B)
    people = fixture_world(world)
    PersonFactory(village=world.village_b, name=OUTSIDER[0], id_number=OUTSIDER[1])
    return world, people, client_for


def _problems(content: str) -> str:
    """The page's problem table (for assertion messages)."""
    return content.split('id="import-errors"')[-1][:3000] if 'id="import-errors"' in content else content[-1500:]


def _confirm(client, url):
    response = client.post(url, {"confirm": "1"})
    assert response.status_code == 302, response.content.decode()[-2000:]
    return response


def _sheet(headers, rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- organisation

def test_organisation_workbook_adds_and_renames_townships_and_villages(places):
    """A title line above, the header in row 3 with （必填） and * markers, a leading-zero township code, a village
    code in full-width digits: a new township with two villages, a new village, a recorded one renamed."""
    world, _people, client_for = places
    county = client_for(world.users["county"])
    content = preview(county, ORGANISATION_URL, "organisation_good").content.decode()
    assert "确认导入" in content and not Township.objects.filter(code=TOWNSHIP_NEW).exists()
    assert '<div class="figure">1</div><div class="label">新增乡镇</div>' in content, _problems(content)
    assert '<div class="figure">3</div><div class="label">新增村</div>' in content
    assert '<div class="figure">1</div><div class="label">村改名</div>' in content, _problems(content)
    _confirm(county, ORGANISATION_URL)
    new = Township.objects.get(code=TOWNSHIP_NEW)
    assert (new.name, new.county) == ("新设镇", world.county)
    villages = dict(Village.objects.filter(code__in=[r[2] for r in ORGANISATION]).values_list("code", "name"))
    assert villages == {code: unicodedata.normalize("NFKC", name) for _t, _n, code, name in ORGANISATION}
    assert Village.objects.get(code="035070210202").township == new
    assert Village.objects.get(code="350702101203").township_id == world.township_a.pk
    assert Village.history.filter(code=VILLAGE_A, name="甲一村(新名)", history_type="~",
                                  history_user=world.users["county"]).exists()
    assert Township.history.filter(code=TOWNSHIP_NEW, history_type="+", history_user=world.users["county"]).exists()


def test_organisation_reimport_changes_nothing(places):
    world, _people, client_for = places
    county = client_for(world.users["county"])
    preview(county, ORGANISATION_URL, "organisation_good")
    _confirm(county, ORGANISATION_URL)
    before = snapshot()
    content = preview(county, ORGANISATION_URL, "organisation_good").content.decode()
    assert '<div class="figure">4</div><div class="label">村未变</div>' in content, _problems(content)
    _confirm(county, ORGANISATION_URL)
    assert changed_tables(before, snapshot()) == []


@pytest.mark.parametrize("name, messages", [
    ("organisation_numbers", ["第2行“乡镇代码”列：该单元格是数字格式，号码已失真（35070210），"
                              "请将此列设为文本后重新填写",
                              "第3行“村代码”列：该单元格是数字格式，号码已失真（35070210202）"]),
    ("organisation_merged", ["第2–4行“乡镇代码”列：是合并单元格", "第2–4行“乡镇名称”列：是合并单元格"]),
    ("organisation_formula", ["第2行“村名称”列：该单元格是没有计算结果的公式"]),
    ("organisation_duplicates", ["第3行“村代码”列：“350702101203”已在第2行出现（重复）"]),
    ("organisation_other_township", ["第3行“村代码”列：村代码“350702201201”已登记在乙乡（代码 350702201）下，"
                                     "村不能改属其他乡镇"]),
    ("organisation_5001", ["文件有5001行数据，超过上限5000行，请分成几个文件"]),
])
def test_organisation_problems_are_named_and_nothing_is_written(places, name, messages):
    world, _people, client_for = places
    assert_refused_writing_nothing(client_for(world.users["county"]), ORGANISATION_URL, name, *messages)


def test_organisation_codes_of_another_county_are_errors_at_their_row(places):
    from tests.villages.factories import CountyFactory, TownshipFactory, VillageFactory

    world, _people, client_for = places
    other = TownshipFactory(county=CountyFactory(code="350800", name="外县"), code="350800101", name="外镇")
    VillageFactory(township=other, code="350800101201", name="外村")
    data = _sheet(["乡镇代码", "乡镇名称", "村代码", "村名称"],
                  [[TOWNSHIP_A, "甲镇", "350800101201", "外村"], ["350800101", "外镇", "350800101202", "新村"],
                   [TOWNSHIP_A, "乙乡", "350702101209", "新村"], ["350702109", "乙乡", "350702109201", "新村"]])
    county = client_for(world.users["county"])
    before = snapshot()
    content = preview(county, ORGANISATION_URL, data).content.decode()
    assert "第2行“村代码”列：村代码“350800101201”已属于其他县，不能导入本县" in content, _problems(content)
    assert "第3行“乡镇代码”列：乡镇代码“350800101”已属于其他县，不能导入本县" in content
    assert "外村（" not in content and "外镇（" not in content
    assert "第4行“乡镇名称”列：乡镇 350702101 在第2行名为“甲镇”" in content, _problems(content)
    assert "第5行“乡镇名称”列：本县已有名为“乙乡”的乡镇（代码 350702201）" in content, _problems(content)
    assert changed_tables(before, snapshot()) == []


def test_township_staff_may_not_import_the_organisation(places):
    world, _people, client_for = places
    township = client_for(world.users["township_a"])
    assert township.get(ORGANISATION_URL).status_code == 403
    before = snapshot()
    response = preview(township, ORGANISATION_URL, "organisation_good")
    assert response.status_code == 403 and changed_tables(before, snapshot()) == []


def test_an_oversized_upload_is_refused_with_its_size(places, settings):
    world, _people, client_for = places
    settings.IMPORT_MAX_UPLOAD_BYTES = 4096
    data = workbook("organisation_good") + b"\0" * 5000
    county = client_for(world.users["county"])
    before = snapshot()
    content = preview(county, ORGANISATION_URL, data).content.decode()
    assert "导入文件最大4.0 KB，请分成几个文件" in content.replace("\xa0", " ")
    assert changed_tables(before, snapshot()) == []


# ---------------------------------------------------------------- people

def test_people_workbook_adds_every_person(places):
    """The header in row 3, columns in another order, birth dates as a date cell, an Excel serial and four written
    forms, one row without gender and birth date, an ID number and a phone in full-width digits."""
    world, _people, client_for = places
    township = client_for(world.users["township_a"])
    content = preview(township, PEOPLE_URL, "people_good").content.decode()
    assert '<div class="figure">6</div><div class="label">新增</div>' in content, _problems(content)
    assert not Person.objects.filter(name__startswith="新人员").exists()
    _confirm(township, PEOPLE_URL)
    people = {p.id_number: p for p in Person.objects.filter(name__startswith="新人员")}
    assert set(people) == {number for _name, number, _born in NEW_PEOPLE}
    for name, number, _born in NEW_PEOPLE:
        person = people[number]
        assert (person.name, person.village, person.birth_date, person.education) == (
            name, world.village_a, birth_date_of(number), "junior")
        assert person.gender == ("M" if int(number[16]) % 2 else "F")
    assert people[NEW_PEOPLE[5][1]].phone == "13905995678"
    assert Person.history.filter(id_number=NEW_PEOPLE[0][1], history_type="+",
                                 history_user=world.users["township_a"]).exists()


def test_people_import_updates_by_id_number(places):
    world, people, client_for = places
    township = client_for(world.users["township_a"])
    name, number = PEOPLE[0]
    data = _sheet(["村代码", "姓名", "身份证号", "手机号", "文化程度"],
                  [[world.village_a2.code, name, number.lower().replace("x", "x"), "0599-7822345", "本科"],
                   [VILLAGE_A, PEOPLE[2][0], PEOPLE[2][1], None, None]])  # a man, as the factory records
    content = preview(township, PEOPLE_URL, data).content.decode()
    assert '<div class="figure">1</div><div class="label">修改</div>' in content, _problems(content)
    assert '<div class="figure">1</div><div class="label">未变</div>' in content
    before = Person.history.count()
    _confirm(township, PEOPLE_URL)
    person = Person.objects.get(id_number=number)
    assert (person.village, person.phone, person.education) == (world.village_a2, "05997822345", "bachelor")
    assert Person.history.count() == before + 1


@pytest.mark.parametrize("name, messages", [
    ("people_numbers", ["第2行“身份证号”列：该单元格是数字格式，号码已失真",
                        "第3行“村代码”列：该单元格是数字格式，号码已失真",
                        "第4行“手机号”列：该单元格是数字格式，号码已失真（13905991234）"]),
    ("people_merged", ["第2–4行“村代码”列：是合并单元格，请取消合并并在每一行填写"]),
    ("people_formula", ["第2行“姓名”列：该单元格是没有计算结果的公式"]),
    ("people_duplicates", ["第4行“身份证号”列：“350702********"]),
    ("people_other_township", ["第3行“村代码”列：您的管辖范围内没有村代码为“350702201201”的村",
                               "第4行“身份证号”列：身份证号 350702********" + OUTSIDER[1][-4:]
                               + " 已登记在您管辖范围以外的人员名下，不能在此导入"]),
    ("people_5001", ["文件有5001行数据，超过上限5000行，请分成几个文件"]),
])
def test_people_problems_are_named_and_nothing_is_written(places, name, messages):
    world, _people, client_for = places
    content = assert_refused_writing_nothing(client_for(world.users["township_a"]), PEOPLE_URL, name, *messages)
    assert OUTSIDER[0] not in content and "乙一村" not in content  # whose ID it is stays untold


def test_people_gender_and_birth_date_must_match_the_id_number(places):
    world, _people, client_for = places
    name, number, _born = NEW_PEOPLE[0]  # a man born 2001-07-01
    data = _sheet(["村代码", "姓名", "身份证号", "性别", "出生日期"],
                  [[VILLAGE_A, name, number, "女", "2001年7月2日"],
                   [VILLAGE_A, "某人", "350702200107019999", None, None]])
    township = client_for(world.users["township_a"])
    before = snapshot()
    content = preview(township, PEOPLE_URL, data).content.decode()
    assert "第2行“性别”列：性别与身份证号（第 17 位）不符" in content, _problems(content)
    assert "第2行“出生日期”列：出生日期与身份证号不符（身份证号中的出生日期为 2001-07-01）" in content
    assert "第3行“身份证号”列：身份证号校验码错误" in content, _problems(content)
    assert "第3行“性别”列" not in content and "第3行“出生日期”列" not in content  # the ID number's problem, once
    assert changed_tables(before, snapshot()) == []


def test_the_county_imports_people_of_every_township(places):
    world, _people, client_for = places
    county = client_for(world.users["county"])
    data = _sheet(["村代码", "姓名", "身份证号"], [[VILLAGE_A, NEW_PEOPLE[0][0], NEW_PEOPLE[0][1]],
                                               [VILLAGE_B, NEW_PEOPLE[1][0], NEW_PEOPLE[1][1]]])
    assert "确认导入" in preview(county, PEOPLE_URL, data).content.decode()
    _confirm(county, PEOPLE_URL)
    assert dict(Person.objects.filter(name__startswith="新人员").values_list("name", "village")) == {
        NEW_PEOPLE[0][0]: world.village_a.pk, NEW_PEOPLE[1][0]: world.village_b.pk}


def test_people_look_ups_do_not_grow_with_the_rows(places, django_assert_max_num_queries):
    """Villages, people and the rows' writes: a fixed number of queries for 300 rows, preview and confirm."""
    from villages.idnumbers import make_id_number

    world, _people, client_for = places
    township = client_for(world.users["township_a"])
    rows = [[VILLAGE_A, f"批量{i}", make_id_number("350702", dt.date(1980, 1, 1) + dt.timedelta(days=i), i % 100,
                                                   "MF"[i % 2])] for i in range(300)]
    data = _sheet(["村代码", "姓名", "身份证号"], rows)
    with django_assert_max_num_queries(40):
        assert "确认导入" in preview(township, PEOPLE_URL, data).content.decode()
    with django_assert_max_num_queries(40):
        _confirm(township, PEOPLE_URL)
    assert Person.objects.filter(name__startswith="批量").count() == 300
    assert Person.history.filter(name__startswith="批量").count() == 300


# ---------------------------------------------------------------- cadre posts

def test_posts_workbook_adds_every_post(places):
    """Six posts of the roster people: start dates in the five forms and a date cell, years as numbers and as
    full-width text, an ID number in full-width digits, the header in row 3."""
    world, people, client_for = places
    township = client_for(world.users["township_a"])
    content = preview(township, POSTS_URL, "posts_good").content.decode()
    assert '<div class="figure">6</div><div class="label">新增</div>' in content, _problems(content)
    _confirm(township, POSTS_URL)
    posts = CadrePost.objects.filter(person__in=people).select_related("person")
    from villages.resources import POST_LABELS

    assert {(p.person.name, p.post) for p in posts} == {(n, POST_LABELS[post]) for (n, _id), (post, _s) in
                                                         zip(PEOPLE, POSTS)}
    assert {(p.village_id, p.term_start_year, p.term_end_year, p.start_date, p.end_date) for p in posts} == {
        (world.village_a.pk, 2024, 2027, POST_START, None)}
    assert CadrePost.history.filter(person=people[0], history_type="+",
                                    history_user=world.users["township_a"]).count() == 1


def test_posts_reimport_updates_the_same_post(places):
    world, people, client_for = places
    township = client_for(world.users["township_a"])
    preview(township, POSTS_URL, "posts_good")
    _confirm(township, POSTS_URL)
    name, number = PEOPLE[0]
    data = _sheet(["村代码", "身份证号", "姓名", "职务", "任期起", "任期止", "任职日期", "离任日期"],
                  [[VILLAGE_A, number, name, "支部书记", 2024, 2027, "2024-03-01", "2025-06-30"]])
    content = preview(township, POSTS_URL, data).content.decode()
    assert '<div class="figure">1</div><div class="label">修改</div>' in content, _problems(content)
    _confirm(township, POSTS_URL)
    post = CadrePost.objects.get(person=people[0])
    assert post.end_date == dt.date(2025, 6, 30)
    assert CadrePost.history.filter(person=people[0]).count() == 2


@pytest.mark.parametrize("name, messages", [
    ("posts_numbers", ["第2行“身份证号”列：该单元格是数字格式，号码已失真",
                       "第3行“村代码”列：该单元格是数字格式，号码已失真"]),
    ("posts_merged", ["第2–3行“村代码”列：是合并单元格，请取消合并并在每一行填写"]),
    ("posts_formula", ["第2行“任期止”列：该单元格是没有计算结果的公式"]),
    ("posts_duplicates", ["第4行“任职日期”列：同一人员同一日期起的同一职务已在第2行出现（重复）"]),
    ("posts_other_township", ["第3行“村代码”列：您的管辖范围内没有村代码为“350702201201”的村"]),
    ("posts_5001", ["文件有5001行数据，超过上限5000行，请分成几个文件"]),
])
def test_posts_problems_are_named_and_nothing_is_written(places, name, messages):
    world, _people, client_for = places
    assert_refused_writing_nothing(client_for(world.users["township_a"]), POSTS_URL, name, *messages)


def test_posts_need_the_person_recorded_in_scope_under_the_name_given(places):
    world, people, client_for = places
    headers = ["村代码", "身份证号", "姓名", "职务", "任期起", "任期止", "任职日期"]
    data = _sheet(headers, [
        [VILLAGE_A, NEW_PEOPLE[0][1], NEW_PEOPLE[0][0], "支部书记", 2024, 2027, "2024-03-01"],  # not recorded
        [VILLAGE_A, OUTSIDER[1], OUTSIDER[0], "支部书记", 2024, 2027, "2024-03-01"],  # another township's
        [VILLAGE_A, PEOPLE[0][1], "别人", "支部书记", 2024, 2027, "2024-03-01"],  # another name
        [VILLAGE_A, PEOPLE[1][1], PEOPLE[1][0], "支部书记", 2024, 2024, "2024-03-01"],  # the term ends as it starts
        [VILLAGE_A, PEOPLE[2][1], PEOPLE[2][0], "会计", 2024, 2027, "2024-03-01"],  # not a post
    ])
    township = client_for(world.users["township_a"])
    before = snapshot()
    content = preview(township, POSTS_URL, data).content.decode()
    assert "第2行“身份证号”列：您的管辖范围内没有身份证号为 350702********" in content, _problems(content)
    assert "第3行“身份证号”列：您的管辖范围内没有身份证号为 350702********" in content
    assert OUTSIDER[0] not in content
    assert f"第4行“姓名”列：身份证号 350702********{PEOPLE[0][1][-4:]} 属于{PEOPLE[0][0]}，不是“别人”" in content
    assert "第5行“任期止”列：任期截止年必须晚于起始年" in content, _problems(content)
    assert "第6行“职务”列：“会计”不是以下之一" in content
    assert changed_tables(before, snapshot()) == []


# ---------------------------------------------------------------- templates

@pytest.mark.parametrize("url, text_columns, choices", [
    (ORGANISATION_URL, ["乡镇代码", "村代码"], {}),
    (PEOPLE_URL, ["村代码", "身份证号", "手机号"],
     {"性别": "男,女", "文化程度": "小学,初中,高中/中专,大专,本科,研究生"}),
    (POSTS_URL, ["村代码", "身份证号"], {"职务": "支部书记,支部副书记,支委委员,村委会主任,村委会副主任,村委会委员,"
                                                "村务监督小组成员"}),
])
def test_each_template_keeps_numbers_as_text_and_lists_the_choices(places, url, text_columns, choices):
    world, _people, client_for = places
    response = client_for(world.users["county"]).get(url + "?template=1")
    assert response["Content-Disposition"].startswith("attachment")
    ws = load_workbook(io.BytesIO(response.content)).active
    headers = {cell.value: cell.column_letter for cell in ws[1]}
    for column in text_columns:
        assert ws.column_dimensions[headers[column]].number_format == "@"
        assert "文本格式" in ws[f"{headers[column]}1"].comment.text
    lists = {str(dv.sqref).split(":")[0][:-1]: dv.formula1.strip('"') for dv in ws.data_validations.dataValidation}
    assert {column: lists[headers[column]] for column in choices} == choices
