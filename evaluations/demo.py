"""Demo evaluations: last year's round published everywhere, this year's round at every stage of the workflow
(published, confirmed, submitted, returned, draft). Ballots and scores are generated per cadre towards a target grade.
Exactly one cadre fails both years in a published township, so exactly one handling case opens.
Deterministic; skipped when the demo county already has rounds."""
import random
from decimal import Decimal

from simple_history.utils import bulk_update_with_history

from accounts.models import User
from core.demo import DEMO_SEED

from . import services
from .choices import DIMENSIONS, Grade
from .models import CadreEvaluation, Round, TownshipEvaluation
from .scoring import evaluate

VOTE_SHARES = {
    Grade.EXCELLENT: (0.72, 0.24, 0.04, 0.0),
    Grade.COMPETENT: (0.30, 0.55, 0.12, 0.03),
    Grade.BASIC: (0.08, 0.42, 0.38, 0.12),
    Grade.INCOMPETENT: (0.02, 0.20, 0.38, 0.40),
}
TARGET_TOTAL = {Grade.EXCELLENT: (91, 96), Grade.COMPETENT: (77, 88), Grade.BASIC: (62, 73),
                Grade.INCOMPETENT: (40, 55)}
COMMENTS = {
    "de": ["群众基础好，作风正派", "能团结班子成员", "政治立场坚定"],
    "neng": ["带领群众致富能力较强", "协调矛盾有办法", "业务还需加强学习"],
    "qin": ["坚持坐班，服务热情", "下村入户勤", "有时不在岗"],
    "ji": ["承诺事项基本兑现", "通组道路如期完工", "产业发展进展不大"],
    "lian": ["村务财务按时公开", "无违规违纪反映", "报销手续不够规范"],
}
WEAK_COMMENTS = {"de": "群众意见较大", "neng": "工作思路不清", "qin": "长期不在村", "ji": "承诺事项大多未兑现",
                 "lian": "财务公开不及时"}


def _tally(rng, shares, ballots):
    counts = [int(ballots * s) for s in shares]
    counts[1] += ballots - sum(counts)
    # a little noise that keeps the sum
    if counts[1] > 2 and rng.random() < 0.5:
        counts[1] -= 1
        counts[rng.choice([0, 2])] += 1
    return counts


def _fill(rng, result, round_, target, *, violation=False):
    prefixes = (("party", rng.randint(18, 60)), ("rep", rng.randint(12, 40)))
    for prefix, ballots in prefixes:
        counts = _tally(rng, VOTE_SHARES[target], ballots)
        setattr(result, f"{prefix}_ballots", ballots)
        for name, n in zip(("excellent", "competent", "basic", "incompetent"), counts):
            setattr(result, f"{prefix}_{name}", n)
    result.integrity_violation = violation
    weak = target in (Grade.BASIC, Grade.INCOMPETENT)
    for code, _label in DIMENSIONS:
        setattr(result, f"comment_{code}", WEAK_COMMENTS[code] if weak and rng.random() < 0.5 else rng.choice(COMMENTS[code]))
    # Dimension scores around the level that gives the target total, nudged until the grade is the target.
    low, high = TARGET_TOTAL[target]
    goal = Decimal(rng.randint(low * 2, high * 2)) / 2
    offsets = [Decimal(rng.choice([-2, -1, 0, 1, 2])) for _d in DIMENSIONS]
    want = Grade.BASIC if violation else target
    level = goal
    for _i in range(80):
        for (code, _label), off in zip(DIMENSIONS, offsets):
            setattr(result, f"score_{code}", min(Decimal(100), max(Decimal(0), level + off)))
        outcome = evaluate(round_, result)
        if not violation and outcome.grade == target and low - 1 <= outcome.total <= high + 1:
            break
        if violation and outcome.grade == want and outcome.capped:
            break
        level += Decimal("0.5") if outcome.total < goal else Decimal("-0.5")
    services.result_compute(result)
    return result


def _targets(rng, results, allowed_excellent):
    """A grade per result: a few 'excellent' within the township's cap, mostly 'competent', some 'basic'."""
    targets = {}
    excellent = 0
    for r in results:
        x = rng.random()
        if x < 0.12 and excellent < allowed_excellent:
            targets[r.pk] = Grade.EXCELLENT
            excellent += 1
        elif x < 0.84:
            targets[r.pk] = Grade.COMPETENT
        else:
            targets[r.pk] = Grade.BASIC
    return targets


