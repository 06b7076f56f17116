"""Fulfilment pledges 履职承诺, their quarterly reviews and rectifications 整改, and each cadre's archive
村级干部档案."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.periods import Quarter, term_label
from core.scope import ScopedManager
from core.uploads import random_upload_path
from core.workflow import ReviewedPeriod
from villages.choices import Committee

from .choices import (
    ArchiveCategory,
    ItemCategory,
    ItemStatus,
    PledgeKind,
    RectificationStatus,
    RepresentativeMeeting,
)

PLEDGE_COMMITTEES = [(Committee.BRANCH.value, Committee.BRANCH.label),
                     (Committee.VILLAGE.value, Committee.VILLAGE.label)]


class Pledge(models.Model):
    """A term pledge 任期承诺 of a committee, or an annual pledge 年度履职承诺 of one cadre."""
    scope_path = "village"
    objects = ScopedManager()

    village = models.ForeignKey("villages.Village", models.PROTECT, related_name="pledges", verbose_name=_("village"))
    kind = models.CharField(_("kind"), max_length=10, choices=PledgeKind.choices)
    person = models.ForeignKey(
        "villages.Person", models.PROTECT, null=True, blank=True, related_name="pledges", verbose_name=_("cadre"),
        help_text=_("The cadre who pledges (annual pledges)."),
    )
    committee = models.CharField(
        _("committee"), max_length=20, choices=PLEDGE_COMMITTEES, blank=True,
        help_text=_("The committee that pledges (term pledges)."),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), help_text=_("Annual pledges: the year; term pledges: the first year of the term."))
    term_end_year = models.PositiveSmallIntegerField(_("term to (year)"), null=True, blank=True)
    party_assembly_date = models.DateField(_("adopted by the party-member assembly on"), null=True, blank=True)
    representative_meeting = models.CharField(
        _("representative meeting"), max_length=20, choices=RepresentativeMeeting.choices, blank=True
    )
    representative_meeting_date = models.DateField(_("adopted by the representative meeting on"), null=True, blank=True)
    publicly_pledged_date = models.DateField(_("publicly pledged on"), null=True, blank=True)
    copied_from = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="+", editable=False, verbose_name=_("copied from")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["village__code", "-year", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=PledgeKind.ANNUAL, person__isnull=False, committee="")
                           | Q(kind=PledgeKind.TERM, person__isnull=True, term_end_year__gt=F("year"))
                           & ~Q(committee="")),
                name="pledge_kind_fields",
            ),
            models.UniqueConstraint(
                fields=["person", "year"], condition=Q(kind=PledgeKind.ANNUAL), name="pledge_one_annual_per_cadre_year"
            ),
            models.UniqueConstraint(
                fields=["village", "committee", "year"], condition=Q(kind=PledgeKind.TERM),
                name="pledge_one_term_per_committee",
            ),
            models.CheckConstraint(
                condition=Q(publicly_pledged_date__isnull=True)
                | Q(party_assembly_date__isnull=False, representative_meeting_date__isnull=False),
                name="pledge_public_after_adoption",
            ),
        ]

    def __str__(self):
        if self.kind == PledgeKind.TERM:
            return _("%(village)s %(committee)s term pledge %(term)s") % {
                "village": self.village.name, "committee": self.get_committee_display(), "term": self.period_label,
            }
        return _("%(name)s annual pledge %(year)s") % {"name": self.person.name, "year": self.year}

    @property
    def period_label(self):
        if self.kind == PledgeKind.TERM and self.term_end_year:
            return term_label(self.year, self.term_end_year)
        return str(self.year)

    @property
    def missing_adoption_steps(self) -> list[str]:
        steps = []
        if not self.party_assembly_date:
            steps.append(_("party-member assembly"))
        if not self.representative_meeting_date:
            steps.append(_("representative meeting"))
        if not self.publicly_pledged_date:
            steps.append(_("public pledge"))
        return steps

    def get_absolute_url(self):
        return reverse("pledges:pledge_detail", kwargs={"pk": self.pk})

    def clean(self):
        errors = {}
        if self.kind == PledgeKind.ANNUAL:
            if not self.person_id:
                errors["person"] = _("An annual pledge is made by one cadre: choose the cadre.")
            self.committee = ""
            self.term_end_year = None
        elif self.kind == PledgeKind.TERM:
            self.person = None
            if not self.committee:
                errors["committee"] = _("A term pledge is made by a committee: choose the committee.")
            if not self.term_end_year or (self.year and self.term_end_year <= self.year):
                errors["term_end_year"] = _("The term must end after it starts.")
        if self.representative_meeting_date and not self.representative_meeting:
            errors["representative_meeting"] = _("Say which meeting adopted the pledge.")
        if self.publicly_pledged_date and not (self.party_assembly_date and self.representative_meeting_date):
            errors["publicly_pledged_date"] = _(
                "A pledge can be pledged publicly only after both the party-member assembly and the "
                "villager- or household-representative meeting have adopted it."
            )
        for name in ("representative_meeting_date", "publicly_pledged_date"):
            value = getattr(self, name)
            if (value and self.party_assembly_date and name == "publicly_pledged_date"
                    and value < self.party_assembly_date):
                errors[name] = _("The public pledge cannot come before the party-member assembly.")
        if errors:
            raise ValidationError(errors)


class PledgeItem(models.Model):
    scope_path = "pledge__village"
    objects = ScopedManager()

    pledge = models.ForeignKey(Pledge, models.CASCADE, related_name="items", verbose_name=_("pledge"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    category = models.CharField(_("category"), max_length=20, choices=ItemCategory.choices)
    commitment = models.TextField(_("commitment"))
    target = models.CharField(_("measurable target"), max_length=200, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pledge item")
        verbose_name_plural = _("pledge items")
        ordering = ["pledge", "position", "pk"]

    def __str__(self):
        return self.commitment[:40]


class QuarterlyReview(ReviewedPeriod):
    """The quarterly check of a village's cadres against their pledges, in front of members and representatives."""
    scope_path = "village"
    objects = ScopedManager()

    village = models.ForeignKey(
        "villages.Village", models.PROTECT, related_name="pledge_reviews", verbose_name=_("village")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=[(q, q) for q in (1, 2, 3, 4)])
    meeting_date = models.DateField(_("review meeting on"), null=True, blank=True)
    party_members_present = models.PositiveSmallIntegerField(_("party members present"), default=0)
    representatives_present = models.PositiveSmallIntegerField(_("villager representatives present"), default=0)
    supervisors_present = models.PositiveSmallIntegerField(_("supervision-group members present"), default=0)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quarterly pledge review")
        verbose_name_plural = _("quarterly pledge reviews")
        ordering = ["village__code", "-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["village", "year", "quarter"], name="pledgereview_one_per_quarter"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="pledgereview_quarter_range"),
        ]
        permissions = [
            ("submit_quarterlyreview", _("Can submit quarterly pledge reviews to the county")),
            ("accept_quarterlyreview", _("Can accept or return quarterly pledge reviews")),
        ]

    @property
    def period(self) -> Quarter:
        return Quarter(self.year, self.quarter)

    def period_label(self) -> str:
        return f"{self.village.name} {self.period.label}"

    def __str__(self):
        return self.period_label()

    def get_absolute_url(self):
        return reverse("pledges:review_detail", kwargs={"code": self.village.code, "quarter": str(self.period)})

    def clean(self):
        if self.meeting_date and self.year and self.meeting_date.year not in (self.year, self.year + 1):
            raise ValidationError({"meeting_date": _("The meeting date does not fit the quarter reviewed.")})


