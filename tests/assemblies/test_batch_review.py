"""The county acknowledges or returns many townships' quarterly filings at once from the filings list
(tests/batch.py)."""
import pytest
from django.urls import reverse

from assemblies import services
from core.workflow import ReviewStatus
from tests.assemblies.factories import FilingFactory
from tests.batch import BatchReviewContract
from tests.villages.factories import CountyFactory, TownshipFactory

pytestmark = pytest.mark.django_db


def _submitted(township, quarter=4):
    return FilingFactory(township=township, quarter=quarter, status=ReviewStatus.SUBMITTED)


@pytest.fixture
def periods(world, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    townships = sorted([world.township_a, world.township_b, TownshipFactory(county=world.county, name="丙镇")],
                       key=lambda t: t.code)
    return [_submitted(t) for t in townships]


@pytest.fixture
def elsewhere(world):
    return _submitted(TownshipFactory(county=CountyFactory(code="359902", name="外县")))


@pytest.fixture
def grow(world):
    return lambda n: [_submitted(TownshipFactory(county=world.county)) for _ in range(n)]


class TestFilingBatch(BatchReviewContract):
    route = "assemblies:filing_batch"
    accepted = "已接收 %d 份报备。"

    @staticmethod
    def other_path(world, filing):
        services.filing_acknowledge(user=world.users["admin"], filing=filing)

    def list_url(self, world):
        return reverse("assemblies:filing_list")


def test_filters_by_township_status_and_quarter(world, periods, client_for):
    earlier = _submitted(world.township_a, quarter=3)
    services.filing_acknowledge(user=world.users["county"], filing=periods[1])
    client = client_for(world.users["county"])

    def listed(query):
        return {f.pk for f in client.get(reverse("assemblies:filing_list") + query).context["filings"]}

    assert listed("") == {periods[0].pk, periods[2].pk, earlier.pk}
    assert listed("?status=") == {p.pk for p in periods} | {earlier.pk}
    assert listed("?status=accepted") == {periods[1].pk}
    assert listed(f"?status=&township={world.township_a.pk}&quarter=2026Q3") == {earlier.pk}
