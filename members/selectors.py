"""Reads of the bottom-line assessment, narrowed to the user's scope.

Selectors other apps use (evaluations, reports):
- member_year_totals(user=, year=, village=None): party members annotated with excellent_months, deducted_months,
  deduction_points, talks_missing, warning_count, disposition_count for the year.
- village_period_stats(user=, year=, month_from=1, month_to=12): villages annotated with the period's member_count,
  result_count, excellent_count, deducted_count, deduction_points, excellent_share, deduction_rate, months_recorded,
  months_without_deduction, deductions_without_talk, months_without_minutes, months_without_posting,
  late_submissions, months_not_submitted.
- period_totals(user=, year=, ...): the same figures summed over the user's scope (one row).
- period_figures(user=, year=, ..., by="township"|"village", township=None): the figures per township or village.
- village_flag_list(user=, year=, ...): the inflation signals, with the rule and the reason for each flag
  (village_flag_marks: without building villages; village_flag_page: with one page of villages).
All of these read the summary tables (members/summaries.py), never the member-months themselves.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core import signing
from django.db.models import Count, F, FilteredRelation, FloatField, Max, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Cast, Coalesce, NullIf
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from core.periods import Month, is_past_due
from core.queries import subquery_count, subquery_sum
from core.scope import unit_in_scope
from core.workflow import ReviewStatus, next_waiting
from villages.models import County, Village
from villages.selectors import village_neighbours

from .choices import MembershipStatus, ObjectionStatus, Rating, WarningOutcome
from .models import (
    BasicRequirement,
    CountyPolicy,
    Deduction,
    Disposition,
    MemberWarning,
    MonthlyResult,
    MonthlyReview,
    NoticeObjection,
    PartyMember,
    Rule,
    RuleSet,
    VillageMemberSummary,
    VillageMonthSummary,
)

# ---------------------------------------------------------------- party members

def party_member_list(*, user, village=None) -> QuerySet[PartyMember]:
    qs = PartyMember.objects.for_user(user).select_related("person", "village__township")
    if village is not None:
        qs = qs.filter(village=village)
    return qs


def village_party_member_list(*, user, village) -> QuerySet[PartyMember]:
    """A village's party members by name, then id so that the pages of the list are stable (the village page,
    through core.hooks.village_party_members)."""
    return party_member_list(user=user, village=village).order_by("person__name", "pk")


def active_members() -> QuerySet[PartyMember]:
    """Every active membership, unscoped: villages counts them per village and township (core.hooks)."""
    return PartyMember.objects.filter(status=MembershipStatus.ACTIVE)


def active_member_counts(*, villages: QuerySet[Village], by: str = "village__township") -> dict[int, int]:
    """Active party members per township (by="village__township") or village (by="village") of `villages`, from the
    kept per-village counts (VillageMemberSummary): one grouped query, whatever the number of memberships."""
    rows = (VillageMemberSummary.objects.filter(village__in=villages).order_by().values_list(by)
            .annotate(n=Sum("active_members")))
    return dict(rows)


def active_member_ids_in_county(*, county_id: int) -> set[int]:
    """The person ids of the county's active party members (evaluations' sheets mark them)."""
    return set(active_members().filter(village__township__county_id=county_id).values_list("person_id", flat=True))


def _get(qs, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404(_("Not found in your area."))


def _party_member_by_pk(*, user, pk):
    return _get(party_member_list(user=user), pk)


def _ratio(numerator: str, denominator: str):
    return Cast(F(numerator), FloatField()) / NullIf(Cast(F(denominator), FloatField()), 0.0)


def county_of(user) -> County | None:
    """The user's county: the account's own (every account below the county carries its county too, see
    accounts.models.User.clean), read through the account's cached relation; otherwise the first in scope."""
    if getattr(user, "county_id", None):
        return user.county
    from villages.selectors import county_list

    return county_list(user=user).order_by("pk").first()


def county_policy_get(*, user) -> CountyPolicy | None:
    from .services import county_policy_for

    county = county_of(user)
    return county_policy_for(county) if county else None


# ---------------------------------------------------------------- rule sets

def rule_set_list(*, user, year: int | None = None) -> QuerySet[RuleSet]:
    qs = RuleSet.objects.for_user(user).select_related("village__township").annotate(
        rule_count=subquery_count(Rule.objects.filter(rule_set=OuterRef("pk")), "rule_set"))
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("village__code", "-year", "-version")


def rule_set_get(*, user, pk) -> RuleSet:
    qs = RuleSet.objects.for_user(user).select_related("village__township").prefetch_related(
        Prefetch("rules", queryset=Rule.objects.annotate(used=Count("deductions")).order_by("number")))
    return _get(qs, pk)


def basic_requirement_list(*, user) -> QuerySet[BasicRequirement]:
    county = county_of(user)
    return BasicRequirement.objects.filter(county=county).order_by("number")


# ---------------------------------------------------------------- months

