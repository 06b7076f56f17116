import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from tests.villages.factories import CadrePostFactory, valid_id_number
from villages import services
from villages.choices import Post
from villages.models import CadrePost, Person

pytestmark = pytest.mark.django_db


def test_person_create_refuses_outside_scope(world):
    number = valid_id_number()
    with pytest.raises(PermissionDenied):
        services.person_create(
            user=world.users["township_b"], name="甲", gender="M", birth_date=dt.date(1970, 5, 17),
            id_number=number, village=world.village_a,
        )
    assert not Person.objects.filter(id_number=number).exists()


def test_id_number_is_normalised_to_upper_case(world):
    number = "11010519491231002x"
    person = services.person_create(
        user=world.users["township_a"], name="甲", gender="F", birth_date=dt.date(1949, 12, 31),
        id_number=number, village=world.village_a,
    )
    assert person.id_number == "11010519491231002X"


def test_cadre_post_takes_its_committee_from_the_post(world):
    post = services.cadre_post_create(
        user=world.users["township_a"], person=world.person_a, village=world.village_a, post=Post.VICE_CHAIR,
        term_start_year=2024, term_end_year=2027, start_date=dt.date(2024, 3, 1),
    )
    assert post.committee == "village"
    assert post.history.get().history_user == world.users["township_a"]


def test_a_post_cannot_end_before_it_starts(world):
    with pytest.raises(ValidationError) as exc:
        services.cadre_post_update(user=world.users["township_a"], cadre_post=world.post_a,
                                   end_date=dt.date(2020, 1, 1))
    assert "离任日期不能早于任职日期" in str(exc.value)


def test_the_database_holds_committee_and_post_together(world):
    with pytest.raises(IntegrityError):
        CadrePostFactory(person=world.person_a, post=Post.CHAIR, committee="branch")


def test_posts_are_recorded_in_the_persons_own_township(world):
    with pytest.raises(ValidationError) as exc:
        services.cadre_post_create(
            user=world.users["admin"], person=world.person_b, village=world.village_a, post=Post.CHAIR,
            term_start_year=2024, term_end_year=2027, start_date=dt.date(2024, 3, 1),
        )
    assert "此人属于其他乡镇" in str(exc.value)
    assert not CadrePost.objects.filter(person=world.person_b, village=world.village_a).exists()
