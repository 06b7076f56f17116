from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class User(AbstractUser):
    """A portal account. Its org unit (region, county, township or village) is its scope."""

    region = models.ForeignKey(
        "villages.Region", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("region")
    )
    county = models.ForeignKey(
        "villages.County", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("county")
    )
    township = models.ForeignKey(
        "villages.Township", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("township")
    )
    village = models.ForeignKey(
        "villages.Village", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("village")
    )
    display_name = models.CharField(_("display name"), max_length=50, blank=True)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        permissions = [("view_audit_trail", _("Can view the change history of records"))]

    def __str__(self):
        return self.display_name or self.username

    @property
    def org_unit(self):
        return self.village or self.township or self.county or self.region

    @property
    def home_unit(self):
        """The unit whose name heads the account's pages, with its organization department in their footer
        (core.context_processors): a region account's region, anyone else's county (a township's or a village's
        account too); None for an account of neither (an administrator of everything)."""
        return self.region if self.region_id else self.county

    @cached_property
    def region_county_ids(self) -> frozenset[int]:
        """The counties a region account reads (core.scope), looked up once per request's user."""
        return self.region.county_ids() if self.region_id else frozenset()

    def clean(self):
        super().clean()
        if self.village_id:
            self.township_id = self.village.township_id
        if self.township_id:
            self.county_id = self.township.county_id
        if self.region_id and self.county_id:
            raise ValidationError(_("An account belongs to a region or to a county, not both."))
        if not self.is_superuser and not (self.region_id or self.county_id or self.township_id or self.village_id):
            raise ValidationError(
                _("Every account belongs to an org unit: a region, the county, a township or a village."))
