"""Demo organisation: one county, 7 townships, 85 villages, 478 two-committee cadres (358 of them party members),
supervision groups, a few thousand party members. Deterministic; `--scale N` multiplies everything by N.
`--counties N` builds a city 强基市 of N such counties (ctx.data names each one: county_number, county_code...)."""
import datetime as dt

from simple_history.utils import bulk_create_with_history

from core.demo import person_name

from .choices import POST_COMMITTEE, Education, Post
from .idnumbers import make_id_number
from .models import CadrePost, County, Person, Region, Township, Village

COUNTY_CODE = "359901"
COUNTY_NAME = "强基县"
CITY_CODE, CITY_NAME = "359900", "强基市"
# The counties of the demo city: the first is the demo county itself.
CITY_COUNTY_NAMES = ["强基县", "青山县", "白云县", "清溪县", "石门县", "龙泉县", "金田县", "双河县", "凤岭县", "松阳县",
                     "梅溪县", "桃源县", "安平县", "永宁县", "长乐县"]
TOWNSHIP_NAMES = ["寨里镇", "东山镇", "西河乡", "南岭镇", "北溪乡", "青石镇", "白水乡"]
VILLAGE_FIRST = "上下东西南北大小新老高前后中石横"
VILLAGE_SECOND = "坪洋坑溪坂岭山口桥头塘湾洲源坊林田墩坝岗"
VILLAGES_PER_TOWNSHIP = [12, 12, 12, 12, 12, 12, 13]  # 85
SIX_CADRE_VILLAGES = 53  # 53 × 6 + 32 × 5 = 478 cadres
PARTY_CADRES = 358
EDUCATION_WEIGHTS = [
    (Education.PRIMARY, 15), (Education.JUNIOR, 40), (Education.SENIOR, 28), (Education.COLLEGE, 12),
    (Education.BACHELOR, 5),
]


