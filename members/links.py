"""What members/ links from the village page (core.hooks.village_links): the village's month of assessment."""
from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.hooks import Link
from core.periods import Month


def village_links(*, user, village) -> list[Link]:
    if not user.has_perm("members.view_monthlyresult"):
        return []
    month = Month.of(timezone.localdate())
    return [Link(_("Monthly assessment, %(month)s") % {"month": month.label},
                 reverse("members:monthlyreview_grid", kwargs={"code": village.code, "month": str(month)}))]
