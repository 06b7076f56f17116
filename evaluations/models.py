"""Annual evaluation of village cadres: a county round with fixed settings, one sheet per township (the reviewed
period), one result per cadre (ballot tallies, the township's five-dimension assessment, the computed total and grade),
and the handling cases opened by two consecutive failing results."""
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.scope import SCOPE_COUNTY, SCOPE_TOWNSHIP, ScopedManager
from core.workflow import ReviewedPeriod
from villages.choices import Post

from .choices import DIMENSIONS, GRADE_ORDER, VOTES, CaseMeasure, CaseStatus, Grade, RaterGroup, RoundStatus

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]
SCORE = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]
DIMENSION_FIELDS = [f"weight_{code}" for code, _label in DIMENSIONS]
GROUP_PREFIX = {RaterGroup.PARTY: "party", RaterGroup.REPRESENTATIVES: "rep"}


def _percent(label, default):
    return models.PositiveSmallIntegerField(label, default=default, validators=PERCENT)


def _points(label, default):
    return models.PositiveSmallIntegerField(label, default=default, validators=PERCENT)


def _band(label, default):
    return models.DecimalField(label, max_digits=5, decimal_places=2, default=Decimal(default), validators=SCORE)


def _coefficient(label, default):
    return models.DecimalField(label, max_digits=4, decimal_places=2, default=Decimal(default),
                               validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("5"))])