def monthly_review_list(*, user, month: Month, township=None, status: str = "") -> QuerySet[Village]:
    """Villages in scope with their month (if any), for the month's overview, read from the summaries (one row
    per village, no aggregation). status: a review status, or "missing" for villages without the month."""
    month_row = FilteredRelation("month_summaries", condition=Q(month_summaries__year=month.year,
                                                                month_summaries__month=month.month))
    qs = (
        Village.objects.for_user(user).select_related("township")
        .annotate(m=month_row)
        .annotate(
            member_count=Coalesce(F("member_summary__active_members"), 0),
            review_id=F("m__review_id"),
            review_status=F("m__status"),
            review_due=F("m__due_date"),
            excellent_count=Coalesce(F("m__excellent_count"), 0),
            deducted_count=Coalesce(F("m__deducted_count"), 0),
            open_talks=Coalesce(F("m__deductions_without_talk"), 0),
        )
        .order_by("code")
    )
    if township is not None:
        qs = qs.filter(township=township)
    # On the annotations, not on m__…: a filter through the FilteredRelation joins the summaries a second time.
    if status == "missing":
        qs = qs.filter(review_id__isnull=True)
    elif status:
        qs = qs.filter(review_status=status)
    return qs


def monthly_review_figures(*, user, month: Month, township=None, status: str = "") -> dict:
    """The month overview's head and foot, in one grouped query over the summaries (a row per status, so the sums
    are few and cheap to build): how many villages of the area (the township filter applied) are in each status
    ("missing": not started), and the totals of the listed villages (the status filter applied too): villages,
    active members, 优, deducted, deductions without a talk."""
    groups = (monthly_review_list(user=user, month=month, township=township).order_by().values("review_status")
              .annotate(n=Count("id"), members=Sum("member_count"), excellent=Sum("excellent_count"),
                        deducted=Sum("deducted_count"), without_talk=Sum("open_talks")))
    by_status = {row["review_status"] or "missing": row for row in groups}
    figures = {code: by_status.get(code, {}).get("n", 0) for code in [*ReviewStatus.values, "missing"]}
    figures["all"] = sum(figures.values())
    listed = [row for code, row in by_status.items() if not status or code == status]
    figures["villages"] = sum(row["n"] for row in listed)
    for key in ("members", "excellent", "deducted", "without_talk"):
        figures[key] = sum(row[key] or 0 for row in listed)
    return figures


def monthly_review_waiting_month(*, user) -> Month | None:
    """The month a reviewer opens the overview on: the one with the most months submitted and waiting (the latest
    of equals), else the latest month anything was submitted in; None when nothing was ever submitted."""
    scoped = MonthlyReview.objects.for_user(user).order_by()
    row = (scoped.filter(status=ReviewStatus.SUBMITTED).values("year", "month").annotate(n=Count("id"))
           .order_by("-n", "-year", "-month").first())
    if row is None:
        row = (scoped.filter(submitted_at__isnull=False).values("year", "month").order_by("-year", "-month")
               .first())
    return Month(row["year"], row["month"]) if row else None


def monthly_review_batch(*, user, ids) -> QuerySet[MonthlyReview]:
    """The months of these ids in the user's scope (a batch accept or return), by village code."""
    return (MonthlyReview.objects.for_user(user).filter(pk__in=ids).select_related("village__township")
            .order_by("village__code"))


def monthly_review_next_waiting(*, user, village: Village, month: Month) -> Village | None:
    """The next village (by code) in the user's scope whose same month is submitted and waits for the county."""
    review = next_waiting(MonthlyReview.objects.for_user(user).filter(year=month.year, month=month.month)
                          .select_related("village"), order_by="village__code", after=village.code)
    return review.village if review else None


def monthly_review_find(*, user, village: Village, month: Month) -> MonthlyReview | None:
    return (MonthlyReview.objects.for_user(user)
            .select_related("village__township", "rule_set", "submitted_by", "accepted_by", "returned_by")
            .filter(village=village, year=month.year, month=month.month).first())


def monthly_review_get(*, user, pk) -> MonthlyReview:
    return _get(MonthlyReview.objects.for_user(user).select_related("village__township", "rule_set"), pk)


def accepted_month_list(*, user, quarter) -> QuerySet[MonthlyReview]:
    """The accepted (locked) village-months of a quarter in the user's scope, by township and village code and
    month: the candidates of a county spot-check."""
    return (MonthlyReview.objects.for_user(user)
            .filter(status=ReviewStatus.ACCEPTED, year=quarter.year, month__in=[m.month for m in quarter.months])
            .select_related("village__township").order_by("village__township__code", "village__code", "month"))


def monthly_result_list(*, user, review: MonthlyReview) -> QuerySet[MonthlyResult]:
    """A month's results (one per member) in the user's scope, by member name."""
    return (MonthlyResult.objects.for_user(user).filter(review=review).select_related("member__person")
            .order_by("member__person__name", "pk"))


def current_rule_set(*, village: Village, year: int) -> RuleSet | None:
    return RuleSet.objects.filter(village=village, year=year).order_by("-version").first()


@dataclass
class GridRow:
    member: PartyMember
    result: MonthlyResult | None
    deductions: list
    ytd_points: int
    ytd_excellent: int
    recent: list  # [(Month, rating, points)] oldest first


RECENT_MONTHS = 3


