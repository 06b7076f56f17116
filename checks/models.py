"""County spot-checks 抽查 of accepted village-months, and townships' requests to reopen an accepted period.

A SpotCheck is one draw: the quarter, the seed and the weighting, so that checks.sampling.draw() given the same
candidates, flags and seed gives the same sample (the flagged villages at the time of the draw are stored with it).
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.periods import Month, Quarter
from core.scope import SCOPE_COUNTY, SCOPE_TOWNSHIP, ScopedManager

from .choices import ReopenKind, ReopenStatus, Verdict


class SpotCheck(models.Model):
    scope_via = SCOPE_COUNTY
    scope_path = "county"
    objects = ScopedManager()

    county = models.ForeignKey("villages.County", models.PROTECT, related_name="spot_checks", verbose_name=_("county"))
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=[(q, q) for q in (1, 2, 3, 4)])
    seed = models.BigIntegerField(_("random seed"))
    per_township = models.PositiveSmallIntegerField(_("village-months per township"))
    flagged_weight = models.PositiveSmallIntegerField(_("weight of a flagged village"))
    flagged_villages = models.JSONField(_("villages flagged at the draw"), default=list, editable=False)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", editable=False,
                                 verbose_name=_("drawn by"))
    drawn_at = models.DateTimeField(_("drawn at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("spot-check")
        verbose_name_plural = _("spot-checks")
        ordering = ["-year", "-quarter", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="spotcheck_quarter_range"),
            models.CheckConstraint(condition=Q(per_township__gte=1), name="spotcheck_sample_size"),
            models.CheckConstraint(condition=Q(flagged_weight__gte=1), name="spotcheck_weight"),
        ]

    @property
    def period(self) -> Quarter:
        return Quarter(self.year, self.quarter)

    def __str__(self):
        return _("Spot-check %(quarter)s (seed %(seed)s)") % {"quarter": self.period.label, "seed": self.seed}

    def get_absolute_url(self):
        return reverse("checks:spotcheck_detail", kwargs={"pk": self.pk})


class SpotCheckSample(models.Model):
    """One sampled village-month of a draw, in the order drawn."""
    scope_path = "review__village"
    objects = ScopedManager()

    spot_check = models.ForeignKey(SpotCheck, models.CASCADE, related_name="samples", verbose_name=_("spot-check"))
    review = models.ForeignKey("members.MonthlyReview", models.PROTECT, related_name="spot_check_samples",
                               verbose_name=_("month"))
    position = models.PositiveSmallIntegerField(_("order drawn"))
    flagged = models.BooleanField(_("flagged village"), default=False)

    class Meta:
        verbose_name = _("sampled village-month")
        verbose_name_plural = _("sampled village-months")
        ordering = ["spot_check", "position"]
        constraints = [
            models.UniqueConstraint(fields=["spot_check", "review"], name="spotcheck_sample_once"),
        ]

    def __str__(self):
        return self.review.period_label()

    @property
    def month(self) -> Month:
        return Month(self.review.year, self.review.month)

    def get_absolute_url(self):
        return reverse("checks:sample_check", kwargs={"pk": self.pk})


class SpotCheckFinding(models.Model):
    """The checker's verdict on one member's rating in a sampled month (with the rating as it stood)."""
    scope_path = "sample__review__village"
    objects = ScopedManager()

    sample = models.ForeignKey(SpotCheckSample, models.CASCADE, related_name="findings",
                               verbose_name=_("sampled village-month"))
    member = models.ForeignKey("members.PartyMember", models.PROTECT, related_name="+",
                               verbose_name=_("party member"))
    rating = models.CharField(_("rating checked"), max_length=40)
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", editable=False,
                                   verbose_name=_("checked by"))
    checked_at = models.DateTimeField(_("checked at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("spot-check finding")
        verbose_name_plural = _("spot-check findings")
        ordering = ["sample", "member__person__name"]
        constraints = [
            models.UniqueConstraint(fields=["sample", "member"], name="spotcheck_finding_once"),
        ]

    def __str__(self):
        return f"{self.member} {self.get_verdict_display()}"


class ReopenRequest(models.Model):
    """A township asks the county to return an accepted period (a village-month, a pledge review, a filing)."""
    scope_via = SCOPE_TOWNSHIP
    scope_path = "township"
    objects = ScopedManager()

    kind = models.CharField(_("kind"), max_length=20, choices=ReopenKind.choices)
    township = models.ForeignKey("villages.Township", models.PROTECT, related_name="reopen_requests",
                                 verbose_name=_("township"))
    monthly_review = models.ForeignKey("members.MonthlyReview", models.CASCADE, null=True, blank=True,
                                       related_name="reopen_requests", verbose_name=_("month"))
    pledge_review = models.ForeignKey("pledges.QuarterlyReview", models.CASCADE, null=True, blank=True,
                                      related_name="reopen_requests", verbose_name=_("quarterly pledge review"))
    filing = models.ForeignKey("assemblies.Filing", models.CASCADE, null=True, blank=True,
                               related_name="reopen_requests", verbose_name=_("quarterly filing"))
    period_label = models.CharField(_("period"), max_length=120, editable=False)
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=10, choices=ReopenStatus.choices, default=ReopenStatus.PENDING)
    answer = models.TextField(_("county's answer"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", editable=False,
                                     verbose_name=_("asked by"))
    requested_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
                                   editable=False, verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("request to reopen")
        verbose_name_plural = _("requests to reopen")
        ordering = ["-requested_at", "-pk"]
        permissions = [("decide_reopenrequest", _("Can approve or decline requests to reopen"))]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=ReopenKind.MONTH, monthly_review__isnull=False, pledge_review__isnull=True,
                             filing__isnull=True)
                           | Q(kind=ReopenKind.PLEDGE_REVIEW, monthly_review__isnull=True,
                               pledge_review__isnull=False, filing__isnull=True)
                           | Q(kind=ReopenKind.FILING, monthly_review__isnull=True, pledge_review__isnull=True,
                               filing__isnull=False)),
                name="reopen_one_period_of_its_kind"),
            models.UniqueConstraint(fields=["monthly_review"], condition=Q(status=ReopenStatus.PENDING),
                                    name="reopen_one_pending_month"),
            models.UniqueConstraint(fields=["pledge_review"], condition=Q(status=ReopenStatus.PENDING),
                                    name="reopen_one_pending_pledgereview"),
            models.UniqueConstraint(fields=["filing"], condition=Q(status=ReopenStatus.PENDING),
                                    name="reopen_one_pending_filing"),
        ]

    def __str__(self):
        return self.period_label

    @property
    def period(self):
        return self.monthly_review or self.pledge_review or self.filing

    def get_absolute_url(self):
        return reverse("checks:reopen_decide", kwargs={"pk": self.pk})
