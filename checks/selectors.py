"""Reads of checks/. checks sits beside evaluations, above the initiatives: it reads members, pledges and assemblies
only through their selectors (and returns their periods only through their services): members.selectors,
members.services, pledges.selectors, pledges.services, assemblies.selectors, assemblies.services."""
from __future__ import annotations

from django.db.models import Case, Count, Q, QuerySet, When
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from assemblies import selectors as assembly_selectors
from members import selectors as member_selectors
from pledges import selectors as pledge_selectors

from .choices import ReopenKind, ReopenStatus, Verdict
from .models import ReopenRequest, SpotCheck, SpotCheckFinding, SpotCheckSample


def _get(qs, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError):
        raise Http404


def spot_check_list(*, user) -> QuerySet[SpotCheck]:
    return (SpotCheck.objects.for_user(user).select_related("drawn_by")
            .annotate(sample_count=Count("samples", distinct=True),
                      disputed=Count("samples__findings", filter=Q(samples__findings__verdict=Verdict.DISPUTED)))
            .order_by("-year", "-quarter", "-pk"))


def spot_check_get(*, user, pk) -> SpotCheck:
    return _get(SpotCheck.objects.for_user(user).select_related("drawn_by", "county"), pk)


def sample_list(*, user, spot_check: SpotCheck) -> QuerySet[SpotCheckSample]:
    return (SpotCheckSample.objects.for_user(user).filter(spot_check=spot_check)
            .select_related("review__village__township")
            .annotate(checked=Count("findings"),
                      disputed=Count("findings", filter=Q(findings__verdict=Verdict.DISPUTED)))
            .order_by("position"))


def sample_get(*, user, pk) -> SpotCheckSample:
    return _get(SpotCheckSample.objects.for_user(user).select_related("review__village__township", "spot_check"), pk)


def sample_rows(*, user, sample: SpotCheckSample) -> list:
    """The sampled month's results (one per member), each with its finding (or None)."""
    findings = {f.member_id: f for f in SpotCheckFinding.objects.filter(sample=sample)}
    rows = list(member_selectors.monthly_result_list(user=user, review=sample.review))
    for row in rows:
        row.finding = findings.get(row.member_id)
    return rows


def discrepancy_list(*, user, year: int | None = None, quarter: int | None = None) -> QuerySet[SpotCheckFinding]:
    """Ratings a spot-check did not confirm, in the user's scope (the signals page, the spot-check report)."""
    qs = SpotCheckFinding.objects.for_user(user).filter(verdict=Verdict.DISPUTED)
    if year is not None:
        qs = qs.filter(sample__spot_check__year=year)
    if quarter is not None:
        qs = qs.filter(sample__spot_check__quarter=quarter)
    return (qs.select_related("sample__review__village__township", "member__person", "sample__spot_check")
            .order_by("sample__review__village__township__code", "sample__review__village__code",
                      "sample__review__month", "member__person__name"))


# ---------------------------------------------------------------- requests to reopen

def reopen_request_list(*, user, status: str = "") -> QuerySet[ReopenRequest]:
    qs = ReopenRequest.objects.for_user(user).select_related("township", "requested_by", "decided_by")
    if status:
        qs = qs.filter(status=status)
    if not status:  # the waiting ones first (the county's to decide), then the decided, newest first
        return qs.order_by(Case(When(status=ReopenStatus.PENDING, then=0), default=1), "-requested_at", "-pk")
    return qs.order_by("-requested_at", "-pk")  # one status: newest first


def reopen_request_get(*, user, pk) -> ReopenRequest:
    return _get(ReopenRequest.objects.for_user(user).select_related(
        "township", "requested_by", "decided_by", "monthly_review__village", "pledge_review__village",
        "filing__township"), pk)


_PERIOD_GETTERS = {
    ReopenKind.MONTH: member_selectors.monthly_review_get,
    ReopenKind.PLEDGE_REVIEW: pledge_selectors.quarterly_review_get,
    ReopenKind.FILING: assembly_selectors.filing_get,
}


def reopen_period_get(*, user, kind: str, pk):
    """The period a request names, through its app's scoped selector (404 outside the user's scope)."""
    if kind not in _PERIOD_GETTERS:
        raise Http404
    return _PERIOD_GETTERS[kind](user=user, pk=pk)


def _kind_of(period) -> str | None:
    return {"monthlyreview": ReopenKind.MONTH, "quarterlyreview": ReopenKind.PLEDGE_REVIEW,
            "filing": ReopenKind.FILING}.get(period._meta.model_name)


def reopen_request_url(*, user, period) -> dict | None:
    """For an accepted period's page (core.hooks.reopen_request_url): the township's "ask the county to reopen"
    link, or the request already waiting; None when there is nothing to offer."""
    kind = _kind_of(period)
    if kind is None or not period.is_locked or not user.has_perm("checks.add_reopenrequest"):
        return None
    pending = ReopenRequest.objects.filter(status=ReopenStatus.PENDING, **{
        {ReopenKind.MONTH: "monthly_review", ReopenKind.PLEDGE_REVIEW: "pledge_review",
         ReopenKind.FILING: "filing"}[kind]: period}).first()
    if pending is not None:
        return {"pending": pending, "url": reverse("checks:reopen_list")}
    return {"pending": None, "url": reverse("checks:reopen_add", kwargs={"kind": kind, "pk": period.pk})}


def work_queue(*, user):
    """Requests to reopen waiting for the county (core.queue)."""
    from core.queue import LIMIT, QueueItem, QueueSection

    if not user.has_perm("checks.decide_reopenrequest"):
        return []
    pending = reopen_request_list(user=user, status=ReopenStatus.PENDING).order_by("requested_at", "pk")
    first = list(pending[:LIMIT])  # one query; the count only when there may be more
    if not first:
        return []
    total = len(first) if len(first) < LIMIT else pending.count()
    items = [QueueItem(title=r.period_label, url=r.get_absolute_url(), state=_("asks to be reopened"),
                       since=r.requested_at, detail=r.reason) for r in first]
    return [QueueSection(kind=_("Requests to reopen"), items=items, total=total,
                         list_url=reverse("checks:reopen_list"))]


HISTORY_SELECTORS = {
    "spotcheck": spot_check_get,
    "reopenrequest": reopen_request_get,
}
