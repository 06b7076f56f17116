"""Who may see what: a user's scope is their org unit (county, township or village).

Every selector narrows its queryset with scope_filter(); outside one's scope a record is simply not found (404).
"""
from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

ALL, COUNTY, TOWNSHIP, VILLAGE, NONE = "all", "county", "township", "village", "none"


@dataclass(frozen=True)
class Scope:
    level: str
    county_id: int | None = None
    township_id: int | None = None
    village_id: int | None = None

    @property
    def is_county_wide(self) -> bool:
        return self.level in (ALL, COUNTY)


def scope_for(user) -> Scope:
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope(NONE)
    if user.is_superuser:
        return Scope(ALL)
    if user.village_id:
        return Scope(VILLAGE, user.county_id, user.township_id, user.village_id)
    if user.township_id:
        return Scope(TOWNSHIP, user.county_id, user.township_id)
    if user.county_id:
        return Scope(COUNTY, user.county_id)
    return Scope(NONE)


def _path(prefix: str, field: str) -> str:
    return f"{prefix}__{field}" if prefix else field


def scope_q(user, *, village: str | None = "village", township: str | None = None) -> Q | None:
    """A Q narrowing a queryset to the user's scope, or None for "everything".

    `village` is the lookup path from the model to its Village ("" when the model is Village itself);
    for models that hang off a township only, pass village=None and `township` (the path to Township, "" for itself).
    """
    scope = scope_for(user)
    if scope.level == ALL:
        return None
    if scope.level == NONE:
        return Q(pk__in=[])
    if village is not None:
        township_path = _path(village, "township")
        if scope.level == VILLAGE:
            return Q(**{_path(village, "pk" if not village else "id"): scope.village_id})
        if scope.level == TOWNSHIP:
            return Q(**{_path(township_path, "id"): scope.township_id})
        return Q(**{_path(township_path, "county_id"): scope.county_id})
    assert township is not None, "scope_q needs a path to a village or a township"
    if scope.level in (TOWNSHIP, VILLAGE):
        return Q(**{_path(township, "pk" if not township else "id"): scope.township_id})
    return Q(**{_path(township, "county_id"): scope.county_id})


def scope_filter(qs: QuerySet, user, *, village: str | None = "village", township: str | None = None) -> QuerySet:
    q = scope_q(user, village=village, township=township)
    return qs if q is None else qs.filter(q)


def village_in_scope(user, village) -> bool:
    scope = scope_for(user)
    if scope.level == ALL:
        return True
    if scope.level == VILLAGE:
        return village.pk == scope.village_id
    if scope.level == TOWNSHIP:
        return village.township_id == scope.township_id
    if scope.level == COUNTY:
        return village.township.county_id == scope.county_id
    return False


def village_assert_in_scope(*, user, village) -> None:
    """Services call this before writing anything that belongs to a village."""
    if not village_in_scope(user, village):
        raise PermissionDenied(_("%(village)s is outside your area; you cannot change its records.") % {"village": village})
