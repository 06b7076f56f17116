import pytest
from django.urls import reverse

from tests.villages.factories import CadrePostFactory, PersonFactory

from .factories import (
    ArchiveEntryFactory,
    ItemReviewFactory,
    PledgeFactory,
    PledgeItemFactory,
    QuarterlyReviewFactory,
    RectificationFactory,
)

PAGES = ["pledges:pledge_list", "pledges:pledge_adoption", "pledges:review_list", "pledges:rectification_list",
         "pledges:cadre_list"]


def _add_cadres(world, n):
    review = QuarterlyReviewFactory(village=world.village_a, quarter=1 + len(world.extra.setdefault("q", [])))
    world.extra["q"].append(review)
    for _ in range(n):
        person = PersonFactory(village=world.village_a)
        CadrePostFactory(person=person)
        pledge = PledgeFactory(person=person)
        item = PledgeItemFactory(pledge=pledge)
        ItemReviewFactory(review=review, item=item, status="behind")
        RectificationFactory(review=review, item=item)
        ArchiveEntryFactory(person=person, added_by=world.users["township_a"])
    return review


@pytest.mark.parametrize("name", PAGES)
def test_list_pages_use_a_bounded_number_of_queries(name, world, client_for, django_assert_max_num_queries):
    client = client_for(world.users["township_a"])
    _add_cadres(world, 2)
    with django_assert_max_num_queries(14):
        assert client.get(reverse(name)).status_code == 200
    _add_cadres(world, 25)
    with django_assert_max_num_queries(14):
        assert client.get(reverse(name)).status_code == 200


def test_review_grid_and_archive_bounded(world, client_for, django_assert_max_num_queries):
    client = client_for(world.users["township_a"])
    review = _add_cadres(world, 2)
    review_url = reverse("pledges:review_detail", kwargs={"code": world.village_a.code, "quarter": review.period})
    with django_assert_max_num_queries(16):
        client.get(review_url)
    _add_cadres(world, 25)
    with django_assert_max_num_queries(16):
        client.get(review_url)


def test_pledge_and_archive_pages_bounded(world, client_for, django_assert_max_num_queries):
    from .factories import ItemReviewFactory, PledgeFactory, PledgeItemFactory

    client = client_for(world.users["township_a"])
    pledge = PledgeFactory(person=world.person_a)

    def grow(n):
        review = _add_cadres(world, 0)
        for _ in range(n):
            ItemReviewFactory(review=review, item=PledgeItemFactory(pledge=pledge))
        ArchiveEntryFactory.create_batch(n, person=world.person_a, added_by=world.users["township_a"])

    urls = [reverse("pledges:pledge_detail", kwargs={"pk": pledge.pk}),
            reverse("pledges:archive_detail", kwargs={"pk": world.person_a.pk})]
    grow(2)
    for url in urls:
        with django_assert_max_num_queries(20):
            assert client.get(url).status_code == 200
    grow(20)
    for url in urls:
        with django_assert_max_num_queries(20):
            assert client.get(url).status_code == 200
