"""The spot-check draw (checks.sampling): reproducible from its seed, stratified by township, weighted 3:1 toward
the months of flagged villages."""
from collections import Counter

from checks.sampling import Candidate, draw


def _county(townships=2, villages=20, months=(4, 5, 6)):
    """Candidates of `townships` townships of `villages` villages each, three months each; village ids 1…"""
    out, vid = [], 0
    for t in range(townships):
        for v in range(villages):
            vid += 1
            for m in months:
                out.append(Candidate(f"T{t}", f"T{t}V{v:02d}", m, review_id=vid * 100 + m, village_id=vid))
    return out


def test_the_same_seed_draws_the_same_sample_whatever_the_order_of_the_candidates():
    candidates = _county()
    flagged = {1, 2, 3}
    first = draw(candidates, flagged=flagged, seed=20261, per_township=5)
    again = draw(list(reversed(candidates)), flagged=flagged, seed=20261, per_township=5)
    other = draw(candidates, flagged=flagged, seed=20262, per_township=5)

    assert [c.review_id for c in first] == [c.review_id for c in again]
    assert [c.review_id for c in first] != [c.review_id for c in other]


def test_each_township_is_sampled_on_its_own():
    candidates = _county(townships=3, villages=4) + [Candidate("T9", "T9V00", 5, 99999, 999)]
    sample = draw(candidates, flagged=set(), seed=7, per_township=5)

    assert Counter(c.township for c in sample) == {"T0": 5, "T1": 5, "T2": 5, "T9": 1}  # T9 has one month only
    assert len({c.review_id for c in sample}) == len(sample)  # without replacement


def test_flagged_villages_are_drawn_with_weight_three():
    """5 of 20 villages flagged: a quarter of the months. With weight 3 a first pick is flagged with probability
    3·15 / (3·15 + 45) = 1/2; over 400 fixed seeds × 2 townships × 6 picks the flagged share is about 0.48 (the pool
    empties of flagged months as they are drawn), against 0.25 without weighting."""
    candidates = _county()
    flagged = {1, 2, 3, 4, 5, 21, 22, 23, 24, 25}  # five villages of each township

    def share(weight):
        picked = [c for seed in range(400)
                  for c in draw(candidates, flagged=flagged, seed=seed, per_township=6, flagged_weight=weight)]
        return sum(c.village_id in flagged for c in picked) / len(picked)

    weighted, unweighted = share(3), share(1)
    assert 0.44 < weighted < 0.52
    assert 0.22 < unweighted < 0.28
