"""A fault halfway through an import, a grid save or a submission (an exception injected after some rows were
written) leaves the database exactly as it was: every table, history included, compared before and after."""
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from simple_history.models import HistoricalRecords

from assemblies import services as assembly_services
from assemblies.resources import COLUMNS as HOUSEHOLD_COLUMNS
from core.periods import Month
from evaluations import services as evaluation_services
from members import services as member_services
from members.models import Deduction, MonthlyResult, MonthlyReview
from members.resources import ROSTER_HEADERS
from pledges import services as pledge_services
from tests.dbstate import changed_tables, snapshot
from tests.evaluations.factories import GOOD, enter, open_round, sheet_of
from tests.members.factories import grid_post, members_for, rule_set_with_rules
from tests.pledges.factories import PledgeFactory, PledgeItemFactory, QuarterlyReviewFactory
from tests.villages.factories import PersonFactory
from villages.idnumbers import make_id_number

MAY = Month(2026, 5)


class InjectedFault(RuntimeError):
    pass


def fail_on_call(monkeypatch, owner, name, *, call: int):
    """Let the first call-1 calls of owner.name run, and the call-th run too, then raise: rows are written first."""
    real = getattr(owner, name)
    calls = []

    def wrapper(*args, **kwargs):
        calls.append(1)
        result = real(*args, **kwargs)
        if len(calls) == call:
            raise InjectedFault("injected fault")
        return result

    monkeypatch.setattr(owner, name, wrapper)
    return calls


def fail_in_history_of(monkeypatch, model):
    """Raise while recording the history of a `model` row: after its UPDATE or INSERT has reached the database."""
    real = HistoricalRecords.create_historical_record
    hit = []

    def create(self, instance, history_type, *args, **kwargs):
        real(self, instance, history_type, *args, **kwargs)
        if isinstance(instance, model):
            hit.append(instance.pk)
            raise InjectedFault("injected fault")

    monkeypatch.setattr(HistoricalRecords, "create_historical_record", create)
    return hit


@pytest.fixture
def grid(world, client_for):
    rule_set = rule_set_with_rules(world.village_a)
    members = [world.person_a.membership] + members_for(world.village_a, 3)
    client = client_for(world.users["township_a"])
    client.raise_request_exception = False
    return world, rule_set, members, client


def _grid_post(members, rule, version):
    return grid_post(members, version, **{
        f"rating-{members[0].pk}": "excellent", f"reason-{members[0].pk}": "带头抢险",
        f"d-{members[1].pk}-0-rule": str(rule.pk), f"d-{members[2].pk}-0-rule": str(rule.pk)})


def _grid_url(world, name="monthlyreview_grid"):
    return reverse(f"members:{name}", kwargs={"code": world.village_a.code, "month": str(MAY)})


def _assert_unchanged(before):
    assert changed_tables(before, snapshot()) == []


def test_first_grid_save_failing_after_the_results_are_written(grid, monkeypatch):
    world, rule_set, members, client = grid
    before = snapshot()
    calls = fail_on_call(monkeypatch, member_services, "bulk_create_with_history", call=1)
    response = client.post(_grid_url(world), _grid_post(members, rule_set.rules.first(), 0))
    assert calls == [1]  # the results were written, then the fault
    assert response.status_code == 500 and "未保存任何内容" in response.content.decode()
    _assert_unchanged(before)


def test_grid_save_failing_between_results_and_deductions(grid, monkeypatch):
    world, rule_set, members, client = grid
    review = member_services.monthly_grid_save(user=world.users["township_a"], village=world.village_a, month=MAY,
                                               expected_version=0, entries=[])
    before = snapshot()
    calls = fail_on_call(monkeypatch, member_services, "bulk_update_with_history", call=1)
    response = client.post(_grid_url(world), _grid_post(members, rule_set.rules.first(), review.version))
    assert calls == [1] and response.status_code == 500
    _assert_unchanged(before)
    # Without the fault the same save goes through: the fault, not the input, stopped it.
    monkeypatch.undo()
    response = client.post(_grid_url(world), _grid_post(members, rule_set.rules.first(), review.version))
    assert response.status_code == 302 and Deduction.objects.count() == 2


def test_month_import_failing_halfway(grid, monkeypatch):
    world, rule_set, members, client = grid
    wb = load_workbook(io.BytesIO(client.get(_grid_url(world, "monthlyreview_template")).content))
    ws = wb.worksheets[0]
    ws.cell(2, 5).value, ws.cell(2, 6).value = "优", "抢险带头"
    ws.cell(3, 5).value, ws.cell(3, 7).value = "扣分", 2
    out = io.BytesIO()
    wb.save(out)
    url = _grid_url(world, "monthlyreview_import")
    assert client.post(url, {"file": SimpleUploadedFile("may.xlsx", out.getvalue())}).status_code == 200
    before = snapshot()
    calls = fail_on_call(monkeypatch, member_services, "bulk_create_with_history", call=2)  # the deductions
    response = client.post(url, {"confirm": "1"})
    assert calls == [1, 1] and response.status_code == 500
    _assert_unchanged(before)
    assert not MonthlyResult.objects.exists()


