"""Demo pledges: every committee's term pledge, every serving cadre's annual pledges for last year and this year,
quarterly reviews of the past quarters (some items behind, open and overdue rectifications), and archive entries
with a few gaps. Deterministic; skipped when the demo county already has pledges."""
import datetime as dt
import random

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from core.demo import DEMO_SEED
from core.periods import Quarter
from core.workflow import ReviewStatus
from villages.choices import TWO_COMMITTEES, Committee
from villages.models import CadrePost

from .choices import ArchiveCategory, ItemCategory, ItemStatus, PledgeKind, RectificationStatus, RepresentativeMeeting
from .models import ArchiveEntry, ItemReview, Pledge, PledgeItem, QuarterlyReview, Rectification, archive_upload_to

ANNUAL_ITEMS = [
    (ItemCategory.STAGE_GOAL, "硬化通组道路", "{n}公里，年底前通车"),
    (ItemCategory.STAGE_GOAL, "发展特色种植", "新增茶叶、毛竹基地{n}0亩"),
    (ItemCategory.STAGE_GOAL, "村容村貌整治", "新建垃圾池{n}个，清理沟渠"),
    (ItemCategory.STAGE_GOAL, "帮扶困难户增收", "结对帮扶{n}户"),
    (ItemCategory.STAGE_GOAL, "新农村合作医疗参合", "参合率达到9{n}%"),
    (ItemCategory.SELF_DISCIPLINE, "按时参加组织生活，遵守村规民约", ""),
    (ItemCategory.SELF_DISCIPLINE, "每月在村坐班不少于{n}0天", "坐班记录完整"),
    (ItemCategory.INTEGRITY, "不违规插手工程项目，村务财务按季公开", "每季度公开一次"),
    (ItemCategory.OTHER, "调解矛盾纠纷", "调解成功率不低于9{n}%"),
]
TERM_ITEMS = {
    Committee.BRANCH: ["建设五好村党支部", "任期内发展年轻党员{n}名", "落实党员底线管理，按月评议"],
    Committee.VILLAGE: ["任期内村集体收入翻一番", "完成村庄规划并通过审批", "落实户代表会议制度，议定事项公开"],
}
COMMENTS = {
    ItemStatus.DONE: ["已完成，群众认可", "经核实已完成", "按期完成"],
    ItemStatus.ON_TRACK: ["按计划推进", "进展正常", "已完成过半"],
    ItemStatus.BEHIND: ["进度滞后，资金未到位", "群众反映推进慢", "落实不够到位"],
    ItemStatus.NOT_STARTED: ["尚未启动", "前期准备不足"],
}
ARCHIVE_TITLES = {
    ArchiveCategory.TRAINING: ["县委党校村干部培训结业证书", "农村实用技术培训证书", "学历证书复印件"],
    ArchiveCategory.APPRAISAL: ["年度考评登记表", "民主评议汇总表"],
    ArchiveCategory.REWARD: ["优秀村干部表彰决定", "先进个人荣誉证书"],
    ArchiveCategory.OTHER: ["个人简历", "述职报告"],
    ArchiveCategory.PLEDGE: ["年度履职承诺书（签字版）"],
}
# A minimal valid PDF: what the archive would hold as a scanned document.
DEMO_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def _past_quarters(today: dt.date, years):
    current = Quarter.of(today)
    return [Quarter(y, q) for y in years for q in (1, 2, 3, 4) if Quarter(y, q) < current]


def _status(rng, quarter_index: int, quarters: int) -> str:
    """Items move towards done over the year; a few stay behind."""
    progress = (quarter_index + 1) / quarters
    r = rng.random()
    if r < 0.08:
        return ItemStatus.BEHIND
    if r < 0.08 + 0.6 * progress:
        return ItemStatus.DONE
    if r < 0.12 + 0.6 * progress and quarter_index == 0:
        return ItemStatus.NOT_STARTED
    return ItemStatus.ON_TRACK


