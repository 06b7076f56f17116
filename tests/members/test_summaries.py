"""The members' summary tables stay equal to a fresh aggregate of the raw rows after every write path (issue 13):
grid save, month import, submit, accept, return, reopen, admin edit, membership changes, demo seeding, restore; and
after random sequences of those (hypothesis). `rebuild_summaries --check` is the comparison."""
import datetime as dt
import io
import random

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from core import summaries
from core.demo import DemoContext
from core.periods import Month
from members import demo, services
from members.choices import MembershipStatus, Rating
from members.models import MonthlyResult, MonthlyReview, VillageMemberSummary, VillageMonthSummary
from members.resources import ROSTER_HEADERS
from members.services import DeductionEntry, MeetingEntry, ResultEntry
from tests.members.factories import grid_post, members_for, rule_set_with_rules
from tests.villages.factories import PersonFactory, VillageFactory

MAY = Month(2026, 5)


def assert_in_step():
    """The stored summaries equal a fresh aggregate; the command says so too (exit status 0)."""
    assert summaries.check_all() == []
    call_command("rebuild_summaries", "--check", stdout=io.StringIO())


def row(review) -> VillageMonthSummary:
    return VillageMonthSummary.objects.get(review=review)


@pytest.fixture
def month(world):
    rule_set = rule_set_with_rules(world.village_a)
    members = [world.person_a.membership] + members_for(world.village_a, 3)
    return world, rule_set, members


def _save(world, members, rule, *, version=0, talk=False):
    return services.monthly_grid_save(
        user=world.users["township_a"], village=world.village_a, month=MAY, expected_version=version,
        entries=[ResultEntry(member_id=members[0].pk, excellent=True, excellent_reason="抢险"),
                 ResultEntry(member_id=members[1].pk, deductions=[DeductionEntry(
                     rule_id=rule.pk, talk_by="书记" if talk else "",
                     talk_date=dt.date(2026, 6, 2) if talk else None)])],
        meeting=MeetingEntry(minutes="记录", meeting_date=dt.date(2026, 5, 28)))


def test_grid_save_and_the_workflow_keep_the_summary(month):
    world, rule_set, members = month
    rule = rule_set.rules.get(number=2)
    review = _save(world, members, rule)
    s = row(review)
    assert (s.result_count, s.excellent_count, s.deducted_count, s.deduction_points) == (4, 1, 1, rule.points)
    assert (s.deductions_without_talk, s.has_minutes, s.has_posting, s.status) == (1, True, False, "draft")
    assert_in_step()
    review = _save(world, members, rule, version=1, talk=True)
    assert row(review).deductions_without_talk == 0
    assert_in_step()

    county = world.users["county"]
    review = services.monthly_review_submit(user=world.users["township_a"], review=review)
    assert row(review).status == "submitted" and row(review).submitted_at == review.submitted_at
    assert_in_step()
    review = services.monthly_review_return(user=county, review=review, reason="请补充会议记录")
    assert row(review).status == "returned"
    assert_in_step()
    review = services.monthly_review_submit(user=world.users["township_a"], review=review)
    review = services.monthly_review_accept(user=county, review=review)
    assert row(review).status == "accepted"
    assert_in_step()
    review = services.monthly_review_return(user=county, review=review, reason="重新评定")  # reopen
    assert row(review).status == "returned"
    assert_in_step()


