"""Rounds, entry, the township → county workflow, the lock, the cap and the two-strike cases."""
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.workflow import PeriodLocked, ReviewStatus, StaleEdit
from evaluations import services
from evaluations.choices import CaseStatus, Grade
from evaluations.models import CadreEvaluation, HandlingCase, Round, TownshipEvaluation

from .factories import EXCELLENT, FAILING, GOOD, enter, open_round, publish, result_of, sheet_of

pytestmark = pytest.mark.django_db


def test_opening_a_round_starts_a_sheet_per_township_with_every_serving_cadre(world):
    round_ = open_round(world)
    assert TownshipEvaluation.objects.filter(round=round_).count() == 2
    result = result_of(round_, world.person_a)
    assert result.village == world.village_a and result.is_party_member
    assert not result_of(round_, world.person_b).is_party_member


def test_weights_not_summing_to_100_are_refused_and_nothing_written(world):
    with pytest.raises(ValidationError) as exc:
        services.round_create(user=world.users["county"], county=world.county, year=2026,
                              weight_de=20, weight_neng=20, weight_qin=20, weight_ji=20, weight_lian=25)
    assert "德、能、勤、绩、廉的权重之和必须为100%（现为105%）" in " ".join(exc.value.messages)
    with pytest.raises(ValidationError) as exc:
        services.round_create(user=world.users["county"], county=world.county, year=2026,
                              appraisal_weight=50, assessment_weight=60)
    assert "110%" in " ".join(exc.value.messages)
    assert not Round.objects.exists()


def test_settings_are_fixed_once_the_round_opens(world):
    round_ = open_round(world)
    with pytest.raises(ValidationError, match="设置已固定"):
        services.round_update(user=world.users["county"], round_=round_, excellent_cap=50)
    round_.refresh_from_db()
    assert round_.excellent_cap == 20


def test_tallies_that_do_not_add_up_are_refused_and_nothing_written(world):
    round_ = open_round(world)
    result = result_of(round_, world.person_a)
    with pytest.raises(ValidationError) as exc:
        services.result_save(user=world.users["township_a"], result=result, expected_version=0,
                             data={**GOOD, "party_ballots": 31})
    assert "党员：各档票数合计30票，但投票数为31票" in " ".join(exc.value.messages)
    result.refresh_from_db()
    assert (result.party_ballots, result.version, result.score_de) == (0, 0, None)
    assert CadreEvaluation.history.filter(id=result.pk).count() == 1


def test_scores_out_of_range_are_refused_and_nothing_written(world):
    round_ = open_round(world)
    result = result_of(round_, world.person_a)
    with pytest.raises(ValidationError) as exc:
        services.result_save(user=world.users["township_a"], result=result, expected_version=0,
                             data={**GOOD, "score_ji": Decimal("120")})
    assert "score_ji" in exc.value.error_dict
    result.refresh_from_db()
    assert result.score_ji is None and result.version == 0


def test_a_stale_save_is_refused(world):
    round_ = open_round(world)
    enter(world, round_, world.person_a, GOOD)
    with pytest.raises(StaleEdit):
        services.result_save(user=world.users["township_a"], result=result_of(round_, world.person_a),
                             expected_version=0, data=EXCELLENT)


def test_the_township_cannot_touch_another_township(world):
    round_ = open_round(world)
    with pytest.raises(PermissionDenied):
        services.result_save(user=world.users["township_b"], result=result_of(round_, world.person_a),
                             expected_version=0, data=GOOD)
    with pytest.raises(PermissionDenied):
        services.sheet_submit(user=world.users["township_b"], sheet=sheet_of(round_, world.township_a))


