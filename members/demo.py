"""Demo party members, the county's basic requirements, every village's bottom lines, and a year of monthly
results: realistic rates, a few inflated villages (many 优, almost no deductions), some deductions without talks,
some months late or not yet submitted, a few warnings and dispositions."""
import datetime as dt
import random
from collections import defaultdict
from datetime import timedelta
from zoneinfo import ZoneInfo

from simple_history.utils import bulk_create_with_history

from core.demo import DEMO_SEED
from core.periods import Month
from core.workflow import ReviewStatus
from villages.models import CadrePost

from .choices import (
    DispositionKind,
    DispositionOutcome,
    MembershipKind,
    MembershipStatus,
    Rating,
    RuleCategory,
    RuleKind,
    WarningOutcome,
)
from .models import (
    BasicRequirement,
    CountyPolicy,
    Deduction,
    Disposition,
    MemberWarning,
    MonthlyResult,
    MonthlyReview,
    PartyMember,
    Rule,
    RuleSet,
)
from .summaries import members_summaries_rebuild

BATCH = 2000
TZ = ZoneInfo("Asia/Shanghai")
# Villages (by index in code order) that rate too many members 优 and deduct from almost nobody.
INFLATED_VILLAGE_INDEXES = (5, 30, 47, 71)

BASIC_REQUIREMENTS = [
    (RuleCategory.POLITICS, "不按规定参加党的组织生活和政治学习", 2),
    (RuleCategory.ORGANISATION, "无正当理由不参加支部主题党日活动", 2),
    (RuleCategory.ORGANISATION, "不按时足额交纳党费", 2),
    (RuleCategory.DUTY, "不完成党组织分配的任务", 3),
    (RuleCategory.DUTY, "在急难险重任务面前退缩", 3),
    (RuleCategory.DISCIPLINE, "参与封建迷信或赌博活动", 5),
    (RuleCategory.DISCIPLINE, "违反计划生育、土地管理等政策规定", 5),
    (RuleCategory.CONDUCT, "不孝敬父母、邻里不和造成不良影响", 3),
]
SPECIFIC = [
    (RuleCategory.DUTY, "不带头参加村道保洁和环境整治", 2),
    (RuleCategory.DUTY, "不带头落实森林防火责任", 3),
    (RuleCategory.CONDUCT, "乱搭乱建、占用村集体土地", 4),
    (RuleCategory.DUTY, "不参与联系帮扶困难群众", 2),
    (RuleCategory.CONDUCT, "在村务公开中散布不实言论", 3),
    (RuleCategory.DUTY, "不带头参加水利设施义务投工", 2),
]
EXCELLENT_REASONS = ["抗洪抢险中带头转移群众", "森林防火值守表现突出", "带领群众发展特色种植", "义务帮扶困难户",
                     "村道建设带头投工投劳", "调解邻里纠纷成效明显"]
NOTES = ["经支部核实", "群众反映属实", "本人承认", "", ""]
TALKERS = ["支部书记", "组织委员", "包村干部", "支部副书记"]


def _aware(day: dt.date, rng) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(rng.randint(8, 18), rng.randint(0, 59)), tzinfo=TZ)


def seed(ctx):
    _seed_members(ctx)
    _seed_assessments(ctx)


def _seed_members(ctx):
    plan = ctx.data.get("party_people")
    if plan is None:
        ctx.say("members: the demo county was already there; party members left as they are.")
        return
    rng = ctx.rng
    rows = []
    # Cadres stay active in the demo: a cadre who left the party would have left the post too.
    cadre_ids = set(CadrePost.objects.filter(village__township__county=ctx.data["county"], end_date__isnull=True)
                    .values_list("person_id", flat=True))
    for person, village in plan:
        age_at_joining = rng.randint(19, 40)
        joined = person.birth_date + dt.timedelta(days=365 * age_at_joining + rng.randrange(365))
        joined = min(joined, ctx.today - dt.timedelta(days=rng.randint(30, 400)))
        probationary = (ctx.today - joined).days < 365
        status = MembershipStatus.ACTIVE
        roll = rng.random()
        if person.pk in cadre_ids:
            pass  # the roll is still drawn, so the rest of the demo stays as it was
        elif roll < 0.01:
            status = MembershipStatus.TRANSFERRED_OUT
        elif roll < 0.02 and person.birth_date.year < ctx.today.year - 70:
            status = MembershipStatus.DECEASED
        rows.append(PartyMember(
            person=person, village=village, joined_date=joined,
            kind=MembershipKind.PROBATIONARY if probationary else MembershipKind.FULL, status=status,
        ))
    bulk_create_with_history(rows, PartyMember, batch_size=500)
    ctx.say(f"members: {len(rows)} party members.")