class _People:
    """Builds Person rows with valid, unique ID numbers."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.area = ctx.data.get("id_area", "350799")  # the ID numbers' area code: each demo county its own
        self.rng = ctx.rng
        self.used: set[str] = set()
        self.rows: list[Person] = []

    def make(self, village, *, min_age, max_age, male_share) -> Person:
        rng = self.rng
        gender = "M" if rng.random() < male_share else "F"
        age = rng.randint(min_age, max_age)
        born = dt.date(self.ctx.today.year - age, 1, 1) + dt.timedelta(days=rng.randrange(365))
        while True:
            number = make_id_number(self.area, born, rng.randrange(100), gender)
            if number not in self.used:
                break
        self.used.add(number)
        edu = rng.choices([e for e, _ in EDUCATION_WEIGHTS], [w for _, w in EDUCATION_WEIGHTS])[0]
        person = Person(
            name=person_name(rng, gender), gender=gender, birth_date=born, id_number=number,
            phone=f"1{rng.choice('3578')}{rng.randrange(10**9):09d}", education=edu, village=village,
        )
        self.rows.append(person)
        return person


def city_county_data(number: int) -> dict:
    """What ctx.data names for the demo city's county `number` (1…): its code, name and ID-number area. The first
    is the demo county (code, name and people as in the single-county demo)."""
    name = CITY_COUNTY_NAMES[number - 1] if number <= len(CITY_COUNTY_NAMES) else f"示范{number}县"
    return {"county_number": number, "county_code": f"3599{number:02d}", "county_name": name,
            "id_area": "350799" if number == 1 else f"3599{number:02d}"}


PROVINCE_CODE, PROVINCE_NAME = "350000", "强基省"


def seed_city(*, in_province: bool = False) -> Region:
    """The demo city the counties of `seed_demo --counties` (and the benchmark tiers' county) belong to; in the
    province 强基省 if asked (the province tier)."""
    region, _ = Region.objects.get_or_create(code=CITY_CODE, defaults={"name": CITY_NAME, "level": Region.Level.CITY})
    if in_province and region.parent_id is None:
        region.parent, _ = Region.objects.get_or_create(
            code=PROVINCE_CODE, defaults={"name": PROVINCE_NAME, "level": Region.Level.PROVINCE})
        region.full_clean()
        region.save(update_fields=["parent"])
    return region


def place_in_city(county: County, *, in_province: bool = False) -> Region:
    """Put a demo county under the demo city (and the city under the province): one row each, whatever the county's
    size, so the benchmark tiers can be read by a region's account."""
    city = seed_city(in_province=in_province)
    County.objects.filter(pk=county.pk).update(region=city)
    return city


def seed(ctx):
    code, name = ctx.data.get("county_code", COUNTY_CODE), ctx.data.get("county_name", COUNTY_NAME)
    region = ctx.data.get("region")
    if County.objects.filter(code=code).exists():
        ctx.say(f"villages: the demo county {name} is already there; left as it is.")
        ctx.data["county"] = county = County.objects.get(code=code)
        if region is not None and county.region_id != region.pk:
            county.region = region
            county.save(update_fields=["region"])
        return
    rng = ctx.rng
    county = County.objects.create(code=code, name=name, region=region)
    townships, villages = [], []
    stems = [a + b for a in VILLAGE_FIRST for b in VILLAGE_SECOND]
    rng.shuffle(stems)
    for s in range(ctx.scale):
        for i, name in enumerate(TOWNSHIP_NAMES):
            index = s * len(TOWNSHIP_NAMES) + i
            t_name = name if s == 0 else f"{name[:-1]}{s + 1}{name[-1]}"
            townships.append(Township(county=county, code=f"{code}{101 + index:03d}", name=t_name))
    bulk_create_with_history(townships, Township)
    townships = list(Township.objects.filter(county=county).order_by("code"))
    for index, township in enumerate(townships):
        for j in range(VILLAGES_PER_TOWNSHIP[index % len(VILLAGES_PER_TOWNSHIP)]):
            stem = stems[len(villages) % len(stems)]
            suffix = "" if len(villages) < len(stems) else str(len(villages) // len(stems) + 1)
            villages.append(Village(township=township, code=f"{township.code}{201 + j:03d}", name=f"{stem}{suffix}村"))
    bulk_create_with_history(villages, Village)
    villages = list(Village.objects.filter(township__county=county).select_related("township").order_by("code"))

    term_start = ctx.today.year - 2
    term_end = term_start + 3
    people = _People(ctx)
    posts = []  # (person, village, post, start, end)
    party_people = []  # (person, village)
    vc_posts = []  # village-committee posts, decided party or not below

    six = set(rng.sample(range(len(villages)), SIX_CADRE_VILLAGES * ctx.scale))
    for index, village in enumerate(villages):
        elected = dt.date(term_start, 3, 1) + dt.timedelta(days=rng.randrange(45))
        branch = [Post.SECRETARY, Post.BRANCH_MEMBER] + ([Post.DEPUTY_SECRETARY] if index in six else [])
        for post in branch:
            person = people.make(village, min_age=30, max_age=58, male_share=0.85)
            posts.append((person, village, post, elected, None))
            party_people.append((person, village))
        for post in (Post.CHAIR, Post.VICE_CHAIR, Post.COMMITTEE_MEMBER):
            person = people.make(village, min_age=28, max_age=60,
                                 male_share=0.3 if post == Post.COMMITTEE_MEMBER else 0.85)
            posts.append((person, village, post, elected, None))
            vc_posts.append((person, village))
        for k in range(3):
            person = people.make(village, min_age=35, max_age=68, male_share=0.7)
            posts.append((person, village, Post.SUPERVISION_MEMBER, elected, None))
            if k == 0:
                party_people.append((person, village))
        # Some villages replaced a vice-chair during the term: the former post ended, a new one started.
        if rng.random() < 0.15:
            former = people.make(village, min_age=40, max_age=65, male_share=0.8)
            left = elected + dt.timedelta(days=rng.randint(200, 500))
            left = min(left, ctx.today - dt.timedelta(days=30))
            posts.append((former, village, Post.VICE_CHAIR, elected, left))

    # Exactly 358 (× scale) party members among the 478 (× scale) two-committee cadres.
    party_branch = sum(1 for p in posts if POST_COMMITTEE[p[2]] == "branch")
    chosen = set(rng.sample(range(len(vc_posts)), PARTY_CADRES * ctx.scale - party_branch))
    for i, (person, village) in enumerate(vc_posts):
        if i in chosen:
            party_people.append((person, village))
    # Cross-appointment 交叉任职: in some villages a party-member chair also sits on the branch committee.
    party_ids = {id(p) for p, _ in party_people}
    chairs = [(p, v, s) for p, v, post, s, e in posts if post == Post.CHAIR and id(p) in party_ids]
    for person, village, start in chairs[: 15 * ctx.scale]:
        posts.append((person, village, Post.BRANCH_MEMBER, start, None))

    # Ordinary party members of each village branch.
    for village in villages:
        for _ in range(rng.randint(25, 50)):
            person = people.make(village, min_age=20, max_age=88, male_share=0.75)
            party_people.append((person, village))

    bulk_create_with_history(people.rows, Person, batch_size=500)
    by_number = dict(Person.objects.filter(village__township__county=county).values_list("id_number", "pk"))
    for person in people.rows:
        person.pk = person.id = by_number[person.id_number]
    bulk_create_with_history(
        [
            CadrePost(person=p, village=v, post=post, committee=POST_COMMITTEE[post], term_start_year=term_start,
                      term_end_year=term_end, start_date=start, end_date=end)
            for p, v, post, start, end in posts
        ],
        CadrePost, batch_size=500,
    )
    ctx.data.update(county=county, townships=townships, villages=villages, party_people=party_people,
                    term=(term_start, term_end))
    ctx.say(f"villages: {len(townships)} townships, {len(villages)} villages, {len(people.rows)} people, "
            f"{len(posts)} posts (term {term_start}–{term_end}).")
