"""Reads of the bottom-line assessment, narrowed to the user's scope.

Selectors other apps use (evaluations, reports):
- member_year_totals(user=, year=, village=None): party members annotated with excellent_months, deducted_months,
  deduction_points, talks_missing, warning_count, disposition_count for the year.
- village_period_stats(user=, year=, month_from=1, month_to=12): villages annotated with the period's member_count,
  result_count, excellent_count, deducted_count, deduction_points, excellent_share, deduction_rate, months_recorded,
  months_without_deduction, deductions_without_talk, months_without_minutes, months_without_posting,
  late_submissions, months_not_submitted.
- period_totals(user=, year=, ...): the same figures summed over the user's scope (one row).
- village_flag_list(user=, year=, ...): the inflation signals, with the rule and the reason for each flag.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    StdDev,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, NullIf
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from core.periods import Month
from core.queries import subquery_count, subquery_sum
from core.workflow import ReviewStatus
from villages.models import County, Village

from .choices import MembershipStatus, Rating
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

# ---------------------------------------------------------------- party members

def party_member_list(*, user, village=None) -> QuerySet[PartyMember]:
    qs = PartyMember.objects.for_user(user).select_related("person", "village__township")
    if village is not None:
        qs = qs.filter(village=village)
    return qs


def village_party_member_list(*, user, village) -> QuerySet[PartyMember]:
    """A village's party members by name (the village page, through core.hooks.village_party_members)."""
    return party_member_list(user=user, village=village).order_by("person__name")


def active_members() -> QuerySet[PartyMember]:
    """Every active membership, unscoped: villages counts them per village and township (core.hooks)."""
    return PartyMember.objects.filter(status=MembershipStatus.ACTIVE)


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

def monthly_review_list(*, user, month: Month) -> QuerySet[Village]:
    """Villages in scope with their review of the month (if any), for the month's overview."""
    reviews = MonthlyReview.objects.filter(village=OuterRef("pk"), year=month.year, month=month.month)
    return (
        Village.objects.for_user(user).select_related("township")
        .annotate(
            member_count=subquery_count(
                PartyMember.objects.filter(village=OuterRef("pk"), status=MembershipStatus.ACTIVE), "village"),
            review_id=Subquery(reviews.values("pk")[:1]),
            review_status=Subquery(reviews.values("status")[:1]),
            excellent_count=subquery_count(MonthlyResult.objects.filter(
                review__village=OuterRef("pk"), review__year=month.year, review__month=month.month,
                rating=Rating.EXCELLENT), "review__village"),
            deducted_count=subquery_count(MonthlyResult.objects.filter(
                review__village=OuterRef("pk"), review__year=month.year, review__month=month.month,
                rating=Rating.DEDUCTED), "review__village"),
            open_talks=subquery_count(Deduction.objects.filter(
                result__review__village=OuterRef("pk"), result__review__year=month.year,
                result__review__month=month.month, talk_date__isnull=True), "result__review__village"),
        )
        .order_by("code")
    )


def monthly_review_find(*, user, village: Village, month: Month) -> MonthlyReview | None:
    return (MonthlyReview.objects.for_user(user)
            .select_related("village__township", "rule_set", "submitted_by", "accepted_by", "returned_by")
            .filter(village=village, year=month.year, month=month.month).first())


def monthly_review_get(*, user, pk) -> MonthlyReview:
    return _get(MonthlyReview.objects.for_user(user).select_related("village__township", "rule_set"), pk)


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
        for r in review.results.prefetch_related(
                Prefetch("deductions", queryset=Deduction.objects.select_related("rule").order_by("rule__number", "pk"))):
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


def warning_list(*, user, year: int | None = None) -> QuerySet[MemberWarning]:
    qs = MemberWarning.objects.for_user(user).select_related("member__person", "member__village__township")
    return qs.filter(issued_date__year=year) if year else qs


