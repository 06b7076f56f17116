import datetime as dt
import io
import random

import pytest
from django.urls import reverse
from django.utils import timezone

from core.demo import DemoContext
from core.periods import Month
from members import demo, selectors, services
from members.models import MonthlyReview
from members.services import DeductionEntry, MeetingEntry, ResultEntry
from tests.members.factories import members_for, rule_set_with_rules
from tests.villages.factories import VillageFactory


def test_demo_flags_name_the_inflated_villages_and_no_others(world, monkeypatch):
    """The demo's own generator on a smaller county: 24 villages of 25 members, two of them inflated."""
    villages = [world.village_a, world.village_a2, world.village_b] + [
        VillageFactory(township=world.township_a if i % 2 else world.township_b) for i in range(21)]
    for v in villages:
        members_for(v, 25 if v != world.village_a else 24)
    monkeypatch.setattr(demo, "INFLATED_VILLAGE_INDEXES", (4, 17))
    ctx = DemoContext(rng=random.Random(1), scale=1, today=dt.date(2026, 11, 26), stdout=io.StringIO(),
                      data={"county": world.county, "villages": villages, "party_people": []})
    demo._seed_assessments(ctx)
    result = selectors.village_flag_list(user=world.users["county"], year=2026)
    flagged = {f.village.pk for f in result["flags"]}
    assert flagged == {villages[4].pk, villages[17].pk}
    reasons = " ".join(r for f in result["flags"] for r in f.reasons)
    assert "z =" in reasons
    # The township sees only its own villages' flags, judged against the whole county.
    township_flags = selectors.village_flag_list(user=world.users["township_a"], year=2026)["flags"]
    assert {f.village.pk for f in township_flags} == {v.pk for v in (villages[4], villages[17])
                                                       if v.township_id == world.township_a.pk}
    # Some deductions without talks and some months not submitted are in the demo too.
    totals = selectors.period_totals(user=world.users["county"], year=2026)
    assert totals["deductions_without_talk"] > 0 and totals["months_not_submitted"] > 0


def test_village_figures_are_counted_in_the_database(world):
    rule_set = rule_set_with_rules(world.village_a)
    members = [world.person_a.membership] + members_for(world.village_a, 3)
    township = world.users["township_a"]
    rule = rule_set.rules.first()
    # March: one 优, one deduction without a talk, minutes and posting; submitted late.
    march = services.monthly_grid_save(
        user=township, village=world.village_a, month=Month(2026, 3), expected_version=0,
        entries=[ResultEntry(member_id=members[0].pk, excellent=True, excellent_reason="好"),
                 ResultEntry(member_id=members[1].pk, deductions=[DeductionEntry(rule_id=rule.pk)])],
        meeting=MeetingEntry(minutes="记录", meeting_date=dt.date(2026, 3, 30), posted_date=dt.date(2026, 3, 31)))
    services.monthly_review_submit(user=township, review=march)
    MonthlyReview.objects.filter(pk=march.pk).update(submitted_at=timezone.make_aware(dt.datetime(2026, 4, 25, 9)))
    # April: nothing deducted, no minutes, not posted, not submitted (its due date is past).
    services.monthly_grid_save(user=township, village=world.village_a, month=Month(2026, 4), expected_version=0,
                               entries=[])
    v = selectors.village_period_stats(user=township, year=2026).get(pk=world.village_a.pk)
    assert (v.result_count, v.excellent_count, v.deducted_count, v.deduction_points) == (8, 1, 1, rule.points)
    assert v.excellent_share == pytest.approx(1 / 8) and v.deduction_rate == pytest.approx(1 / 8)
    assert (v.months_recorded, v.months_without_deduction, v.deductions_without_talk) == (2, 1, 1)
    assert (v.months_without_minutes, v.months_without_posting) == (1, 1)
    assert (v.late_submissions, v.months_not_submitted) == (2, 1)
    # Village B is outside township A's scope.
    assert not selectors.village_period_stats(user=township, year=2026).filter(pk=world.village_b.pk).exists()


def test_signals_page_shows_the_reason(world, client_for, monkeypatch):
    villages = [world.village_a, world.village_a2, world.village_b] + [
        VillageFactory(township=world.township_b) for i in range(9)]
    for v in villages:
        members_for(v, 25)
    monkeypatch.setattr(demo, "INFLATED_VILLAGE_INDEXES", (0,))
    ctx = DemoContext(rng=random.Random(3), scale=1, today=dt.date(2026, 11, 26), stdout=io.StringIO(),
                      data={"county": world.county, "villages": villages, "party_people": []})
    demo._seed_assessments(ctx)
    content = client_for(world.users["township_a"]).get(reverse("members:signals") + "?year=2026").content.decode()
    assert world.village_a.name in content and "z =" in content
    assert villages[5].name not in content  # another township's village
    # Each village, flagged or not, is a link to its page (which links to its months, pledges, households …).
    village_page = reverse("villages:village_detail", kwargs={"code": world.village_a.code})
    assert content.count(f'<a href="{village_page}">{world.village_a.name}</a>') == 2  # flagged list and table


@pytest.mark.parametrize("villages", [2, 12])
def test_overview_and_signals_query_counts_do_not_grow(world, client_for, villages, django_assert_max_num_queries,
                                                      monkeypatch):
    extra = [VillageFactory(township=world.township_a) for _ in range(villages)]
    for v in extra:
        members_for(v, 25)
    monkeypatch.setattr(demo, "INFLATED_VILLAGE_INDEXES", (0,))
    ctx = DemoContext(rng=random.Random(5), scale=1, today=dt.date(2026, 11, 26), stdout=io.StringIO(),
                      data={"county": world.county, "villages": extra, "party_people": []})
    demo._seed_assessments(ctx)
    client = client_for(world.users["county"])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("members:monthlyreview_list") + "?month=2026-10").status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(reverse("members:signals") + "?year=2026").status_code == 200


def test_a_county_user_sees_no_county_choice_and_no_stray_label(world, client_for):
    """The county field is for region users; for everyone else it is a hidden input, never a bare 县 label."""
    content = client_for(world.users["county"]).get(reverse("members:signals") + "?year=2026").content.decode()
    assert 'type="hidden" name="county"' in content
    assert "<label>县 " not in content and "<label>县<" not in content
