"""A small county for tests: two townships (A and B), a village in each, a person and a post in each,
and one user per role; the county lies in a city of a province, whose `region` account reads it, and
`other_region` is the account of another city of the province (with its own county).
`world` is what the scope matrix and most view tests use."""
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from accounts.roles import ADMINISTRATOR, COUNTY_OFFICIAL, REGION_OFFICIAL, TOWNSHIP_STAFF, VILLAGE_CLERK
from tests.accounts.factories import make_user
from tests.members.factories import PartyMemberFactory
from tests.villages.factories import (
    CadrePostFactory,
    CountyFactory,
    PersonFactory,
    RegionFactory,
    TownshipFactory,
    VillageFactory,
)

# No per-example deadline: CI machines are shared and a slow example is not a failure.
hypothesis_settings.register_profile("qiangji", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("qiangji")


def pytest_collection_modifyitems(items):
    """A transactional test may also read the `replica` alias (in tests a mirror of the test database, the same
    data): a report page it opens outside a transaction reads there (core/replica.py). Without this, Django refuses
    those reads in a test that did not list the alias. A test naming its databases keeps its own list."""
    from pytest_django.fixtures import validate_django_db

    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None:
            continue
        transaction, reset_sequences, databases, serialized_rollback, available_apps = validate_django_db(marker)
        if transaction and databases is None:
            item.add_marker(pytest.mark.django_db(
                transaction=True, reset_sequences=reset_sequences, databases=["default", "replica"],
                serialized_rollback=serialized_rollback, available_apps=available_apps), append=False)


@dataclass
class World:
    county: object
    township_a: object
    township_b: object
    village_a: object
    village_a2: object
    village_b: object
    person_a: object
    person_b: object
    post_a: object
    post_b: object
    users: dict
    extra: dict = field(default_factory=dict)


@pytest.fixture
def world(db):
    province = RegionFactory(code="350000", name="强基省", level="province")
    city = RegionFactory(code="359900", name="强基市", parent=province)
    other_city = RegionFactory(code="358800", name="邻市", parent=province)
    county = CountyFactory(region=city)
    CountyFactory(code="358801", name="邻县", region=other_city)
    township_a = TownshipFactory(county=county, name="甲镇")
    township_b = TownshipFactory(county=county, name="乙乡")
    village_a = VillageFactory(township=township_a, name="甲一村")
    village_a2 = VillageFactory(township=township_a, name="甲二村")
    village_b = VillageFactory(township=township_b, name="乙一村")
    person_a = PersonFactory(village=village_a, name="王甲明")
    person_b = PersonFactory(village=village_b, name="李乙华")
    PartyMemberFactory(person=person_a)
    post_a = CadrePostFactory(person=person_a)
    post_b = CadrePostFactory(person=person_b)
    users = {
        "county": make_user("county", role=COUNTY_OFFICIAL, county=county),
        "township_a": make_user("township_a", role=TOWNSHIP_STAFF, county=county, township=township_a),
        "township_b": make_user("township_b", role=TOWNSHIP_STAFF, county=county, township=township_b),
        "clerk_a": make_user("clerk_a", role=VILLAGE_CLERK, county=county, township=township_a, village=village_a),
        "region": make_user("region", role=REGION_OFFICIAL, region=city),
        "other_region": make_user("other_region", role=REGION_OFFICIAL, region=other_city),
        "admin": make_user("admin", role=ADMINISTRATOR, county=county, is_superuser=True, is_staff=True),
    }
    return World(county, township_a, township_b, village_a, village_a2, village_b, person_a, person_b, post_a, post_b,
                 users)


@pytest.fixture
def client_for(client):
    """client_for(user) → the test client logged in as that user (None: anonymous)."""

    def login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return login