def disposition_list(*, user, year: int | None = None) -> QuerySet[Disposition]:
    qs = Disposition.objects.for_user(user).select_related("member__person", "member__village__township")
    return qs.filter(decision_date__year=year) if year else qs


# ---------------------------------------------------------------- signals

def _period_filters(prefix: str, year: int, month_from: int, month_to: int) -> dict:
    return {f"{prefix}year": year, f"{prefix}month__gte": month_from, f"{prefix}month__lte": month_to}


def village_period_stats(*, user, year: int, month_from: int = 1, month_to: int = 12,
                         scoped: bool = True) -> QuerySet[Village]:
    """Villages (in scope, or the whole county of the user when scoped=False) with the period's figures, all
    computed in the database."""
    today = timezone.localdate()
    reviews = MonthlyReview.objects.filter(village=OuterRef("pk"), **_period_filters("", year, month_from, month_to))
    results = MonthlyResult.objects.filter(review__village=OuterRef("pk"),
                                           **_period_filters("review__", year, month_from, month_to))
    deductions = Deduction.objects.filter(result__review__village=OuterRef("pk"),
                                          **_period_filters("result__review__", year, month_from, month_to))
    deducted_in_review = MonthlyResult.objects.filter(review=OuterRef("pk"), rating=Rating.DEDUCTED)
    if scoped:
        villages = Village.objects.for_user(user)
    else:
        county = county_of(user)
        villages = Village.objects.filter(township__county=county)
    return (
        villages.select_related("township")
        .annotate(
            member_count=subquery_count(
                PartyMember.objects.filter(village=OuterRef("pk"), status=MembershipStatus.ACTIVE), "village"),
            result_count=subquery_count(results, "review__village"),
            excellent_count=subquery_count(results.filter(rating=Rating.EXCELLENT), "review__village"),
            deducted_count=subquery_count(results.filter(rating=Rating.DEDUCTED), "review__village"),
            deduction_points=subquery_sum(deductions, "result__review__village", "points"),
            deductions_without_talk=subquery_count(deductions.filter(talk_date__isnull=True), "result__review__village"),
            months_recorded=subquery_count(reviews, "village"),
            months_without_deduction=subquery_count(
                reviews.annotate(has_deduction=Exists(deducted_in_review)).filter(has_deduction=False), "village"),
            months_without_minutes=subquery_count(reviews.filter(minutes="").filter(Q(minutes_file="") | Q(minutes_file__isnull=True)), "village"),
            months_without_posting=subquery_count(reviews.filter(posted_date__isnull=True), "village"),
            late_submissions=subquery_count(
                reviews.filter(Q(submitted_at__date__gt=F("due_date"))
                               | Q(submitted_at__isnull=True, due_date__lt=today)), "village"),
            months_not_submitted=subquery_count(
                reviews.filter(status__in=[ReviewStatus.DRAFT, ReviewStatus.RETURNED]), "village"),
        )
        .annotate(excellent_share=_ratio("excellent_count", "result_count"),
                  deduction_rate=_ratio("deducted_count", "result_count"))
        .order_by("code")
    )


PERIOD_TOTAL_FIELDS = (
    "member_count", "result_count", "excellent_count", "deducted_count", "deduction_points", "deductions_without_talk",
    "months_recorded", "months_without_deduction", "months_without_minutes", "months_without_posting",
    "late_submissions", "months_not_submitted",
)


def period_totals(*, user, year: int, month_from: int = 1, month_to: int = 12) -> dict:
    """The period's figures summed over the user's scope (one query)."""
    stats = village_period_stats(user=user, year=year, month_from=month_from, month_to=month_to)
    summed = stats.aggregate(**{f"total_{name}": Coalesce(Sum(name), 0) for name in PERIOD_TOTAL_FIELDS})
    totals = {name: summed[f"total_{name}"] for name in PERIOD_TOTAL_FIELDS}
    n = totals["result_count"]
    totals["excellent_share"] = totals["excellent_count"] / n if n else None
    totals["deduction_rate"] = totals["deducted_count"] / n if n else None
    return totals


