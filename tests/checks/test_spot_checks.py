"""County spot-checks: the draw (seed recorded, reproducible, flagged months marked), the checker's verdicts, and a
rating not confirmed showing on the signals page and in the spot-check report (page, workbook, PDF)."""
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import load_workbook

from checks import services
from checks.choices import Verdict
from checks.models import SpotCheck, SpotCheckFinding
from core.periods import Quarter
from tests.checks.factories import accepted_month
from tests.pdfs import assert_official_document

pytestmark = pytest.mark.django_db

Q2 = Quarter(2026, 2)
NOTE = "群众反映该党员本月未参加义务劳动"


@pytest.fixture
def months(world):
    """Accepted months of 2026 Q2: April to June for both villages of township A, May for village B."""
    out = [accepted_month(v, month=m) for v in (world.village_a, world.village_a2) for m in (4, 5, 6)]
    out.append(accepted_month(world.village_b, month=5, ratings=["excellent"]))
    return out


def _drawn(check):
    return [s.review_id for s in check.samples.order_by("position")]


def test_a_draw_with_a_given_seed_reproduces_the_same_sample(world, months):
    county = world.users["county"]
    first = services.spot_check_draw(user=county, quarter=Q2, per_township=2, seed=123456)
    again = services.spot_check_draw(user=county, quarter=Q2, per_township=2, seed=123456)

    assert _drawn(first) == _drawn(again)
    assert len(_drawn(first)) == 3  # two of township A's six months, township B's only month
    assert {s.review.village.township_id for s in first.samples.all()} == {world.township_a.pk, world.township_b.pk}
    assert SpotCheck.objects.get(pk=first.pk).seed == 123456


def test_a_draw_without_a_seed_records_the_one_it_used(world, months, client_for):
    client = client_for(world.users["county"])
    response = client.post(reverse("checks:spotcheck_add"), {"quarter": "2026Q2", "per_township": 1,
                                                             "flagged_weight": 3, "seed": ""}, follow=True)
    check = SpotCheck.objects.get()
    assert f"种子 {check.seed}" in response.content.decode()  # the list shows the seed after the draw
    again = services.spot_check_draw(user=world.users["county"], quarter=Q2, per_township=1, seed=check.seed)
    assert _drawn(again) == _drawn(check)


def test_the_months_of_flagged_villages_are_marked_and_the_flags_kept(world, months, monkeypatch):
    monkeypatch.setattr(services, "spot_check_flagged", lambda **kwargs: {world.village_a2.pk})
    check = services.spot_check_draw(user=world.users["county"], quarter=Q2, per_township=6, seed=1)

    assert check.flagged_villages == [world.village_a2.pk]
    marked = {s.review.village_id for s in check.samples.all() if s.flagged}
    assert marked == {world.village_a2.pk}


def test_only_the_county_draws(world, months):
    with pytest.raises(PermissionDenied):
        services.spot_check_draw(user=world.users["township_a"], quarter=Q2, per_township=1, seed=1)


def _sample_of_village_a(world):
    check = services.spot_check_draw(user=world.users["county"], quarter=Q2, per_township=6, seed=9)
    return check.samples.get(review__village=world.village_a, review__month=5)


def test_a_rating_not_confirmed_shows_on_the_signals_page_and_in_the_report(world, months, client_for):
    sample = _sample_of_village_a(world)
    results = list(sample.review.results.select_related("member__person").order_by("member__person__name"))
    client = client_for(world.users["county"])
    url = reverse("checks:sample_check", args=[sample.pk])
    page = client.get(url).content.decode()
    assert all(r.member.person.name in page for r in results)

    response = client.post(url, {f"verdict-{results[0].member_id}": Verdict.DISPUTED,
                                 f"note-{results[0].member_id}": NOTE,
                                 f"verdict-{results[1].member_id}": Verdict.CONFIRMED})
    assert response.status_code == 302
    assert SpotCheckFinding.objects.filter(sample=sample).count() == 2
    name = results[0].member.person.name

    signals = client.get(reverse("members:signals") + "?year=2026").content.decode()
    assert "抽查未予确认的评定" in signals and NOTE in signals and name in signals

    report = reverse("reports:report_run", args=["spot-check"]) + f"?spot_check={sample.spot_check_id}"
    html = client.get(report).content.decode()
    assert NOTE in html and str(sample.spot_check.seed) in html
    wb = load_workbook(io.BytesIO(client.get(report + "&format=xlsx").content))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row]
    assert NOTE in cells and name in cells
    text = assert_official_document(client.get(report + "&format=pdf").content)
    assert NOTE in text and name in text


def test_a_township_does_not_see_another_townships_discrepancy_on_its_signals_page(world, months, client_for):
    sample = _sample_of_village_a(world)
    member_id = sample.review.results.first().member_id
    services.spot_check_findings_record(user=world.users["county"], sample=sample, entries=[
        services.FindingEntry(member_id=member_id, verdict=Verdict.DISPUTED, note=NOTE)])

    assert NOTE in client_for(world.users["township_a"]).get(reverse("members:signals")
                                                             + "?year=2026").content.decode()
    assert NOTE not in client_for(world.users["township_b"]).get(reverse("members:signals")
                                                                 + "?year=2026").content.decode()


def test_a_dispute_needs_a_note(world, months, client_for):
    sample = _sample_of_village_a(world)
    member_id = sample.review.results.first().member_id
    response = client_for(world.users["county"]).post(reverse("checks:sample_check", args=[sample.pk]),
                                                      {f"verdict-{member_id}": Verdict.DISPUTED})
    assert response.status_code == 200
    assert "请写明核查发现的情况" in response.content.decode()
    assert not SpotCheckFinding.objects.exists()
