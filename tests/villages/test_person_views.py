import pytest
from django.urls import reverse

from core.pii import mask_id_number
from tests.villages.factories import valid_id_number
from villages.models import Person, PersonalDataView

pytestmark = pytest.mark.django_db


def person_form(world, **overrides):
    number = overrides.pop("id_number") if "id_number" in overrides else valid_id_number()
    born = overrides.get("birth_date") or f"{number[6:10]}-{number[10:12]}-{number[12:14]}"
    data = {
        "name": "赵新民", "gender": "M", "birth_date": born,
        "id_number": number, "phone": "13912345678", "education": "senior", "village": world.village_a.pk,
    }
    data.update(overrides)
    return data


def test_township_staff_adds_a_person(world, client_for):
    client = client_for(world.users["township_a"])
    data = person_form(world)
    response = client.post(reverse("villages:person_add"), data, follow=True)
    person = Person.objects.get(id_number=data["id_number"])
    assert person.village == world.village_a
    assert "已新增 赵新民" in response.content.decode()
    record = person.history.get()
    assert record.history_user == world.users["township_a"] and record.history_type == "+"


def test_bad_check_digit_is_refused_in_chinese_and_nothing_is_written(world, client_for):
    client = client_for(world.users["township_a"])
    good = valid_id_number()
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    before = Person.objects.count()
    response = client.post(reverse("villages:person_add"), person_form(world, id_number=bad))
    assert response.status_code == 200
    assert f"身份证号校验码错误：最后一位应为 {good[17]}" in response.content.decode()
    assert Person.objects.count() == before


def test_duplicate_id_number_is_refused_in_chinese_and_nothing_is_written(world, client_for):
    client = client_for(world.users["township_a"])
    before = Person.objects.count()
    response = client.post(reverse("villages:person_add"), person_form(world, id_number=world.person_b.id_number))
    assert "已有人员登记了这个身份证号，不能重复登记。" in response.content.decode()
    assert Person.objects.count() == before


def test_birth_date_must_match_the_id_number(world, client_for):
    client = client_for(world.users["township_a"])
    response = client.post(reverse("villages:person_add"), person_form(world, birth_date="1999-01-01"))
    assert "出生日期与身份证号不符" in response.content.decode()


def test_cannot_add_a_person_to_another_townships_village(world, client_for):
    client = client_for(world.users["township_b"])
    before = Person.objects.count()
    response = client.post(reverse("villages:person_add"), person_form(world))
    # The village is not even offered: the form refuses the choice.
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    assert Person.objects.count() == before


def test_id_numbers_are_masked_and_only_a_recorded_reveal_shows_them(world, client_for):
    url = reverse("villages:person_detail", args=[world.person_a.pk])
    reveal = reverse("villages:person_reveal", args=[world.person_a.pk])
    for role in ("township_a", "county"):
        page = client_for(world.users[role]).get(url).content.decode()
        assert mask_id_number(world.person_a.id_number) in page
        assert world.person_a.id_number not in page and world.person_a.phone not in page
    # Township staff may not reveal; nothing is recorded.
    assert client_for(world.users["township_a"]).post(reveal).status_code == 403
    assert not PersonalDataView.objects.exists()
    # The county may, and the view is recorded: who, whose, when.
    page = client_for(world.users["county"]).post(reveal).content.decode()
    assert world.person_a.id_number in page and world.person_a.phone in page
    view = PersonalDataView.objects.get()
    assert (view.user, view.person) == (world.users["county"], world.person_a)
    # The list pages never show full numbers.
    page = client_for(world.users["county"]).get(reverse("villages:person_list")).content.decode()
    assert world.person_a.id_number not in page


def test_edit_keeps_the_id_number_when_left_empty_by_a_masked_user(world, client_for):
    client = client_for(world.users["township_a"])
    data = person_form(world, id_number="", name="王甲明改", birth_date=world.person_a.birth_date.isoformat())
    client.post(reverse("villages:person_edit", args=[world.person_a.pk]), data)
    world.person_a.refresh_from_db()
    assert world.person_a.name == "王甲明改"
    assert world.person_a.id_number == Person.history.filter(id=world.person_a.pk).earliest("history_date").id_number


def test_every_change_is_in_the_audit_trail_county_officials_see(world, client_for):
    client = client_for(world.users["township_a"])
    data = person_form(world, id_number="", name="王甲新", phone="13700000000",
                       birth_date=world.person_a.birth_date.isoformat())
    client.post(reverse("villages:person_edit", args=[world.person_a.pk]), data)
    url = reverse("record_history", args=["villages", "person", world.person_a.pk])
    page = client_for(world.users["county"]).get(url).content.decode()
    assert "王甲明" in page and "王甲新" in page  # old and new
    assert "township_a" in page  # who
    assert "137****0000" in page and "13700000000" not in page  # numbers stay masked in the trail
    assert client_for(world.users["township_a"]).get(url).status_code == 403


def test_township_user_gets_404_for_another_townships_village_and_person(world, client_for):
    client = client_for(world.users["township_b"])
    assert client.get(reverse("villages:village_detail", args=[world.village_a.code])).status_code == 404
    assert client.get(reverse("villages:person_detail", args=[world.person_a.pk])).status_code == 404
    response = client.get(reverse("villages:person_detail", args=[world.person_a.pk]))
    assert "页面不存在" in response.content.decode()
