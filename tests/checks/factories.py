import datetime as dt

from django.utils import timezone

from core.workflow import ReviewStatus
from members.models import MonthlyResult
from members.summaries import month_summary_refresh
from tests.members.factories import MonthlyReviewFactory, members_for


def accepted_month(village, *, month: int = 5, members=None, ratings=(), year: int = 2026):
    """An accepted (locked) month of the village with a result per member: `ratings` in order, then 合格."""
    review = MonthlyReviewFactory(village=village, year=year, month=month, status=ReviewStatus.ACCEPTED,
                                  accepted_at=timezone.now(), due_date=dt.date(year, month, 28))
    members = members if members is not None else members_for(village, 2)
    for i, member in enumerate(members):
        rating = ratings[i] if i < len(ratings) else "qualified"
        MonthlyResult.objects.create(review=review, member=member, rating=rating,
                                     excellent_reason="急难险重表现突出" if rating == "excellent" else "")
    month_summary_refresh(review_ids=[review.pk])
    return review
