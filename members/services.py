from django.db import transaction

from accounts.scope import village_assert_in_scope

from .models import PartyMember

MEMBER_FIELDS = ("person", "village", "joined_date", "kind", "status")


@transaction.atomic
def party_member_create(*, user, person, village, joined_date, kind, status) -> PartyMember:
    village_assert_in_scope(user=user, village=village)
    member = PartyMember(person=person, village=village, joined_date=joined_date, kind=kind, status=status)
    member._history_user = user
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def party_member_update(*, user, member: PartyMember, **data) -> PartyMember:
    village_assert_in_scope(user=user, village=member.village)
    for field, value in data.items():
        if field not in MEMBER_FIELDS:
            raise TypeError(f"party_member_update() got an unexpected field {field!r}")
        setattr(member, field, value)
    village_assert_in_scope(user=user, village=member.village)
    member._history_user = user
    member.full_clean()
    member.save()
    return member