def test_the_grid_page_and_the_month_import_keep_the_summary(month, client_for, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    world, rule_set, members = month
    client = client_for(world.users["township_a"])
    url = reverse("members:monthlyreview_grid", kwargs={"code": world.village_a.code, "month": str(MAY)})
    data = grid_post(members, **{f"rating-{members[2].pk}": "excellent", f"reason-{members[2].pk}": "带头"})
    assert client.post(url, data).status_code == 302
    assert row(MonthlyReview.objects.get()).excellent_count == 1
    assert_in_step()

    kwargs = {"code": world.village_a.code, "month": str(MAY)}
    template = client.get(reverse("members:monthlyreview_template", kwargs=kwargs)).content
    wb = load_workbook(io.BytesIO(template))
    ws = wb.worksheets[0]
    for r in range(2, ws.max_row + 1):  # everyone 合格, one deduction under rule 3 with its talk
        ws.cell(r, 5).value, ws.cell(r, 6).value = "合格", None
    ws.cell(2, 5).value, ws.cell(2, 7).value, ws.cell(2, 9).value, ws.cell(2, 10).value = (
        "扣分", "3", "书记", dt.date(2026, 5, 28))
    out = io.BytesIO()
    wb.save(out)
    client.post(reverse("members:monthlyreview_import", kwargs=kwargs),
                {"file": SimpleUploadedFile("may.xlsx", out.getvalue())})
    assert client.post(reverse("members:monthlyreview_import", kwargs=kwargs), {"confirm": "1"}).status_code == 302
    # The workbook's figures replace the page's in the summary as in the rows.
    s = row(MonthlyReview.objects.get())
    assert (s.excellent_count, s.deducted_count, s.deduction_points, s.deductions_without_talk) == (0, 1, 5, 0)
    assert_in_step()


def test_admin_edit_keeps_the_summary(month, client_for):
    world, rule_set, members = month
    review = _save(world, members, rule_set.rules.first())
    result = MonthlyResult.objects.get(review=review, member=members[2])
    client = client_for(world.users["admin"])
    response = client.post(reverse("admin:members_monthlyresult_change", args=[result.pk]),
                           {"rating": "excellent", "excellent_reason": "防汛"})
    assert response.status_code == 302
    assert row(review).excellent_count == 2
    assert_in_step()


def test_membership_changes_keep_the_active_counts(month, client_for, settings):
    world, rule_set, members = month
    township = world.users["township_a"]
    active = lambda v: VillageMemberSummary.objects.filter(village=v).values_list("active_members", flat=True).first()  # noqa: E731
    assert active(world.village_a) == 4
    person = PersonFactory(village=world.village_a)
    member = services.party_member_create(user=township, person=person, village=world.village_a,
                                          joined_date=dt.date(2020, 7, 1), kind="full", status="active")
    assert active(world.village_a) == 5
    services.party_member_update(user=township, member=member, status=MembershipStatus.TRANSFERRED_OUT)
    assert active(world.village_a) == 4
    services.party_member_update(user=township, member=member, village=world.village_a2, status="active")
    assert (active(world.village_a), active(world.village_a2)) == (4, 1)
    assert_in_step()

    # The roster import goes through the same service.
    settings.LANGUAGE_CODE = "zh-hans"
    people = [PersonFactory(village=world.village_a2) for _ in range(2)]
    wb = Workbook()
    wb.active.append(ROSTER_HEADERS)
    for p in people:
        wb.active.append([world.village_a2.code, p.id_number, p.name, dt.date(2020, 7, 1), "正式党员", "在册"])
    out = io.BytesIO()
    wb.save(out)
    client = client_for(township)
    url = reverse("members:partymember_import")
    client.post(url, {"file": SimpleUploadedFile("roster.xlsx", out.getvalue())})
    assert client.post(url, {"confirm": "1"}).status_code == 302
    assert active(world.village_a2) == 3
    assert_in_step()


def test_demo_seeding_builds_the_summaries(world):
    villages = [world.village_a, world.village_b] + [VillageFactory(township=world.township_a) for _ in range(3)]
    for v in villages:
        members_for(v, 12)
    ctx = DemoContext(rng=random.Random(2), scale=1, today=dt.date(2026, 11, 26), stdout=io.StringIO(),
                      data={"county": world.county, "villages": villages, "party_people": []})
    demo._seed_assessments(ctx)
    assert VillageMonthSummary.objects.count() == MonthlyReview.objects.count() > 0
    assert_in_step()


def test_check_names_each_village_month_that_differs_and_rebuild_repairs_it(month):
    world, rule_set, members = month
    review = _save(world, members, rule_set.rules.first())
    VillageMonthSummary.objects.filter(review=review).update(excellent_count=9)
    out = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("rebuild_summaries", "--check", stdout=out)
    assert exc.value.returncode == 1
    assert f"village_id={world.village_a.pk}, year=2026, month=5" in out.getvalue()
    assert "excellent_count 9 ≠ 1" in out.getvalue()
    call_command("rebuild_summaries", stdout=io.StringIO())
    assert row(review).excellent_count == 1
    assert_in_step()


def test_restore_rebuilds_the_summaries(month, monkeypatch, tmp_path):
    """What a restore brings back is raw rows; the command rebuilds the summaries from them (the restore itself,
    core.backup's, is tested in tests/core/test_backup.py)."""
    world, rule_set, members = month
    review = _save(world, members, rule_set.rules.first())
    VillageMonthSummary.objects.filter(review=review).delete()
    monkeypatch.setattr("core.management.commands.restore.restore", lambda path, **kwargs: None)
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)  # the test's transaction stays open
    call_command("restore", str(tmp_path / "backup.sqlite3"), stdout=io.StringIO())
    assert row(review).excellent_count == 1
    assert_in_step()


