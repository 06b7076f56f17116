import datetime as dt

import factory

from members.models import PartyMember
from tests.villages.factories import PersonFactory


class PartyMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartyMember

    person = factory.SubFactory(PersonFactory)
    village = factory.SelfAttribute("person.village")
    joined_date = dt.date(1995, 7, 1)
