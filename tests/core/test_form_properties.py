"""The main entry forms fed arbitrary text, numbers and dates (hypothesis): the monthly grid and a cadre's
evaluation. Never a 500; a refused save writes nothing at all; an accepted one is whole."""
import datetime as dt

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from core.periods import Month
from evaluations.models import CadreEvaluation
from evaluations.services import RESULT_FIELDS
from members.models import MonthlyResult, MonthlyReview
from tests.dbstate import changed_tables, snapshot
from tests.evaluations.factories import open_round, result_of
from tests.members.factories import members_for, rule_set_with_rules

MAY = Month(2026, 5)
PROPERTY = settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])

text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
digit_text = st.text(alphabet="0123456789-+.eE ²١٢", max_size=22)
dates = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(str)
numbers = st.one_of(st.integers(min_value=-10**20, max_value=10**20).map(str), digit_text)
floats = st.floats(allow_nan=True, allow_infinity=True).map(repr)
anything = st.one_of(text, numbers, dates, floats)


# ---------------------------------------------------------------- the monthly grid

@st.composite
def grid_posts(draw, member_ids, rule_ids):
    """Half the time a well-formed grid with a few fields replaced by anything; otherwise anything at all."""
    wild = draw(st.booleans(), label="wild")
    valid_dates = st.dates(min_value=dt.date(2026, 5, 1), max_value=dt.date(2026, 6, 30)).map(str)

    def value(good, bad):
        return draw(st.one_of(bad, good) if wild else good)

    data = {"version": None if not wild else draw(st.one_of(st.just(None), numbers, text))}
    for pk in draw(st.lists(st.sampled_from(member_ids), unique=True)):
        data[f"m-{pk}"] = "1"
        data[f"rating-{pk}"] = value(st.sampled_from(["excellent", "qualified"]), text)
        data[f"reason-{pk}"] = value(st.sampled_from(["带头抢险", "扶贫帮困"]), text)
        for k in range(draw(st.integers(min_value=0, max_value=2))):
            prefix = f"d-{pk}-{k}-"
            talked = draw(st.booleans())
            data[prefix + "rule"] = value(st.sampled_from([str(r) for r in rule_ids]), st.one_of(numbers, text))
            data[prefix + "id"] = value(st.just(""), numbers)
            data[prefix + "note"] = draw(text)
            data[prefix + "talk_by"] = value(st.just("支部书记" if talked else ""), text)
            data[prefix + "talk_date"] = value(valid_dates if talked else st.just(""), st.one_of(dates, text))
    for name in ("meeting-meeting_date", "meeting-posted_date"):
        data[name] = value(st.one_of(st.just(""), valid_dates), st.one_of(dates, text))
    data["meeting-attendance"] = value(st.one_of(st.just(""), st.integers(0, 80).map(str)), numbers)
    data["meeting-minutes"] = draw(text)
    return data


@pytest.fixture
def grid_world(world, client_for):
    if "rule_set" not in world.extra:
        world.extra["rule_set"] = rule_set_with_rules(world.village_a)
        world.extra["members"] = [world.person_a.membership] + members_for(world.village_a, 2)
    return world


@pytest.mark.django_db
@PROPERTY
@given(data=st.data())
def test_grid_never_fails_and_never_writes_half(grid_world, client_for, data):
    world = grid_world
    members = world.extra["members"]
    rule_ids = list(world.extra["rule_set"].rules.values_list("pk", flat=True))
    post = data.draw(grid_posts([m.pk for m in members], rule_ids))
    review = MonthlyReview.objects.filter(village=world.village_a, year=MAY.year, month=MAY.month).first()
    version = review.version if review else 0
    if post["version"] is None:
        post["version"] = str(version)
    client = client_for(world.users["township_a"])
    before = snapshot()
    url = reverse("members:monthlyreview_grid", kwargs={"code": world.village_a.code, "month": str(MAY)})
    response = client.post(url, {k: v.replace("\x00", "") for k, v in post.items()})
    assert response.status_code in (200, 302)
    saved = response.status_code == 302 and "已保存" in client.get(url).content.decode()
    event("saved" if saved else "refused")
    if not saved:
        assert changed_tables(before, snapshot()) == []
        return
    # A save is whole: one version further, every active member rated, every deduction with its rule's points.
    review = MonthlyReview.objects.get(village=world.village_a, year=MAY.year, month=MAY.month)
    assert review.version == version + 1
    results = MonthlyResult.objects.filter(review=review)
    assert set(results.values_list("member_id", flat=True)) == {m.pk for m in members}
    for result in results.prefetch_related("deductions__rule"):
        assert (result.rating == "deducted") == bool(result.deductions.all())
        assert all(d.points == d.rule.points for d in result.deductions.all())
        assert (result.rating == "excellent") == bool(result.excellent_reason)