def month_grid(*, user, village: Village, month: Month, review: MonthlyReview | None) -> dict:
    """Everything the month's grid shows, in a fixed number of queries whatever the member count."""
    rule_set = review.rule_set if review else current_rule_set(village=village, year=month.year)
    rules = list(rule_set.rules.order_by("number")) if rule_set else []
    year_before = Q(review__year=month.year, review__month__lt=month.month)
    members_qs = PartyMember.objects.filter(village=village).select_related("person")
    if review is not None:
        # Members no longer active keep their row for a month they have a result in. A subquery, not a join on
        # results + DISTINCT: the join yields one row per member *and month of history*, each computing the
        # year-to-date subqueries below before DISTINCT folds them, so the page slowed down month after month.
        members_qs = members_qs.filter(Q(status=MembershipStatus.ACTIVE)
                                       | Q(pk__in=MonthlyResult.objects.filter(review=review).values("member_id")))
    else:
        members_qs = members_qs.filter(status=MembershipStatus.ACTIVE)
    members = list(members_qs.annotate(
        ytd_points=subquery_sum(Deduction.objects.filter(
            result__member=OuterRef("pk"), result__review__year=month.year, result__review__month__lt=month.month),
            "result__member", "points"),
        ytd_excellent=subquery_count(MonthlyResult.objects.filter(
            year_before, member=OuterRef("pk"), rating=Rating.EXCELLENT), "member"),
    ).order_by("person__name", "pk"))

    results = {}
    if review is not None:
        deductions = Deduction.objects.select_related("rule").order_by("rule__number", "pk")
        for r in review.results.prefetch_related(Prefetch("deductions", queryset=deductions)):
            results[r.member_id] = r

    months = []
    m = month
    for _i in range(RECENT_MONTHS):
        m = m.previous()
        months.append(m)
    months.reverse()
    recent_q = Q()
    for m in months:
        recent_q |= Q(review__year=m.year, review__month=m.month)
    recent: dict[int, dict[Month, tuple]] = {}
    for row in (MonthlyResult.objects.filter(recent_q, review__village=village)
                .values("member_id", "review__year", "review__month", "rating")
                .annotate(points=Coalesce(Sum("deductions__points"), 0))):
        recent.setdefault(row["member_id"], {})[Month(row["review__year"], row["review__month"])] = (
            row["rating"], row["points"])

    rows = []
    for member in members:
        result = results.get(member.pk)
        per_month = recent.get(member.pk, {})
        rows.append(GridRow(
            member=member, result=result, deductions=list(result.deductions.all()) if result else [],
            ytd_points=member.ytd_points, ytd_excellent=member.ytd_excellent,
            recent=[(m, *per_month.get(m, (None, 0))) for m in months],
        ))
    return {"rule_set": rule_set, "rules": rules, "rows": rows, "recent_months": months}


USUAL_REASONS = 9  # picked on the grid by one digit


def excellent_reason_usual(*, user, village: Village, month: Month, limit: int = USUAL_REASONS) -> list[str]:
    """The village's most frequent 优 reasons in the twelve months before `month` (most used first, then by the
    latest use), which the grid offers by number: the earlier months are settled, so the numbering a clerk sees
    is still the one the save reads."""
    start = month
    for _i in range(12):
        start = start.previous()
    earlier = (Q(review__year__gt=start.year) | Q(review__year=start.year, review__month__gte=start.month)) & (
        Q(review__year__lt=month.year) | Q(review__year=month.year, review__month__lt=month.month))
    rows = (MonthlyResult.objects.for_user(user)
            .filter(earlier, review__village=village, rating=Rating.EXCELLENT).exclude(excellent_reason="")
            .values("excellent_reason").annotate(n=Count("id"), last=Max(F("review__year") * 100 + F("review__month")))
            .order_by("-n", "-last", "excellent_reason")[:limit])
    return [row["excellent_reason"] for row in rows]


def month_neighbours(*, user, village: Village, month: Month, entered_only: bool = False):
    """The previous and next village of the township for the same month (villages.selectors.village_neighbours);
    with entered_only, of the villages that have the month (a notice exists only for those)."""
    among = None
    if entered_only:
        among = MonthlyReview.objects.for_user(user).filter(year=month.year, month=month.month).values("village_id")
    return village_neighbours(user=user, village=village, among=among)


# ---------------------------------------------------------------- year totals (evaluations, reports)

def member_year_totals(*, user, year: int, village: Village | None = None) -> QuerySet[PartyMember]:
    """Party members in scope annotated with their year: excellent_months, deducted_months, deduction_points,
    talks_missing, warning_count, disposition_count."""
    in_year = {"review__year": year}
    qs = party_member_list(user=user, village=village).annotate(
        excellent_months=subquery_count(
            MonthlyResult.objects.filter(member=OuterRef("pk"), rating=Rating.EXCELLENT, **in_year), "member"),
        deducted_months=subquery_count(
            MonthlyResult.objects.filter(member=OuterRef("pk"), rating=Rating.DEDUCTED, **in_year), "member"),
        deduction_points=subquery_sum(
            Deduction.objects.filter(result__member=OuterRef("pk"), result__review__year=year), "result__member",
            "points"),
        talks_missing=subquery_count(
            Deduction.objects.filter(result__member=OuterRef("pk"), result__review__year=year, talk_date__isnull=True),
            "result__member"),
        warning_count=subquery_count(
            MemberWarning.objects.filter(member=OuterRef("pk"), issued_date__year=year), "member"),
        disposition_count=subquery_count(
            Disposition.objects.filter(member=OuterRef("pk"), decision_date__year=year), "member"),
    )
    return qs


