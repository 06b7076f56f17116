"""Writes of checks/: the spot-check draw and its findings; requests to reopen and the county's decision.

Approving a request returns the period through its own app's return service (members, pledges, assemblies), with
the township's reason; so the period's own rules (scope, permission, summaries) hold as for any return."""
from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assemblies import services as assembly_services
from core.periods import Quarter
from core.scope import scope_for, township_assert_in_scope
from members import selectors as member_selectors
from members import services as member_services
from pledges import services as pledge_services

from .choices import ReopenKind, ReopenStatus, Verdict
from .models import ReopenRequest, SpotCheck, SpotCheckFinding, SpotCheckSample
from .sampling import DEFAULT_FLAGGED_WEIGHT, Candidate, draw


def _assert_perm(user, perm: str, message: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied(message)


# ---------------------------------------------------------------- spot-checks

def spot_check_candidates(*, user, quarter: Quarter) -> list[Candidate]:
    return [Candidate(r.village.township.code, r.village.code, r.month, r.pk, r.village_id)
            for r in member_selectors.accepted_month_list(user=user, quarter=quarter)]


def spot_check_flagged(*, user, quarter: Quarter) -> set[int]:
    months = quarter.months
    return set(member_selectors.village_flag_marks(user=user, year=quarter.year, month_from=months[0].month,
                                                   month_to=months[-1].month)["flagged"])


@transaction.atomic
def spot_check_draw(*, user, quarter: Quarter, per_township: int,
                    flagged_weight: int = DEFAULT_FLAGGED_WEIGHT, seed: int | None = None) -> SpotCheck:
    """Draw and store a sample of the quarter's accepted village-months of the user's county (checks.sampling)."""
    _assert_perm(user, "checks.add_spotcheck", _("Only the county organization department draws spot-checks."))
    county_id = scope_for(user).county_id
    if county_id is None:
        raise PermissionDenied(_("A spot-check is drawn by a county's official."))
    if seed is None:
        seed = secrets.randbelow(10**9)
    candidates = spot_check_candidates(user=user, quarter=quarter)
    if not candidates:
        raise ValidationError(_("No village-month of %(quarter)s has been accepted yet; nothing to draw from.")
                              % {"quarter": quarter.label})
    flagged = spot_check_flagged(user=user, quarter=quarter)
    check = SpotCheck(county_id=county_id, year=quarter.year, quarter=quarter.quarter, seed=seed,
                      per_township=per_township, flagged_weight=flagged_weight, flagged_villages=sorted(flagged),
                      drawn_by=user)
    check._history_user = user
    check.full_clean()
    check.save()
    chosen = draw(candidates, flagged=flagged, seed=seed, per_township=per_township, flagged_weight=flagged_weight)
    SpotCheckSample.objects.bulk_create([
        SpotCheckSample(spot_check=check, review_id=c.review_id, position=i, flagged=c.village_id in flagged)
        for i, c in enumerate(chosen, start=1)])
    return check


@dataclass
class FindingEntry:
    member_id: int
    verdict: str  # a Verdict, or "" for not checked yet
    note: str = ""


@transaction.atomic
def spot_check_findings_record(*, user, sample: SpotCheckSample, entries: list[FindingEntry]) -> int:
    """Record the checker's verdict per member of a sampled month (a blank verdict leaves the member unchecked);
    the rating checked is stored as it stands. A dispute needs a note. Returns how many verdicts are stored."""
    _assert_perm(user, "checks.change_spotcheckfinding",
                 _("Only the county organization department records spot-check findings."))
    results = {r.member_id: r for r in member_selectors.monthly_result_list(user=user, review=sample.review)}
    errors = []
    for entry in entries:
        if entry.verdict == Verdict.DISPUTED and not entry.note.strip():
            errors.append(_("%(member)s: say what the check found (a note) when the rating is not confirmed.")
                          % {"member": results[entry.member_id].member.person.name})
    if errors:
        raise ValidationError(errors)
    stored = 0
    for entry in entries:
        result = results.get(entry.member_id)
        if result is None:
            raise ValidationError(_("That member has no result in this month."))
        if not entry.verdict:
            SpotCheckFinding.objects.filter(sample=sample, member_id=entry.member_id).delete()
            continue
        finding = (SpotCheckFinding.objects.filter(sample=sample, member_id=entry.member_id).first()
                   or SpotCheckFinding(sample=sample, member_id=entry.member_id))
        finding.rating = result.get_rating_display()
        finding.verdict, finding.note, finding.checked_by = entry.verdict, entry.note.strip(), user
        finding._history_user = user
        finding.full_clean()
        finding.save()
        stored += 1
    return stored


# ---------------------------------------------------------------- requests to reopen

def _township_of(period):
    return period.township if hasattr(period, "township") else period.village.township


_FIELD = {ReopenKind.MONTH: "monthly_review", ReopenKind.PLEDGE_REVIEW: "pledge_review",
          ReopenKind.FILING: "filing"}


@transaction.atomic
def reopen_request_create(*, user, kind: str, period, reason: str) -> ReopenRequest:
    """A township asks the county to return an accepted period, saying why."""
    _assert_perm(user, "checks.add_reopenrequest", _("Only township staff ask the county to reopen a period."))
    township = _township_of(period)
    township_assert_in_scope(user=user, township=township)
    if not period.is_locked:
        raise ValidationError(_("%(period)s is not accepted (locked); there is nothing to reopen.")
                              % {"period": period.period_label()})
    if ReopenRequest.objects.filter(**{_FIELD[kind]: period, "status": ReopenStatus.PENDING}).exists():
        raise ValidationError(_("A request to reopen %(period)s is already waiting for the county.")
                              % {"period": period.period_label()})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the period should be reopened: the county decides on it.")})
    request = ReopenRequest(kind=kind, township=township, period_label=period.period_label(), reason=reason,
                            requested_by=user, **{_FIELD[kind]: period})
    request._history_user = user
    request.full_clean()
    request.save()
    return request


def _decide(request: ReopenRequest, *, user, status: str, answer: str) -> ReopenRequest:
    request = ReopenRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != ReopenStatus.PENDING:
        raise ValidationError(_("This request was already decided (%(status)s).")
                              % {"status": request.get_status_display()})
    request.status, request.answer = status, answer
    request.decided_by, request.decided_at = user, timezone.now()
    request._history_user = user
    request.full_clean()
    request.save()
    return request


def _assert_decider(user, request: ReopenRequest) -> None:
    _assert_perm(user, "checks.decide_reopenrequest",
                 _("Only the county organization department decides on requests to reopen."))
    scope = scope_for(user)
    if not (scope.level == "all" or (scope.level == "county" and request.township.county_id == scope.county_id)):
        raise PermissionDenied(_("Only the county organization department decides on requests to reopen."))


@transaction.atomic
def reopen_request_approve(*, user, request: ReopenRequest, answer: str = "") -> ReopenRequest:
    """Return the period with the township's reason (through its app's return service) and close the request."""
    _assert_decider(user, request)
    request = _decide(request, user=user, status=ReopenStatus.APPROVED, answer=(answer or "").strip())
    reason = _("Reopened at the township's request: %(reason)s") % {"reason": request.reason}
    if request.kind == ReopenKind.MONTH:
        member_services.monthly_review_return(user=user, review=request.monthly_review, reason=reason)
    elif request.kind == ReopenKind.PLEDGE_REVIEW:
        pledge_services.quarterly_review_return(user=user, review=request.pledge_review, reason=reason)
    else:
        assembly_services.filing_return(user=user, filing=request.filing, reason=reason)
    return request


@transaction.atomic
def reopen_request_decline(*, user, request: ReopenRequest, answer: str) -> ReopenRequest:
    """Decline, answering the township (the answer is required: it is all the township hears)."""
    _assert_decider(user, request)
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Say why the request is declined: the township sees this answer.")})
    return _decide(request, user=user, status=ReopenStatus.DECLINED, answer=answer)
