"""What users see and do on the pages: entry, the workflow, refusals in Chinese, the pay table workbook."""
from decimal import Decimal
from io import BytesIO
from urllib.parse import unquote

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from core.workflow import ReviewStatus
from evaluations.choices import Grade
from evaluations.models import CadreEvaluation, Round

from .factories import EXCELLENT, GOOD, enter, evaluation_world, open_round, publish, result_of, sheet_of

pytestmark = pytest.mark.django_db


def form_data(values, version=0):
    data = {"version": version}
    for key, value in values.items():
        if isinstance(value, bool):
            if value:
                data[key] = "on"
        elif value is not None:
            data[key] = str(value)
    return data


def test_township_enters_submits_county_confirms_and_the_tally_is_then_locked(world, client_for):
    round_ = open_round(world)
    result = result_of(round_, world.person_a)
    sheet = sheet_of(round_, world.township_a)
    url = reverse("evaluations:result_edit", kwargs={"pk": result.pk})

    client = client_for(world.users["township_a"])
    page = client.get(url)
    assert "本年度平台已有的依据" in page.content.decode()
    response = client.post(url, form_data(GOOD), follow=True)
    assert "已保存：王甲明总分81.72分，称职。" in response.content.decode()
    response = client.post(reverse("evaluations:sheet_submit", kwargs={"pk": sheet.pk}), follow=True)
    assert "已报送县里" in response.content.decode()

    client = client_for(world.users["county"])
    response = client.post(reverse("evaluations:sheet_accept", kwargs={"pk": sheet.pk}), follow=True)
    assert "已确认并锁定" in response.content.decode()
    sheet.refresh_from_db()
    assert sheet.status == ReviewStatus.ACCEPTED

    client = client_for(world.users["township_a"])
    response = client.post(url, form_data({**GOOD, "party_ballots": 31, "party_competent": 16}, version=1))
    assert "接收并锁定" in response.content.decode()
    result.refresh_from_db()
    assert (result.party_ballots, result.party_competent, result.version) == (30, 15, 1)


def test_tallies_that_do_not_add_up_are_refused_on_the_page(world, client_for):
    round_ = open_round(world)
    result = result_of(round_, world.person_a)
    response = client_for(world.users["township_a"]).post(
        reverse("evaluations:result_edit", kwargs={"pk": result.pk}),
        form_data({**GOOD, "rep_ballots": 25}))
    assert response.status_code == 200
    assert "村民（户）代表：各档票数合计20票，但投票数为25票，请核对。" in response.content.decode()
    result.refresh_from_db()
    assert result.rep_ballots == 0 and result.version == 0


def test_a_score_out_of_range_is_refused_on_the_page(world, client_for):
    round_ = open_round(world)
    result = result_of(round_, world.person_a)
    response = client_for(world.users["township_a"]).post(
        reverse("evaluations:result_edit", kwargs={"pk": result.pk}), form_data({**GOOD, "score_lian": "101"}))
    assert "确保该值小于或等于100" in response.content.decode()
    result.refresh_from_db()
    assert result.score_lian is None


def test_round_settings_whose_weights_do_not_sum_to_100_are_refused(world, client_for):
    client = client_for(world.users["county"])
    form = client.get(reverse("evaluations:round_add")).context["form"]
    data = {name: field.initial for name, field in form.fields.items()}
    data.update(year=2026, weight_ji=40)
    response = client.post(reverse("evaluations:round_add"), data)
    assert "德、能、勤、绩、廉的权重之和必须为100%（现为110%）" in response.content.decode()
    assert not Round.objects.exists()
    data.update(weight_ji=30)
    response = client.post(reverse("evaluations:round_add"), data)
    assert response.status_code == 302, response.context["form"].errors
    assert Round.objects.get().weight_ji == 30


def test_the_sheet_warns_a_township_over_its_cap_before_it_submits(world, client_for):
    round_ = open_round(world, excellent_cap=50)
    enter(world, round_, world.person_a, EXCELLENT)
    sheet = sheet_of(round_, world.township_a)
    client = client_for(world.users["township_a"])
    page = client.get(reverse("evaluations:sheet_detail", kwargs={"pk": sheet.pk})).content.decode()
    assert "超出县里规定的优秀比例：1名干部评为优秀，最多允许0名。" in page
    response = client.post(reverse("evaluations:sheet_submit", kwargs={"pk": sheet.pk}), follow=True)
    assert "请调整后再报送" in response.content.decode()
    sheet.refresh_from_db()
    assert sheet.status == ReviewStatus.DRAFT


def test_the_pay_table_exports_to_xlsx_with_chinese_headers_and_coefficients(world, client_for):
    evaluation_world(world)
    round_ = world.extra["round"]
    response = client_for(world.users["township_a"]).get(
        reverse("evaluations:pay_export", kwargs={"pk": world.extra["sheet"].pk}))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert unquote(response["Content-Disposition"]).endswith(f"{world.township_a.name}2026年村干部报酬表.xlsx")
    ws = load_workbook(BytesIO(response.content)).active
    assert [c.value for c in ws[1]] == ["乡镇", "村", "姓名", "职务", "总分", "等次", "绩效系数"]
    assert ws.freeze_panes == "A2"
    row = [c.value for c in ws[2]]
    result = result_of(round_, world.person_a)
    assert row[:4] == ["甲镇", "甲一村", "王甲明", "支部书记"]
    assert row[4] == float(result.total_score) and isinstance(row[4], float)
    assert row[5] == "不称职" and row[6] == 0.5
    assert ws.max_row == 2  # only township A's cadres