def seed(ctx):
    county = ctx.data.get("county")
    if county is None or Pledge.objects.filter(village__township__county=county).exists():
        ctx.say("pledges: pledges already there (or no demo county); left as they are.")
        return
    rng = random.Random(f"{DEMO_SEED}-pledges")
    today = ctx.today
    this_year, last_year = today.year, today.year - 1
    term_start, term_end = ctx.data.get("term", (this_year - 2, this_year + 1))
    county_user = ctx.data.get("county_user") or User.objects.filter(username="county").first()
    admin = User.objects.filter(username="admin").first() or county_user
    township_users = ctx.data.get("township_users") or {
        u.township_id: u for u in User.objects.filter(township__county=county, village__isnull=True)}

    posts = list(
        CadrePost.objects.filter(village__township__county=county, committee__in=TWO_COMMITTEES, end_date__isnull=True)
        .select_related("village").order_by("village__code", "pk")
    )
    villages = sorted({p.village for p in posts}, key=lambda v: v.code)
    cadres = {}
    for p in posts:
        cadres.setdefault(p.person_id, p)

    # Pledges -----------------------------------------------------------------------------------------------------
    pledges = []
    for v in villages:
        assembly = dt.date(term_start, 4, 1) + dt.timedelta(days=rng.randrange(20))
        for committee in (Committee.BRANCH, Committee.VILLAGE):
            pledges.append(Pledge(village=v, kind=PledgeKind.TERM, committee=committee, year=term_start,
                                  term_end_year=term_end, party_assembly_date=assembly,
                                  representative_meeting=RepresentativeMeeting.VILLAGER,
                                  representative_meeting_date=assembly + dt.timedelta(days=3),
                                  publicly_pledged_date=assembly + dt.timedelta(days=7)))
    for person_id, post in cadres.items():
        for year in (last_year, this_year):
            assembly = dt.date(year, 1, 20) + dt.timedelta(days=rng.randrange(30))
            meeting = assembly + dt.timedelta(days=rng.randint(2, 10))
            public = meeting + dt.timedelta(days=rng.randint(1, 7))
            kind_of_meeting = rng.choice(RepresentativeMeeting.values)
            if year == this_year:
                r = rng.random()
                if r < 0.06:
                    assembly = meeting = public = None
                elif r < 0.14:
                    meeting = public = None
                elif r < 0.2:
                    public = None
            pledges.append(Pledge(village=post.village, kind=PledgeKind.ANNUAL, person_id=person_id, year=year,
                                  party_assembly_date=assembly,
                                  representative_meeting=kind_of_meeting if meeting else "",
                                  representative_meeting_date=meeting, publicly_pledged_date=public))
    bulk_create_with_history(pledges, Pledge, batch_size=500, default_user=admin)
    saved = list(Pledge.objects.filter(village__township__county=county).values_list(
        "pk", "kind", "person_id", "year", "village_id", "committee"))
    annual_ids = {(person, year): pk for pk, kind, person, year, _v, _c in saved if kind == PledgeKind.ANNUAL}
    term_ids = {(v, c): pk for pk, kind, _p, _y, v, c in saved if kind == PledgeKind.TERM}
    # This year's pledges started from last year's.
    items = []
    for (v_id, committee), pk in term_ids.items():
        for i, text in enumerate(TERM_ITEMS[committee], start=1):
            items.append(PledgeItem(pledge_id=pk, position=i,
                                    category=ItemCategory.STAGE_GOAL if i < 3 else ItemCategory.OTHER,
                                    commitment=text.format(n=rng.randint(2, 5)), due_date=dt.date(term_end, 12, 31)))
    for person_id in cadres:
        chosen = rng.sample(ANNUAL_ITEMS[:5], 2) + rng.sample(ANNUAL_ITEMS[5:], 2)
        for year in (last_year, this_year):
            for i, (cat, text, target) in enumerate(chosen, start=1):
                n = rng.randint(1, 8)
                items.append(PledgeItem(pledge_id=annual_ids[(person_id, year)], position=i, category=cat,
                                        commitment=text.format(n=n), target=target.format(n=n),
                                        due_date=dt.date(year, rng.choice([6, 9, 12]),
                                                         30 if rng.random() < .5 else 15)))
    bulk_create_with_history(items, PledgeItem, batch_size=1000, default_user=admin)
    item_rows = list(PledgeItem.objects.filter(pledge__village__township__county=county).values_list(
        "pk", "pledge__village_id", "pledge__kind", "pledge__year", "pledge__term_end_year", "pledge__person_id"))

    # Quarterly reviews -------------------------------------------------------------------------------------------
    quarters = _past_quarters(today, (last_year, this_year))

    def _at(day, days_later):
        moment = dt.datetime.combine(min(day + dt.timedelta(days=days_later), today), dt.time(10, 0))
        return timezone.make_aware(moment)

    reviews = []
    last_q = quarters[-1]
    for v in villages:
        tuser = township_users.get(v.township_id, admin)
        for q in quarters:
            meeting = min(q.last_day + dt.timedelta(days=rng.randint(5, 20)), today)
            status = ReviewStatus.ACCEPTED
            if q == last_q:
                status = rng.choice([ReviewStatus.DRAFT, ReviewStatus.SUBMITTED, ReviewStatus.SUBMITTED])
            reviews.append(QuarterlyReview(
                village=v, year=q.year, quarter=q.quarter, meeting_date=meeting,
                party_members_present=rng.randint(15, 45), representatives_present=rng.randint(10, 30),
                supervisors_present=rng.randint(2, 3), status=status,
                submitted_at=_at(meeting, 3) if status != ReviewStatus.DRAFT else None,
                submitted_by=tuser if status != ReviewStatus.DRAFT else None,
                accepted_at=_at(meeting, rng.randint(7, 20)) if status == ReviewStatus.ACCEPTED else None,
                accepted_by=county_user if status == ReviewStatus.ACCEPTED else None,
            ))
    bulk_create_with_history(reviews, QuarterlyReview, batch_size=500, default_user=admin)
    review_ids = {(v, y, q): pk for pk, v, y, q in QuarterlyReview.objects.filter(
        village__township__county=county).values_list("pk", "village_id", "year", "quarter")}

    by_village = {}
    for row in item_rows:
        by_village.setdefault(row[1], []).append(row)
    item_reviews, rectifications = [], []
    state = {}  # item → latest status (done stays done)
    for v in villages:
        for index, q in enumerate(quarters):
            q_index = q.quarter - 1
            review_id = review_ids[(v.pk, q.year, q.quarter)]
            for pk, _v, kind, year, term_end_year, person_id in by_village.get(v.pk, []):
                if kind == PledgeKind.ANNUAL and year != q.year:
                    continue
                if kind == PledgeKind.TERM and not (year <= q.year <= term_end_year):
                    continue
                previous = state.get(pk)
                status = ItemStatus.DONE if previous == ItemStatus.DONE else _status(rng, q_index, 4)
                state[pk] = status
                item_reviews.append(ItemReview(review_id=review_id, item_id=pk, status=status,
                                               comment=rng.choice(COMMENTS[status])))
                if status == ItemStatus.BEHIND and rng.random() < 0.5:
                    deadline = q.last_day + dt.timedelta(days=rng.randint(40, 90))
                    closed = deadline < today and rng.random() < 0.8
                    rectifications.append(Rectification(
                        village=v, review_id=review_id, item_id=pk, problem=rng.choice(COMMENTS[status]) + "，限期整改",
                        responsible=rng.choice(["村党支部书记", "村委会主任", "分管副主任", "包村干部"]),
                        deadline=deadline,
                        status=RectificationStatus.DONE if closed else RectificationStatus.OPEN,
                        verified_how=rng.choice(["乡镇实地查看", "村务监督小组核实", "群众代表座谈"]) if closed else "",
                        verified_on=deadline - dt.timedelta(days=rng.randint(0, 20)) if closed else None,
                    ))
    bulk_create_with_history(item_reviews, ItemReview, batch_size=2000, default_user=admin)
    bulk_create_with_history(rectifications, Rectification, batch_size=500, default_user=admin)

    # Archives: most cadres have training and appraisal material; rewards and other material are patchier ----------
    entries = []
    for person_id, post in cadres.items():
        tuser = township_users.get(post.village.township_id, admin)
        for category, share in ((ArchiveCategory.TRAINING, 0.9), (ArchiveCategory.APPRAISAL, 0.85),
                                (ArchiveCategory.REWARD, 0.35), (ArchiveCategory.OTHER, 0.7),
                                (ArchiveCategory.PLEDGE, 0.5)):
            if rng.random() >= share:
                continue
            original = rng.choice(ARCHIVE_TITLES[category]) + ".pdf"
            name = default_storage.save(archive_upload_to(None, original), ContentFile(DEMO_PDF))
            entries.append(ArchiveEntry(
                person_id=person_id, village=post.village, category=category, title=original[:-4],
                date=dt.date(rng.choice([last_year, this_year]), rng.randint(1, 11), rng.randint(1, 28)),
                file=name, original_name=original, content_type="application/pdf", size=len(DEMO_PDF),
                added_by=tuser,
            ))
    bulk_create_with_history(entries, ArchiveEntry, batch_size=500, default_user=admin)
    overdue = sum(1 for r in rectifications if r.status == RectificationStatus.OPEN and r.deadline < today)
    ctx.say(f"pledges: {len(pledges)} pledges with {len(items)} items, {len(reviews)} quarterly reviews, "
            f"{len(item_reviews)} item checks, {len(rectifications)} rectifications ({overdue} overdue), "
            f"{len(entries)} archive entries.")