def _seed_assessments(ctx):
    if ctx.data.get("party_people") is None or "villages" not in ctx.data:
        ctx.say("members: the demo county was already there; assessments left as they are.")
        return
    rng = random.Random(f"{DEMO_SEED}-members")
    county, villages = ctx.data["county"], ctx.data["villages"]
    CountyPolicy.objects.create(county=county)
    policy = CountyPolicy.objects.get(county=county)
    requirements = bulk_create_with_history(
        [BasicRequirement(county=county, number=i, category=c, text=t, points=p)
         for i, (c, t, p) in enumerate(BASIC_REQUIREMENTS, start=1)], BasicRequirement)
    requirements = list(BasicRequirement.objects.filter(county=county).order_by("number"))

    current = Month.of(ctx.today)
    months = [current]
    while len(months) < 12:
        months.append(months[-1].previous())
    months.reverse()
    years = sorted({m.year for m in months})

    # Rule sets: one per village and year, the county's basic requirements plus 2–3 specific ones.
    rule_sets = [RuleSet(village=v, year=y, version=1,
                         adopted_date=dt.date(y, 2, 1) + timedelta(days=rng.randrange(40)), note="村党员大会通过")
                 for v in villages for y in years]
    bulk_create_with_history(rule_sets, RuleSet, batch_size=BATCH)
    rule_set_of = {(rs.village_id, rs.year): rs for rs in RuleSet.objects.filter(village__township__county=county)}
    rules = []
    for rs in rule_set_of.values():
        specs = [(RuleKind.BASIC, c, t, p, r) for r, (c, t, p) in zip(requirements, BASIC_REQUIREMENTS)]
        specs += [(RuleKind.SPECIFIC, c, t, p, None) for c, t, p in rng.sample(SPECIFIC, rng.randint(2, 3))]
        rules += [Rule(rule_set=rs, number=i, kind=k, category=c, text=t, points=p, requirement=r)
                  for i, (k, c, t, p, r) in enumerate(specs, start=1)]
    bulk_create_with_history(rules, Rule, batch_size=BATCH)
    rules_of = defaultdict(list)
    for rule in Rule.objects.filter(rule_set__village__township__county=county).order_by("number"):
        rules_of[rule.rule_set_id].append(rule)

    members_of = defaultdict(list)
    for pk, village_id, joined in (PartyMember.objects.filter(village__township__county=county,
                                                              status=MembershipStatus.ACTIVE)
                                   .order_by("pk").values_list("pk", "village_id", "joined_date")):
        members_of[village_id].append((pk, joined))

    from accounts.models import User

    township_user = {u.township_id: u for u in User.objects.filter(township__county=county, village__isnull=True)
                     .order_by("pk")}
    county_user = User.objects.filter(county=county, township__isnull=True, is_superuser=False).order_by("pk").first()

    inflated = {villages[i].pk for i in INFLATED_VILLAGE_INDEXES if i < len(villages)}
    lagging = set(rng.sample([v.pk for v in villages if v.pk not in inflated], min(8, len(villages) // 10)))

    # Reviews: accepted up to two months ago; last month submitted (a few still drafts); this month in progress.
    reviews = []
    for v in villages:
        for m in months:
            due = m.last_day + timedelta(days=policy.submission_due_days)
            age = (current.year - m.year) * 12 + current.month - m.month
            late = rng.random() < (0.25 if v.pk in lagging else 0.04)
            submitted_on = due + timedelta(days=rng.randint(1, 20)) if late else due - timedelta(days=rng.randint(0, 8))
            meeting = m.last_day - timedelta(days=rng.randint(0, 5))
            review = MonthlyReview(
                village=v, year=m.year, month=m.month, rule_set=rule_set_of[(v.pk, m.year)], due_date=due, version=1,
                meeting_date=meeting, attendance=max(5, len(members_of[v.pk]) - rng.randint(0, 8)),
                minutes=f"{m.month}月份党员底线管理评议会：通报本月评定结果，对扣分党员进行谈话教育。",
                posted_date=meeting + timedelta(days=rng.randint(1, 5)),
            )
            no_minutes = rng.random() < (0.3 if v.pk in inflated else 0.04)
            if no_minutes:
                review.minutes = ""
            if rng.random() < (0.35 if v.pk in inflated else 0.04) or age == 0:
                review.posted_date = None
            if age == 0 or (age == 1 and v.pk in lagging):
                review.status = ReviewStatus.DRAFT
                review.posted_date = None
            elif age == 1:
                review.status = ReviewStatus.SUBMITTED
                review.submitted_at = _aware(min(submitted_on, ctx.today), rng)
                review.submitted_by = township_user.get(v.township_id)
            else:
                review.status = ReviewStatus.ACCEPTED
                review.submitted_at = _aware(submitted_on, rng)
                review.accepted_at = review.submitted_at + timedelta(days=rng.randint(1, 6))
                review.submitted_by, review.accepted_by = township_user.get(v.township_id), county_user
            reviews.append(review)
    bulk_create_with_history(reviews, MonthlyReview, batch_size=BATCH)
    review_of = {(r.village_id, r.year, r.month): r
                 for r in MonthlyReview.objects.filter(village__township__county=county)}

    # Results: exact per-village counts of 优 and of deducted member-months, spread over members and months.
    results, planned = [], []  # planned: (result index, [rules])
    for v in villages:
        slots = [(pk, m) for m in months for pk, joined in members_of[v.pk] if joined <= m.last_day]
        if v.pk in inflated:
            excellent_share, deduction_rate = rng.uniform(0.25, 0.35), rng.uniform(0.0, 0.0015)
        else:
            excellent_share, deduction_rate = rng.uniform(0.02, 0.045), rng.uniform(0.014, 0.024)
        picked = rng.sample(range(len(slots)), round(len(slots) * (excellent_share + deduction_rate)))
        n_excellent = round(len(slots) * excellent_share)
        excellent_slots, deducted_slots = set(picked[:n_excellent]), set(picked[n_excellent:])
        for i, (pk, m) in enumerate(slots):
            review = review_of[(v.pk, m.year, m.month)]
            if i in excellent_slots:
                results.append(MonthlyResult(review=review, member_id=pk, rating=Rating.EXCELLENT,
                                             excellent_reason=rng.choice(EXCELLENT_REASONS)))
            elif i in deducted_slots:
                results.append(MonthlyResult(review=review, member_id=pk, rating=Rating.DEDUCTED))
                chosen = rng.sample(rules_of[review.rule_set_id], 1 if rng.random() < 0.85 else 2)
                planned.append((len(results) - 1, chosen, m))
            else:
                results.append(MonthlyResult(review=review, member_id=pk, rating=Rating.QUALIFIED))
    results = bulk_create_with_history(results, MonthlyResult, batch_size=BATCH)

    deductions = []
    points_of = defaultdict(int)
    for index, chosen, m in planned:
        result = results[index]
        for rule in chosen:
            talked = rng.random() > (0.3 if m == current else 0.07)
            talk_date = min(m.last_day, ctx.today) - timedelta(days=rng.randint(0, 6)) if talked else None
            deductions.append(Deduction(result=result, rule=rule, points=rule.points, note=rng.choice(NOTES),
                                        talk_by=rng.choice(TALKERS) if talked else "", talk_date=talk_date))
            if m.year == current.year:
                points_of[result.member_id] += rule.points
    bulk_create_with_history(deductions, Deduction, batch_size=BATCH)

    # Warnings and dispositions for the members with the most points this year.
    worst = sorted(points_of.items(), key=lambda kv: (-kv[1], kv[0]))
    warnings, dispositions = [], []
    for pk, points in worst[:12]:
        issued = ctx.today - timedelta(days=rng.randint(20, 200))
        warnings.append(MemberWarning(member_id=pk, reason=f"本年累计扣{points}分，长期不参加组织生活",
                                      issued_by="村党支部", issued_date=issued, deadline=issued + timedelta(days=90),
                                      outcome=rng.choice([WarningOutcome.PENDING, WarningOutcome.CORRECTED])))
    for pk, points in worst[:4]:
        decided = ctx.today - timedelta(days=rng.randint(10, 120))
        dispositions.append(Disposition(member_id=pk,
                                        kind=rng.choice([DispositionKind.CORRECT, DispositionKind.PERSUADE]),
                                        reason=f"告诫后仍不改正，本年累计扣{points}分", decision_date=decided,
                                        approved_by="乡镇党委", outcome=DispositionOutcome.OPEN))
    bulk_create_with_history(warnings, MemberWarning)
    bulk_create_with_history(dispositions, Disposition)
    members_summaries_rebuild()  # written in bulk above: the summaries from the raw rows, one statement per table
    names = "、".join(v.name for v in villages if v.pk in inflated)
    ctx.say(f"members: {len(rule_set_of)} rule sets, {len(reviews)} village-months, {len(results)} monthly results, "
            f"{len(deductions)} deductions; inflated villages: {names}.")
