"""Demo household-representative meetings: every village gets households with representatives (and some changes),
discussion points with convenors, a few meetings a quarter with decided matters in different states and follow-up,
a few typical cases; each township gets past quarters' inspections and filings and its good-practice villages."""
import datetime as dt
import random

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core.demo import DEMO_SEED, person_name
from core.periods import Quarter
from core.workflow import ReviewStatus
from villages.idnumbers import make_id_number
from villages.models import Person

from .choices import MatterCategory, MatterStatus
from .models import (
    DiscussionPoint,
    Filing,
    FollowUp,
    Household,
    Inspection,
    Matter,
    Meeting,
    ModelVillage,
    RepresentativeChange,
    SpeakerPilot,
)
from .selectors import filing_snapshot_build, township_practice_facts

GROUP_NAMES = "一二三四五六"
CHANGE_REASONS = ["原户代表外出务工", "原户代表年老体弱", "户主变更", "原户代表迁出", "原户代表病故"]
TOPICS = [
    ("村道硬化筹资方案", MatterCategory.INFRASTRUCTURE, "村道硬化", "按每户出工出资、上级补助的办法硬化村道"),
    ("饮水工程改造", MatterCategory.INFRASTRUCTURE, "自来水管网改造", "更换老化水管，分两期实施"),
    ("集体山林承包", MatterCategory.LAND, "集体山林公开发包", "采取公开竞价方式发包，期限十年"),
    ("村级财务公开", MatterCategory.FINANCE, "上半年村级收支公开", "收支明细张榜公布，接受群众监督"),
    ("低保评议", MatterCategory.WELFARE, "低保户民主评议", "经评议确定低保对象并公示七天"),
    ("修订村规民约", MatterCategory.AFFAIRS, "修订村规民约", "增加红白喜事简办条款"),
    ("环境卫生整治", MatterCategory.AFFAIRS, "垃圾集中收集清运", "每户每年交卫生费，聘请保洁员"),
    ("集体厂房出租", MatterCategory.FINANCE, "集体闲置厂房出租", "公开招租，租金纳入村集体收入"),
    ("小型水利维修", MatterCategory.INFRASTRUCTURE, "山塘水库维修", "清淤加固，由村委会组织施工"),
    ("宅基地安排", MatterCategory.LAND, "新增宅基地安排", "按困难户优先原则安排"),
]
IMPLEMENTERS = ["村委会主任", "村支书", "村委会", "村务监督小组", "分管副主任", "各村民小组长"]
FOLLOW_NOTES = ["已召开专题会部署", "资金已筹集到位", "已开工建设", "已公示", "已签订合同"]
DONE_NOTES = ["已完工并组织户代表验收", "已全部落实并公示结果", "经村务监督小组核实已落实"]
WRITEUPS = [
    "该村通过户代表会议充分听取群众意见，{title}方案几经修改后高票通过，群众主动出工出资，"
    "工程提前完工，实现了“群众的事群众议、群众定、群众办”。",
    "围绕{title}，村里先分议事点征求意见，再提交户代表会议表决，过程公开透明，"
    "化解了多年的矛盾，成为全乡镇推广的做法。",
]


def _as_filed(snapshot: dict, quarter: Quarter) -> dict:
    """A past filing froze the register as it stood when filed, just after the quarter: later implementations
    are not in it (the demo compiles it today, so it winds the statuses back)."""
    filed_on = (quarter.last_day + dt.timedelta(days=10)).isoformat()
    for matter in snapshot["matters"]:
        if matter["implemented_on"] and matter["implemented_on"] > filed_on:
            matter["status"], matter["implemented_on"] = MatterStatus.OPEN.value, None
            matter["is_typical"], matter["typical_writeup"] = False, ""
    snapshot["totals"] = {
        "decided": len(snapshot["matters"]),
        "implemented": sum(1 for m in snapshot["matters"] if m["status"] == MatterStatus.IMPLEMENTED),
        "typical": sum(1 for m in snapshot["matters"] if m["is_typical"]),
    }
    return snapshot


