"""The month's life: a township enters, saves and submits; the county accepts (lock) and returns (unlock)."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.periods import Month
from core.workflow import PeriodLocked, ReviewStatus, StaleEdit
from members import services
from members.choices import Rating
from members.models import Deduction, MonthlyResult, MonthlyReview
from members.services import DeductionEntry, MeetingEntry, ResultEntry
from tests.members.factories import members_for, rule_set_with_rules

MAY = Month(2026, 5)


@pytest.fixture
def month_world(world):
    rule_set = rule_set_with_rules(world.village_a)
    members = [world.person_a.membership] + members_for(world.village_a, 3)
    return world, rule_set, members


def _save(world, user, members, rule, version=0, **kw):
    return services.monthly_grid_save(
        user=user, village=world.village_a, month=MAY, expected_version=version,
        entries=[
            ResultEntry(member_id=members[0].pk, excellent=True, excellent_reason="抗洪抢险带头"),
            ResultEntry(member_id=members[1].pk, deductions=[DeductionEntry(rule_id=rule.pk, note="无故缺席")]),
        ],
        meeting=MeetingEntry(minutes="评议会记录", **kw),
    )


def test_save_writes_every_active_member_with_defaults(month_world):
    world, rule_set, members = month_world
    rule = rule_set.rules.get(number=2)
    review = _save(world, world.users["township_a"], members, rule)
    ratings = dict(MonthlyResult.objects.filter(review=review).values_list("member_id", "rating"))
    assert ratings == {members[0].pk: Rating.EXCELLENT, members[1].pk: Rating.DEDUCTED,
                       members[2].pk: Rating.QUALIFIED, members[3].pk: Rating.QUALIFIED}
    deduction = Deduction.objects.get()
    assert deduction.points == 3 and deduction.rule == rule and deduction.talk_date is None
    assert review.version == 1 and review.minutes == "评议会记录"


def test_full_cycle_lock_and_return(month_world, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    world, rule_set, members = month_world
    rule = rule_set.rules.first()
    township, county = world.users["township_a"], world.users["county"]
    review = _save(world, township, members, rule)
    review = services.monthly_review_submit(user=township, review=review)
    assert review.status == ReviewStatus.SUBMITTED
    with pytest.raises(PeriodLocked, match="等待县委组织部"):
        _save(world, township, members, rule, version=review.version)
    review = services.monthly_review_accept(user=county, review=review)
    assert review.is_locked
    with pytest.raises(PeriodLocked, match="由县委组织部接收并锁定"):
        _save(world, township, members, rule, version=review.version)
    result = MonthlyResult.objects.get(review=review, member=members[0])
    with pytest.raises(PeriodLocked):
        services.monthly_result_update(user=world.users["admin"], result=result, rating=Rating.QUALIFIED,
                                       excellent_reason="")
    assert MonthlyResult.objects.get(pk=result.pk).rating == Rating.EXCELLENT
    with pytest.raises(ValidationError):
        services.monthly_review_return(user=county, review=review, reason="  ")
    review = services.monthly_review_return(user=county, review=review, reason="扣分未谈话")
    assert review.status == ReviewStatus.RETURNED
    review = services.monthly_grid_save(user=township, village=world.village_a, month=MAY,
                                        expected_version=review.version,
                                        entries=[ResultEntry(member_id=members[1].pk, deductions=[DeductionEntry(
                                            rule_id=rule.pk, talk_by="支部书记", talk_date=MAY.last_day,
                                            id=Deduction.objects.get().pk)])])
    assert Deduction.objects.get().talk_by == "支部书记"
    # Every step is in the audit trail, with who did it.
    steps = list(MonthlyReview.history.filter(id=review.pk).order_by("history_date")
                 .values_list("status", "history_user__username"))
    assert [s for s, _u in steps] == ["draft", "draft", "submitted", "accepted", "returned", "returned"]
    assert {u for _s, u in steps} == {"township_a", "county"}
    assert Deduction.history.filter(talk_by="支部书记", history_user=township).exists()


def test_stale_save_is_refused_and_writes_nothing(month_world, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    world, rule_set, members = month_world
    rule = rule_set.rules.first()
    township = world.users["township_a"]
    _save(world, township, members, rule)  # version 0 → 1
    with pytest.raises(StaleEdit, match="其他人"):
        services.monthly_grid_save(user=township, village=world.village_a, month=MAY, expected_version=0,
                                   entries=[ResultEntry(member_id=members[2].pk, excellent=True, excellent_reason="x")])
    assert MonthlyResult.objects.get(member=members[2]).rating == Rating.QUALIFIED


def test_only_county_accepts_and_only_township_submits(month_world):
    world, rule_set, members = month_world
    review = _save(world, world.users["township_a"], members, rule_set.rules.first())
    with pytest.raises(PermissionDenied):
        services.monthly_review_submit(user=world.users["county"], review=review)
    with pytest.raises(PermissionDenied):
        services.monthly_review_submit(user=world.users["township_b"], review=review)
    services.monthly_review_submit(user=world.users["township_a"], review=review)
    with pytest.raises(PermissionDenied):
        services.monthly_review_accept(user=world.users["township_a"], review=review)


def test_grid_errors_name_the_member_and_write_nothing(month_world):
    world, rule_set, members = month_world
    with pytest.raises(services.GridErrors) as exc:
        services.monthly_grid_save(
            user=world.users["township_a"], village=world.village_a, month=MAY, expected_version=0,
            entries=[ResultEntry(member_id=members[0].pk, excellent=True, excellent_reason=""),
                     ResultEntry(member_id=members[1].pk, excellent=True, excellent_reason="好",
                                 deductions=[DeductionEntry(rule_id=rule_set.rules.first().pk)])])
    assert members[0].pk in exc.value.by_member and members[1].pk in exc.value.by_member
    assert world.person_a.name in " ".join(exc.value.messages)
    assert not MonthlyReview.objects.exists() and not MonthlyResult.objects.exists()


def test_out_of_scope_save_is_refused(month_world):
    world, rule_set, members = month_world
    with pytest.raises(PermissionDenied):
        _save(world, world.users["township_b"], members, rule_set.rules.first())
    assert not MonthlyResult.objects.exists()


def test_rule_used_in_deductions_cannot_be_removed(month_world):
    world, rule_set, members = month_world
    rule = rule_set.rules.first()
    _save(world, world.users["township_a"], members, rule)
    with pytest.raises(ValidationError, match="new version|新版本"):
        services.rule_delete(user=world.users["township_a"], rule=rule)
    assert rule_set.rules.filter(pk=rule.pk).exists()
    new = services.rule_set_revise(user=world.users["township_a"], rule_set=rule_set, adopted_date=MAY.first_day,
                                   rules=[services.RuleSpec(category="duty", text="新底线", points=4)])
    assert new.version == 2 and new.rules.count() == 1 and rule_set.rules.count() == 3