def test_grid_save_query_bound_grows_by_a_constant(month, django_assert_max_num_queries):
    """The summary write is two statements (DELETE, INSERT … SELECT) whatever the village's size."""
    world, rule_set, members = month
    members += members_for(world.village_a, 30)
    with django_assert_max_num_queries(40):
        _save(world, members, rule_set.rules.first())


# ---------------------------------------------------------------- random sequences (hypothesis)

OPERATIONS = st.lists(st.tuples(
    st.sampled_from(["save", "submit", "accept", "return", "member", "result"]),
    st.integers(min_value=0, max_value=3), st.integers(min_value=0, max_value=2)), min_size=1, max_size=8)


@pytest.fixture
def sequence_world(month):
    world, rule_set, members = month
    return world, list(rule_set.rules.all()), members


@pytest.mark.django_db
@hsettings(max_examples=20, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=OPERATIONS)
def test_random_operations_leave_the_summaries_in_step(sequence_world, operations):
    """Any sequence of writes, refused ones included, on top of what earlier examples wrote, leaves the summaries
    equal to a fresh aggregate."""
    world, rules, members = sequence_world
    township, county = world.users["township_a"], world.users["county"]
    months = [Month(2026, 4), Month(2026, 5), Month(2026, 6)]
    for op, i, m in operations:
        month = months[m]
        review = MonthlyReview.objects.filter(village=world.village_a, year=2026, month=month.month).first()
        try:
            if op == "save":
                entries = [ResultEntry(member_id=members[i].pk, excellent=i % 2 == 0, excellent_reason="好"),
                           ResultEntry(member_id=members[(i + 1) % 4].pk,
                                       deductions=[DeductionEntry(rule_id=rules[i % 3].pk)])]
                services.monthly_grid_save(user=township, village=world.village_a, month=month,
                                           expected_version=review.version if review else 0, entries=entries)
            elif op == "submit" and review:
                services.monthly_review_submit(user=township, review=review)
            elif op == "accept" and review:
                services.monthly_review_accept(user=county, review=review)
            elif op == "return" and review:
                services.monthly_review_return(user=county, review=review, reason="退回")
            elif op == "member":
                member = members[i % 4]
                member.refresh_from_db()
                services.party_member_update(user=township, member=member, status=(
                    MembershipStatus.ACTIVE if member.status != MembershipStatus.ACTIVE
                    else MembershipStatus.TRANSFERRED_OUT))
            elif op == "result" and review:
                result = MonthlyResult.objects.filter(review=review).order_by("pk")[i:i + 1].first()
                if result is not None:
                    services.monthly_result_update(user=township, result=result, rating=Rating.QUALIFIED,
                                                   excellent_reason="")
        except ValidationError:
            pass  # refused (locked, submitted, stale, not yet saved …): nothing written
    assert summaries.check_all() == []
