from django.db import models
from django.utils.translation import gettext_lazy as _


class MembershipKind(models.TextChoices):
    FULL = "full", _("Full member")
    PROBATIONARY = "probationary", _("Probationary member")


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    TRANSFERRED_OUT = "transferred_out", _("Transferred out")
    DECEASED = "deceased", _("Deceased")
    REMOVED = "removed", _("Removed")


class RuleKind(models.TextChoices):
    BASIC = "basic", _("Basic requirement")
    SPECIFIC = "specific", _("Specific requirement")


class RuleCategory(models.TextChoices):
    POLITICS = "politics", _("Political stance")
    ORGANISATION = "organisation", _("Organisational life")
    DUTY = "duty", _("Duties and role")
    DISCIPLINE = "discipline", _("Discipline and law")
    CONDUCT = "conduct", _("Social conduct")


class Rating(models.TextChoices):
    QUALIFIED = "qualified", _("Qualified")
    EXCELLENT = "excellent", _("Excellent")
    DEDUCTED = "deducted", _("Deducted")


class WarningOutcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    CORRECTED = "corrected", _("Corrected")
    NOT_CORRECTED = "not_corrected", _("Not corrected (referred for disposition)")


class DispositionKind(models.TextChoices):
    CORRECT = "correct", _("Deadline to correct")
    PERSUADE = "persuade", _("Persuaded to leave")
    REMOVE = "remove", _("Removed from the party")


class DispositionOutcome(models.TextChoices):
    OPEN = "open", _("Open")
    CORRECTED = "corrected", _("Corrected")
    LEFT = "left", _("Left the party")
    REMOVED = "removed", _("Removed")


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("Waiting for an answer")
    UPHELD = "upheld", _("Upheld: the month is corrected and posted again")
    DISMISSED = "dismissed", _("Dismissed")
