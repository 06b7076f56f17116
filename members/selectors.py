from django.db.models import Count, Q, QuerySet

from accounts.scope import scope_filter

from .choices import MembershipStatus
from .models import PartyMember


def party_member_list(*, user, village=None) -> QuerySet[PartyMember]:
    qs = scope_filter(PartyMember.objects.select_related("person", "village__township"), user)
    if village is not None:
        qs = qs.filter(village=village)
    return qs


def active_member_count_annotation(prefix: str = "party_members") -> Count:
    """Annotate a Village (or a path to it) with its count of active party members."""
    return Count(prefix, filter=Q(**{f"{prefix}__status": MembershipStatus.ACTIVE}), distinct=True)


def _party_member_by_pk(*, user, pk):
    from django.http import Http404

    try:
        return party_member_list(user=user).get(pk=pk)
    except (PartyMember.DoesNotExist, ValueError):
        raise Http404


HISTORY_SELECTORS = {"partymember": _party_member_by_pk}
