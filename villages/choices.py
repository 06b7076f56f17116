from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Education(models.TextChoices):
    PRIMARY = "primary", _("Primary school")
    JUNIOR = "junior", _("Junior secondary")
    SENIOR = "senior", _("Senior secondary / vocational")
    COLLEGE = "college", _("Junior college")
    BACHELOR = "bachelor", _("Bachelor")
    POSTGRADUATE = "postgraduate", _("Postgraduate")


class Committee(models.TextChoices):
    BRANCH = "branch", _("Party branch")
    VILLAGE = "village", _("Village committee")
    SUPERVISION = "supervision", _("Village affairs supervision group")


class Post(models.TextChoices):
    SECRETARY = "secretary", _("Branch secretary")
    DEPUTY_SECRETARY = "deputy_secretary", _("Deputy branch secretary")
    BRANCH_MEMBER = "branch_member", _("Branch committee member")
    CHAIR = "chair", _("Village committee chair")
    VICE_CHAIR = "vice_chair", _("Village committee vice-chair")
    COMMITTEE_MEMBER = "committee_member", _("Village committee member")
    SUPERVISION_MEMBER = "supervision_member", _("Supervision group member")


POST_COMMITTEE = {
    Post.SECRETARY: Committee.BRANCH,
    Post.DEPUTY_SECRETARY: Committee.BRANCH,
    Post.BRANCH_MEMBER: Committee.BRANCH,
    Post.CHAIR: Committee.VILLAGE,
    Post.VICE_CHAIR: Committee.VILLAGE,
    Post.COMMITTEE_MEMBER: Committee.VILLAGE,
    Post.SUPERVISION_MEMBER: Committee.SUPERVISION,
}
# The "two committees" 村两委 whose members are village cadres 村干部.
TWO_COMMITTEES = (Committee.BRANCH, Committee.VILLAGE)
