"""The county accepts or returns many quarterly pledge reviews at once from the reviews list (tests/batch.py)."""
import pytest
from django.urls import reverse

from core.workflow import ReviewStatus
from pledges import services
from pledges.models import PledgeQuarterSummary
from tests.batch import BatchReviewContract, batch_post
from tests.pledges.factories import QuarterlyReviewFactory
from tests.villages.factories import CountyFactory, TownshipFactory, VillageFactory

pytestmark = pytest.mark.django_db


def _submitted(village):
    return QuarterlyReviewFactory(village=village, status=ReviewStatus.SUBMITTED)


@pytest.fixture
def periods(world, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    villages = sorted([world.village_a, world.village_a2, world.village_b], key=lambda v: v.code)
    return [_submitted(v) for v in villages]


@pytest.fixture
def elsewhere(world):
    return _submitted(VillageFactory(township=TownshipFactory(county=CountyFactory(code="359902", name="外县"))))


@pytest.fixture
def grow(world):
    return lambda n: [_submitted(VillageFactory(township=world.township_b)) for _ in range(n)]


class TestQuarterlyReviewBatch(BatchReviewContract):
    route = "pledges:review_batch"

    @staticmethod
    def other_path(world, review):
        services.quarterly_review_accept(user=world.users["admin"], review=review)

    def list_url(self, world):
        return reverse("pledges:review_list") + "?quarter=2026Q1"


def test_accepting_keeps_the_summaries_in_step(world, periods, client_for):
    batch_post(client_for(world.users["county"]), "pledges:review_batch", [p.pk for p in periods])
    assert set(PledgeQuarterSummary.objects.filter(year=2026, quarter=1).values_list("status", flat=True)) == {
        ReviewStatus.ACCEPTED}


def test_status_filter_lists_the_chosen_status(world, periods, client_for):
    services.quarterly_review_accept(user=world.users["county"], review=periods[0])
    url = reverse("pledges:review_list") + "?quarter=2026Q1&status=accepted"
    response = client_for(world.users["county"]).get(url)
    assert [v.pk for v in response.context["villages"]] == [periods[0].village_id]