# ---------------------------------------------------------------- a cadre's evaluation

@pytest.fixture
def evaluation_world(world):
    if "result" not in world.extra:
        world.extra["result"] = result_of(open_round(world), world.person_a)
    return world


def _wild_value(name):
    if name.startswith(("party_", "rep_")):
        return st.one_of(st.integers(min_value=-5, max_value=60).map(str), numbers, text)
    if name.startswith("score_"):
        return st.one_of(st.decimals(min_value=-10, max_value=110, places=2).map(str), numbers, floats, text)
    if name == "integrity_violation":
        return st.sampled_from(["", "on", "off", "1"])
    return anything


@st.composite
def evaluation_posts(draw):
    """Half the time a well-formed tally and assessment with a few fields replaced by anything; otherwise anything."""
    post = {}
    for body in ("party", "rep"):
        votes = draw(st.lists(st.integers(min_value=0, max_value=15), min_size=4, max_size=4), label=body)
        post[f"{body}_ballots"] = str(sum(votes))
        for code, n in zip(("excellent", "competent", "basic", "incompetent"), votes):
            post[f"{body}_{code}"] = str(n)
    for code in ("de", "neng", "qin", "ji", "lian"):
        post[f"score_{code}"] = str(draw(st.decimals(min_value=0, max_value=100, places=1), label=code))
        post[f"comment_{code}"] = draw(text)
    post["integrity_violation"] = draw(st.sampled_from(["", "on"]))
    if draw(st.booleans(), label="wild"):
        names = draw(st.lists(st.sampled_from(RESULT_FIELDS), min_size=1, max_size=len(RESULT_FIELDS), unique=True))
        for name in names:
            post[name] = draw(_wild_value(name), label=name)
    return post


@pytest.mark.django_db
@PROPERTY
@given(data=st.data())
def test_evaluation_form_never_fails_and_never_writes_half(evaluation_world, client_for, data):
    world = evaluation_world
    result = CadreEvaluation.objects.get(pk=world.extra["result"].pk)
    post = data.draw(evaluation_posts())
    post["version"] = data.draw(st.one_of(st.just(str(result.version)), numbers), label="version")
    client = client_for(world.users["township_a"])
    before = snapshot()
    response = client.post(
        reverse("evaluations:result_edit", kwargs={"pk": result.pk}),
        {k: v.replace("\x00", "") for k, v in post.items()})
    assert response.status_code in (200, 302)
    event("saved" if response.status_code == 302 else "refused")
    if response.status_code == 200:
        assert changed_tables(before, snapshot()) == []
        return
    # What was accepted adds up: ballots equal the votes cast, scores within 0–100, the grade follows the scores.
    saved = CadreEvaluation.objects.get(pk=result.pk)
    assert saved.version == result.version + 1
    for body in ("party", "rep"):
        votes = [getattr(saved, f"{body}_{c}") for c in ("excellent", "competent", "basic", "incompetent")]
        assert all(v >= 0 for v in votes) and sum(votes) == getattr(saved, f"{body}_ballots")
    scores = [getattr(saved, f"score_{c}") for c in ("de", "neng", "qin", "ji", "lian")]
    assert all(s is None or 0 <= s <= 100 for s in scores)
    # (a rater group without ballots is left out: evaluations/scoring.py)
    assert bool(saved.grade) == ((saved.party_ballots > 0 or saved.rep_ballots > 0) and None not in scores)
