import datetime as dt
import io
import random

import pytest

from accounts.roles import TOWNSHIP_STAFF
from core.demo import DemoContext
from core.workflow import ReviewStatus
from evaluations import demo
from evaluations.choices import Grade
from evaluations.models import CadreEvaluation, HandlingCase, Round, TownshipEvaluation
from tests.accounts.factories import make_user
from tests.villages.factories import CadrePostFactory, PersonFactory, TownshipFactory, VillageFactory

pytestmark = pytest.mark.django_db


def test_demo_opens_the_two_strike_case_for_the_seeded_cadre_and_no_one_else(world):
    for _i in range(2):
        CadrePostFactory(person=PersonFactory(village=world.village_a2), post="committee_member")
    township_c = TownshipFactory(county=world.county, name="丙乡")
    make_user("township_c", role=TOWNSHIP_STAFF, county=world.county, township=township_c)
    village_c = VillageFactory(township=township_c)
    for _i in range(4):
        CadrePostFactory(person=PersonFactory(village=village_c), post="committee_member")
    ctx = DemoContext(rng=random.Random(1), scale=1, today=dt.date(2026, 11, 26), stdout=io.StringIO(),
                      data={"county": world.county})

    demo.seed(ctx)

    assert set(Round.objects.values_list("year", flat=True)) == {2025, 2026}
    seeded = ctx.data["evaluations_two_strike_person_id"]
    case = HandlingCase.objects.get()
    assert case.person_id == seeded
    assert case.previous.grade == Grade.INCOMPETENT and case.evaluation.grade == Grade.INCOMPETENT
    # Others failed once (last year or this year) and have no case.
    failed_once = set(CadreEvaluation.objects.filter(grade=Grade.INCOMPETENT).exclude(person_id=seeded)
                      .values_list("person_id", flat=True))
    assert len(failed_once) == 4
    # Last year published everywhere; this year's first township published.
    assert not TownshipEvaluation.objects.filter(round__year=2025, published_at__isnull=True).exists()
    first = TownshipEvaluation.objects.filter(round__year=2026).order_by("township__code").first()
    assert first.status == ReviewStatus.ACCEPTED and first.published_at
    # Every entered result's grade follows from the round's rule.
    from evaluations.scoring import evaluate

    for r in CadreEvaluation.objects.exclude(grade="").select_related("sheet__round"):
        assert evaluate(r.sheet.round, r).grade == r.grade

    demo.seed(ctx)  # re-runnable: nothing added
    assert Round.objects.count() == 2 and HandlingCase.objects.count() == 1
