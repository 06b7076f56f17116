"""Who may see what: a user's scope is their org unit (region, county, township or village).

scope_for() reads the user's county_id / township_id / village_id attributes, and for a region account (a city or a
province above the counties) region_id and region_county_ids, the counties under it (accounts.User has them); core
knows no model of any app. A region account reads every county under it; whether it may also act (accept, return,
lock) is a matter of its permissions, which the region role does not grant.

Each scoped model declares once how it reaches its org unit and uses ScopedManager:

    class Deduction(models.Model):
        scope_path = "result__review__village"   # the lookup to its Village ("" for Village itself)
        objects = ScopedManager()

    class Inspection(models.Model):               # hangs off a township
        scope_via, scope_path = SCOPE_TOWNSHIP, "township"

and selectors call Deduction.objects.for_user(user) (or qs.for_user(user) on any of its querysets). Outside one's
scope a record is simply not found (404). As NetBox's RestrictedQuerySet.restrict(user).
"""
from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

ALL, REGION, COUNTY, TOWNSHIP, VILLAGE, NONE = "all", "region", "county", "township", "village", "none"
# What a model's scope_path leads to.
SCOPE_VILLAGE, SCOPE_TOWNSHIP, SCOPE_COUNTY = VILLAGE, TOWNSHIP, COUNTY


@dataclass(frozen=True)
class Scope:
    level: str
    county_id: int | None = None
    township_id: int | None = None
    village_id: int | None = None
    region_id: int | None = None
    county_ids: frozenset[int] = frozenset()  # a region's counties

    @property
    def is_county_wide(self) -> bool:
        return self.level in (ALL, REGION, COUNTY)

    @property
    def is_regional(self) -> bool:
        """Sees more than one county: the counties are the rows of its dashboards and reports."""
        return self.level in (ALL, REGION)


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
    if getattr(user, "region_id", None):
        return Scope(REGION, region_id=user.region_id, county_ids=frozenset(user.region_county_ids))
    return Scope(NONE)


def _path(prefix: str, field: str) -> str:
    return f"{prefix}__{field}" if prefix else field


def _self(prefix: str) -> str:
    return _path(prefix, "id") if prefix else "pk"


def scope_q(user, *, path: str, via: str = SCOPE_VILLAGE) -> Q | None:
    """A Q narrowing a model's rows to the user's scope, or None for "everything".

    `path` is the lookup from the model to the org unit named by `via` (a village, a township or a county);
    "" when the model is that org unit itself."""
    scope = scope_for(user)
    if scope.level == ALL:
        return None
    if scope.level == NONE:
        return Q(pk__in=[])
    if scope.level == REGION:
        counties = sorted(scope.county_ids)
        if via == SCOPE_VILLAGE:
            return Q(**{f"{_path(path, 'township__county_id')}__in": counties})
        if via == SCOPE_TOWNSHIP:
            return Q(**{f"{_path(path, 'county_id')}__in": counties})
        if via == SCOPE_COUNTY:
            return Q(**{f"{_self(path)}__in": counties})
        raise ImproperlyConfigured(f"unknown scope_via {via!r}")
    if via == SCOPE_VILLAGE:
        if scope.level == VILLAGE:
            return Q(**{_self(path): scope.village_id})
        if scope.level == TOWNSHIP:
            return Q(**{_path(path, "township_id"): scope.township_id})
        return Q(**{_path(path, "township__county_id"): scope.county_id})
    if via == SCOPE_TOWNSHIP:
        if scope.level in (TOWNSHIP, VILLAGE):
            return Q(**{_self(path): scope.township_id})
        return Q(**{_path(path, "county_id"): scope.county_id})
    if via == SCOPE_COUNTY:
        return Q(**{_self(path): scope.county_id})
    raise ImproperlyConfigured(f"unknown scope_via {via!r}")


class ScopedQuerySet(models.QuerySet):
    def for_user(self, user) -> ScopedQuerySet:
        """These rows narrowed to the user's scope, by the model's scope_path / scope_via."""
        path = getattr(self.model, "scope_path", None)
        if path is None:
            raise ImproperlyConfigured(f"{self.model.__name__} declares no scope_path")
        q = scope_q(user, path=path, via=getattr(self.model, "scope_via", SCOPE_VILLAGE))
        return self if q is None else self.filter(q)


class ScopedManager(models.Manager.from_queryset(ScopedQuerySet)):
    """The default manager of every scoped model; not used in migrations, so adding it changes no schema."""


def unit_in_scope(user, *, county_id, township_id=None, village_id=None) -> bool:
    """Whether an org unit (a village: all three ids; a township: county and township) is in the user's scope,
    from ids alone (no query)."""
    scope = scope_for(user)
    if scope.level == ALL:
        return True
    if scope.level == VILLAGE:
        return village_id is not None and village_id == scope.village_id
    if scope.level == TOWNSHIP:
        return township_id is not None and township_id == scope.township_id
    if scope.level == COUNTY:
        return county_id == scope.county_id
    if scope.level == REGION:
        return county_id in scope.county_ids
    return False


def village_in_scope(user, village) -> bool:
    return unit_in_scope(user, county_id=village.township.county_id, township_id=village.township_id,
                         village_id=village.pk)


def village_assert_in_scope(*, user, village) -> None:
    """Services call this before writing anything that belongs to a village."""
    if not village_in_scope(user, village):
        raise PermissionDenied(
            _("%(village)s is outside your area; you cannot change its records.") % {"village": village}
        )


def township_assert_in_scope(*, user, township) -> None:
    """Services call this before writing anything that belongs to a township (not open to a village's clerk)."""
    if scope_for(user).level == VILLAGE or not unit_in_scope(user, county_id=township.county_id,
                                                              township_id=township.pk):
        raise PermissionDenied(
            _("%(township)s is outside your area; you cannot change its records.") % {"township": township}
        )