def test_submit_confirm_lock_and_publish(world):
    round_ = open_round(world)
    sheet = sheet_of(round_, world.township_a)
    with pytest.raises(ValidationError, match="尚无等次"):
        services.sheet_submit(user=world.users["township_a"], sheet=sheet)
    enter(world, round_, world.person_a, GOOD)
    services.sheet_submit(user=world.users["township_a"], sheet=sheet)
    with pytest.raises(PeriodLocked, match="已报送"):
        enter(world, round_, world.person_a, EXCELLENT)
    with pytest.raises(PermissionDenied):
        services.sheet_accept(user=world.users["township_a"], sheet=sheet)
    services.sheet_accept(user=world.users["county"], sheet=sheet)
    # Changing a tally after confirmation is refused, whoever tries.
    changed = {**GOOD, "party_ballots": 31, "party_competent": 16}
    for user in ("township_a", "admin"):
        with pytest.raises(PeriodLocked, match="接收并锁定"):
            enter(world, round_, world.person_a, changed, user_key=user)
    with pytest.raises(PermissionDenied):  # the county confirms; it does not enter ballots
        enter(world, round_, world.person_a, changed, user_key="county")
    result = result_of(round_, world.person_a)
    assert result.party_ballots == 30 and result.grade == Grade.COMPETENT
    services.sheet_publish(user=world.users["county"], sheet=sheet)
    sheet.refresh_from_db()
    assert sheet.status == ReviewStatus.ACCEPTED and sheet.published_at
    with pytest.raises(ValidationError, match="已公布"):
        services.sheet_return(user=world.users["county"], sheet=sheet, reason="重新核对")


def test_a_returned_sheet_can_be_corrected_and_resubmitted(world):
    round_ = open_round(world)
    enter(world, round_, world.person_a, GOOD)
    sheet = sheet_of(round_, world.township_a)
    services.sheet_submit(user=world.users["township_a"], sheet=sheet)
    services.sheet_accept(user=world.users["county"], sheet=sheet)
    services.sheet_return(user=world.users["county"], sheet=sheet, reason="票数与记录不符")
    result = enter(world, round_, world.person_a, EXCELLENT)
    assert result.grade == Grade.EXCELLENT


def test_a_township_over_its_excellent_cap_is_told_and_cannot_submit(world):
    round_ = open_round(world, excellent_cap=50)  # one cadre in township A: 50% of 1 = 0 allowed
    enter(world, round_, world.person_a, EXCELLENT)
    sheet = sheet_of(round_, world.township_a)
    with pytest.raises(ValidationError) as exc:
        services.sheet_submit(user=world.users["township_a"], sheet=sheet)
    assert "1名干部评为优秀，但县里规定最多0名（1名的50%）" in " ".join(exc.value.messages)
    sheet.refresh_from_db()
    assert sheet.status == ReviewStatus.DRAFT


def test_two_consecutive_failing_years_open_one_case_and_only_for_that_cadre(world):
    last = open_round(world, year=2025)
    enter(world, last, world.person_a, FAILING)
    enter(world, last, world.person_b, GOOD)
    publish(world, last, world.township_a)
    publish(world, last, world.township_b)
    assert not HandlingCase.objects.exists()
    now = open_round(world, year=2026)
    enter(world, now, world.person_a, FAILING)
    enter(world, now, world.person_b, FAILING)  # fails once only: no case
    publish(world, now, world.township_a)
    publish(world, now, world.township_b)
    case = HandlingCase.objects.get()
    assert case.person == world.person_a and case.status == CaseStatus.OPEN
    assert case.previous.sheet.round == last and case.evaluation.sheet.round == now
    assert result_of(now, world.person_a).grade == Grade.INCOMPETENT


def test_a_case_is_closed_with_its_outcome(world):
    from .factories import evaluation_world

    evaluation_world(world)
    case = world.extra["case"]
    with pytest.raises(ValidationError):
        services.case_update(user=world.users["county"], case=case, status=CaseStatus.CLOSED)
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    import datetime as dt

    services.case_update(user=world.users["township_a"], case=case, status=CaseStatus.CLOSED, measure="talk",
                         measure_date=dt.date(2026, 12, 1), handled_by="组织委员", outcome="诫勉谈话后限期整改",
                         closed_on=dt.date(2026, 12, 20))
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.history.count() == 2
