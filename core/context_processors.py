from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class PortalUnit:
    """What heads every page (base.html): the unit's name in the title and the header, and the name and its
    organization department in the footer."""

    name: str
    department: str


def portal_unit(user) -> PortalUnit:
    """The user's own unit: a region account's region (强基市 · 市委组织部, 强基省 · 省委组织部), anyone else's county
    (accounts.User.home_unit, read with the user: core knows no app's model); the configured county for a page
    without one (the login page) or an account above every county."""
    unit = getattr(user, "home_unit", None) if user is not None and user.is_authenticated else None
    if unit is None:
        return PortalUnit(settings.QIANGJI_COUNTY_NAME, _("County party organization department"))
    return PortalUnit(unit.name, str(unit.department))


def portal(request):
    # Lazy: read only by a page that shows it (not by an htmx fragment).
    return {"portal_unit": SimpleLazyObject(lambda: portal_unit(getattr(request, "user", None)))}
