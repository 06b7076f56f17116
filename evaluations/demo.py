"""Demo evaluations: last year's round published everywhere, this year's round at every stage of the workflow
(published, confirmed, submitted, returned, draft). Ballots and scores are generated per cadre towards a target grade.
Exactly one cadre fails both years in a published township, so exactly one handling case opens.
Deterministic; skipped when the demo county already has rounds."""
import random
from decimal import Decimal

from accounts.models import User
from core.demo import DEMO_SEED
from villages.models import Township

from . import services
from .choices import DIMENSIONS, Grade
from .models import Round, TownshipEvaluation
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
        setattr(result, f"comment_{code}",
                WEAK_COMMENTS[code] if weak and rng.random() < 0.5 else rng.choice(COMMENTS[code]))
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
    return result


def _targets(rng, people, allowed_excellent):
    """A grade per cadre: a few 'excellent' within the township's cap, mostly 'competent', some 'basic'."""
    targets = {}
    excellent = 0
    for person_id in people:
        x = rng.random()
        if x < 0.12 and excellent < allowed_excellent:
            targets[person_id] = Grade.EXCELLENT
            excellent += 1
        elif x < 0.84:
            targets[person_id] = Grade.COMPETENT
        else:
            targets[person_id] = Grade.BASIC
    return targets


def seed(ctx):
    county = ctx.data.get("county")
    if county is None or Round.objects.filter(county=county).exists():
        ctx.say("evaluations: rounds already there (or no demo county); left as they are.")
        return
    rng = random.Random(f"{DEMO_SEED}-evaluations")
    this_year, last_year = ctx.today.year, ctx.today.year - 1
    county_user = ctx.data.get("county_user") or User.objects.get(username="county")
    township_users = ctx.data.get("township_users") or {
        u.township_id: u for u in User.objects.filter(township__county=county, village__isnull=True)}
    townships = list(Township.objects.filter(county=county).order_by("code"))
    cadres = services.serving_cadres([t.pk for t in townships])  # {person: (village, township, post)}
    by_township = {t.pk: sorted(p for p, (_v, tid, _post) in cadres.items() if tid == t.pk) for t in townships}
    first, second = townships[0].pk, townships[min(1, len(townships) - 1)].pk
    draft_township = townships[-1].pk

    # Who fails: A both years (in a township published this year) → the one handling case;
    # B and C only last year, D and E only this year.
    in_first, in_second = by_township[first], by_township[second]
    others = [p for t in townships[2:] for p in by_township[t.pk]]
    a = in_first[len(in_first) // 2]
    b, c = rng.sample([p for p in others if p != a], 2)
    d = rng.choice([p for p in in_second if p not in (a, b, c)])
    e = rng.choice([p for p in others if p not in (a, b, c, d)])
    failing = {last_year: {a, b, c}, this_year: {a, d, e}}
    ctx.data["evaluations_two_strike_person_id"] = a
    violation_person = next(p for p in in_first if p != a)

    for year in (last_year, this_year):
        round_ = services.round_create(user=county_user, county=county, year=year)
        targets, skipped = {}, set()
        for t in townships:
            people = by_township[t.pk]
            allowed = len(people) * round_.excellent_cap // 100
            targets.update(_targets(rng, people, allowed))
            if year == this_year and t.pk == draft_township:
                # This year's draft township has entered only half of its cadres so far.
                skipped.update(p for i, p in enumerate(people) if i % 2 and p not in failing[year])

        def prefill(row, year=year, round_=round_, targets=targets, skipped=skipped):
            if row.person_id in skipped:
                return
            target = Grade.INCOMPETENT if row.person_id in failing[year] else targets[row.person_id]
            _fill(rng, row, round_, target, violation=(year == this_year and row.person_id == violation_person))

        services.round_open(user=county_user, round_=round_, prefill=prefill)

    # Workflow: last year published everywhere; this year at every stage.
    for sheet in TownshipEvaluation.objects.filter(round__county=county, round__year=last_year).select_related(
            "township", "round"):
        services.sheet_submit(user=township_users[sheet.township_id], sheet=sheet)
        services.sheet_accept(user=county_user, sheet=sheet)
        services.sheet_publish(user=county_user, sheet=sheet)
    sheets_now = list(TownshipEvaluation.objects.filter(round__county=county, round__year=this_year)
                      .select_related("township", "round").order_by("township__code"))
    stages = ["published", "published", "published", "accepted", "submitted", "returned"]
    stages = (stages + ["draft"] * len(sheets_now))[:len(sheets_now) - 1] + ["draft"]  # the last one is a draft
    for sheet, stage in zip(sheets_now, stages):
        if stage == "draft":
            continue
        services.sheet_submit(user=township_users[sheet.township_id], sheet=sheet)
        if stage == "returned":
            services.sheet_return(user=county_user, sheet=sheet, reason="民主评议票数与会议记录不一致，请核对后重报。")
            continue
        if stage in ("accepted", "published"):
            services.sheet_accept(user=county_user, sheet=sheet)
        if stage == "published":
            services.sheet_publish(user=county_user, sheet=sheet)
    ctx.say(f"evaluations: rounds {last_year} and {this_year}, {len(cadres)} cadres each; one two-strike case.")