def seed(ctx):
    villages = ctx.data.get("villages")
    if villages is None or Household.objects.filter(village__in=villages).exists():
        ctx.say("assemblies: demo households already there (or the county was not created in this run); "
                "left as they are.")
        return
    rng = random.Random(f"{DEMO_SEED}-assemblies")
    today = ctx.today
    townships = ctx.data["townships"]
    from accounts.models import User

    township_users = ctx.data.get("township_users") or {
        u.township_id: u for u in User.objects.filter(township__in=townships, village__isnull=True)}
    county_user = ctx.data.get("county_user") or User.objects.filter(username="county").first()

    # People (representatives), discussion points ------------------------------------------------------------
    used = set(Person.objects.filter(id_number__startswith="350798").values_list("id_number", flat=True))
    people, points, plan = [], [], []
    for village in villages:
        n = rng.randint(25, 45)
        groups = rng.randint(2, 4)
        village_points = [DiscussionPoint(village=village, name=f"{GROUP_NAMES[g]}组议事点") for g in range(groups)]
        points.extend(village_points)
        for number in range(1, n + 1):
            g = rng.randrange(groups)
            gender = "M" if rng.random() < 0.75 else "F"
            born = dt.date(today.year - rng.randint(30, 72), 1, 1) + dt.timedelta(days=rng.randrange(365))
            while True:
                id_number = make_id_number("350798", born, rng.randrange(100), gender)
                if id_number not in used:
                    break
            used.add(id_number)
            rep = Person(name=person_name(rng, gender), gender=gender, birth_date=born, id_number=id_number,
                         village=village)
            people.append(rep)
            plan.append((village, number, g, rep, village_points))
    bulk_create_with_history(people, Person, batch_size=1000)
    bulk_create_with_history(points, DiscussionPoint, batch_size=1000)

    # Households and their representatives' history -------------------------------------------------------
    households, changes, spares, convenors = [], [], [], {}
    for village, number, g, rep, village_points in plan:
        roll = rng.random()
        first_named = today - dt.timedelta(days=rng.randint(500, 900))
        household = Household(village=village, number=str(number), head_name=rep.name, group=f"{GROUP_NAMES[g]}组",
                              discussion_point=village_points[g], representative=rep)
        changes.append((household, None, rep, first_named, "首次登记户代表"))
        if roll < 0.06:
            # The representative left; the household has not named a new one yet.
            household.representative = None
            changes.append((household, rep, None, today - dt.timedelta(days=rng.randint(10, 200)),
                            "原户代表迁出，待重新推选"))
        elif roll < 0.16:
            spares.append((household, rep, village))
        households.append(household)
        convenors.setdefault(village_points[g].pk, rep)
    # Some households changed representative: the former one is kept in the history.
    new_people = []
    for household, former, village in spares:
        gender = "M" if rng.random() < 0.6 else "F"
        born = dt.date(today.year - rng.randint(25, 50), 1, 1) + dt.timedelta(days=rng.randrange(365))
        while True:
            id_number = make_id_number("350798", born, rng.randrange(100), gender)
            if id_number not in used:
                break
        used.add(id_number)
        person = Person(name=person_name(rng, gender), gender=gender, birth_date=born, id_number=id_number,
                        village=village)
        new_people.append(person)
        household.representative = person
        changes.append((household, former, person, today - dt.timedelta(days=rng.randint(5, 360)),
                        rng.choice(CHANGE_REASONS)))
    bulk_create_with_history(new_people, Person, batch_size=1000)
    bulk_create_with_history(households, Household, batch_size=1000)
    bulk_create_with_history(
        [RepresentativeChange(household=h, from_person=f, to_person=t, date=d, reason=r) for h, f, t, d, r in changes],
        RepresentativeChange, batch_size=1000,
    )
    # Convenors: most discussion points have one (a representative of that point).
    with_convenor = []
    for point in points:
        if point.pk in convenors and rng.random() < 0.85:
            point.convenor = convenors[point.pk]
            with_convenor.append(point)
    from simple_history.utils import bulk_update_with_history

    bulk_update_with_history(with_convenor, DiscussionPoint, ["convenor"], batch_size=1000)

    # Speaker pilots: two villages per township ---------------------------------------------------------------
    by_township = {}
    for village in villages:
        by_township.setdefault(village.township_id, []).append(village)
    reps_by_village = {}
    for household in households:
        if household.representative is not None:
            reps_by_village.setdefault(household.village_id, []).append(household.representative)
    pilots = []
    for township_villages in by_township.values():
        for village in rng.sample(township_villages, 2):
            pilots.append(SpeakerPilot(village=village, speaker=rng.choice(reps_by_village[village.pk]),
                                       started=dt.date(today.year - 1, rng.randint(3, 9), 1)))
    bulk_create_with_history(pilots, SpeakerPilot)

    # Meetings, matters, follow-up: this quarter and the four before --------------------------------------------
    size = {}
    point_size = {}
    for household in households:
        size[household.village_id] = size.get(household.village_id, 0) + 1
        point_size[household.discussion_point_id] = point_size.get(household.discussion_point_id, 0) + 1
    points_by_village = {}
    for point in points:
        points_by_village.setdefault(point.village_id, []).append(point)
    current = Quarter.of(today)
    quarters = [current]
    for _i in range(4):
        q = quarters[-1]
        quarters.append(Quarter(q.year - (q.quarter == 1), (q.quarter - 2) % 4 + 1))
    meetings, matter_plan = [], []
    for village in villages:
        for quarter in quarters:
            last = min(quarter.last_day, today)
            span = (last - quarter.first_day).days
            if span < 5:
                continue
            for _k in range(rng.choice([1, 1, 2])):
                point = rng.choice(points_by_village[village.pk]) if rng.random() < 0.3 else None
                expected = point_size.get(point.pk, 0) if point else size[village.pk]
                if expected < 3:
                    point, expected = None, size[village.pk]
                present = rng.randint(-(-expected * 2 // 3), expected)
                chosen = rng.sample(TOPICS, rng.randint(1, 2))
                topic = chosen[0][0]
                meeting = Meeting(village=village, discussion_point=point, topic=topic,
                                  date=quarter.first_day + dt.timedelta(days=rng.randrange(span)),
                                  households_expected=expected, households_present=present,
                                  minutes=f"应到{expected}户，实到{present}户，符合法定人数。会议就{topic}进行讨论并表决。")
                meetings.append(meeting)
                for _topic, category, title, decision in chosen:
                    matter_plan.append((meeting, category, title, decision))
    bulk_create_with_history(meetings, Meeting, batch_size=1000)
    matters, follow_ups = [], []
    for meeting, category, title, decision in matter_plan:
        present = meeting.households_present
        votes_for = rng.randint(present // 2 + 1, present)
        against = rng.randint(0, present - votes_for)
        abstain = rng.randint(0, present - votes_for - against)
        age = (today - meeting.date).days
        matter = Matter(meeting=meeting, title=title, category=category, decision=decision, votes_for=votes_for,
                        votes_against=against, votes_abstaining=abstain, implementer=rng.choice(IMPLEMENTERS))
        steps = []
        if age > 20:
            steps.append((meeting.date + dt.timedelta(days=rng.randint(5, min(age, 30))),
                          rng.choice(FOLLOW_NOTES), False))
        if age > 45 and rng.random() < (0.9 if age > 120 else 0.6):
            done = meeting.date + dt.timedelta(days=rng.randint(40, min(age, 110)))
            if steps and done < steps[0][0]:
                done = steps[0][0]
            steps.append((done, rng.choice(DONE_NOTES), True))
            matter.status, matter.implemented_on = MatterStatus.IMPLEMENTED, done
            if rng.random() < 0.04:
                matter.is_typical = True
                matter.typical_writeup = rng.choice(WRITEUPS).format(title=title)
        matters.append(matter)
        follow_ups.extend((matter, d, note, impl) for d, note, impl in steps)
    bulk_create_with_history(matters, Matter, batch_size=1000)
    bulk_create_with_history([FollowUp(matter=m, date=d, note=n, implemented=i) for m, d, n, i in follow_ups],
                             FollowUp, batch_size=1000)

    # Township practice: good-practice villages, past quarters' inspections and filings ----------------------
    model_villages = []
    for township_villages in by_township.values():
        for year in (today.year - 1, today.year):
            for village in rng.sample(township_villages, rng.choice([2, 3])):
                model_villages.append(ModelVillage(village=village, year=year,
                                                   reason="户代表会议制度坚持得好，议定事项落实到位"))
    bulk_create_with_history(model_villages, ModelVillage)
    inspections, filings = [], []
    now = timezone.now()
    for index, township in enumerate(townships):
        staff = township_users.get(township.pk)
        for age, quarter in enumerate(quarters[1:4], start=1):
            facts = township_practice_facts(township=township, quarter=quarter)
            inspections.append(Inspection(
                township=township, year=quarter.year, quarter=quarter.quarter,
                inspected_on=quarter.last_day - dt.timedelta(days=rng.randint(3, 15)),
                findings="各村户代表会议按季召开，议事记录基本完整；个别村议定事项跟踪落实不够及时，已督促整改。",
                **facts,
            ))
            filing = Filing(township=township, year=quarter.year, quarter=quarter.quarter,
                            snapshot=_as_filed(filing_snapshot_build(township=township, quarter=quarter), quarter),
                            compiled_at=now,
                            status=ReviewStatus.SUBMITTED, submitted_at=now, submitted_by=staff)
            if age > 1 or index % 2 == 0:
                filing.status, filing.accepted_at, filing.accepted_by = ReviewStatus.ACCEPTED, now, county_user
            filings.append(filing)
    bulk_create_with_history(inspections, Inspection)
    bulk_create_with_history(filings, Filing)
    ctx.say(f"assemblies: {len(households)} households, {len(changes)} representative changes, "
            f"{len(points)} discussion points, {len(meetings)} meetings, {len(matters)} decided matters, "
            f"{len(filings)} filings.")
