import datetime as dt
import itertools

import factory

from villages.choices import POST_COMMITTEE, Post
from villages.idnumbers import make_id_number
from villages.models import CadrePost, County, Person, Region, Township, Village

_seq = itertools.count(1)


def valid_id_number(born=dt.date(1970, 5, 17), gender="M") -> str:
    """A fresh, valid ID number each call."""
    n = next(_seq)
    return make_id_number(f"3507{n // 100 % 100:02d}", born + dt.timedelta(days=n // 10000), n % 100, gender)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "359900"
    name = "强基市"
    level = Region.Level.CITY


class CountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = County
        django_get_or_create = ("code",)

    code = "359901"
    name = "强基县"


class TownshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Township

    county = factory.SubFactory(CountyFactory)
    code = factory.Sequence(lambda n: f"35990{n:04d}")
    name = factory.Sequence(lambda n: f"测试{n}镇")


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village

    township = factory.SubFactory(TownshipFactory)
    code = factory.Sequence(lambda n: f"3599{n:08d}")  # 12 digits, however many villages the suite makes
    name = factory.Sequence(lambda n: f"测试{n}村")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"张{n}")
    gender = "M"
    birth_date = factory.LazyAttribute(
        lambda o: dt.date(int(o.id_number[6:10]), int(o.id_number[10:12]), int(o.id_number[12:14])))
    id_number = factory.LazyFunction(valid_id_number)
    phone = "13800001234"
    village = factory.SubFactory(VillageFactory)


class CadrePostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CadrePost

    person = factory.SubFactory(PersonFactory)
    village = factory.SelfAttribute("person.village")
    post = Post.SECRETARY
    committee = factory.LazyAttribute(lambda o: POST_COMMITTEE[o.post])
    term_start_year = 2024
    term_end_year = 2027
    start_date = dt.date(2024, 3, 10)