class ItemReview(models.Model):
    scope_path = "review__village"
    objects = ScopedManager()

    review = models.ForeignKey(QuarterlyReview, models.CASCADE, related_name="item_reviews", verbose_name=_("review"))
    item = models.ForeignKey(PledgeItem, models.PROTECT, related_name="reviews", verbose_name=_("pledge item"))
    status = models.CharField(_("status"), max_length=20, choices=ItemStatus.choices)
    comment = models.TextField(_("comment"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("item review")
        verbose_name_plural = _("item reviews")
        constraints = [models.UniqueConstraint(fields=["review", "item"], name="itemreview_one_per_item")]

    def __str__(self):
        return f"{self.review} · {self.item}"


class Rectification(models.Model):
    """A problem found in a quarterly review, followed until it is rectified and verified 整改."""
    scope_path = "village"
    objects = ScopedManager()

    village = models.ForeignKey(
        "villages.Village", models.PROTECT, related_name="rectifications", verbose_name=_("village")
    )
    review = models.ForeignKey(
        QuarterlyReview, models.PROTECT, related_name="rectifications", verbose_name=_("found in review")
    )
    item = models.ForeignKey(
        PledgeItem, models.PROTECT, null=True, blank=True, related_name="rectifications", verbose_name=_("pledge item")
    )
    problem = models.TextField(_("problem and what is to be rectified"))
    responsible = models.CharField(_("responsible"), max_length=60)
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=10, choices=RectificationStatus.choices,
                              default=RectificationStatus.OPEN)
    verified_how = models.TextField(_("how it was verified"), blank=True)
    verified_on = models.DateField(_("verified on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        ordering = ["deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=RectificationStatus.OPEN) | (Q(verified_on__isnull=False) & ~Q(verified_how="")),
                name="rectification_done_is_verified",
            ),
        ]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self):
        return self.problem[:40]

    def get_absolute_url(self):
        return reverse("pledges:rectification_edit", kwargs={"pk": self.pk})

    def clean(self):
        if self.status == RectificationStatus.DONE and not (self.verified_on and self.verified_how.strip()):
            raise ValidationError(
                {"verified_how": _("Say how and when the rectification was verified before closing it.")})


