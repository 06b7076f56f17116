from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PledgeKind(models.TextChoices):
    TERM = "term", _("Term pledge")
    ANNUAL = "annual", _("Annual pledge")


class ItemCategory(models.TextChoices):
    STAGE_GOAL = "stage_goal", _("Stage goal of new-countryside construction")
    SELF_DISCIPLINE = "self_discipline", _("Self-discipline")
    INTEGRITY = "integrity", _("Integrity")
    OTHER = "other", _("Other")


class RepresentativeMeeting(models.TextChoices):
    VILLAGER = "villager", _("Villager-representative meeting")
    HOUSEHOLD = "household", _("Household-representative meeting")


class ItemStatus(models.TextChoices):
    DONE = "done", _("Done")
    ON_TRACK = "on_track", _("On track")
    BEHIND = "behind", _("Behind")
    NOT_STARTED = "not_started", _("Not started")


class RectificationStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("rectification", "Open")
    DONE = "done", _("Rectified and verified")


class ArchiveCategory(models.TextChoices):
    APPOINTMENT = "appointment", _("Appointment")
    PLEDGE = "pledge", _("Fulfilment pledges")
    TRAINING = "training", _("Training, education and professional titles")
    APPRAISAL = "appraisal", _("Appraisal and assessment")
    REWARD = "reward", _("Rewards and punishments")
    OTHER = "other", _("Other material")
