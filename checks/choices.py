from django.db import models
from django.utils.translation import gettext_lazy as _


class ReopenKind(models.TextChoices):
    MONTH = "month", _("Monthly bottom-line review")
    PLEDGE_REVIEW = "pledgereview", _("Quarterly pledge review")
    FILING = "filing", _("Quarterly filing")


class ReopenStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the county")
    APPROVED = "approved", _("Approved: returned")
    DECLINED = "declined", _("Declined")


class Verdict(models.TextChoices):
    CONFIRMED = "confirmed", _("Rating confirmed")
    DISPUTED = "disputed", _("Rating not confirmed")
