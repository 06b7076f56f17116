import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_township_a(world):
    user = world.users["township_a"]
    user.is_staff = True
    user.save()
    return user


def test_admin_lists_only_the_users_own_villages_and_people(world, client_for, staff_township_a):
    client = client_for(staff_township_a)
    page = client.get(reverse("admin:villages_village_changelist")).content.decode()
    assert world.village_a.name in page and world.village_b.name not in page
    page = client.get(reverse("admin:villages_person_changelist")).content.decode()
    assert world.person_a.name in page and world.person_b.name not in page


def test_admin_change_page_outside_scope_is_not_reachable(world, client_for, staff_township_a):
    client = client_for(staff_township_a)
    response = client.get(reverse("admin:villages_person_change", args=[world.person_b.pk]))
    # Django's admin redirects to its index with "doesn't exist" for objects outside get_queryset().
    assert response.status_code == 302
    response = client.get(reverse("admin:villages_person_history", args=[world.person_b.pk]))
    assert response.status_code == 404


def test_admin_edit_goes_through_the_service_and_is_audited(world, client_for, staff_township_a):
    client = client_for(staff_township_a)
    url = reverse("admin:villages_person_change", args=[world.person_a.pk])
    p = world.person_a
    response = client.post(url, {
        "name": "王甲明", "gender": p.gender, "birth_date": p.birth_date.isoformat(), "id_number": p.id_number,
        "phone": "13600000000", "education": "", "village": p.village_id,
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    p.refresh_from_db()
    assert p.phone == "13600000000"
    assert p.history.latest("history_date").history_user == staff_township_a


def test_the_admin_shows_and_sets_the_countys_issuing_authority(world, client_for):
    client = client_for(world.users["admin"])
    page = client.get(reverse("admin:villages_county_changelist")).content.decode()
    assert "中共强基县委组织部" in page  # derived from the name while the field is blank
    url = reverse("admin:villages_county_change", args=[world.county.pk])
    assert "发文机关" in client.get(url).content.decode()
    response = client.post(url, {"code": world.county.code, "name": world.county.name,
                                 "issuing_authority": "中共强基县委员会组织部"})
    assert response.status_code == 302, response.content.decode()[:2000]
    world.county.refresh_from_db()
    assert world.county.issuer.authority == "中共强基县委员会组织部"
    assert world.county.issuer.prefix == "强基组"
