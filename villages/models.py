from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.documents import Issuer
from core.periods import term_label
from core.scope import SCOPE_COUNTY, SCOPE_TOWNSHIP, ScopedManager

from .choices import POST_COMMITTEE, Committee, Education, Gender, Post
from .idnumbers import birth_date_of, gender_of, normalize_id_number, normalize_phone, validate_id_number

code_validator = RegexValidator(r"^\d{6,12}$", _("A code is 6 to 12 digits."))
# After normalize_phone (no spaces or dashes): a mobile number, or a landline with its area code.
phone_validator = RegexValidator(r"^(1[0-9]{10}|0[0-9]{9,11})$",
                                 _("Enter an 11-digit mobile number or a landline such as 0599-7822345."))


class NormalizedFormField(forms.CharField):
    """The form side of NormalizedCharField: normalises before the length and the validators are checked, and puts
    no maxlength on the input (the browser would cut a number typed with spaces)."""

    def __init__(self, *, normalize, **kwargs):
        self.normalize = normalize
        super().__init__(**kwargs)

    def to_python(self, value):
        return self.normalize(super().to_python(value))

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


class NormalizedCharField(models.CharField):
    """A CharField whose value is normalised wherever it enters: full_clean (forms, the admin, services, imports),
    every save and every lookup, so the uniqueness check and the stored value are always the normalised ones."""

    normalize = staticmethod(str)

    def to_python(self, value):
        value = super().to_python(value)
        return self.normalize(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return self.normalize(value) if isinstance(value, str) and value else value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": NormalizedFormField, "normalize": self.normalize, **kwargs})


class IDNumberField(NormalizedCharField):
    normalize = staticmethod(normalize_id_number)


class PhoneField(NormalizedCharField):
    normalize = staticmethod(normalize_phone)


class Region(models.Model):
    """A city 市 or a province 省 above the counties: a county belongs to a city (or directly to a province), a city to
    a province. Its accounts read everything below it (core.scope); regions are not scoped themselves (their names
    are no secret)."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        CITY = "city", _("City")

    code = models.CharField(_("code"), max_length=12, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=50)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children",
                               verbose_name=_("parent region"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(level="city") | Q(parent__isnull=True),
                                   name="region_province_has_no_parent"),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)

    def clean(self):
        super().clean()
        if self.parent_id and (self.level != self.Level.CITY or self.parent.level != self.Level.PROVINCE):
            raise ValidationError({"parent": _("Only a city has a parent region, and it is a province.")})

    @property
    def department(self) -> str:
        """Its party committee's organization department, as a page's footer names it: 市委组织部, 省委组织部."""
        if self.level == self.Level.PROVINCE:
            return _("Provincial party organization department")
        return _("City party organization department")

    def county_ids(self) -> frozenset[int]:
        """The counties under this region: its own, and for a province those of its cities too (one query)."""
        return frozenset(County.objects.filter(Q(region=self) | Q(region__parent=self)).values_list("pk", flat=True))


class County(models.Model):
    scope_via = SCOPE_COUNTY
    scope_path = ""
    objects = ScopedManager()

    code = models.CharField(_("code"), max_length=12, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=50)
    region = models.ForeignKey(Region, models.PROTECT, null=True, blank=True, related_name="counties",
                               verbose_name=_("region"))
    issuing_authority = models.CharField(
        _("issuing authority"), max_length=60, blank=True,
        help_text=_("Printed at the head of every document of the county. Leave blank for "
                    "“CPC <county> Committee Organisation Department”, from the county's name."))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = ["code"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)

    @property
    def department(self) -> str:
        """Its party committee's organization department, as a page's footer names it: 县委组织部."""
        return _("County party organization department")

    @property
    def issuer(self) -> Issuer:
        """The authority and number mark this county's documents carry."""
        derived = Issuer.for_county_name(self.name)
        return Issuer(self.issuing_authority or derived.authority, derived.prefix)


class Township(models.Model):
    scope_via = SCOPE_TOWNSHIP
    scope_path = ""
    objects = ScopedManager()

    county = models.ForeignKey(County, models.PROTECT, related_name="townships", verbose_name=_("county"))
    code = models.CharField(_("code"), max_length=12, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=50)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("township")
        verbose_name_plural = _("townships")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["county", "name"], name="township_unique_name_in_county")]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)

    def get_absolute_url(self):
        return reverse("villages:village_list") + f"?township={self.pk}"


class Village(models.Model):
    scope_path = ""
    objects = ScopedManager()

    township = models.ForeignKey(Township, models.PROTECT, related_name="villages", verbose_name=_("township"))
    code = models.CharField(_("code"), max_length=12, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=50)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        ordering = ["code"]
        permissions = [("import_organisation", _("Can import the county's townships and villages"))]
        constraints = [models.UniqueConstraint(fields=["township", "name"], name="village_unique_name_in_township")]

    def __str__(self):
        return self.name

    @property
    def full_name(self):
        return f"{self.township.name}{self.name}"

    def natural_key(self):
        return (self.code,)

    def get_absolute_url(self):
        return reverse("villages:village_detail", kwargs={"code": self.code})


