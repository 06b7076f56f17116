"""Formula injection, end to end: names, rules, reasons, notes and talkers that look like formulas are saved through
the services, then every workbook the portal hands out is downloaded and opened (not data_only): no cell is a
formula and the text is there verbatim."""
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.periods import Month, Quarter
from core.reports.registry import report_list
from members import services as member_services
from members.choices import MembershipKind, MembershipStatus, RuleCategory
from members.services import DeductionEntry, ResultEntry, RuleSpec
from tests.core.test_xlsx import formula_tags
from tests.evaluations.factories import open_round, sheet_of
from tests.villages.factories import valid_id_number
from villages import services as village_services
from villages.choices import Post

pytestmark = pytest.mark.django_db

MONTH = Month(2026, 5)
NAMES = ["=1+1", '=HYPERLINK("http://x","y")', "@SUM(1)", "+1", "-1"]
POSTS = [Post.CHAIR, Post.VICE_CHAIR, Post.COMMITTEE_MEMBER, Post.DEPUTY_SECRETARY, Post.BRANCH_MEMBER]
RULE = "=底线第1条"
REASON = '=HYPERLINK("http://x","抢险带头")'
NOTE = "+2 无故缺席"
TALKER = "@张书记"
TEXTS = NAMES + [RULE, REASON, NOTE, TALKER]


@pytest.fixture
def injected(world):
    staff, born = world.users["township_a"], dt.date(1970, 5, 17)
    people = []
    for name, post in zip(NAMES, POSTS):
        person = village_services.person_create(
            user=staff, name=name, gender="M", birth_date=born, id_number=valid_id_number(born),
            village=world.village_a)
        member_services.party_member_create(user=staff, person=person, village=world.village_a,
                                            joined_date=dt.date(2000, 7, 1), kind=MembershipKind.FULL,
                                            status=MembershipStatus.ACTIVE)
        village_services.cadre_post_create(user=staff, person=person, village=world.village_a, post=post,
                                           term_start_year=2024, term_end_year=2027, start_date=dt.date(2024, 3, 10))
        people.append(person)
    rule_set = member_services.rule_set_adopt(
        user=staff, village=world.village_a, year=MONTH.year, adopted_date=dt.date(2026, 2, 10),
        specific=[RuleSpec(category=RuleCategory.ORGANISATION, text=RULE, points=5)])
    rule = rule_set.rules.get()
    members = {m.person_id: m for m in world.village_a.party_members.all()}
    member_services.monthly_grid_save(
        user=staff, village=world.village_a, month=MONTH, expected_version=0,
        entries=[ResultEntry(member_id=members[people[0].pk].pk, excellent=True, excellent_reason=REASON)] + [
            ResultEntry(member_id=members[p.pk].pk, deductions=[
                DeductionEntry(rule_id=rule.pk, note=NOTE, talk_by=TALKER, talk_date=dt.date(2026, 5, 20))])
            for p in people[1:]],
    )
    world.extra["sheet"] = sheet_of(open_round(world, year=MONTH.year), world.township_a)
    return world


def cells(content: bytes) -> list:
    """Every cell of every sheet; none may be a formula, in openpyxl's reading or in the file's XML."""
    wb = load_workbook(io.BytesIO(content))
    found = [cell for ws in wb.worksheets for row in ws.iter_rows() for cell in row]
    formulas = [f"{c.parent.title}!{c.coordinate}={c.value}" for c in found if c.data_type == "f"]
    assert formulas == [] and formula_tags(content) == []
    return found


def text_of(content: bytes) -> set[str]:
    return {c.value for c in cells(content) if isinstance(c.value, str)}


def test_no_exported_workbook_holds_a_formula_and_every_text_is_verbatim(injected, client_for, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    world = injected
    county = world.users["county"]
    client = client_for(county)
    seen = set()
    # Every report of the registry that has a workbook, for the whole county.
    reports = [r for r in report_list(user=county) if "xlsx" in r.formats]
    assert {r.code for r in reports} >= {"monthly-bulletin", "cadre-roster", "quarterly", "cadre-excellent-record"}
    for report in reports:
        form = report(county).get_form()
        params = {name: getattr(f.initial, "pk", f.initial) for name, f in form.fields.items() if f.initial is not None}
        params.update({k: v for k, v in {"month": str(MONTH), "quarter": str(Quarter(2026, 2))}.items()
                       if k in form.fields})
        response = client.get(reverse("reports:report_run", args=[report.code]), {**params, "format": "xlsx"})
        assert response.status_code == 200, report.code
        texts = text_of(response.content)
        seen |= texts
        if report.code == "monthly-bulletin":
            assert set(TEXTS) <= texts
        if report.code == "cadre-roster":
            assert set(NAMES) <= texts
    assert set(TEXTS) <= seen

    # The month's template, as township staff download it to fill in.
    client = client_for(world.users["township_a"])
    response = client.get(reverse("members:monthlyreview_template",
                                  kwargs={"code": world.village_a.code, "month": str(MONTH)}))
    assert response.status_code == 200
    assert set(NAMES + [REASON, NOTE, TALKER]) <= text_of(response.content)

    # The households template, and the evaluation's pay table.
    response = client.get(reverse("assemblies:household_import") + "?template=1")
    assert response.status_code == 200 and "户代表身份证号" in text_of(response.content)
    response = client.get(reverse("evaluations:pay_export", kwargs={"pk": world.extra["sheet"].pk}))
    assert response.status_code == 200 and set(NAMES) <= text_of(response.content)


def test_the_month_template_keeps_codes_and_ids_as_text_and_lists_the_ratings(injected, client_for, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    world = injected
    response = client_for(world.users["county"]).get(reverse(
        "members:monthlyreview_template", kwargs={"code": world.village_a.code, "month": str(MONTH)}))
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert ws.column_dimensions["A"].number_format == "@" and ws.column_dimensions["D"].number_format == "@"
    ids = {ws.cell(r, 4).value for r in range(2, ws.max_row + 1)}
    assert {p.id_number for p in world.village_a.people.all()} <= ids  # the county sees full numbers, as text
    (dv,) = ws.data_validations.dataValidation
    assert dv.formula1 == '"合格,优,扣分"' and str(dv.sqref) == "E2:E1048576" and "合格、优、扣分" in dv.error
