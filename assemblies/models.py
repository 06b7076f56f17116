"""Household-representative meetings 户代表会议: households and their representatives, discussion points, meetings,
decided matters and their follow-up, the townships' quarterly inspections, good-practice villages and quarterly
filings."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import GreaterThanOrEqual
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.periods import Quarter
from core.scope import SCOPE_TOWNSHIP, ScopedManager
from core.workflow import ReviewedPeriod

from .choices import MatterCategory, MatterStatus

# The quorum rule for a household-representative meeting: at least two thirds of the households expected are
# represented. Stated on the meeting form and page; held by Meeting.clean() and a check constraint.
QUORUM_NUMERATOR, QUORUM_DENOMINATOR = 2, 3
QUORUM_RULE = _("At least two thirds of the households expected must be represented for the meeting to decide.")
# A decided matter still open this many days after its meeting is flagged as overdue.
OPEN_MATTER_FLAG_DAYS = getattr(settings, "QIANGJI_OPEN_MATTER_FLAG_DAYS", 90)
MODEL_VILLAGES_MIN, MODEL_VILLAGES_MAX = 2, 3


class DiscussionPoint(models.Model):
    """议事点: a group of households that meets and discusses together, with its convenor 召集人."""
    scope_path = "village"
    objects = ScopedManager()

    village = models.ForeignKey("villages.Village", models.PROTECT, related_name="discussion_points",
                                verbose_name=_("village"))
    name = models.CharField(_("name"), max_length=50)
    convenor = models.ForeignKey("villages.Person", models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("convenor"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("discussion point")
        verbose_name_plural = _("discussion points")
        ordering = ["village__code", "name"]
        constraints = [models.UniqueConstraint(fields=["village", "name"], name="discussionpoint_unique_name")]

    def __str__(self):
        return self.name

    def clean(self):
        if self.convenor_id and self.village_id and self.convenor.village.township_id != self.village.township_id:
            raise ValidationError({"convenor": _("The convenor must live in this township.")})


class Household(models.Model):
    scope_path = "village"
    objects = ScopedManager()

    village = models.ForeignKey("villages.Village", models.PROTECT, related_name="households",
                                verbose_name=_("village"))
    number = models.CharField(_("household number"), max_length=20)
    head_name = models.CharField(_("head of household"), max_length=30)
    group = models.CharField(_("natural village or group"), max_length=50, blank=True)
    discussion_point = models.ForeignKey(DiscussionPoint, models.SET_NULL, null=True, blank=True,
                                         related_name="households", verbose_name=_("discussion point"))
    # The current representative; every change is a RepresentativeChange row (from, to, reason).
    representative = models.ForeignKey("villages.Person", models.PROTECT, null=True, blank=True,
                                       related_name="represented_households", verbose_name=_("representative"),
                                       editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["village__code", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "number"], name="household_unique_number",
                violation_error_message=_("This village already has a household with this number."),
            ),
        ]
        indexes = [models.Index(fields=["village", "representative"])]

    def __str__(self):
        return f"{self.number} {self.head_name}"

    def get_absolute_url(self):
        return reverse("assemblies:household_detail", kwargs={"pk": self.pk})

    def clean(self):
        if self.discussion_point_id and self.village_id and self.discussion_point.village_id != self.village_id:
            raise ValidationError({"discussion_point": _("The discussion point belongs to another village.")})


class RepresentativeChange(models.Model):
    scope_path = "household__village"
    objects = ScopedManager()

    household = models.ForeignKey(Household, models.PROTECT, related_name="representative_changes",
                                  verbose_name=_("household"))
    from_person = models.ForeignKey("villages.Person", models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("from"))
    to_person = models.ForeignKey("villages.Person", models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("to"))
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("representative change")
        verbose_name_plural = _("representative changes")
        ordering = ["household", "-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(from_person__isnull=False) | Q(to_person__isnull=False),
                                   name="representativechange_not_empty"),
        ]
        indexes = [models.Index(fields=["date"])]

    def __str__(self):
        return f"{self.household} {self.date}"


class SpeakerPilot(models.Model):
    """A village piloting a speaker 议事长 who chairs its household-representative meetings."""
    scope_path = "village"
    objects = ScopedManager()

    village = models.OneToOneField("villages.Village", models.PROTECT, related_name="speaker_pilot",
                                   verbose_name=_("village"))
    speaker = models.ForeignKey("villages.Person", models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("speaker"))
    started = models.DateField(_("pilot started"))
    ended = models.DateField(_("pilot ended"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("speaker pilot")
        verbose_name_plural = _("speaker pilots")
        ordering = ["village__code"]
        constraints = [
            models.CheckConstraint(condition=Q(ended__isnull=True) | Q(ended__gte=F("started")),
                                   name="speakerpilot_dates_order"),
        ]

    def __str__(self):
        return str(self.village)

    def clean(self):
        if self.started and self.ended and self.ended < self.started:
            raise ValidationError({"ended": _("The pilot cannot end before it started.")})


class Meeting(models.Model):
    scope_path = "village"
    objects = ScopedManager()

    village = models.ForeignKey("villages.Village", models.PROTECT, related_name="assembly_meetings",
                                verbose_name=_("village"))
    discussion_point = models.ForeignKey(DiscussionPoint, models.PROTECT, null=True, blank=True,
                                         related_name="meetings", verbose_name=_("discussion point"),
                                         help_text=_("Leave empty for a meeting of the whole village."))
    date = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)
    households_expected = models.PositiveIntegerField(_("households expected"))
    households_present = models.PositiveIntegerField(_("households present"))
    minutes = models.TextField(_("minutes"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(households_present__lte=F("households_expected")),
                                   name="meeting_present_le_expected"),
            models.CheckConstraint(
                condition=GreaterThanOrEqual(F("households_present") * QUORUM_DENOMINATOR,
                                             F("households_expected") * QUORUM_NUMERATOR),
                name="meeting_quorum",
            ),
        ]
        # (id, date, village): the dashboard's count of overdue matters reads meetings index-only (issue 13)
        indexes = [models.Index(fields=["village", "date"]), models.Index(fields=["id", "date", "village"])]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.topic}"

    def get_absolute_url(self):
        return reverse("assemblies:meeting_detail", kwargs={"pk": self.pk})

    @property
    def quorum_needed(self) -> int:
        expected = self.households_expected or 0
        return -(-expected * QUORUM_NUMERATOR // QUORUM_DENOMINATOR)

    def clean(self):
        errors = {}
        if self.households_expected is not None and self.households_present is not None:
            if self.households_present > self.households_expected:
                errors["households_present"] = _("More households present than expected.")
            elif self.households_present * QUORUM_DENOMINATOR < self.households_expected * QUORUM_NUMERATOR:
                errors["households_present"] = _(
                    "Below quorum: %(present)d of %(expected)d households present, at least %(needed)d needed "
                    "(two thirds). The meeting cannot decide matters."
                ) % {"present": self.households_present, "expected": self.households_expected,
                     "needed": self.quorum_needed}
        if self.discussion_point_id and self.village_id and self.discussion_point.village_id != self.village_id:
            errors["discussion_point"] = _("The discussion point belongs to another village.")
        if errors:
            raise ValidationError(errors)


class Matter(models.Model):
    """议定事项: a matter a meeting decided, followed up until implemented."""
    scope_path = "meeting__village"
    objects = ScopedManager()

    meeting = models.ForeignKey(Meeting, models.PROTECT, related_name="matters", verbose_name=_("meeting"))
    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=MatterCategory.choices)
    decision = models.TextField(_("decision"))
    votes_for = models.PositiveIntegerField(_("votes for"))
    votes_against = models.PositiveIntegerField(_("votes against"), default=0)
    votes_abstaining = models.PositiveIntegerField(_("abstentions"), default=0)
    implementer = models.CharField(_("carried out by"), max_length=100)
    status = models.CharField(_("status"), max_length=20, choices=MatterStatus.choices, default=MatterStatus.OPEN,
                              editable=False)
    implemented_on = models.DateField(_("implemented on"), null=True, blank=True, editable=False)
    is_typical = models.BooleanField(_("typical case"), default=False)
    typical_writeup = models.TextField(_("typical case write-up"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("decided matter")
        verbose_name_plural = _("decided matters")
        ordering = ["-meeting__date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=MatterStatus.OPEN, implemented_on__isnull=True)
                | Q(status=MatterStatus.IMPLEMENTED, implemented_on__isnull=False),
                name="matter_implemented_has_date",
            ),
            models.CheckConstraint(condition=Q(is_typical=False) | ~Q(typical_writeup=""),
                                   name="matter_typical_has_writeup"),
        ]
        indexes = [models.Index(fields=["status"]), models.Index(fields=["status", "meeting"])]  # the open ones

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("assemblies:matter_detail", kwargs={"pk": self.pk})

    @property
    def votes_cast(self) -> int:
        return (self.votes_for or 0) + (self.votes_against or 0) + (self.votes_abstaining or 0)

    def clean(self):
        errors = {}
        if self.is_typical and not (self.typical_writeup or "").strip():
            errors["typical_writeup"] = _("A typical case needs a short write-up.")
        if self.meeting_id and self.votes_for is not None:
            present = self.meeting.households_present
            if self.votes_cast > present:
                errors["votes_for"] = _(
                    "%(cast)d votes were cast but only %(present)d households were present."
                ) % {"cast": self.votes_cast, "present": present}
            elif self.votes_for * 2 <= present:
                errors["votes_for"] = _(
                    "A matter is decided by more than half of the households present: %(votes)d of %(present)d "
                    "is not enough."
                ) % {"votes": self.votes_for, "present": present}
        if errors:
            raise ValidationError(errors)


class FollowUp(models.Model):
    scope_path = "matter__meeting__village"
    objects = ScopedManager()

    matter = models.ForeignKey(Matter, models.PROTECT, related_name="follow_ups", verbose_name=_("decided matter"))
    date = models.DateField(_("date"))
    note = models.TextField(_("progress"))
    implemented = models.BooleanField(_("implemented with this step"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["matter", "date", "pk"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d}"

    def clean(self):
        if self.matter_id and self.date and self.date < self.matter.meeting.date:
            raise ValidationError({"date": _("A follow-up cannot be before the meeting that decided the matter.")})


class Inspection(models.Model):
    """调研督查: a township's quarterly inspection of its villages' practice. The facts are computed by the portal
    (from the records, in the database) whenever the inspection is saved; staff write the findings."""
    scope_via = SCOPE_TOWNSHIP
    scope_path = "township"
    objects = ScopedManager()

    township = models.ForeignKey("villages.Township", models.PROTECT, related_name="assembly_inspections",
                                 verbose_name=_("township"))
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=[(q, q) for q in (1, 2, 3, 4)])
    inspected_on = models.DateField(_("inspected on"))
    findings = models.TextField(_("findings"))
    representative_changes = models.PositiveIntegerField(_("representative changes"), default=0, editable=False)
    speaker_pilots = models.PositiveIntegerField(_("villages piloting a speaker"), default=0, editable=False)
    discussion_points = models.PositiveIntegerField(_("discussion points"), default=0, editable=False)
    convenors = models.PositiveIntegerField(_("discussion points with a convenor"), default=0, editable=False)
    meetings_held = models.PositiveIntegerField(_("meetings held"), default=0, editable=False)
    matters_decided = models.PositiveIntegerField(_("matters decided"), default=0, editable=False)
    matters_implemented = models.PositiveIntegerField(_("matters implemented"), default=0, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-year", "-quarter", "township__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "year", "quarter"], name="inspection_unique_quarter",
                violation_error_message=_("This township's inspection for the quarter is already recorded."),
            ),
        ]

    def __str__(self):
        return f"{self.township} {self.period.label}"

    @property
    def period(self) -> Quarter:
        return Quarter(self.year, self.quarter)

    def get_absolute_url(self):
        return reverse("assemblies:inspection_detail", kwargs={"pk": self.pk})


class ModelVillage(models.Model):
    """落实较好村: one of the 2–3 villages a township names for a year as doing it well."""
    scope_path = "village"
    objects = ScopedManager()

    village = models.ForeignKey("villages.Village", models.PROTECT, related_name="assembly_model_years",
                                verbose_name=_("village"))
    year = models.PositiveSmallIntegerField(_("year"))
    reason = models.CharField(_("why it is named"), max_length=200)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("good-practice village")
        verbose_name_plural = _("good-practice villages")
        ordering = ["-year", "village__code"]
        constraints = [
            models.UniqueConstraint(fields=["village", "year"], name="modelvillage_unique_year",
                                    violation_error_message=_("This village is already named for that year.")),
        ]

    def __str__(self):
        return f"{self.village} {self.year}"


class Filing(ReviewedPeriod):
    """报备: a township's quarterly filing of its decided matters and typical cases with the county.

    `snapshot` is the frozen copy compiled from the records; once submitted it no longer follows later edits."""
    scope_via = SCOPE_TOWNSHIP
    scope_path = "township"
    objects = ScopedManager()

    township = models.ForeignKey("villages.Township", models.PROTECT, related_name="assembly_filings",
                                 verbose_name=_("township"))
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=[(q, q) for q in (1, 2, 3, 4)])
    snapshot = models.JSONField(_("compiled register"), default=dict, blank=True, editable=False)
    compiled_at = models.DateTimeField(_("compiled at"), null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quarterly filing")
        verbose_name_plural = _("quarterly filings")
        ordering = ["-year", "-quarter", "township__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "year", "quarter"], name="filing_unique_quarter",
                violation_error_message=_("This township's filing for the quarter already exists."),
            ),
        ]
        permissions = [
            ("submit_filing", _("Can submit quarterly filings to the county")),
            ("acknowledge_filing", _("Can acknowledge or return quarterly filings")),
        ]

    def __str__(self):
        return self.period_label()

    @property
    def period(self) -> Quarter:
        return Quarter(self.year, self.quarter)

    def period_label(self) -> str:
        return f"{self.township.name} {self.period.label}"

    def get_absolute_url(self):
        return reverse("assemblies:filing_detail", kwargs={"pk": self.pk})


class AssemblyQuarterSummary(models.Model):
    """A village-quarter's meetings and the matters they decided, by the meeting's date, as the quarterly report
    reads them (core.summaries); kept in step by the meeting, matter and follow-up services."""

    scope_path = "village"
    objects = ScopedManager()

    village = models.ForeignKey("villages.Village", models.CASCADE, related_name="+", verbose_name=_("village"))
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    meetings_held = models.PositiveIntegerField(_("meetings held"))
    matters_decided = models.PositiveIntegerField(_("matters decided"))
    matters_implemented = models.PositiveIntegerField(_("implemented by the quarter's end"))
    typical_cases = models.PositiveIntegerField(_("typical cases"))

    class Meta:
        verbose_name = _("meeting summary")
        verbose_name_plural = _("meeting summaries")
        constraints = [models.UniqueConstraint(fields=["village", "year", "quarter"],
                                               name="assemblyquartersummary_unique")]
        indexes = [models.Index(fields=["year", "quarter", "village"])]
