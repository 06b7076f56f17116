"""The county confirms or returns many townships' evaluation sheets at once from the round's page
(tests/batch.py)."""
import pytest

from core.workflow import ReviewStatus
from evaluations import services
from evaluations.models import Round, TownshipEvaluation
from tests.batch import BatchReviewContract, batch_post, shown_messages
from tests.evaluations.factories import open_round, sheet_of
from tests.villages.factories import CountyFactory, TownshipFactory

pytestmark = pytest.mark.django_db


def _submit(sheets):
    TownshipEvaluation.objects.filter(pk__in=[s.pk for s in sheets]).update(status=ReviewStatus.SUBMITTED)
    return [TownshipEvaluation.objects.select_related("round", "township").get(pk=s.pk) for s in sheets]


@pytest.fixture
def round_(world, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    TownshipFactory(county=world.county, name="丙镇")
    return open_round(world)


@pytest.fixture
def periods(world, round_):
    return _submit(sorted(round_.sheets.all(), key=lambda s: s.township.code))


@pytest.fixture
def elsewhere(world):
    other = CountyFactory(code="359902", name="外县")
    TownshipFactory(county=other, name="外镇")
    round_ = services.round_open(user=world.users["admin"], round_=services.round_create(
        user=world.users["admin"], county=other, year=2026))
    return _submit(list(round_.sheets.all()))[0]


@pytest.fixture
def grow(world, round_):
    return lambda n: _submit([TownshipEvaluation.objects.create(round=round_, township=TownshipFactory(
        county=world.county)) for _ in range(n)])


class TestSheetBatch(BatchReviewContract):
    route = "evaluations:sheet_batch"
    accepted = "已确认 %d 个。"

    @staticmethod
    def other_path(world, sheet):
        services.sheet_accept(user=world.users["admin"], sheet=sheet)

    def list_url(self, world):
        return Round.objects.get(county=world.county, year=2026).get_absolute_url()


def test_a_published_sheet_is_not_returned_and_says_why(world, round_, periods, client_for):
    services.sheet_accept(user=world.users["county"], sheet=periods[0])
    services.sheet_publish(user=world.users["county"], sheet=sheet_of(round_, periods[0].township))
    response = batch_post(client_for(world.users["county"]), "evaluations:sheet_batch", [p.pk for p in periods],
                          step="return", reason="票数不符", back=round_.get_absolute_url())
    shown = shown_messages(response)
    assert f"已退回乡镇 {len(periods) - 1} 个。" in shown
    assert any(periods[0].period_label() in m and "已公布" in m for m in shown), shown
    assert response.request["PATH_INFO"] == round_.get_absolute_url()
    assert sheet_of(round_, periods[0].township).status == ReviewStatus.ACCEPTED


def test_township_filter_on_the_round_page(world, round_, periods, client_for):
    url = round_.get_absolute_url() + f"?township={world.township_b.pk}"
    response = client_for(world.users["county"]).get(url)
    assert [s.township for s in response.context["sheets"]] == [world.township_b]
    response = client_for(world.users["county"]).get(round_.get_absolute_url() + "?status=accepted")
    assert response.context["sheets"] == [] and "没有处于该状态的乡镇汇总表" in response.content.decode()
