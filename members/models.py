from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.periods import Month
from core.scope import SCOPE_COUNTY, ScopedManager
from core.uploads import random_upload_path
from core.workflow import ReviewedPeriod

from .choices import (
    DispositionKind,
    DispositionOutcome,
    MembershipKind,
    MembershipStatus,
    ObjectionStatus,
    Rating,
    RuleCategory,
    RuleKind,
    WarningOutcome,
)


class PartyMember(models.Model):
    """A person's party membership in a village branch; its history keeps every change of kind or status."""
    scope_path = "village"
    objects = ScopedManager()

    person = models.OneToOneField(
        "villages.Person", models.PROTECT, related_name="membership", verbose_name=_("person")
    )
    village = models.ForeignKey(
        "villages.Village", models.PROTECT, related_name="party_members", verbose_name=_("village branch")
    )
    joined_date = models.DateField(_("joined the party"))
    kind = models.CharField(_("kind"), max_length=20, choices=MembershipKind.choices, default=MembershipKind.FULL)
    status = models.CharField(
        _("status"), max_length=20, choices=MembershipStatus.choices, default=MembershipStatus.ACTIVE
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        ordering = ["village__code", "person__name", "pk"]
        indexes = [models.Index(fields=["village", "status"])]

    def __str__(self):
        return str(self.person)

    def get_absolute_url(self):
        return reverse("villages:person_detail", kwargs={"pk": self.person_id})


class CountyPolicy(models.Model):
    """The county's thresholds for the bottom-line assessment: when a month is late, when year totals suggest a
    warning or a disposition review, and how far from the county a village's figures must be to be flagged."""
    scope_via = SCOPE_COUNTY
    scope_path = "county"
    objects = ScopedManager()

    county = models.OneToOneField("villages.County", models.CASCADE, related_name="member_policy",
                                  verbose_name=_("county"))
    submission_due_days = models.PositiveSmallIntegerField(
        _("days after the month to submit"), default=10,
        help_text=_("A month submitted later than this many days after its end counts as late."))
    warning_points = models.PositiveSmallIntegerField(
        _("year deduction points suggesting a warning"), default=6)
    disposition_points = models.PositiveSmallIntegerField(
        _("year deduction points suggesting a disposition review"), default=12)
    flag_z = models.DecimalField(
        _("z-score that flags a village"), max_digits=4, decimal_places=2, default=Decimal("2.00"),
        help_text=_("A village is flagged when its excellent share is this many standard deviations above the "
                    "county's villages, or its deduction rate this many below."))
    notice_working_days = models.PositiveSmallIntegerField(
        _("working days a public notice is open to objections"), default=5,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_("Counted from the posting date, Monday to Friday."))
    notice_public_days = models.PositiveSmallIntegerField(
        _("days the online notice stays up after its window"), default=90,
        help_text=_("After these days the notice's public address no longer opens."))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("county assessment policy")
        verbose_name_plural = _("county assessment policies")
        constraints = [
            models.CheckConstraint(condition=Q(disposition_points__gte=F("warning_points")),
                                   name="countypolicy_disposition_above_warning"),
            models.CheckConstraint(condition=Q(flag_z__gt=0), name="countypolicy_flag_z_positive"),
            models.CheckConstraint(condition=Q(notice_working_days__gte=1), name="countypolicy_notice_days_positive"),
        ]

    def __str__(self):
        return str(self.county)

    def clean(self):
        if self.warning_points and self.disposition_points and self.disposition_points < self.warning_points:
            raise ValidationError(
                {"disposition_points": _("The disposition threshold cannot be below the warning threshold.")})


class BasicRequirement(models.Model):
    """An item of the county's template of basic requirements 基本要求 that every village adopts."""
    scope_via = SCOPE_COUNTY
    scope_path = "county"
    objects = ScopedManager()

    county = models.ForeignKey("villages.County", models.PROTECT, related_name="basic_requirements",
                               verbose_name=_("county"))
    number = models.PositiveSmallIntegerField(_("number"))
    category = models.CharField(_("category"), max_length=20, choices=RuleCategory.choices)
    text = models.CharField(_("requirement"), max_length=200)
    points = models.PositiveSmallIntegerField(_("points deducted"),
                                              validators=[MinValueValidator(1), MaxValueValidator(20)])
    active = models.BooleanField(_("in the template"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("basic requirement")
        verbose_name_plural = _("basic requirements")
        ordering = ["county", "number"]
        constraints = [
            models.UniqueConstraint(fields=["county", "number"], name="basicrequirement_unique_number"),
            models.CheckConstraint(condition=Q(points__gte=1), name="basicrequirement_points_positive"),
        ]

    def __str__(self):
        return f"{self.number}. {self.text}"


class RuleSet(models.Model):
    """A village's bottom lines 管理底线 for a year, adopted at a party-member assembly. Rules that scores refer
    to are never removed: a change makes a new version."""
    scope_path = "village"
    objects = ScopedManager()

    village = models.ForeignKey("villages.Village", models.PROTECT, related_name="rule_sets", verbose_name=_("village"))
    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    adopted_date = models.DateField(_("adopted at the party-member assembly on"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        ordering = ["village__code", "-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["village", "year", "version"], name="ruleset_unique_version"),
            models.CheckConstraint(condition=Q(version__gte=1), name="ruleset_version_positive"),
        ]

    def __str__(self):
        return _("%(village)s %(year)d bottom lines (version %(version)d)") % {
            "village": self.village.name, "year": self.year, "version": self.version}

    def get_absolute_url(self):
        return reverse("members:ruleset_detail", kwargs={"pk": self.pk})


class Rule(models.Model):
    scope_path = "rule_set__village"
    objects = ScopedManager()

    rule_set = models.ForeignKey(RuleSet, models.PROTECT, related_name="rules", verbose_name=_("rule set"))
    number = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=10, choices=RuleKind.choices)
    category = models.CharField(_("category"), max_length=20, choices=RuleCategory.choices)
    text = models.CharField(_("rule"), max_length=200)
    points = models.PositiveSmallIntegerField(_("points deducted"),
                                              validators=[MinValueValidator(1), MaxValueValidator(20)])
    requirement = models.ForeignKey(BasicRequirement, models.SET_NULL, null=True, blank=True, related_name="+",
                                    verbose_name=_("from the county template"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rule")
        verbose_name_plural = _("rules")
        ordering = ["rule_set", "number"]
        constraints = [
            models.UniqueConstraint(fields=["rule_set", "number"], name="rule_unique_number"),
            models.CheckConstraint(condition=Q(points__gte=1), name="rule_points_positive"),
        ]

    def __str__(self):
        return _("No. %(number)d %(text)s (−%(points)d)") % {
            "number": self.number, "text": self.text, "points": self.points}


def minutes_upload_to(instance, filename):
    """Minutes are stored under a random name (core.uploads); they are served only through the month's view."""
    return random_upload_path("members/minutes", filename)


class MonthlyReview(ReviewedPeriod):
    """A village's month: the assessment of all its active members, the review meeting and the public posting."""
    scope_path = "village"
    objects = ScopedManager()

    village = models.ForeignKey("villages.Village", models.PROTECT, related_name="monthly_reviews",
                                verbose_name=_("village"))
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    rule_set = models.ForeignKey(RuleSet, models.PROTECT, related_name="reviews", verbose_name=_("rule set"))
    due_date = models.DateField(_("due"), editable=False)
    meeting_date = models.DateField(_("review meeting on"), null=True, blank=True)
    attendance = models.PositiveSmallIntegerField(_("members attending"), null=True, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_file = models.FileField(_("minutes (scan or document)"), upload_to=minutes_upload_to, blank=True)
    posted_date = models.DateField(_("results posted publicly on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("monthly review")
        verbose_name_plural = _("monthly reviews")
        ordering = ["village__code", "-year", "-month"]
        permissions = [
            ("submit_monthlyreview", _("Can submit a month to the county")),
            ("review_monthlyreview", _("Can accept or return a submitted month")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["village", "year", "month"], name="monthlyreview_unique_month"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="monthlyreview_month_range"),
        ]
        indexes = [models.Index(fields=["year", "month"])]

    def __str__(self):
        return self.period_label()

    @property
    def period(self) -> Month:
        return Month(self.year, self.month)

    def period_label(self) -> str:
        return _("%(village)s %(year)d-%(month)02d") % {
            "village": self.village.name, "year": self.year, "month": self.month}

    def get_absolute_url(self):
        return reverse("members:monthlyreview_grid", kwargs={"code": self.village.code, "month": str(self.period)})

    @property
    def has_minutes(self) -> bool:
        return bool(self.minutes.strip() or self.minutes_file)

    def clean(self):
        errors = {}
        if self.rule_set_id and self.village_id and self.rule_set.village_id != self.village_id:
            errors["rule_set"] = _("The rule set belongs to another village.")
        if self.rule_set_id and self.year and self.rule_set.year != self.year:
            errors["rule_set"] = _("The rule set is for another year.")
        if self.meeting_date and self.posted_date and self.posted_date < self.meeting_date:
            errors["posted_date"] = _("The results cannot be posted before the review meeting.")
        if errors:
            raise ValidationError(errors)


class MonthlyResult(models.Model):
    """One member's result for one month: qualified (the default), excellent with a reason, or deducted."""
    scope_path = "review__village"
    objects = ScopedManager()

    review = models.ForeignKey(MonthlyReview, models.CASCADE, related_name="results", verbose_name=_("month"))
    member = models.ForeignKey(PartyMember, models.PROTECT, related_name="results", verbose_name=_("party member"))
    rating = models.CharField(_("result"), max_length=10, choices=Rating.choices, default=Rating.QUALIFIED)
    excellent_reason = models.CharField(_("reason for excellent"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("monthly result")
        verbose_name_plural = _("monthly results")
        ordering = ["review", "member__person__name", "pk"]
        permissions = [("import_monthlyresult", _("Can import monthly results and rosters from Excel"))]
        constraints = [
            models.UniqueConstraint(fields=["review", "member"], name="monthlyresult_unique_member"),
            models.CheckConstraint(condition=~Q(rating="excellent") | ~Q(excellent_reason=""),
                                   name="monthlyresult_excellent_has_reason"),
        ]
        indexes = [models.Index(fields=["member", "rating"])]

    def __str__(self):
        return f"{self.review} {self.member}"

    @property
    def is_excellent(self) -> bool:
        """Rated 优 (for apps above members, which read results through its selectors, not its choices)."""
        return self.rating == Rating.EXCELLENT

    def get_absolute_url(self):
        return self.review.get_absolute_url()

    def clean(self):
        if self.rating == Rating.EXCELLENT and not self.excellent_reason.strip():
            raise ValidationError({"excellent_reason": _("Give the reason for rating the member excellent.")})


class Deduction(models.Model):
    """A deduction under one rule of the village's rule set, and the talk 谈话教育 that follows it."""
    scope_path = "result__review__village"
    objects = ScopedManager()

    result = models.ForeignKey(MonthlyResult, models.CASCADE, related_name="deductions", verbose_name=_("result"))
    rule = models.ForeignKey(Rule, models.PROTECT, related_name="deductions", verbose_name=_("rule"))
    points = models.PositiveSmallIntegerField(_("points"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    talk_by = models.CharField(_("talked to by"), max_length=30, blank=True)
    talk_date = models.DateField(_("talked on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deduction")
        verbose_name_plural = _("deductions")
        ordering = ["result", "rule__number", "pk"]
        constraints = [
            # A rule counts once per member and month (monthly_grid_save says so at the member's row).
            models.UniqueConstraint(fields=["result", "rule"], name="deduction_unique_rule"),
            models.CheckConstraint(condition=Q(points__gte=1), name="deduction_points_positive"),
            models.CheckConstraint(condition=Q(talk_date__isnull=True) | ~Q(talk_by=""),
                                   name="deduction_talk_names_who"),
        ]

    def __str__(self):
        return f"{self.result} −{self.points}"

    @property
    def has_talk(self) -> bool:
        return self.talk_date is not None

    def get_absolute_url(self):
        return self.result.review.get_absolute_url()

    def clean(self):
        errors = {}
        if self.talk_date and not self.talk_by.strip():
            errors["talk_by"] = _("Say who held the talk.")
        if self.talk_by.strip() and not self.talk_date:
            errors["talk_date"] = _("Give the date of the talk.")
        if errors:
            raise ValidationError(errors)


class MemberWarning(models.Model):
    """不作为党员告诫: a warning to an inactive member, with a deadline and its outcome."""
    scope_path = "member__village"
    objects = ScopedManager()

    member = models.ForeignKey(PartyMember, models.PROTECT, related_name="warnings", verbose_name=_("party member"))
    reason = models.TextField(_("reason"))
    issued_by = models.CharField(_("issued by"), max_length=30)
    issued_date = models.DateField(_("issued on"))
    deadline = models.DateField(_("deadline to correct"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=WarningOutcome.choices,
                               default=WarningOutcome.PENDING)
    outcome_note = models.CharField(_("outcome note"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("warning")
        verbose_name_plural = _("warnings")
        ordering = ["-issued_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(deadline__gte=F("issued_date")),
                                   name="memberwarning_deadline_after_issue"),
        ]

    def __str__(self):
        return _("Warning to %(member)s on %(date)s") % {"member": self.member, "date": self.issued_date}

    def get_absolute_url(self):
        return reverse("members:warning_list") + f"?year={self.issued_date.year}"

    def clean(self):
        if self.issued_date and self.deadline and self.deadline < self.issued_date:
            raise ValidationError({"deadline": _("The deadline cannot be before the warning was issued.")})


class Disposition(models.Model):
    """不合格党员处置: how an unqualified member is handled."""
    scope_path = "member__village"
    objects = ScopedManager()

    member = models.ForeignKey(PartyMember, models.PROTECT, related_name="dispositions", verbose_name=_("party member"))
    kind = models.CharField(_("disposition"), max_length=20, choices=DispositionKind.choices)
    reason = models.TextField(_("reason"))
    decision_date = models.DateField(_("decided on"))
    approved_by = models.CharField(_("approved by"), max_length=50)
    outcome = models.CharField(_("outcome"), max_length=20, choices=DispositionOutcome.choices,
                               default=DispositionOutcome.OPEN)
    outcome_note = models.CharField(_("outcome note"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("disposition")
        verbose_name_plural = _("dispositions")
        ordering = ["-decision_date", "pk"]

    def __str__(self):
        return _("%(kind)s: %(member)s") % {"kind": self.get_kind_display(), "member": self.member}

    def get_absolute_url(self):
        return reverse("members:warning_list") + f"?year={self.decision_date.year}"


class VillageMonthSummary(models.Model):
    """The figures of one village-month the reports read (core.summaries), kept in step by the services in the same
    transaction as every write to the month, its results and deductions. One row per MonthlyReview. Figures that
    depend on today (late, past due) are computed when read, from the stored dates."""

    scope_path = "village"
    objects = ScopedManager()

    review = models.OneToOneField(MonthlyReview, models.CASCADE, primary_key=True, related_name="summary",
                                  verbose_name=_("month"))
    village = models.ForeignKey("villages.Village", models.CASCADE, related_name="month_summaries",
                                verbose_name=_("village"))
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    status = models.CharField(_("status"), max_length=20)
    due_date = models.DateField(_("due"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True)
    result_count = models.PositiveIntegerField(_("member-months assessed"))
    excellent_count = models.PositiveIntegerField(_("excellent"))
    deducted_count = models.PositiveIntegerField(_("deducted"))
    deduction_points = models.PositiveIntegerField(_("points deducted"))
    deductions_without_talk = models.PositiveIntegerField(_("deductions without a talk"))
    has_minutes = models.BooleanField(_("minutes"))
    has_posting = models.BooleanField(_("posted"))

    class Meta:
        verbose_name = _("village-month summary")
        verbose_name_plural = _("village-month summaries")
        indexes = [models.Index(fields=["year", "month", "village"]), models.Index(fields=["village", "year"])]


class VillageMemberSummary(models.Model):
    """A village's count of active party members (core.summaries), kept in step by every membership write."""

    scope_path = "village"
    objects = ScopedManager()

    village = models.OneToOneField("villages.Village", models.CASCADE, primary_key=True, related_name="member_summary",
                                   verbose_name=_("village"))
    active_members = models.PositiveIntegerField(_("active members"))

    class Meta:
        verbose_name = _("village membership summary")
        verbose_name_plural = _("village membership summaries")


class NoticeObjection(models.Model):
    """An objection 异议 to a village-month's public notice, filed by anyone with the notice's link during its
    window: about one member or the whole notice. The township answers it: upheld (the month is corrected and
    posted again) or dismissed with the reason. The county cannot accept the month while one is unanswered."""
    scope_path = "review__village"
    objects = ScopedManager()

    review = models.ForeignKey(MonthlyReview, models.PROTECT, related_name="objections", verbose_name=_("month"))
    member = models.ForeignKey(PartyMember, models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("about the member"),
                               help_text=_("Empty: about the whole notice."))
    text = models.TextField(_("objection"), max_length=2000)
    name = models.CharField(_("name (optional)"), max_length=30, blank=True)
    phone = models.CharField(_("phone (optional)"), max_length=20, blank=True)
    notice_version = models.PositiveIntegerField(_("version of the notice"))
    filed_at = models.DateTimeField(_("filed at"))
    status = models.CharField(_("answer"), max_length=20, choices=ObjectionStatus.choices,
                              default=ObjectionStatus.OPEN)
    answer = models.TextField(_("reply"), max_length=2000, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("answered by"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("objection to a public notice")
        verbose_name_plural = _("objections to public notices")
        ordering = ["-filed_at", "pk"]
        permissions = [("answer_noticeobjection", _("Can answer objections to a public notice"))]
        constraints = [
            models.CheckConstraint(condition=Q(status="open") | ~Q(answer=""), name="noticeobjection_answer_given"),
        ]
        indexes = [models.Index(fields=["review", "status"])]

    def __str__(self):
        about = self.member.person.name if self.member_id else _("the whole notice")
        return _("Objection to %(period)s about %(about)s") % {"period": self.review.period_label(), "about": about}

    @property
    def about(self) -> str:
        return self.member.person.name if self.member_id else _("the whole notice")

    def get_absolute_url(self):
        return reverse("members:objection_answer", kwargs={"pk": self.pk})
