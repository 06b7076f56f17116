from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import MembershipKind, MembershipStatus


class PartyMember(models.Model):
    """A person's party membership in a village branch; its history keeps every change of kind or status."""

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
