"""The spot-check draw, as a pure function so that anyone holding the seed can reproduce it.

The rule: the candidates are the quarter's accepted village-months, taken in a fixed order (township code, village
code, month). Each township is sampled on its own (stratified), townships in code order, from one
random.Random(seed). Within a township `per_township` village-months (all of them if fewer) are drawn one at a time
without replacement, each with probability proportional to its weight: `flagged_weight` (3 unless the county says
otherwise) for a month of a village the inflation signals flag for the quarter, 1 for any other.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from itertools import groupby

DEFAULT_FLAGGED_WEIGHT = 3


@dataclass(frozen=True)
class Candidate:
    township: str  # township code
    village: str  # village code
    month: int
    review_id: int
    village_id: int


def draw(candidates, *, flagged: set[int], seed: int, per_township: int,
         flagged_weight: int = DEFAULT_FLAGGED_WEIGHT) -> list[Candidate]:
    """The sample, in the order drawn. `flagged`: ids of the flagged villages."""
    rng = random.Random(seed)
    ordered = sorted(candidates, key=lambda c: (c.township, c.village, c.month, c.review_id))
    sample: list[Candidate] = []
    for _township, group in groupby(ordered, key=lambda c: c.township):
        pool = list(group)
        for _ in range(min(per_township, len(pool))):
            weights = [flagged_weight if c.village_id in flagged else 1 for c in pool]
            point = rng.random() * sum(weights)
            for i, weight in enumerate(weights):
                point -= weight
                if point < 0:
                    break
            sample.append(pool.pop(i))
    return sample
