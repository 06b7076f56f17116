from django.db import models
from django.utils.translation import gettext_lazy as _


class MatterCategory(models.TextChoices):
    INFRASTRUCTURE = "infrastructure", _("Roads, water and other infrastructure")
    FINANCE = "finance", _("Village finances and collective assets")
    LAND = "land", _("Land and forest")
    WELFARE = "welfare", _("Welfare and assistance")
    AFFAIRS = "affairs", _("Village rules and public affairs")
    OTHER = "other", _("Other")


class MatterStatus(models.TextChoices):
    OPEN = "open", _("Being carried out")
    IMPLEMENTED = "implemented", _("Implemented")