class Round(models.Model):
    """The county's evaluation of one year. Its settings are fixed once it opens, so results can be recomputed."""
    scope_via = SCOPE_COUNTY
    scope_path = "county"
    objects = ScopedManager()

    county = models.ForeignKey("villages.County", models.PROTECT, related_name="evaluation_rounds",
                               verbose_name=_("county"))
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    status = models.CharField(_("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT,
                              editable=False)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True, editable=False)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
                                  editable=False, verbose_name=_("opened by"))

    appraisal_weight = _percent(_("weight of democratic appraisal (%)"), 40)
    assessment_weight = _percent(_("weight of organizational assessment (%)"), 60)
    party_weight = _percent(_("weight of party members' ballots within the appraisal (%)"), 50)
    representative_weight = _percent(_("weight of representatives' ballots within the appraisal (%)"), 50)
    weight_de = _percent(_("weight of morality 德 (%)"), 15)
    weight_neng = _percent(_("weight of ability 能 (%)"), 15)
    weight_qin = _percent(_("weight of diligence 勤 (%)"), 15)
    weight_ji = _percent(_("weight of performance 绩 (%)"), 30)
    weight_lian = _percent(_("weight of integrity 廉 (%)"), 25)
    points_excellent = _points(_("points of an 'excellent' ballot"), 100)
    points_competent = _points(_("points of a 'competent' ballot"), 80)
    points_basic = _points(_("points of a 'basically competent' ballot"), 60)
    points_incompetent = _points(_("points of an 'incompetent' ballot"), 0)
    band_excellent = _band(_("lowest total for 'excellent'"), "90")
    band_competent = _band(_("lowest total for 'competent'"), "75")
    band_basic = _band(_("lowest total for 'basically competent'"), "60")
    excellent_cap = _percent(_("largest share of 'excellent' per township (%)"), 20)
    integrity_cap_grade = models.CharField(
        _("best grade with an integrity violation"), max_length=12, choices=Grade.choices, default=Grade.BASIC,
        help_text=_("A cadre with an integrity violation gets at most this grade, whatever the total."))
    failing_grade = models.CharField(
        _("failing from this grade down"), max_length=12, choices=Grade.choices, default=Grade.INCOMPETENT,
        help_text=_("Two consecutive years at or below this grade open a handling case."))
    coef_excellent = _coefficient(_("pay coefficient for 'excellent'"), "1.20")
    coef_competent = _coefficient(_("pay coefficient for 'competent'"), "1.00")
    coef_basic = _coefficient(_("pay coefficient for 'basically competent'"), "0.80")
    coef_incompetent = _coefficient(_("pay coefficient for 'incompetent'"), "0.50")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        ordering = ["-year"]
        permissions = [("open_round", _("Can open an evaluation round (fixes its settings)"))]
        constraints = [
            models.UniqueConstraint(fields=["county", "year"], name="round_one_per_county_year"),
            models.CheckConstraint(condition=Q(appraisal_weight=100 - F("assessment_weight")),
                                   name="round_source_weights_100"),
            models.CheckConstraint(condition=Q(party_weight=100 - F("representative_weight")),
                                   name="round_group_weights_100"),
            models.CheckConstraint(
                condition=Q(weight_de=100 - F("weight_neng") - F("weight_qin") - F("weight_ji") - F("weight_lian")),
                name="round_dimension_weights_100"),
            models.CheckConstraint(
                condition=Q(band_excellent__gt=F("band_competent"), band_competent__gt=F("band_basic")),
                name="round_bands_descend"),
        ]

    def __str__(self):
        return _("Cadre evaluation %(year)s") % {"year": self.year}

    def get_absolute_url(self):
        return reverse("evaluations:round_detail", kwargs={"pk": self.pk})

    @property
    def is_open(self):
        return self.status == RoundStatus.OPEN

    def coefficient_for(self, grade: str):
        return {Grade.EXCELLENT: self.coef_excellent, Grade.COMPETENT: self.coef_competent,
                Grade.BASIC: self.coef_basic, Grade.INCOMPETENT: self.coef_incompetent}.get(grade)

    def failing_grades(self) -> list[str]:
        return [g.value for g in GRADE_ORDER[GRADE_ORDER.index(self.failing_grade):]]

    def clean(self):
        errors = {}
        if self.appraisal_weight is not None and self.assessment_weight is not None \
                and self.appraisal_weight + self.assessment_weight != 100:
            errors["assessment_weight"] = _(
                "Democratic appraisal and organizational assessment must weigh 100%% together (now %(sum)s%%).") % {
                "sum": self.appraisal_weight + self.assessment_weight}
        if self.party_weight is not None and self.representative_weight is not None \
                and self.party_weight + self.representative_weight != 100:
            errors["representative_weight"] = _(
                "The two rater groups must weigh 100%% together (now %(sum)s%%).") % {
                "sum": self.party_weight + self.representative_weight}
        weights = [getattr(self, f) for f in DIMENSION_FIELDS]
        if all(w is not None for w in weights) and sum(weights) != 100:
            errors["weight_lian"] = _(
                "The weights of 德、能、勤、绩、廉 must sum to 100%% (now %(sum)s%%).") % {"sum": sum(weights)}
        points = [self.points_excellent, self.points_competent, self.points_basic, self.points_incompetent]
        if all(p is not None for p in points) and not (points[0] >= points[1] >= points[2] >= points[3]):
            errors["points_incompetent"] = _("A better ballot cannot be worth fewer points than a worse one.")
        bands = [self.band_excellent, self.band_competent, self.band_basic]
        if all(b is not None for b in bands) and not (bands[0] > bands[1] > bands[2]):
            errors["band_basic"] = _("The score bands must fall: 'excellent' above 'competent' above "
                                     "'basically competent'.")
        if errors:
            raise ValidationError(errors)


