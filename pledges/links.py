"""What pledges/ links from the village page (core.hooks.village_links): its cadres' pledges, this quarter's
pledge review, its cadres' archives."""
from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.hooks import Link
from core.periods import Quarter


def village_links(*, user, village) -> list[Link]:
    links = []
    if user.has_perm("pledges.view_pledge"):
        links.append(Link(_("Pledges"), reverse("pledges:pledge_list") + f"?village={village.pk}"))
    if user.has_perm("pledges.view_quarterlyreview"):
        quarter = Quarter.of(timezone.localdate())
        links.append(Link(_("Pledge review, %(quarter)s") % {"quarter": quarter.label},
                          reverse("pledges:review_detail", kwargs={"code": village.code, "quarter": str(quarter)})))
    if user.has_perm("pledges.view_archiveentry"):
        links.append(Link(_("Cadre archives"), reverse("pledges:cadre_list") + f"?village={village.pk}"))
    return links