def member_threshold_list(*, user, year: int) -> tuple[CountyPolicy | None, QuerySet[PartyMember]]:
    """Members whose year deduction points reach the county's warning threshold, most points first."""
    policy = county_policy_get(user=user)
    if policy is None:
        return None, PartyMember.objects.none()
    qs = member_year_totals(user=user, year=year).filter(deduction_points__gte=policy.warning_points).order_by(
        "-deduction_points", "village__code", "person__name")
    return policy, qs


def warning_list(*, user, year: int | None = None, today=None) -> QuerySet[MemberWarning]:
    """Warnings in scope (issued in `year`), each with is_overdue: still pending (待整改) after its deadline."""
    today = today or timezone.localdate()
    qs = MemberWarning.objects.for_user(user).select_related("member__person", "member__village__township").annotate(
        is_overdue=Q(outcome=WarningOutcome.PENDING, deadline__lt=today))
    return qs.filter(issued_date__year=year) if year else qs


def disposition_list(*, user, year: int | None = None) -> QuerySet[Disposition]:
    qs = Disposition.objects.for_user(user).select_related("member__person", "member__village__township")
    return qs.filter(decision_date__year=year) if year else qs


# ---------------------------------------------------------------- signals (read from the summaries)

PERIOD_TOTAL_FIELDS = (
    "member_count", "result_count", "excellent_count", "deducted_count", "deduction_points", "deductions_without_talk",
    "months_recorded", "months_without_deduction", "months_without_minutes", "months_without_posting",
    "late_submissions", "months_not_submitted",
)
SUMMED_FIELDS = ("result_count", "excellent_count", "deducted_count", "deduction_points", "deductions_without_talk")


def _month_figures(prefix: str = "") -> dict:
    """The period's figures as aggregates over village-month summary rows (VillageMonthSummary; `prefix` is the
    path to them). Late: submitted after the due date, or not submitted and past it — as of today, when read.
    Not submitted: a draft or returned month past its due date; before it (November until 10 December) the month is
    not yet due, not missing. The summaries keep status and due date; today is applied here, when read."""
    today = timezone.localdate()
    p = prefix
    row = f"{p}review" if p else "pk"
    figures = {name: Coalesce(Sum(f"{p}{name}"), 0) for name in SUMMED_FIELDS}
    figures.update(
        months_recorded=Count(row),
        months_without_deduction=Count(row, filter=Q(**{f"{p}deducted_count": 0})),
        months_without_minutes=Count(row, filter=Q(**{f"{p}has_minutes": False})),
        months_without_posting=Count(row, filter=Q(**{f"{p}has_posting": False})),
        late_submissions=Count(row, filter=Q(**{f"{p}submitted_at__date__gt": F(f"{p}due_date")})
                               | Q(**{f"{p}submitted_at__isnull": True, f"{p}due_date__lt": today})),
        months_not_submitted=Count(row, filter=Q(**{f"{p}status__in": [ReviewStatus.DRAFT, ReviewStatus.RETURNED],
                                                     f"{p}due_date__lt": today})),
    )
    return figures


def _summed() -> dict:
    """The figures over summary rows (grouped by `group_by`, or one aggregate row), under their own names (the
    aggregates are named f_* in SQL: the summary's columns have the same names)."""
    return {f"f_{name}": expr for name, expr in _month_figures().items()}


def _unprefixed(row: dict) -> dict:
    return {(k[2:] if k.startswith("f_") else k): v for k, v in row.items()}


def _with_shares(figures: dict) -> dict:
    n = figures["result_count"]
    figures["excellent_share"] = figures["excellent_count"] / n if n else None
    figures["deduction_rate"] = figures["deducted_count"] / n if n else None
    return figures


def _villages(*, user, scoped: bool, county=None) -> QuerySet[Village]:
    if scoped:
        return Village.objects.for_user(user)
    return Village.objects.filter(township__county=county or county_of(user))


def village_period_stats(*, user, year: int, month_from: int = 1, month_to: int = 12,
                         scoped: bool = True, county=None) -> QuerySet[Village]:
    """Villages (in scope, or the whole county of the user when scoped=False) with the period's figures, read from
    the village-month summaries in one grouped query (a village's rows joined on the period only)."""
    period = FilteredRelation("month_summaries", condition=Q(
        month_summaries__year=year, month_summaries__month__gte=month_from, month_summaries__month__lte=month_to))
    return (
        _villages(user=user, scoped=scoped, county=county).select_related("township")
        .annotate(period=period)
        .annotate(member_count=Coalesce(F("member_summary__active_members"), 0), **_month_figures("period__"))
        .annotate(excellent_share=_ratio("excellent_count", "result_count"),
                  deduction_rate=_ratio("deducted_count", "result_count"))
        .order_by("code")
    )


PERIOD_GROUPS = {"county": "village__township__county", "township": "village__township", "village": "village"}


