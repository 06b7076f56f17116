"""Evaluation test data built through the services, as the county and the township would."""
from decimal import Decimal

from evaluations import services
from evaluations.models import CadreEvaluation, HandlingCase, TownshipEvaluation

# A hand-computed result under the default settings (see test_scoring.py).
GOOD = {
    "party_ballots": 30, "party_excellent": 10, "party_competent": 15, "party_basic": 4, "party_incompetent": 1,
    "rep_ballots": 20, "rep_excellent": 5, "rep_competent": 12, "rep_basic": 2, "rep_incompetent": 1,
    "score_de": Decimal("85"), "score_neng": Decimal("80"), "score_qin": Decimal("90"), "score_ji": Decimal("75"),
    "score_lian": Decimal("88"), "comment_ji": "道路如期完工", "integrity_violation": False,
}
FAILING = {
    "party_ballots": 10, "party_excellent": 0, "party_competent": 2, "party_basic": 3, "party_incompetent": 5,
    "rep_ballots": 10, "rep_excellent": 0, "rep_competent": 1, "rep_basic": 4, "rep_incompetent": 5,
    "score_de": Decimal("50"), "score_neng": Decimal("50"), "score_qin": Decimal("40"), "score_ji": Decimal("45"),
    "score_lian": Decimal("60"), "integrity_violation": False,
}
EXCELLENT = {**GOOD, "party_excellent": 30, "party_competent": 0, "party_basic": 0, "party_incompetent": 0,
             "rep_excellent": 20, "rep_competent": 0, "rep_basic": 0, "rep_incompetent": 0,
             "score_de": Decimal("95"), "score_neng": Decimal("95"), "score_qin": Decimal("95"),
             "score_ji": Decimal("95"), "score_lian": Decimal("95")}


def open_round(world, year=2026, **settings):
    round_ = services.round_create(user=world.users["county"], county=world.county, year=year, **settings)
    return services.round_open(user=world.users["county"], round_=round_)


def sheet_of(round_, township) -> TownshipEvaluation:
    return TownshipEvaluation.objects.select_related("round", "township").get(round=round_, township=township)


def result_of(round_, person) -> CadreEvaluation:
    return CadreEvaluation.objects.select_related("sheet__round", "village").get(sheet__round=round_, person=person)


def enter(world, round_, person, data, user_key=None):
    result = result_of(round_, person)
    user = world.users[user_key or ("township_a" if result.sheet.township_id == world.township_a.pk else "township_b")]
    return services.result_save(user=user, result=result, expected_version=result.version, data=data)


def publish(world, round_, township):
    user = world.users["township_a" if township == world.township_a else "township_b"]
    sheet = sheet_of(round_, township)
    services.sheet_submit(user=user, sheet=sheet)
    services.sheet_accept(user=world.users["county"], sheet=sheet)
    return services.sheet_publish(user=world.users["county"], sheet=sheet_of(round_, township))


def evaluation_world(world):
    """Last year and this year for township A; person A failed both years, so a case is open."""
    last = open_round(world, year=2025)
    enter(world, last, world.person_a, FAILING)
    publish(world, last, world.township_a)
    now = open_round(world, year=2026)
    enter(world, now, world.person_a, FAILING)
    world.extra.update(round=now, last_round=last, sheet=sheet_of(now, world.township_a),
                       result=result_of(now, world.person_a))
    publish(world, now, world.township_a)
    world.extra["case"] = HandlingCase.objects.get(person=world.person_a)
    return world