def test_roster_import_failing_after_its_rows_are_written(world, client_for, monkeypatch):
    people = [PersonFactory(village=world.village_a, name=f"新党员{i}") for i in range(4)]
    wb = Workbook()
    ws = wb.active
    ws.append(ROSTER_HEADERS)
    for p in people:
        ws.append([world.village_a.code, p.id_number, p.name, dt.date(2020, 7, 1), "正式党员", "在册"])
    out = io.BytesIO()
    wb.save(out)
    client = client_for(world.users["township_a"])
    client.raise_request_exception = False
    url = reverse("members:partymember_import")
    response = client.post(url, {"file": SimpleUploadedFile("roster.xlsx", out.getvalue())})
    assert "确认导入" in response.content.decode()
    before = snapshot()
    # Confirming writes the four rows in bulk, once: the fault comes after the rows and their history are written.
    calls = fail_on_call(monkeypatch, member_services, "bulk_create_with_history", call=1)
    response = client.post(url, {"confirm": "1"})
    assert calls == [1] and response.status_code == 500
    _assert_unchanged(before)


def test_household_import_failing_after_its_households_are_written(world, client_for, monkeypatch):
    wb = Workbook()
    ws = wb.active
    ws.append(HOUSEHOLD_COLUMNS)
    for n, name in enumerate(["王大山", "李秀英", "张小明"], start=1):
        ws.append([world.village_a.code, str(n), name, "一组", name,
                   make_id_number("350702", dt.date(1970, 1, n), 10 + n, "M")])
    out = io.BytesIO()
    wb.save(out)
    client = client_for(world.users["township_a"])
    client.raise_request_exception = False
    url = reverse("assemblies:household_import")
    preview = client.post(url, {"file": SimpleUploadedFile("households.xlsx", out.getvalue())})
    assert "确认导入" in preview.content.decode()
    before = snapshot()
    # Confirming writes the rows in bulk, once: the fault comes after the households (and the new people) are
    # written, on the representative changes.
    calls = fail_on_call(monkeypatch, assembly_services, "bulk_create_with_history", call=2)
    response = client.post(url, {"confirm": "1"})
    assert calls == [1, 1] and response.status_code == 500
    _assert_unchanged(before)


def test_month_submission_failing_after_the_status_is_written(grid, monkeypatch):
    world, rule_set, members, client = grid
    member_services.monthly_grid_save(user=world.users["township_a"], village=world.village_a, month=MAY,
                                      expected_version=0, entries=[])
    before = snapshot()
    hit = fail_in_history_of(monkeypatch, MonthlyReview)
    response = client.post(_grid_url(world, "monthlyreview_submit"))
    assert hit and response.status_code == 500
    _assert_unchanged(before)
    assert MonthlyReview.objects.get().status == "draft"


def _pledge_review(world):
    pledge = PledgeFactory(person=world.person_a)
    items = [PledgeItemFactory(pledge=pledge) for _ in range(2)]
    review = QuarterlyReviewFactory(village=world.village_a)
    return pledge_services.quarterly_review_save(
        user=world.users["township_a"], review=review, expected_version=0, meeting={"party_members_present": 30},
        statuses={items[0].pk: ("behind", "资金未到"), items[1].pk: ("done", "")})


def _submit_pledge_review(world):
    from pledges.models import QuarterlyReview

    review = _pledge_review(world)
    return QuarterlyReview.objects.filter(pk=review.pk), lambda: pledge_services.quarterly_review_submit(
        user=world.users["township_a"], review=QuarterlyReview.objects.get(pk=review.pk))


def _submit_evaluation_sheet(world):
    from evaluations.models import TownshipEvaluation

    round_ = open_round(world)
    enter(world, round_, world.person_a, GOOD)
    sheet = sheet_of(round_, world.township_a)
    return TownshipEvaluation.objects.filter(pk=sheet.pk), lambda: evaluation_services.sheet_submit(
        user=world.users["township_a"], sheet=sheet_of(round_, world.township_a))


def _submit_filing(world):
    from assemblies.models import Filing

    township = world.users["township_a"]
    filing = assembly_services.filing_create(user=township, township=world.township_a, year=2026, quarter=4)
    return Filing.objects.filter(pk=filing.pk), lambda: assembly_services.filing_submit(
        user=township, filing=Filing.objects.get(pk=filing.pk))


@pytest.mark.parametrize("prepare", [_submit_pledge_review, _submit_evaluation_sheet, _submit_filing],
                         ids=["pledge-review", "evaluation-sheet", "assembly-filing"])
def test_other_submissions_failing_after_the_status_is_written(world, monkeypatch, prepare):
    period, submit = prepare(world)
    before = snapshot()
    hit = fail_in_history_of(monkeypatch, period.model)
    with pytest.raises(InjectedFault):
        submit()
    assert hit
    _assert_unchanged(before)
    assert period.get().status == "draft"
    monkeypatch.undo()
    submit()
    assert period.get().status == "submitted"
