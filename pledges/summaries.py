"""The pledge reviews' summary table (core.summaries): one row per village-quarter review, computed from its item
checks and rectifications, refreshed by the services in the same transaction as every write to them."""
from __future__ import annotations

from django.db.models import BooleanField, Case, F, OuterRef, Q, Value, When

from core import summaries
from core.queries import subquery_count

from .choices import ItemStatus, RectificationStatus
from .models import ItemReview, PledgeQuarterSummary, QuarterlyReview, Rectification


def _source():
    checks = ItemReview.objects.filter(review=OuterRef("pk"))
    rect = Rectification.objects.filter(review=OuterRef("pk"))
    return QuarterlyReview.objects.annotate(
        review_id=F("pk"),
        meeting_held=Case(When(meeting_date__isnull=True, then=Value(False)), default=Value(True),
                          output_field=BooleanField()),
        items_checked=subquery_count(checks, "review"),
        items_done=subquery_count(checks.filter(status=ItemStatus.DONE), "review"),
        items_behind=subquery_count(checks.filter(status__in=[ItemStatus.BEHIND, ItemStatus.NOT_STARTED]), "review"),
        rect_opened=subquery_count(rect, "review"),
        rect_done=subquery_count(rect.filter(status=RectificationStatus.DONE), "review"),
    ).order_by()


PLEDGE_QUARTER = summaries.Summary(
    name="pledges.pledgequartersummary", model=PledgeQuarterSummary, key=("review_id",), source=_source,
    columns=("review_id", "village_id", "year", "quarter", "status", "meeting_held", "items_checked", "items_done",
             "items_behind", "rect_opened", "rect_done"),
    label_columns=("village_id", "year", "quarter"),
)


def register() -> None:
    summaries.register(PLEDGE_QUARTER)


def review_summary_refresh(*, review_ids) -> None:
    """Recompute the summary of these quarterly reviews (pks) from their rows."""
    ids = list(review_ids)
    summaries.refresh(PLEDGE_QUARTER, source_q=Q(pk__in=ids), stored_q=Q(review_id__in=ids))
