"""The review workflow every period record shares: draft → submitted (township) → accepted (county, locked);
the county can return a submission, or reopen an accepted one, with a reason, which unlocks it.

A model inherits ReviewedPeriod; its app's services wrap review_submit / review_accept / review_return with the
scope and permission checks, and call assert_writable() before any write to the period or its rows, so a
locked period refuses writes from every path (pages, imports, admin, services) with a message that says why.
Concurrent edits: a save passes the version it started from; version_claim() refuses a stale one.
"""
from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", gettext_lazy("Draft")
    SUBMITTED = "submitted", gettext_lazy("Submitted")
    ACCEPTED = "accepted", gettext_lazy("Accepted (locked)")
    RETURNED = "returned", gettext_lazy("Returned")


class PeriodLocked(ValidationError):
    """A write to a period the county has accepted."""


class StaleEdit(ValidationError):
    """A save based on an older version than the one stored (someone else saved in between)."""


class ReviewedPeriod(models.Model):
    status = models.CharField(
        gettext_lazy("status"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    version = models.PositiveIntegerField(gettext_lazy("version"), default=0, editable=False)
    submitted_at = models.DateTimeField(gettext_lazy("submitted at"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", editable=False,
        verbose_name=gettext_lazy("submitted by"),
    )
    accepted_at = models.DateTimeField(gettext_lazy("accepted at"), null=True, blank=True, editable=False)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", editable=False,
        verbose_name=gettext_lazy("accepted by"),
    )
    returned_at = models.DateTimeField(gettext_lazy("returned at"), null=True, blank=True, editable=False)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", editable=False,
        verbose_name=gettext_lazy("returned by"),
    )
    return_reason = models.TextField(gettext_lazy("reason for returning"), blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def is_locked(self) -> bool:
        return self.status == ReviewStatus.ACCEPTED

    @property
    def is_editable(self) -> bool:
        return self.status in (ReviewStatus.DRAFT, ReviewStatus.RETURNED)

    def period_label(self) -> str:
        """How messages name this period, e.g. 上坪村 2007年5月. Subclasses override."""
        return str(self)

    def lock_message(self) -> str:
        return _(
            "%(period)s was accepted by the county on %(date)s and is locked. "
            "To change it, ask the county organization department to return it."
        ) % {
            "period": self.period_label(),
            "date": date_format(timezone.localtime(self.accepted_at), "Y-m-d") if self.accepted_at else "—",
        }


def assert_writable(period: ReviewedPeriod) -> None:
    """Refuse any write to an accepted (locked) period, saying why."""
    if period.is_locked:
        raise PeriodLocked(period.lock_message(), code="period_locked")


def assert_editable_by_township(period: ReviewedPeriod) -> None:
    """Township edits are for drafts and returned periods; once submitted the county has it."""
    assert_writable(period)
    if period.status == ReviewStatus.SUBMITTED:
        raise PeriodLocked(
            _("%(period)s has been submitted and is waiting for the county. "
              "It can be changed again if the county returns it.") % {"period": period.period_label()},
            code="period_submitted",
        )


def version_claim(period: ReviewedPeriod, *, expected_version: int | None) -> None:
    """Atomically move the period to version+1 if nobody saved since `expected_version`; refuse otherwise.

    Call inside the save's transaction, before writing the rows."""
    model = type(period)
    if expected_version is None:
        expected_version = period.version
    updated = model._default_manager.filter(pk=period.pk, version=expected_version).update(version=F("version") + 1)
    if not updated:
        period.refresh_from_db()
        raise StaleEdit(
            _("%(period)s was saved by someone else after you opened it. Reload the page to see their "
              "changes, then enter yours again; nothing of yours was saved.") % {"period": period.period_label()},
            code="stale_edit",
        )
    period.version = expected_version + 1


def _transition(period: ReviewedPeriod, *, user, allowed_from, to, **fields) -> ReviewedPeriod:
    if period.status not in allowed_from:
        raise ValidationError(
            _("%(period)s is %(status)s; it cannot be %(action)s now.") % {
                "period": period.period_label(),
                "status": period.get_status_display(),
                "action": {
                    ReviewStatus.SUBMITTED: _("submitted"),
                    ReviewStatus.ACCEPTED: _("accepted"),
                    ReviewStatus.RETURNED: _("returned"),
                }[to],
            },
            code="bad_transition",
        )
    period.status = to
    for name, value in fields.items():
        setattr(period, name, value)
    period._history_user = user
    period.full_clean()
    period.save()
    return period


def review_submit(*, period: ReviewedPeriod, user) -> ReviewedPeriod:
    return _transition(
        period, user=user, allowed_from=(ReviewStatus.DRAFT, ReviewStatus.RETURNED), to=ReviewStatus.SUBMITTED,
        submitted_at=timezone.now(), submitted_by=user,
    )


def review_accept(*, period: ReviewedPeriod, user) -> ReviewedPeriod:
    return _transition(
        period, user=user, allowed_from=(ReviewStatus.SUBMITTED,), to=ReviewStatus.ACCEPTED,
        accepted_at=timezone.now(), accepted_by=user,
    )


def review_return(*, period: ReviewedPeriod, user, reason: str) -> ReviewedPeriod:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why it is returned: the township sees this reason.")}, code="no_reason")
    return _transition(
        period, user=user, allowed_from=(ReviewStatus.SUBMITTED, ReviewStatus.ACCEPTED), to=ReviewStatus.RETURNED,
        returned_at=timezone.now(), returned_by=user, return_reason=reason,
    )


def next_waiting(periods, *, order_by: str, after: str):
    """The reviewer's next stop: of `periods` (one period's records, already narrowed to the user's scope), the
    first submitted one whose `order_by` (a village or township code) comes after `after`; None when there is none."""
    return (periods.filter(status=ReviewStatus.SUBMITTED, **{f"{order_by}__gt": after}).order_by(order_by).first())
