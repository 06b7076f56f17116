"""Demo spot-checks and requests to reopen (核查), made through checks' services as the county and a township would,
so the 核查 pages open with something on them: the county's draw of last quarter's accepted village-months (two per
township) with the first few months checked, every rating confirmed but one 优 not confirmed; and two requests of the
first township to reopen an accepted month, one declined by the county and one still waiting.

Deterministic: the draw's seed and the texts come from the demo's seed. The rows are dated on the demo's calendar
(drawn, checked, asked and decided in the days before its today) rather than at the moment of seeding.
The requests are for the township's tenth and eleventh villages: the browser journeys use the first eight."""
from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from core.demo import DEMO_SEED
from core.periods import Quarter
from members import selectors as member_selectors

from . import services
from .choices import ReopenKind, Verdict
from .models import ReopenRequest, SpotCheck, SpotCheckFinding

TZ = ZoneInfo("Asia/Shanghai")
PER_TOWNSHIP = 2
CHECKED_SAMPLES = 4  # the first months drawn are checked on the ground; the rest are still to visit
DISPUTE_NOTES = ["入户核实：该党员当月外出务工，未参加抢险，评“优”依据不足",
                 "走访群众反映：所述事迹系村集体组织，非本人带头，评“优”依据不足"]
OTHER_DISPUTE_NOTE = "入户核实：评定依据与群众反映不符，请乡镇复核"
PENDING_REASON = "本月评议结果录入时，一名党员的扣分条款选错，需退回更正后重新报送。"
DECLINED_REASON = "公示期后有群众反映一名党员当月表现突出，申请退回补评为“优”。"
DECLINED_ANSWER = "经核实，该党员当月表现已在评议会上讨论，评定无误，维持原评定；今后事迹请在公示期内提出。"


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(rng.randint(9, 17), rng.randint(0, 59)), tzinfo=TZ)


def seed(ctx):
    county, county_user = ctx.data.get("county"), ctx.data.get("county_user")
    township_users = ctx.data.get("township_users") or {}
    if ("villages" not in ctx.data or ctx.data.get("party_people") is None or county_user is None
            or SpotCheck.objects.filter(county=county).exists()):
        ctx.say("checks: the demo county was already there (or has no accounts); spot-checks left as they are.")
        return
    rng = random.Random(f"{DEMO_SEED}-checks")
    today = ctx.today
    quarter = Quarter.of(today).previous()  # the last quarter that has ended: its months are accepted by now

    check = services.spot_check_draw(user=county_user, quarter=quarter, per_township=PER_TOWNSHIP,
                                     seed=rng.randrange(10**8))
    samples = list(check.samples.select_related("review__village").order_by("position"))
    latest = max(s.review.accepted_at for s in samples).astimezone(TZ).date()
    drawn = min(max(today - dt.timedelta(days=12), latest + dt.timedelta(days=1)), today)
    SpotCheck.objects.filter(pk=check.pk).update(drawn_at=_at(drawn, rng))

    checked = samples[:CHECKED_SAMPLES]
    flagged = next((s for s in samples if s.flagged), None)
    if flagged is not None and flagged not in checked:  # the county visits a flagged village among the first
        checked = [*checked[:-1], flagged]
    disputed_in = flagged if flagged is not None else checked[0]  # its 优 is the rating not confirmed
    findings = 0
    for sample in checked:
        results = list(member_selectors.monthly_result_list(user=county_user, review=sample.review))
        doubtful, note = None, ""
        if sample is disputed_in:
            excellent = [r for r in results if r.is_excellent]
            doubtful = (excellent or results)[0].member_id
            note = rng.choice(DISPUTE_NOTES) if excellent else OTHER_DISPUTE_NOTE
        entries = [services.FindingEntry(member_id=r.member_id,
                                         verdict=Verdict.DISPUTED if r.member_id == doubtful else Verdict.CONFIRMED,
                                         note=note if r.member_id == doubtful else "")
                   for r in results]
        findings += services.spot_check_findings_record(user=county_user, sample=sample, entries=entries)
        day = min(drawn + dt.timedelta(days=rng.randint(1, 4)), today)
        SpotCheckFinding.objects.filter(sample=sample).update(checked_at=_at(day, rng))

    requests = _seed_reopen_requests(ctx, rng, quarter=quarter, county_user=county_user,
                                     township_users=township_users)
    ctx.say(f"checks: a spot-check of {quarter.label} ({len(samples)} village-months, {findings} ratings checked "
            f"in {len(checked)}), {requests} requests to reopen.")


def _seed_reopen_requests(ctx, rng, *, quarter, county_user, township_users) -> int:
    township = ctx.data["townships"][0]
    user = township_users.get(township.pk)
    villages = sorted((v for v in ctx.data["villages"] if v.township_id == township.pk), key=lambda v: v.code)
    if user is None or len(villages) < 2:
        return 0
    chosen = villages[9:11] if len(villages) >= 11 else villages[-2:]
    months = {r.village_id: r for r in member_selectors.accepted_month_list(user=user, quarter=quarter)
              .filter(village__in=chosen).order_by("village__code", "month")}  # each village's latest month
    declined_month, pending_month = months.get(chosen[0].pk), months.get(chosen[1].pk)
    if declined_month is None or pending_month is None:
        return 0
    today = ctx.today

    def asked_on(review, days_ago):
        return min(max(today - dt.timedelta(days=days_ago),
                       review.accepted_at.astimezone(TZ).date() + dt.timedelta(days=1)), today)

    # The waiting one first: the route suite (tests/e2e/test_every_route.py) opens the first request's decide page.
    pending = services.reopen_request_create(user=user, kind=ReopenKind.MONTH, period=pending_month,
                                             reason=PENDING_REASON)
    ReopenRequest.objects.filter(pk=pending.pk).update(requested_at=_at(asked_on(pending_month, 2), rng))
    declined = services.reopen_request_create(user=user, kind=ReopenKind.MONTH, period=declined_month,
                                              reason=DECLINED_REASON)
    declined = services.reopen_request_decline(user=county_user, request=declined, answer=DECLINED_ANSWER)
    asked = asked_on(declined_month, 20)
    requested_at = _at(asked, rng)
    ReopenRequest.objects.filter(pk=declined.pk).update(
        requested_at=requested_at, decided_at=requested_at + dt.timedelta(days=min(2, (today - asked).days), hours=1))
    return 2