class TownshipEvaluation(ReviewedPeriod):
    """One township's sheet in a round: the township submits it, the county confirms (locks) and publishes it.

    The workflow is per township (not per village) because the 'excellent' cap and the pay table are per township:
    the county confirms a township's grades as a whole."""
    scope_via = SCOPE_TOWNSHIP
    scope_path = "township"
    objects = ScopedManager()

    round = models.ForeignKey(Round, models.PROTECT, related_name="sheets", verbose_name=_("round"))
    township = models.ForeignKey("villages.Township", models.PROTECT, related_name="evaluation_sheets",
                                 verbose_name=_("township"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                     related_name="+", editable=False, verbose_name=_("published by"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("township evaluation sheet")
        verbose_name_plural = _("township evaluation sheets")
        ordering = ["-round__year", "township__code"]
        permissions = [
            ("submit_townshipevaluation", _("Can submit a township's evaluation to the county")),
            ("confirm_townshipevaluation", _("Can confirm, return and publish township evaluations")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["round", "township"], name="townshipevaluation_one_per_round"),
            models.CheckConstraint(condition=Q(published_at__isnull=True) | Q(status="accepted"),
                                   name="townshipevaluation_published_is_accepted"),
        ]

    def __str__(self):
        return self.period_label()

    def period_label(self) -> str:
        return _("%(township)s cadre evaluation %(year)s") % {"township": self.township.name, "year": self.round.year}

    def get_absolute_url(self):
        return reverse("evaluations:sheet_detail", kwargs={"pk": self.pk})

    @property
    def is_published(self):
        return self.published_at is not None


def _tally(label):
    return models.PositiveIntegerField(label, default=0)


def _score(label):
    return models.DecimalField(label, max_digits=5, decimal_places=2, null=True, blank=True, validators=SCORE)


class CadreEvaluation(models.Model):
    """One cadre's result in a round: ballots per rater group, the township's scores, the computed total and grade."""
    scope_path = "village"
    objects = ScopedManager()

    sheet = models.ForeignKey(TownshipEvaluation, models.PROTECT, related_name="results", verbose_name=_("sheet"))
    person = models.ForeignKey("villages.Person", models.PROTECT, related_name="evaluations", verbose_name=_("cadre"))
    village = models.ForeignKey("villages.Village", models.PROTECT, related_name="cadre_evaluations",
                                verbose_name=_("village"), editable=False)
    post = models.CharField(_("post"), max_length=30, choices=Post.choices, editable=False)
    is_party_member = models.BooleanField(_("party member"), default=False, editable=False)
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)

    party_ballots = _tally(_("party members: ballots cast"))
    party_excellent = _tally(_("party members: excellent"))
    party_competent = _tally(_("party members: competent"))
    party_basic = _tally(_("party members: basically competent"))
    party_incompetent = _tally(_("party members: incompetent"))
    rep_ballots = _tally(_("representatives: ballots cast"))
    rep_excellent = _tally(_("representatives: excellent"))
    rep_competent = _tally(_("representatives: competent"))
    rep_basic = _tally(_("representatives: basically competent"))
    rep_incompetent = _tally(_("representatives: incompetent"))

    score_de = _score(_("morality 德"))
    score_neng = _score(_("ability 能"))
    score_qin = _score(_("diligence 勤"))
    score_ji = _score(_("performance 绩"))
    score_lian = _score(_("integrity 廉"))
    comment_de = models.CharField(_("comment on morality"), max_length=200, blank=True)
    comment_neng = models.CharField(_("comment on ability"), max_length=200, blank=True)
    comment_qin = models.CharField(_("comment on diligence"), max_length=200, blank=True)
    comment_ji = models.CharField(_("comment on performance"), max_length=200, blank=True)
    comment_lian = models.CharField(_("comment on integrity"), max_length=200, blank=True)
    integrity_violation = models.BooleanField(_("integrity violation"), default=False)

    # Computed by the service from the round's settings (never typed in).
    appraisal_score = models.DecimalField(_("appraisal score"), max_digits=5, decimal_places=2, null=True,
                                          blank=True, editable=False)
    assessment_score = models.DecimalField(_("assessment score"), max_digits=5, decimal_places=2, null=True,
                                           blank=True, editable=False)
    total_score = models.DecimalField(_("total"), max_digits=5, decimal_places=2, null=True, blank=True,
                                      editable=False)
    grade = models.CharField(_("grade"), max_length=12, choices=Grade.choices, blank=True, editable=False)
    grade_capped = models.BooleanField(_("grade capped for integrity"), default=False, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cadre evaluation")
        verbose_name_plural = _("cadre evaluations")
        ordering = ["village__code", "post", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "person"], name="cadreevaluation_one_per_sheet"),
            models.CheckConstraint(
                condition=Q(party_ballots=F("party_excellent") + F("party_competent") + F("party_basic")
                            + F("party_incompetent")),
                name="cadreevaluation_party_tally_adds_up"),
            models.CheckConstraint(
                condition=Q(rep_ballots=F("rep_excellent") + F("rep_competent") + F("rep_basic")
                            + F("rep_incompetent")),
                name="cadreevaluation_rep_tally_adds_up"),
        ] + [
            models.CheckConstraint(
                condition=Q(**{f"score_{code}__isnull": True})
                | Q(**{f"score_{code}__gte": 0, f"score_{code}__lte": 100}),
                name=f"cadreevaluation_score_{code}_range")
            for code, _label in DIMENSIONS
        ]

    def __str__(self):
        return f"{self.person.name} · {self.sheet.round.year}"

    def period_label(self) -> str:
        return _("The evaluation of %(name)s") % {"name": self.person.name}

    def get_absolute_url(self):
        return reverse("evaluations:result_edit", kwargs={"pk": self.pk})

    def tally(self, group: str) -> dict:
        prefix = GROUP_PREFIX[group]
        return {"ballots": getattr(self, f"{prefix}_ballots"),
                **{code: getattr(self, f"{prefix}_{code}") for code, _label in VOTES}}

    def clean(self):
        errors = {}
        for group, prefix in GROUP_PREFIX.items():
            counted = sum(getattr(self, f"{prefix}_{code}") or 0 for code, _label in VOTES)
            cast = getattr(self, f"{prefix}_ballots") or 0
            if counted != cast:
                errors[f"{prefix}_ballots"] = _(
                    "%(group)s: the counts add up to %(counted)s but %(cast)s ballots were cast.") % {
                    "group": RaterGroup(group).label, "counted": counted, "cast": cast}
        if errors:
            raise ValidationError(errors)


class HandlingCase(models.Model):
    """Opened when a cadre fails two consecutive years; tracked until its outcome is recorded."""
    scope_path = "village"
    objects = ScopedManager()

    person = models.ForeignKey("villages.Person", models.PROTECT, related_name="evaluation_cases",
                               verbose_name=_("cadre"))
    village = models.ForeignKey("villages.Village", models.PROTECT, related_name="evaluation_cases",
                                verbose_name=_("village"), editable=False)
    evaluation = models.OneToOneField(CadreEvaluation, models.PROTECT, related_name="case", editable=False,
                                      verbose_name=_("second failing result"))
    previous = models.ForeignKey(CadreEvaluation, models.PROTECT, related_name="+", editable=False,
                                 verbose_name=_("previous failing result"))
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    measure = models.CharField(_("measure"), max_length=12, choices=CaseMeasure.choices, blank=True)
    measure_date = models.DateField(_("date of the measure"), null=True, blank=True)
    handled_by = models.CharField(_("handled by"), max_length=60, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("handling case")
        verbose_name_plural = _("handling cases")
        ordering = ["status", "-opened_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=CaseStatus.OPEN) | (Q(closed_on__isnull=False) & ~Q(outcome="") & ~Q(measure="")),
                name="handlingcase_closed_has_outcome"),
        ]

    def __str__(self):
        return _("Handling case of %(name)s") % {"name": self.person.name}

    def get_absolute_url(self):
        return reverse("evaluations:case_edit", kwargs={"pk": self.pk})

    def clean(self):
        if self.status == CaseStatus.CLOSED and not (self.closed_on and self.outcome.strip() and self.measure):
            raise ValidationError(
                {"outcome": _("Record the measure, the outcome and the closing date before closing the case.")})
