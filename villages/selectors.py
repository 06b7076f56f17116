from django.db.models import Case, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils.translation import gettext as _

from core import hooks
from core.documents import Issuer, default_issuer
from core.queries import subquery_count
from core.scope import REGION, scope_for

from .choices import TWO_COMMITTEES, Post
from .models import CadrePost, County, Person, Township, Village


def county_list(*, user) -> QuerySet[County]:
    return County.objects.for_user(user)


def region_wide(*, user) -> bool:
    """Whether the user sees more than one county (a region's account, or an administrator of several): its
    dashboards and reports then compare counties."""
    scope = scope_for(user)
    if not scope.is_regional:  # a county's, township's or village's account: one county, no query
        return False
    if scope.level == REGION:
        return len(scope.county_ids) > 1
    return county_list(user=user).count() > 1


def document_issuer(*, user, county: County | None = None) -> Issuer:
    """Who issues the documents the user prints: the given county, else the user's county (or the only county a
    user without one sees); a region's account its region (中共强基市委组织部) when it sees several; the configured
    county name when there is none."""
    if county is None:
        counties = list(county_list(user=user)[:2])
        county = counties[0] if len(counties) == 1 else None
        region = getattr(user, "region", None)
        if county is None and region is not None:
            return Issuer.for_county_name(region.name)
    return county.issuer if county is not None else default_issuer()


def township_list(*, user) -> QuerySet[Township]:
    return Township.objects.for_user(user).select_related("county")


def _active_member_count(group_by: str, **lookups):
    """The count of active party members (members/ answers core.hooks.active_party_members) matching `lookups`,
    which hold the OuterRef, as an annotation."""
    members = hooks.active_party_members()
    if members is None:
        return Value(0)
    return subquery_count(members.filter(**lookups), group_by)


def township_summary_list(*, user) -> list[Township]:
    """Townships in scope (those with villages in scope), by code, each with its village, active-member and
    current-cadre counts: one grouped query each (active members from the kept per-village counts, core.hooks),
    so the cost follows the townships, not the memberships and posts beneath them."""
    villages = Village.objects.for_user(user)
    village_counts = dict(villages.order_by().values_list("township").annotate(n=Count("id")))
    cadre_counts = dict(
        CadrePost.objects.filter(village__in=villages, end_date__isnull=True, committee__in=TWO_COMMITTEES)
        .order_by().values_list("village__township").annotate(n=Count("person", distinct=True)))
    member_counts = hooks.active_member_counts(villages=villages, by="village__township")
    townships = list(township_list(user=user).filter(pk__in=list(village_counts)).order_by("code"))
    for township in townships:
        township.village_count = village_counts.get(township.pk, 0)
        township.cadre_count = cadre_counts.get(township.pk, 0)
        township.member_count = member_counts.get(township.pk, 0)
    return townships


def village_list(*, user) -> QuerySet[Village]:
    """Villages in scope, each annotated with active party members and current two-committee cadres."""
    return (
        Village.objects.for_user(user).select_related("township")
        .annotate(
            member_count=_active_member_count("village", village=OuterRef("pk")),
            cadre_count=Count(
                "posts__person",
                filter=Q(posts__end_date__isnull=True, posts__committee__in=TWO_COMMITTEES),
                distinct=True,
            ),
        )
        .order_by("code")
    )


def village_party_members(*, user, village: Village):
    """The village's party members by name, for its page: members/ answers core.hooks.village_party_members."""
    return hooks.village_party_members(user=user, village=village)


def village_get(*, user, code: str) -> Village:
    try:
        return village_list(user=user).get(code=code)
    except Village.DoesNotExist:
        raise Http404(_("No such village in your area."))


def village_neighbours(*, user, village: Village,
                       among: QuerySet | None = None) -> tuple[Village | None, Village | None]:
    """The villages before and after `village` in its township, in the directory's order (by code), of those in
    the user's scope (and, given `among`, of those ids only): a clerk's way from one village to the next."""
    qs = Village.objects.for_user(user).filter(township_id=village.township_id).only("code", "name")
    if among is not None:
        qs = qs.filter(pk__in=among)
    return (qs.filter(code__lt=village.code).order_by("-code").first(),
            qs.filter(code__gt=village.code).order_by("code").first())


def village_branch_secretary(*, user, village: Village) -> Person | None:
    """Who holds the village's branch secretary post now (the latest appointed, should two posts overlap)."""
    post = (CadrePost.objects.for_user(user).filter(village=village, post=Post.SECRETARY, end_date__isnull=True)
            .select_related("person").order_by("-start_date", "-pk").first())
    return post.person if post else None


def person_list(*, user) -> QuerySet[Person]:
    cadre = CadrePost.objects.filter(person=OuterRef("pk"), end_date__isnull=True)
    return (
        Person.objects.for_user(user).select_related("village__township")
        .select_related("membership")
        .annotate(is_cadre=Exists(cadre))
    )


def person_get(*, user, pk: int) -> Person:
    try:
        return (
            person_list(user=user)
            .prefetch_related(
                Prefetch("posts", queryset=CadrePost.objects.select_related("village").order_by("-start_date")))
            .get(pk=pk)
        )
    except (Person.DoesNotExist, ValueError):
        raise Http404(_("No such person in your area."))


POST_ORDER = Case(*[When(post=post, then=Value(i)) for i, post in enumerate(Post.values)], default=Value(99))


def cadre_post_list(*, user, village: Village | None = None, current: bool | None = None) -> QuerySet[CadrePost]:
    """Posts in scope, in the order of the posts (secretary first, supervision group last)."""
    qs = CadrePost.objects.for_user(user).select_related("person", "village__township").annotate(
        post_rank=POST_ORDER
    ).order_by("village__code", "post_rank", "start_date", "pk")
    if village is not None:
        qs = qs.filter(village=village)
    if current is True:
        qs = qs.filter(end_date__isnull=True)
    elif current is False:
        qs = qs.filter(end_date__isnull=False)
    return qs


def cadre_post_get(*, user, pk: int) -> CadrePost:
    try:
        return cadre_post_list(user=user).get(pk=pk)
    except (CadrePost.DoesNotExist, ValueError):
        raise Http404(_("No such cadre post in your area."))


def _village_by_pk(*, user, pk):
    try:
        return village_list(user=user).get(pk=pk)
    except (Village.DoesNotExist, ValueError):
        raise Http404


# The audit-trail pages (core.history) look records up through these, so history is scoped too.
HISTORY_SELECTORS = {
    "village": _village_by_pk,
    "person": person_get,
    "cadrepost": cadre_post_get,
}