def test_the_case_list_shows_the_open_case_to_the_county(world, client_for):
    evaluation_world(world)
    page = client_for(world.users["county"]).get(reverse("evaluations:case_list")).content.decode()
    assert "王甲明" in page and "2025 不称职, 2026 不称职" in page


def test_the_cadre_page_shows_each_years_result(world, client_for):
    evaluation_world(world)
    page = client_for(world.users["township_a"]).get(
        reverse("evaluations:cadre_detail", kwargs={"pk": world.person_a.pk})).content.decode()
    assert page.count("不称职") >= 2 and "2025" in page and "2026" in page


def _more_cadres(world, n):
    from tests.members.factories import PartyMemberFactory
    from tests.villages.factories import CadrePostFactory, PersonFactory

    for i in range(n):
        person = PersonFactory(village=world.village_a if i % 2 else world.village_a2)
        PartyMemberFactory(person=person)
        CadrePostFactory(person=person, post="committee_member")


@pytest.mark.parametrize("extra", [0, 12])
def test_pages_use_a_bounded_number_of_queries(world, client_for, django_assert_max_num_queries, extra):
    _more_cadres(world, extra)
    round_ = open_round(world)
    for r in CadreEvaluation.objects.filter(sheet__round=round_, sheet__township=world.township_a):
        enter(world, round_, r.person, GOOD)
    sheet = sheet_of(round_, world.township_a)
    client = client_for(world.users["township_a"])
    pages = [
        reverse("evaluations:round_list"), reverse("evaluations:round_detail", kwargs={"pk": round_.pk}),
        reverse("evaluations:sheet_detail", kwargs={"pk": sheet.pk}),
        reverse("evaluations:pay_table", kwargs={"pk": sheet.pk}),
        reverse("evaluations:pay_export", kwargs={"pk": sheet.pk}),
        reverse("evaluations:result_edit", kwargs={"pk": result_of(round_, world.person_a).pk}),
        reverse("evaluations:case_list"),
        reverse("evaluations:cadre_detail", kwargs={"pk": world.person_a.pk}),
    ]
    for url in pages:  # 15: the sheet is paginated (its count) and filtered by village (the choices)
        with django_assert_max_num_queries(15):
            assert client.get(url).status_code == 200, url
    assert result_of(round_, world.person_a).grade == Grade.COMPETENT
    assert CadreEvaluation.objects.filter(sheet=sheet).count() == 1 + extra
    assert Decimal("81.72") == result_of(round_, world.person_a).total_score


def test_the_admin_cannot_change_a_tally_after_confirmation(world, client_for):
    round_ = open_round(world)
    enter(world, round_, world.person_a, GOOD)
    sheet = sheet_of(round_, world.township_a)
    from evaluations import services

    services.sheet_submit(user=world.users["township_a"], sheet=sheet)
    services.sheet_accept(user=world.users["county"], sheet=sheet)
    result = result_of(round_, world.person_a)
    url = reverse("admin:evaluations_cadreevaluation_change", args=[result.pk])
    response = client_for(world.users["admin"]).post(
        url, form_data({**GOOD, "party_ballots": 31, "party_competent": 16}))
    assert response.status_code == 403
    result.refresh_from_db()
    assert result.party_ballots == 30


def test_the_audit_trail_of_a_result_shows_who_changed_the_tally(world, client_for):
    round_ = open_round(world)
    result = enter(world, round_, world.person_a, GOOD)
    page = client_for(world.users["county"]).get(
        reverse("record_history", args=["evaluations", "cadreevaluation", result.pk])).content.decode()
    assert "党员：投票数" in page and "township_a" in page


def test_the_village_clerk_reads_but_does_not_enter(world, client_for):
    round_ = open_round(world)
    result = result_of(round_, world.person_a)
    client = client_for(world.users["clerk_a"])
    url = reverse("evaluations:result_edit", kwargs={"pk": result.pk})
    assert client.get(url).status_code == 200
    assert client.post(url, form_data(GOOD)).status_code == 403
    result.refresh_from_db()
    assert result.version == 0


def test_a_case_is_followed_up_on_its_page(world, client_for):
    evaluation_world(world)
    case = world.extra["case"]
    url = reverse("evaluations:case_edit", kwargs={"pk": case.pk})
    client = client_for(world.users["county"])
    response = client.post(url, {"status": "closed", "measure": "", "outcome": "", "handled_by": ""})
    assert "办结前请填写处理措施、处理结果和办结日期。" in response.content.decode()
    response = client.post(url, {"status": "closed", "measure": "adjust", "measure_date": "2026-12-01",
                                 "handled_by": "镇党委", "outcome": "调整为村委委员", "closed_on": "2026-12-15"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "closed" and case.outcome == "调整为村委委员"
    page = client.get(reverse("evaluations:case_list")).content.decode()
    assert "王甲明" not in page  # only open cases by default


def test_published_results_enter_the_cadres_archive_and_unpublished_ones_do_not(world, client_for):
    round_ = open_round(world)
    enter(world, round_, world.person_a, GOOD)
    client = client_for(world.users["township_a"])
    url = reverse("pledges:archive_detail", kwargs={"pk": world.person_a.pk})
    page = client.get(url).content.decode()
    assert "81.72" not in page
    assert "尚无材料" in page.split("<h2>评议考核")[1][:200]  # the appraisal category is still a gap
    publish(world, round_, world.township_a)
    page = client.get(url).content.decode()
    appraisal = page.split("<h2>评议考核")[1]
    assert "81.72" in appraisal and "称职" in appraisal and "2026" in appraisal
    assert "尚无材料" not in appraisal[:200]
    pdf = client.get(reverse("pledges:archive_pdf", kwargs={"pk": world.person_a.pk})).content
    text = "".join("".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages).split())
    assert "81.72" in text