def period_figures(*, user, year: int, month_from: int = 1, month_to: int = 12, by: str = "township",
                   township=None, county=None) -> dict:
    """The period's figures per county (by="county", for a region), per township (by="township") or per village
    (by="village") in the user's scope (and the township or the county, if given), summed in the database from the
    summaries: {pk: {figure: value}}. Two queries, whatever the number of villages."""
    key = PERIOD_GROUPS[by]
    months = VillageMonthSummary.objects.filter(year=year, month__gte=month_from, month__lte=month_to).for_user(user)
    members = VillageMemberSummary.objects.for_user(user)
    if township is not None:
        months = months.filter(village__township=township)
        members = members.filter(village__township=township)
    if county is not None:
        months = months.filter(village__township__county=county)
        members = members.filter(village__township__county=county)
    out: dict = {}
    for row in months.values(key).annotate(**_summed()).order_by():
        out[row.pop(key)] = dict(_unprefixed(row), member_count=0)
    for unit, count in members.values(key).annotate(n=Sum("active_members")).order_by().values_list(key, "n"):
        out.setdefault(unit, {**{f: 0 for f in PERIOD_TOTAL_FIELDS}})["member_count"] = count
    return {unit: _with_shares(figures) for unit, figures in out.items()}


def sum_figures(rows) -> dict:
    """Totals of period figures already summed per unit (e.g. period_figures' townships)."""
    totals = {f: sum(r.get(f) or 0 for r in rows) for f in PERIOD_TOTAL_FIELDS}
    return _with_shares(totals)


def period_totals(*, user, year: int, month_from: int = 1, month_to: int = 12, county=None) -> dict:
    """The period's figures summed over the user's scope (of the county, if given), from the summaries (two
    queries)."""
    months = VillageMonthSummary.objects.filter(year=year, month__gte=month_from, month__lte=month_to).for_user(user)
    members = VillageMemberSummary.objects.for_user(user)
    if county is not None:
        months = months.filter(village__township__county=county)
        members = members.filter(village__township__county=county)
    totals = _unprefixed(months.aggregate(**_summed()))
    totals["member_count"] = members.aggregate(n=Coalesce(Sum("active_members"), 0))["n"]
    return _with_shares(totals)


@dataclass
class VillageFlag:
    village: Village
    reasons: list[str]


def _pct(x) -> str:
    return "—" if x is None else f"{x * 100:.1f}%"


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _flag_reasons(share, rate, marks: tuple, z: float, mean_ex: float, mean_de: float) -> list[str]:
    z_ex, z_de, t_ex, t_de = marks
    reasons = []
    if z_ex is not None and z_ex >= z and share > (t_ex or 0):
        reasons.append(_("Excellent share %(share)s is far above the county's villages (mean %(mean)s) and its "
                         "township (%(township)s): z = %(z).1f ≥ %(limit).1f.") % {
            "share": _pct(share), "mean": _pct(mean_ex), "township": _pct(t_ex), "z": z_ex, "limit": z})
    if z_de is not None and z_de <= -z and rate < (t_de or 0):
        reasons.append(_("Deduction rate %(rate)s is far below the county's villages (mean %(mean)s) and its "
                         "township (%(township)s): z = %(z).1f ≤ −%(limit).1f.") % {
            "rate": _pct(rate), "mean": _pct(mean_de), "township": _pct(t_de), "z": z_de, "limit": z})
    return reasons


def village_flag_marks(*, user, year: int, month_from: int = 1, month_to: int = 12, county=None) -> dict:
    """Inflation signals. The rule: over the county's villages with results in the period, compute the mean and
    the (population) standard deviation of the excellent share and of the deduction rate; a village is flagged when
    its excellent share is at least policy.flag_z standard deviations above the mean and above its township's mean,
    or its deduction rate at least flag_z standard deviations below the mean and below its township's mean.

    One grouped query of tuples (village, township, assessed, excellent, deducted) over the county's summary rows,
    in one pass: `marks` ((z excellent, z deduction, township's excellent share, township's deduction rate) per
    village id) and `flagged` (reasons per village id, in
    the whole county). No Village is built here: village_flag_list adds the flagged ones in the user's scope,
    village_flag_page a page of villages with them, village_flag_rows marks villages read by the caller.

    `county`: the county whose villages are compared (a region's user names one); by default the user's."""
    from .services import county_policy_for

    county = county or county_of(user)
    policy = county_policy_for(county) if county else None
    sums = (_flag_sums(year, month_from, month_to).filter(village__township__county=county)
            .values_list("village__code", "village", "village__township")
            .annotate(n=Sum("result_count"), ex=Sum("excellent_count"), de=Sum("deducted_count"))
            .filter(n__gt=0).order_by())  # sorted here: ORDER BY made PostgreSQL walk an index (3× slower)
    return _county_signals(county, policy, sorted(sums))


def _flag_sums(year, month_from, month_to):
    return VillageMonthSummary.objects.filter(year=year, month__gte=month_from, month__lte=month_to)


