"""List pages cost the same number of queries whatever the number of rows."""
import pytest
from django.urls import reverse

from tests.members.factories import PartyMemberFactory
from tests.villages.factories import CadrePostFactory, PersonFactory, VillageFactory

pytestmark = pytest.mark.django_db


def grow(world, n):
    for _ in range(n):
        village = VillageFactory(township=world.township_a)
        for _ in range(3):
            PartyMemberFactory(person=PersonFactory(village=village))
        CadrePostFactory(person=PersonFactory(village=village))


@pytest.mark.parametrize("url_name", ["home", "villages:village_list", "villages:person_list"])
@pytest.mark.parametrize("extra", [0, 30])
def test_list_pages_have_bounded_queries(world, client_for, django_assert_max_num_queries, url_name, extra):
    grow(world, extra)
    client = client_for(world.users["township_a"])
    # The overview also asks each of the four initiatives what waits for the user (one query each) and counts
    # villages, cadres and members per township (one grouped query each), and counts the objections to public
    # notices waiting for the township's answer (one); this first page after the test's login also refreshes the
    # session's expiry (core.sessions: three queries, once a minute).
    with django_assert_max_num_queries(18 if url_name == "home" else 12):
        response = client.get(reverse(url_name))
    assert response.status_code == 200


def test_village_page_has_bounded_queries(world, client_for, django_assert_max_num_queries):
    for _ in range(40):
        PartyMemberFactory(person=PersonFactory(village=world.village_a))
        CadrePostFactory(person=PersonFactory(village=world.village_a), post="committee_member")
    client = client_for(world.users["township_a"])
    with django_assert_max_num_queries(13):  # 13: the party-member roster is paginated (its count)
        response = client.get(reverse("villages:village_detail", args=[world.village_a.code]))
    assert response.content.decode().count("/people/") > 80


def test_village_directory_counts_members_and_cadres(world, client_for):
    PartyMemberFactory(person=PersonFactory(village=world.village_a))
    page = client_for(world.users["township_a"]).get(reverse("villages:village_list")).content.decode()
    row = page[page.index(world.village_a.name):]
    row = row[: row.index("</tr>")]
    # 1 cadre in post (person_a), 2 active party members (person_a and the new one)
    assert '<td class="num">1</td><td class="num">2</td>' in row