def seed(ctx):
    county = ctx.data.get("county")
    if county is None or Round.objects.filter(county=county).exists():
        ctx.say("evaluations: rounds already there (or no demo county); left as they are.")
        return
    rng = random.Random(f"{DEMO_SEED}-evaluations")
    this_year, last_year = ctx.today.year, ctx.today.year - 1
    county_user = User.objects.get(username="county")
    township_users = {u.township_id: u for u in User.objects.filter(township__county=county, village__isnull=True)}

    rounds = {}
    for year in (last_year, this_year):
        round_ = services.round_create(user=county_user, county=county, year=year)
        rounds[year] = services.round_open(user=county_user, round_=round_)

    def results_of(round_):
        return list(CadreEvaluation.objects.filter(sheet__round=round_).select_related("sheet__round")
                    .order_by("sheet__township__code", "village__code", "pk"))

    last = results_of(rounds[last_year])
    now = results_of(rounds[this_year])
    sheets_now = list(TownshipEvaluation.objects.filter(round=rounds[this_year]).select_related("township")
                      .order_by("township__code"))
    first_township = sheets_now[0].township_id
    second_township = sheets_now[1].township_id if len(sheets_now) > 1 else first_township

    # Who fails: A both years (in a township published this year) → the one handling case;
    # B and C only last year, D and E only this year.
    in_first = [r.person_id for r in now if r.sheet.township_id == first_township]
    in_second = [r.person_id for r in now if r.sheet.township_id == second_township]
    others = [r.person_id for r in now if r.sheet.township_id not in (first_township, second_township)]
    a = in_first[len(in_first) // 2]
    b, c = rng.sample([p for p in others if p != a], 2)
    d = rng.choice([p for p in in_second if p not in (a, b, c)])
    e = rng.choice([p for p in others if p not in (a, b, c, d)])
    failing = {last_year: {a, b, c}, this_year: {a, d, e}}
    ctx.data["evaluations_two_strike_person_id"] = a
    violation_person = next(p for p in in_first if p not in (a,))

    for year, results in ((last_year, last), (this_year, now)):
        round_ = rounds[year]
        by_sheet = {}
        for r in results:
            by_sheet.setdefault(r.sheet_id, []).append(r)
        for sheet_id, rows in by_sheet.items():
            allowed = len(rows) * round_.excellent_cap // 100
            targets = _targets(rng, rows, allowed)
            for i, r in enumerate(rows):
                # This year's draft township (the last one) has entered only half of its cadres so far.
                if year == this_year and r.sheet_id == sheets_now[-1].pk and i % 2 and r.person_id not in failing[year]:
                    continue
                target = Grade.INCOMPETENT if r.person_id in failing[year] else targets[r.pk]
                _fill(rng, r, round_, target, violation=(year == this_year and r.person_id == violation_person))
        bulk_update_with_history(results, CadreEvaluation, fields=services.RESULT_FIELDS + [
            "appraisal_score", "assessment_score", "total_score", "grade", "grade_capped"],
            batch_size=500, default_user=county_user)

    # Workflow: last year published everywhere; this year at every stage.
    for sheet in TownshipEvaluation.objects.filter(round=rounds[last_year]).select_related("township", "round"):
        user = township_users.get(sheet.township_id, county_user)
        services.sheet_submit(user=user, sheet=sheet)
        services.sheet_accept(user=county_user, sheet=sheet)
        services.sheet_publish(user=county_user, sheet=sheet)
    stages = ["published", "published", "published", "accepted", "submitted", "returned"]
    stages = (stages + ["draft"] * len(sheets_now))[:len(sheets_now) - 1] + ["draft"]  # the last one is a draft
    for sheet, stage in zip(sheets_now, stages):
        if stage == "draft":
            continue
        user = township_users.get(sheet.township_id, county_user)
        services.sheet_submit(user=user, sheet=sheet)
        if stage == "returned":
            services.sheet_return(user=county_user, sheet=sheet, reason="民主评议票数与会议记录不一致，请核对后重报。")
            continue
        if stage in ("accepted", "published"):
            services.sheet_accept(user=county_user, sheet=sheet)
        if stage == "published":
            services.sheet_publish(user=county_user, sheet=sheet)
    ctx.say(f"evaluations: rounds {last_year} and {this_year}, {len(now)} cadres each; one two-strike case.")