def county_flag_counts(*, user, year: int, month_from: int = 1, month_to: int = 12) -> dict[int, int]:
    """For a region: how many villages each county in scope flags, each county against its own villages and its own
    threshold (a county's norms are its own). One grouped query over the region's summaries and one of the
    policies, whatever the number of counties."""
    counties = County.objects.for_user(user).values("pk")
    policies = {p.county_id: p for p in CountyPolicy.objects.filter(county__in=counties)}
    sums = (_flag_sums(year, month_from, month_to).filter(village__township__county__in=counties)
            .values_list("village__township__county", "village__code", "village", "village__township")
            .annotate(n=Sum("result_count"), ex=Sum("excellent_count"), de=Sum("deducted_count"))
            .filter(n__gt=0).order_by())
    by_county: dict[int, list] = {}
    for county_id, *row in sorted(sums):
        by_county.setdefault(county_id, []).append(row)
    return {county_id: len(_county_signals(None, policies.get(county_id), rows)["flagged"])
            for county_id, rows in by_county.items()}


def _county_signals(county, policy, sums) -> dict:
    """village_flag_marks' result from one county's rows (village code, village, township, assessed, excellent,
    deducted), sorted by code."""
    z = float(policy.flag_z) if policy else 2.0
    assessed = [(v, t, ex / n, de / n) for _code, v, t, n, ex, de in sums]
    ex = [a[2] for a in assessed]
    de = [a[3] for a in assessed]
    mean_ex, mean_de = _mean(ex) or 0.0, _mean(de) or 0.0
    sd_ex = (sum((x - mean_ex) ** 2 for x in ex) / len(ex)) ** 0.5 if ex else 0.0
    sd_de = (sum((x - mean_de) ** 2 for x in de) / len(de)) ** 0.5 if de else 0.0
    by_township: dict[int, tuple[list, list]] = {}
    for _v, t, share, rate in assessed:  # one pass: the villages grouped by township
        mine = by_township.setdefault(t, ([], []))
        mine[0].append(share)
        mine[1].append(rate)
    township_means = {t: (_mean(shares), _mean(rates)) for t, (shares, rates) in by_township.items()}
    marks, flagged, where = {}, {}, {}  # where: a flagged village's township, for the scope test
    for v, t, share, rate in assessed:
        t_ex, t_de = township_means[t]
        z_ex = (share - mean_ex) / sd_ex if sd_ex > 0 else None
        z_de = (rate - mean_de) / sd_de if sd_de > 0 else None
        marks[v] = m = (z_ex, z_de, t_ex, t_de)
        if (z_ex is not None and z_ex >= z and share > (t_ex or 0)) or (
                z_de is not None and z_de <= -z and rate < (t_de or 0)):  # the reasons' own test, cheaply first
            flagged[v] = _flag_reasons(share, rate, m, z, mean_ex, mean_de)
            where[v] = t
    return {
        "flagged": flagged, "where": where, "county_id": county.pk if county else None, "marks": marks,
        "policy": policy, "z": z, "village_count": len(assessed),
        "county_excellent_share": mean_ex if assessed else None,
        "county_deduction_rate": mean_de if assessed else None,
        "sd_excellent": sd_ex, "sd_deduction": sd_de,
    }


def village_flag_list(*, user, year: int, month_from: int = 1, month_to: int = 12, township=None, county=None,
                      limit: int | None = None) -> dict:
    """village_flag_marks and `flags`: the flagged villages in the user's scope (and the township) with the reasons
    (VillageFlag: the village and its township, one query of those shown), by code, the first `limit` of them if
    given; `flag_count`: how many in all. The villages are compared within `county` (by default the township's, or
    the user's)."""
    county = county or (township.county if township is not None else None)
    signals = village_flag_marks(user=user, year=year, month_from=month_from, month_to=month_to, county=county)
    return _with_flags_shown(user, signals, township=township, limit=limit)


def _with_flags_shown(user, signals: dict, *, township=None, limit: int | None = None) -> dict:
    """village_flag_list's `flags` and `flag_count` added to village_flag_marks' result."""
    ids = [pk for pk, t in signals["where"].items()  # by code, as flagged is; no query for the scope
           if unit_in_scope(user, county_id=signals["county_id"], township_id=t, village_id=pk)
           and (township is None or t == township.pk)]
    shown = ids[:limit]
    villages = Village.objects.filter(pk__in=shown).select_related("township").in_bulk() if shown else {}
    signals["flags"] = [VillageFlag(villages[pk], signals["flagged"][pk]) for pk in shown]  # by code
    signals["flag_count"] = len(ids)
    return signals


def _flags_of(signals: dict, stats: QuerySet[Village], ids) -> tuple[list[VillageFlag], list[Village]]:
    """One query of the flagged villages and of `ids` among `stats`: (the flags, the villages of `ids`)."""
    flagged, wanted = signals["flagged"], set(ids)
    flags, rows = [], []
    if flagged or wanted:
        for village in stats.filter(pk__in=list(wanted | set(flagged))):
            _mark(village, signals["marks"], flagged)
            if village.pk in flagged:
                flags.append(VillageFlag(village, flagged[village.pk]))
            if village.pk in wanted:
                rows.append(village)
    return flags, rows


def _mark(village, marks: dict, flagged: dict):
    (village.z_excellent, village.z_deduction, village.township_excellent_share,
     village.township_deduction_rate) = marks.get(village.pk, (None, None, None, None))
    village.flag_reasons = flagged.get(village.pk, [])


