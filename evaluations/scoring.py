"""The round's rule turning ballots and dimension scores into a total and a grade (pure functions, no database).

- A rater group's score is the average points of its ballots:
  (优秀×p1 + 称职×p2 + 基本称职×p3 + 不称职×p4) / ballots cast.
- The appraisal score weighs the two groups by the round's group weights (a group without ballots is left out and
  the other carries the whole appraisal).
- The assessment score is Σ dimension score × dimension weight / 100.
- Each of these is rounded to 2 decimals (half up); the total = appraisal × appraisal weight + assessment ×
  assessment weight, / 100, rounded the same way.
- The grade follows the bands; an integrity violation caps it at the round's integrity grade.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .choices import DIMENSIONS, GRADE_ORDER, VOTES, Grade, RaterGroup
from .models import GROUP_PREFIX

CENT = Decimal("0.01")


def _q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Outcome:
    appraisal: Decimal | None
    assessment: Decimal | None
    total: Decimal | None
    grade: str
    capped: bool


def group_score(round_, tally: dict) -> Decimal | None:
    if not tally["ballots"]:
        return None
    points = sum(Decimal(tally[code]) * getattr(round_, f"points_{code}") for code, _label in VOTES)
    return points / Decimal(tally["ballots"])


def appraisal_score(round_, result) -> Decimal | None:
    weighted, weights = Decimal(0), 0
    for group, weight in ((RaterGroup.PARTY, round_.party_weight),
                          (RaterGroup.REPRESENTATIVES, round_.representative_weight)):
        score = group_score(round_, result.tally(group))
        if score is not None:
            weighted += score * weight
            weights += weight
    if not weights:
        return None
    return _q(weighted / weights)


def assessment_score(round_, result) -> Decimal | None:
    scores = [getattr(result, f"score_{code}") for code, _label in DIMENSIONS]
    if any(s is None for s in scores):
        return None
    total = sum(Decimal(s) * getattr(round_, f"weight_{code}") for s, (code, _label) in zip(scores, DIMENSIONS))
    return _q(total / 100)


def grade_for(round_, total: Decimal) -> str:
    if total >= round_.band_excellent:
        return Grade.EXCELLENT
    if total >= round_.band_competent:
        return Grade.COMPETENT
    if total >= round_.band_basic:
        return Grade.BASIC
    return Grade.INCOMPETENT


def evaluate(round_, result) -> Outcome:
    appraisal = appraisal_score(round_, result)
    assessment = assessment_score(round_, result)
    if appraisal is None or assessment is None:
        return Outcome(appraisal, assessment, None, "", False)
    total = _q((appraisal * round_.appraisal_weight + assessment * round_.assessment_weight) / 100)
    grade = grade_for(round_, total)
    capped = False
    if result.integrity_violation and GRADE_ORDER.index(grade) < GRADE_ORDER.index(round_.integrity_cap_grade):
        grade, capped = Grade(round_.integrity_cap_grade), True
    return Outcome(appraisal, assessment, total, str(grade.value if hasattr(grade, "value") else grade), capped)


__all__ = ["Outcome", "evaluate", "group_score", "appraisal_score", "assessment_score", "grade_for", "GROUP_PREFIX"]