def archive_upload_to(instance, filename):
    """Stored under a random name: the original name is kept in the row, never in the path."""
    return random_upload_path("pledges/archive", filename)


class ArchiveEntry(models.Model):
    """One piece of material in a cadre's archive. Never deleted: withdrawing keeps it, marked with who and why."""
    scope_path = "village"
    objects = ScopedManager()

    person = models.ForeignKey("villages.Person", models.PROTECT, related_name="archive_entries",
                               verbose_name=_("cadre"))
    village = models.ForeignKey(
        "villages.Village", models.PROTECT, related_name="archive_entries", verbose_name=_("village"), editable=False
    )
    category = models.CharField(_("category"), max_length=20, choices=ArchiveCategory.choices)
    title = models.CharField(_("title"), max_length=120)
    date = models.DateField(_("date of the material"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    file = models.FileField(_("file"), upload_to=archive_upload_to, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=200, editable=False)
    content_type = models.CharField(_("file type"), max_length=50, editable=False)
    size = models.PositiveIntegerField(_("size (bytes)"), editable=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", editable=False, verbose_name=_("added by")
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", editable=False,
        verbose_name=_("withdrawn by"),
    )
    withdrawal_reason = models.TextField(_("reason for withdrawing"), blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("archive entry")
        verbose_name_plural = _("archive entries")
        ordering = ["person", "category", "-date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | (Q(withdrawn_by__isnull=False) & ~Q(withdrawal_reason="")),
                name="archiveentry_withdrawn_says_who_and_why",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_withdrawn(self):
        return self.withdrawn_at is not None

    def get_absolute_url(self):
        return reverse("pledges:archive_detail", kwargs={"pk": self.person_id})


class PledgeQuarterSummary(models.Model):
    """A village-quarter's pledge review as the quarterly report and the dashboard read it (core.summaries), kept in
    step by the services in the same transaction as every write to the review, its item checks and rectifications.
    Overdue rectifications depend on today and are counted when read."""

    scope_path = "village"
    objects = ScopedManager()

    review = models.OneToOneField(QuarterlyReview, models.CASCADE, primary_key=True, related_name="summary",
                                  verbose_name=_("review"))
    village = models.ForeignKey("villages.Village", models.CASCADE, related_name="+", verbose_name=_("village"))
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    status = models.CharField(_("status"), max_length=20)
    meeting_held = models.BooleanField(_("review meeting held"))
    items_checked = models.PositiveIntegerField(_("items checked"))
    items_done = models.PositiveIntegerField(_("done"))
    items_behind = models.PositiveIntegerField(_("behind or not started"))
    rect_opened = models.PositiveIntegerField(_("rectifications opened"))
    rect_done = models.PositiveIntegerField(_("rectified"))

    class Meta:
        verbose_name = _("pledge review summary")
        verbose_name_plural = _("pledge review summaries")
        indexes = [models.Index(fields=["year", "quarter", "village"])]