def village_flag_page(*, user, year: int, township=None, county=None, flagged_only: bool = False, size: int,
                      number=None) -> dict:
    """village_flag_marks, the flags in scope (of the township) and one page of the villages in scope (of the
    township; only the flagged ones) with their figures and marks: `page` and `rows`. The villages' ids are listed
    without their figures (one query, no COUNT), then the page's and the flagged villages get them (one query)."""
    from django.core.paginator import Paginator

    signals = village_flag_marks(user=user, year=year, county=county)
    villages = Village.objects.for_user(user).order_by("code")
    if county is not None:  # a region's user looks at one county at a time: its villages, its norms
        villages = villages.filter(township__county=county)
    if township is not None:
        villages = villages.filter(township=township)
    if flagged_only:
        villages = villages.filter(pk__in=list(signals["flagged"]))
    page = Paginator(list(villages.values_list("pk", flat=True)), size).get_page(number)
    flags, rows = _flags_of(signals, village_period_stats(user=user, year=year), ids=page.object_list)
    signals.update(flags=[f for f in flags if township is None or f.village.township_id == township.pk],
                   page=page, rows=rows)
    return signals


def village_flag_rows(signals: dict, villages) -> list[Village]:
    """Villages of village_period_stats (e.g. a township's) with their z-scores, township means and flag reasons
    from village_flag_marks' result."""
    rows = list(villages)
    for v in rows:
        _mark(v, signals["marks"], signals["flagged"])
    return rows


# ---------------------------------------------------------------- submissions through the year

@dataclass(frozen=True)
class MonthCell:
    code: str  # accepted | submitted | returned | draft (past due) | missing (past due) | not_due | future
    label: str


def _month_cell_labels() -> dict:
    return {
        ReviewStatus.ACCEPTED: ReviewStatus.ACCEPTED.label, ReviewStatus.SUBMITTED: ReviewStatus.SUBMITTED.label,
        ReviewStatus.RETURNED: ReviewStatus.RETURNED.label,
        ReviewStatus.DRAFT: _("Draft, past due and not submitted"),
        "missing": _("Not started, past due"),
        "not_due": _("Not yet due"),
        "future": _("Month not begun"),
    }


def month_cell(status: str | None, due_date, month: Month, today, labels: dict | None = None) -> MonthCell:
    """What one village-month is as of `today`: its status once submitted, accepted or returned; a draft or a month
    not started is missing only once past its due date (core.periods.is_past_due), before that it is not yet due."""
    labels = labels or _month_cell_labels()
    if status in (ReviewStatus.ACCEPTED, ReviewStatus.SUBMITTED, ReviewStatus.RETURNED):
        code = status
    elif is_past_due(due_date, today):
        code = ReviewStatus.DRAFT if status else "missing"
    elif month.first_day <= today:
        code = "not_due"
    else:
        code = "future"
    return MonthCell(str(code), str(labels[code]))


def submission_grid(*, user, year: int, villages, today=None) -> list[tuple[Village, list[MonthCell]]]:
    """Per village (already read, in scope), its twelve months of `year` as MonthCells: one query over the
    village-month summaries. A month without a record is due on the county's policy's day (core.periods)."""
    today = today or timezone.localdate()
    villages = list(villages)
    policy = county_policy_get(user=user)
    due_days = policy.submission_due_days if policy else 10
    rows = {(village_id, month): (status, due) for village_id, month, status, due in
            VillageMonthSummary.objects.filter(year=year, village__in=[v.pk for v in villages]).for_user(user)
            .values_list("village", "month", "status", "due_date")}
    labels = _month_cell_labels()
    months = [Month(year, m) for m in range(1, 13)]
    grid = []
    for v in villages:
        cells = []
        for m in months:
            status, due = rows.get((v.pk, m.month), (None, m.due_date(due_days)))
            cells.append(month_cell(status, due, m, today, labels))
        grid.append((v, cells))
    return grid


# ---------------------------------------------------------------- audit trail

def _review_history(*, user, pk):
    return monthly_review_get(user=user, pk=pk)


def _result_history(*, user, pk):
    return _get(MonthlyResult.objects.for_user(user).select_related("review__village", "member__person"), pk)


def _deduction_history(*, user, pk):
    return _get(Deduction.objects.for_user(user).select_related("result__review__village"), pk)


def _rule_history(*, user, pk):
    return _get(Rule.objects.for_user(user).select_related("rule_set__village"), pk)


def _warning_history(*, user, pk):
    return _get(warning_list(user=user), pk)


def _disposition_history(*, user, pk):
    return _get(disposition_list(user=user), pk)


HISTORY_SELECTORS = {
    "partymember": _party_member_by_pk,
    "ruleset": rule_set_get,
    "rule": _rule_history,
    "monthlyreview": _review_history,
    "monthlyresult": _result_history,
    "deduction": _deduction_history,
    "memberwarning": _warning_history,
    "disposition": _disposition_history,
}


def work_queue(*, user):
    """The village-months waiting for this user (core.queue): submitted ones for the county; returned and
    past-due ones for the township."""
    from django.urls import reverse

    from core.queue import period_queue

    return period_queue(MonthlyReview.objects.for_user(user).select_related("village"), user=user,
                        counted=VillageMonthSummary.objects.for_user(user),  # the counts from the summary
                        kind=_("Monthly assessment"), accept_perm="members.review_monthlyreview",
                        submit_perm="members.submit_monthlyreview", due_field="due_date",
                        list_url=lambda p: f"{reverse('members:monthlyreview_list')}?month={p.period}"
                        ) + notice_objection_queue(user=user)