class Person(models.Model):
    """Anyone the portal records: party members, cadres, household representatives."""
    scope_path = "village"
    objects = ScopedManager()

    name = models.CharField(_("full name"), max_length=30)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"))
    id_number = IDNumberField(
        _("ID number"),
        max_length=18,
        unique=True,
        validators=[validate_id_number],
        error_messages={"unique": _("A person with this ID number is already recorded.")},
    )
    phone = PhoneField(_("phone"), max_length=20, blank=True, validators=[phone_validator])
    education = models.CharField(_("education"), max_length=20, choices=Education.choices, blank=True)
    village = models.ForeignKey(
        Village, models.PROTECT, related_name="people", verbose_name=_("village of residence"),
        help_text=_("The village the person belongs to; it decides who may see the record."),
    )

    history = HistoricalRecords(excluded_fields=[])

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["village__code", "name", "pk"]
        permissions = [("view_full_id_number", _("Can see full ID numbers and phone numbers")),
                       ("import_person", _("Can import people"))]
        indexes = [models.Index(fields=["name"])]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.id_number,)

    def get_absolute_url(self):
        return reverse("villages:person_detail", kwargs={"pk": self.pk})

    def clean(self):
        self.id_number = normalize_id_number(self.id_number)
        errors = {}
        try:
            validate_id_number(self.id_number)
        except ValidationError:
            return  # the field validator reports it
        born = birth_date_of(self.id_number)
        if self.birth_date and born and self.birth_date != born:
            errors["birth_date"] = _("The birth date does not match the ID number (which gives %(date)s).") % {
                "date": born.isoformat()
            }
        if self.gender and self.gender != gender_of(self.id_number):
            errors["gender"] = _("The gender does not match the ID number (17th digit).")
        if errors:
            raise ValidationError(errors)


class CadrePost(models.Model):
    """A post held by a person in a village's party branch, village committee or supervision group for a term."""
    scope_path = "village"
    objects = ScopedManager()

    person = models.ForeignKey(Person, models.PROTECT, related_name="posts", verbose_name=_("person"))
    village = models.ForeignKey(Village, models.PROTECT, related_name="posts", verbose_name=_("village"))
    post = models.CharField(_("post"), max_length=30, choices=Post.choices)
    # Follows from the post (clean() sets it; a check constraint holds it on every path).
    committee = models.CharField(_("committee"), max_length=20, choices=Committee.choices, blank=True, editable=False)
    term_start_year = models.PositiveSmallIntegerField(_("term from (year)"))
    term_end_year = models.PositiveSmallIntegerField(_("term to (year)"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True, help_text=_("Empty while the post is held."))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cadre post")
        verbose_name_plural = _("cadre posts")
        permissions = [("import_cadrepost", _("Can import cadre posts"))]
        ordering = ["village__code", "committee", "post", "start_date"]
        constraints = [
            models.CheckConstraint(condition=Q(term_end_year__gt=F("term_start_year")), name="cadrepost_term_order"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")), name="cadrepost_dates_order"
            ),
            models.UniqueConstraint(
                fields=["person", "village", "post", "term_start_year"], name="cadrepost_unique_per_term"
            ),
            models.CheckConstraint(
                condition=(
                    Q(committee=Committee.BRANCH,
                      post__in=[p for p, c in POST_COMMITTEE.items() if c == Committee.BRANCH])
                    | Q(committee=Committee.VILLAGE,
                        post__in=[p for p, c in POST_COMMITTEE.items() if c == Committee.VILLAGE])
                    | Q(committee=Committee.SUPERVISION, post=Post.SUPERVISION_MEMBER)
                ),
                name="cadrepost_committee_follows_post",
            ),
        ]
        indexes = [models.Index(fields=["village", "end_date"])]

    def __str__(self):
        return f"{self.village.name} {self.get_post_display()} {self.person.name}"

    @property
    def term(self):
        return term_label(self.term_start_year, self.term_end_year)

    @property
    def is_current(self):
        return self.end_date is None

    def clean(self):
        self.committee = POST_COMMITTEE.get(self.post, self.committee)
        errors = {}
        if self.term_start_year and self.term_end_year and self.term_end_year <= self.term_start_year:
            errors["term_end_year"] = _("The term must end after it starts.")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date cannot be before the start date.")
        if self.person_id and self.village_id and self.person.village.township_id != self.village.township_id:
            errors["person"] = _("The person lives in another township; record posts in their own township.")
        if errors:
            raise ValidationError(errors)


class PersonalDataView(models.Model):
    """Each time someone is shown a person's full ID and phone numbers: who, whose, when."""
    scope_path = "person__village"
    objects = ScopedManager()

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("viewed by"))
    person = models.ForeignKey(Person, models.PROTECT, related_name="data_views", verbose_name=_("person"))
    viewed_at = models.DateTimeField(_("viewed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("personal data view")
        verbose_name_plural = _("personal data views")
        ordering = ["-viewed_at"]

    def __str__(self):
        return f"{self.user} → {self.person}"