@dataclass
class VillageFlag:
    village: Village
    reasons: list[str]


def _pct(x) -> str:
    return "—" if x is None else f"{x * 100:.1f}%"


def village_flag_list(*, user, year: int, month_from: int = 1, month_to: int = 12) -> dict:
    """Inflation signals. The rule: over the county's villages with results in the period, compute the mean and
    the (population) standard deviation of the excellent share and of the deduction rate; a village is flagged when
    its excellent share is at least policy.flag_z standard deviations above the mean and above its township's mean,
    or its deduction rate at least flag_z standard deviations below the mean and below its township's mean."""
    policy = county_policy_get(user=user)
    county_stats = village_period_stats(user=user, year=year, month_from=month_from, month_to=month_to,
                                        scoped=False).filter(result_count__gt=0)
    agg = county_stats.aggregate(mean_ex=Avg("excellent_share"), sd_ex=StdDev("excellent_share"),
                                 mean_de=Avg("deduction_rate"), sd_de=StdDev("deduction_rate"),
                                 villages=Count("pk"))
    townships = {row["township"]: row for row in county_stats.values("township").annotate(
        t_ex=Avg("excellent_share"), t_de=Avg("deduction_rate")).order_by()}
    z = float(policy.flag_z) if policy else 2.0
    mean_ex, sd_ex, mean_de, sd_de = (agg[k] or 0.0 for k in ("mean_ex", "sd_ex", "mean_de", "sd_de"))
    stats = village_period_stats(user=user, year=year, month_from=month_from, month_to=month_to)
    if sd_ex > 0:
        stats = stats.annotate(z_excellent=(F("excellent_share") - Value(mean_ex)) / Value(sd_ex))
    else:
        stats = stats.annotate(z_excellent=Value(None, output_field=FloatField()))
    if sd_de > 0:
        stats = stats.annotate(z_deduction=(F("deduction_rate") - Value(mean_de)) / Value(sd_de))
    else:
        stats = stats.annotate(z_deduction=Value(None, output_field=FloatField()))
    rows, flags = [], []
    for v in stats:  # one row per village: the figures themselves come from the database
        t = townships.get(v.township_id, {})
        reasons = []
        if v.z_excellent is not None and v.z_excellent >= z and v.excellent_share > (t.get("t_ex") or 0):
            reasons.append(_("Excellent share %(share)s is far above the county's villages (mean %(mean)s) and its "
                             "township (%(township)s): z = %(z).1f ≥ %(limit).1f.") % {
                "share": _pct(v.excellent_share), "mean": _pct(mean_ex), "township": _pct(t.get("t_ex")),
                "z": v.z_excellent, "limit": z})
        if v.z_deduction is not None and v.z_deduction <= -z and v.deduction_rate < (t.get("t_de") or 0):
            reasons.append(_("Deduction rate %(rate)s is far below the county's villages (mean %(mean)s) and its "
                             "township (%(township)s): z = %(z).1f ≤ −%(limit).1f.") % {
                "rate": _pct(v.deduction_rate), "mean": _pct(mean_de), "township": _pct(t.get("t_de")),
                "z": v.z_deduction, "limit": z})
        v.flag_reasons = reasons
        v.township_excellent_share = t.get("t_ex")
        v.township_deduction_rate = t.get("t_de")
        rows.append(v)
        if reasons:
            flags.append(VillageFlag(v, reasons))
    return {
        "rows": rows, "flags": flags, "policy": policy, "z": z, "village_count": agg["villages"],
        "county_excellent_share": mean_ex if agg["villages"] else None, "county_deduction_rate": mean_de if agg["villages"] else None,
        "sd_excellent": sd_ex, "sd_deduction": sd_de,
    }


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
                        kind=_("Monthly assessment"), accept_perm="members.review_monthlyreview",
                        submit_perm="members.submit_monthlyreview", due_field="due_date",
                        list_url=lambda p: f"{reverse('members:monthlyreview_list')}?month={p.period}")