# ---------------------------------------------------------------- the online public notice 公示 and objections

NOTICE_SALT = "members.public-notice"


def public_notice_token(review: MonthlyReview) -> str:
    """The village-month's public address token: the month signed with the site's secret (django.core.signing),
    so it cannot be guessed from another month's, and a changed token does not resolve."""
    return signing.Signer(salt=NOTICE_SALT, sep=".").sign(str(review.pk))


def public_notice_url(review: MonthlyReview) -> str:
    from django.urls import reverse

    return reverse("members:public_notice", kwargs={"token": public_notice_token(review)})


@dataclass(frozen=True)
class NoticeWindow:
    """A notice's posting window: from the posting date for the county's working days (Monday to Friday); the
    page stops resolving `public_days` after the window. Before the posting date is recorded the window has not
    started counting, and objections are taken."""
    start: dt.date | None
    end: dt.date | None
    gone: dt.date | None  # the first day the public page no longer opens

    def is_open(self, today: dt.date) -> bool:
        return self.end is None or today <= self.end

    def is_over(self, today: dt.date) -> bool:
        return self.end is not None and today > self.end


def notice_policy(review: MonthlyReview) -> CountyPolicy:
    """The county's settings for the month's notice (the defaults until the county saves its own)."""
    return CountyPolicy.objects.filter(county_id=review.village.township.county_id).first() or CountyPolicy()


def notice_window(review: MonthlyReview) -> NoticeWindow:
    from core.periods import working_days_end

    if review.posted_date is None:
        return NoticeWindow(None, None, None)
    policy = notice_policy(review)
    end = working_days_end(review.posted_date, policy.notice_working_days)
    return NoticeWindow(review.posted_date, end, end + dt.timedelta(days=policy.notice_public_days + 1))


def public_notice_get(*, token: str, today: dt.date | None = None) -> MonthlyReview:
    """The month behind a public token, for anyone: 404 for a token not signed by us, and once the page's time is
    up."""
    try:
        pk = int(signing.Signer(salt=NOTICE_SALT, sep=".").unsign(token))
    except (signing.BadSignature, ValueError):
        raise Http404
    review = MonthlyReview.objects.select_related("village__township").filter(pk=pk).first()
    if review is None:
        raise Http404
    window = notice_window(review)
    if window.gone is not None and (today or timezone.localdate()) >= window.gone:
        raise Http404
    return review


@dataclass(frozen=True)
class PublicRow:
    name: str
    result: str
    reason: str
    deductions: list[tuple[str, int]]


def public_notice_rows(review: MonthlyReview) -> list[PublicRow]:
    """What the public page shows of each member: the name, the result, the reason for an excellent rating and
    the wording and points of each rule deducted under. Nothing else (no ID number, phone, note or talk)."""
    results = (review.results.select_related("member__person").order_by("member__person__name", "pk")
               .prefetch_related(Prefetch("deductions", queryset=Deduction.objects.select_related("rule")
                                          .order_by("rule__number"))))
    return [PublicRow(r.member.person.name, r.get_rating_display(),
                      r.excellent_reason if r.rating == Rating.EXCELLENT else "",
                      [(d.rule.text, d.points) for d in r.deductions.all()]) for r in results]


def public_notice_members(review: MonthlyReview) -> list[tuple[int, str]]:
    """The members an objection can be about: (party member id, name)."""
    return list(review.results.order_by("member__person__name", "pk")
                .values_list("member_id", "member__person__name"))


def public_notice_answers(review: MonthlyReview) -> QuerySet[NoticeObjection]:
    """The answered objections, for the public page once the window is over (who objected is never shown)."""
    return (review.objections.exclude(status=ObjectionStatus.OPEN).select_related("member__person")
            .order_by("filed_at", "pk"))


def notice_objection_list(*, user, review: MonthlyReview) -> QuerySet[NoticeObjection]:
    return (NoticeObjection.objects.for_user(user).filter(review=review).select_related("member__person")
            .order_by("filed_at", "pk"))


def notice_objection_get(*, user, pk) -> NoticeObjection:
    return _get(NoticeObjection.objects.for_user(user).select_related("review__village", "member__person"), pk)


def notice_objection_queue(*, user) -> list:
    """The objections waiting for this user's answer (core.queue): one count, and the rows only when there are any."""
    from core.queue import LIMIT, QueueItem, QueueSection

    if not user.has_perm("members.answer_noticeobjection"):
        return []
    waiting = NoticeObjection.objects.for_user(user).filter(status=ObjectionStatus.OPEN)
    total = waiting.count()
    if not total:
        return []
    rows = waiting.select_related("review__village", "member__person").order_by("filed_at", "pk")[:LIMIT]
    return [QueueSection(
        kind=_("Objections to public notices"), total=total,
        items=[QueueItem(title=f"{o.review.period_label()} · {o.about}", url=o.get_absolute_url(),
                         state=_("waiting for the township's answer"), since=o.filed_at, detail=o.text[:80])
               for o in rows])]


HISTORY_SELECTORS["noticeobjection"] = notice_objection_get  # the audit trail of an objection and its answer
