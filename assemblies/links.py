"""What assemblies/ links from the village page (core.hooks.village_links): its households, discussion points
and meetings."""
from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from core.hooks import Link


def village_links(*, user, village) -> list[Link]:
    if not user.has_perm("assemblies.view_household"):
        return []
    return [Link(_("Households and meetings"), reverse("assemblies:village_detail", kwargs={"code": village.code}))]
