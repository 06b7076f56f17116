"""The bottom-line assessment's summary tables (core.summaries): what they hold, computed from the raw rows, and
the refresh the services call in the same transaction as every write that changes them."""
from __future__ import annotations

from django.db.models import BooleanField, Case, Count, F, OuterRef, Q, Value, When

from core import summaries
from core.queries import subquery_count, subquery_sum

from .choices import MembershipStatus, Rating
from .models import Deduction, MonthlyResult, MonthlyReview, PartyMember, VillageMemberSummary, VillageMonthSummary

_NO_MINUTES = Q(minutes="") & (Q(minutes_file="") | Q(minutes_file__isnull=True))


def _village_month_source():
    results = MonthlyResult.objects.filter(review=OuterRef("pk"))
    deductions = Deduction.objects.filter(result__review=OuterRef("pk"))
    return MonthlyReview.objects.annotate(
        review_id=F("pk"),
        result_count=subquery_count(results, "review"),
        excellent_count=subquery_count(results.filter(rating=Rating.EXCELLENT), "review"),
        deducted_count=subquery_count(results.filter(rating=Rating.DEDUCTED), "review"),
        deduction_points=subquery_sum(deductions, "result__review", "points"),
        deductions_without_talk=subquery_count(deductions.filter(talk_date__isnull=True), "result__review"),
        has_minutes=Case(When(_NO_MINUTES, then=Value(False)), default=Value(True), output_field=BooleanField()),
        has_posting=Case(When(posted_date__isnull=True, then=Value(False)), default=Value(True),
                         output_field=BooleanField()),
    ).order_by()


def _village_member_source():
    return (PartyMember.objects.filter(status=MembershipStatus.ACTIVE).order_by()
            .values("village_id").annotate(active_members=Count("pk")))


VILLAGE_MONTH = summaries.Summary(
    name="members.villagemonthsummary", model=VillageMonthSummary, key=("review_id",),
    source=_village_month_source,
    columns=("review_id", "village_id", "year", "month", "status", "due_date", "submitted_at", "result_count",
             "excellent_count", "deducted_count", "deduction_points", "deductions_without_talk", "has_minutes",
             "has_posting"),
    label_columns=("village_id", "year", "month"),
)
VILLAGE_MEMBERS = summaries.Summary(
    name="members.villagemembersummary", model=VillageMemberSummary, key=("village_id",),
    source=_village_member_source, columns=("village_id", "active_members"),
)


def register() -> None:
    summaries.register(VILLAGE_MONTH)
    summaries.register(VILLAGE_MEMBERS)


def month_summary_refresh(*, review_ids) -> None:
    """Recompute the summary of these village-months (MonthlyReview pks) from their rows."""
    ids = list(review_ids)
    summaries.refresh(VILLAGE_MONTH, source_q=Q(pk__in=ids), stored_q=Q(review_id__in=ids))


def member_summary_refresh(*, village_ids) -> None:
    """Recompute these villages' active-member counts."""
    ids = list(village_ids)
    summaries.refresh(VILLAGE_MEMBERS, source_q=Q(village_id__in=ids), stored_q=Q(village_id__in=ids))


def members_summaries_rebuild() -> None:
    summaries.rebuild(VILLAGE_MONTH)
    summaries.rebuild(VILLAGE_MEMBERS)
