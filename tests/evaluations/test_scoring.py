"""Totals and grades against a hand computation, for the default settings and for a county's own settings."""
from decimal import Decimal

import pytest

from evaluations.choices import Grade

from .factories import EXCELLENT, GOOD, enter, open_round

pytestmark = pytest.mark.django_db

# By hand, default round (appraisal 40% / assessment 60%, party 50% / representatives 50%,
# 德15 能15 勤15 绩30 廉25, ballots 100/80/60/0, bands 90/75/60):
#   party: (10×100 + 15×80 + 4×60 + 1×0) / 30 = 2440 / 30 = 81.333…
#   representatives: (5×100 + 12×80 + 2×60 + 1×0) / 20 = 1580 / 20 = 79.0
#   appraisal = (81.333… × 50 + 79.0 × 50) / 100 = 80.1666… → 80.17
#   assessment = (85×15 + 80×15 + 90×15 + 75×30 + 88×25) / 100 = 8275 / 100 = 82.75
#   total = (80.17 × 40 + 82.75 × 60) / 100 = (3206.8 + 4965) / 100 = 81.718 → 81.72 → 称职


def test_default_round_matches_the_hand_computation(world):
    round_ = open_round(world)
    result = enter(world, round_, world.person_a, GOOD)
    result.refresh_from_db()
    assert result.appraisal_score == Decimal("80.17")
    assert result.assessment_score == Decimal("82.75")
    assert result.total_score == Decimal("81.72")
    assert result.grade == Grade.COMPETENT
    assert round_.coefficient_for(result.grade) == Decimal("1.00")


def test_a_countys_own_weights_and_bands(world):
    # appraisal 30% / assessment 70%, party 60% / representatives 40%, 德10 能10 勤20 绩40 廉20, bands 80/70/55:
    #   appraisal = (81.333… × 60 + 79.0 × 40) / 100 = (4880 + 3160) / 100 = 80.40
    #   assessment = (85×10 + 80×10 + 90×20 + 75×40 + 88×20) / 100 = (850+800+1800+3000+1760) / 100 = 82.10
    #   total = (80.40 × 30 + 82.10 × 70) / 100 = (2412 + 5747) / 100 = 81.59 → 优秀 (≥ 80)
    round_ = open_round(world, appraisal_weight=30, assessment_weight=70, party_weight=60, representative_weight=40,
                       weight_de=10, weight_neng=10, weight_qin=20, weight_ji=40, weight_lian=20,
                       band_excellent=Decimal(80), band_competent=Decimal(70), band_basic=Decimal(55))
    result = enter(world, round_, world.person_a, GOOD)
    assert (result.appraisal_score, result.assessment_score, result.total_score) == (
        Decimal("80.40"), Decimal("82.10"), Decimal("81.59"))
    assert result.grade == Grade.EXCELLENT


def test_an_integrity_violation_caps_the_grade(world):
    round_ = open_round(world)
    result = enter(world, round_, world.person_a, {**EXCELLENT, "integrity_violation": True})
    assert result.total_score >= Decimal(90)
    assert result.grade == Grade.BASIC and result.grade_capped


def test_no_grade_until_ballots_and_all_five_scores_are_in(world):
    round_ = open_round(world)
    result = enter(world, round_, world.person_a, {**GOOD, "score_lian": None})
    assert result.appraisal_score == Decimal("80.17")
    assert result.total_score is None and result.grade == ""
