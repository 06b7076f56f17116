from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Grade(models.TextChoices):
    EXCELLENT = "excellent", pgettext_lazy("grade", "Excellent")
    COMPETENT = "competent", _("Competent")
    BASIC = "basic", _("Basically competent")
    INCOMPETENT = "incompetent", _("Incompetent")


# Best first: a grade's index is its rank (lower is better).
GRADE_ORDER = [Grade.EXCELLENT, Grade.COMPETENT, Grade.BASIC, Grade.INCOMPETENT]


def grades_at_or_below(grade: str) -> list[str]:
    return [g.value for g in GRADE_ORDER[GRADE_ORDER.index(grade):]]


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Settings being prepared")
    OPEN = "open", _("Open (settings fixed)")


class RaterGroup(models.TextChoices):
    PARTY = "party", _("Party members")
    REPRESENTATIVES = "representatives", _("Villager / household representatives")


DIMENSIONS = [
    ("de", _("Morality (德)")),
    ("neng", _("Ability (能)")),
    ("qin", _("Diligence (勤)")),
    ("ji", _("Performance (绩)")),
    ("lian", _("Integrity (廉)")),
]

VOTES = [
    ("excellent", Grade.EXCELLENT.label),
    ("competent", Grade.COMPETENT.label),
    ("basic", Grade.BASIC.label),
    ("incompetent", Grade.INCOMPETENT.label),
]


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class CaseMeasure(models.TextChoices):
    TALK = "talk", _("Admonishing talk (诫勉谈话)")
    CORRECT = "correct", _("Correction within a deadline")
    ADJUST = "adjust", _("Post adjusted")
    DISMISS = "dismiss", _("Dismissed or recalled per law")
    OTHER = "other", _("Other")
