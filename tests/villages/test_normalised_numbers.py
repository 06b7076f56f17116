"""ID numbers and phone numbers are normalised wherever they enter: a full-width ID number (３５０７…, typed with an
IME or pasted from WPS) is the same number as its ASCII form, so it finds the person already recorded instead of
creating a second one; a new one is stored in ASCII. Validation takes ASCII digits only."""
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from tests.dbstate import changed_tables, snapshot
from tests.villages.factories import valid_id_number
from tests.villages.test_person_views import person_form
from villages import services
from villages.idnumbers import normalize_id_number, normalize_phone, validate_id_number
from villages.models import Person

FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
DUPLICATE = "已有人员登记了这个身份证号，不能重复登记。"


def full_width(number: str) -> str:
    """The number as a Chinese IME types it: full-width digits and X, with an ideographic space in the middle."""
    wide = number.translate(FULL_WIDTH)
    return f"{wide[:6]}\u3000{wide[6:14]} {wide[14:]}"


def wide_form(world, number, **overrides):
    """The person form with `number` typed in full width (the birth date matches the number)."""
    return person_form(world, id_number=full_width(number),
                       birth_date=f"{number[6:10]}-{number[10:12]}-{number[12:14]}", **overrides)


def test_normalising_makes_full_width_digits_and_letters_ascii_and_drops_every_space():
    number = "11010519491231002X"
    assert normalize_id_number(full_width(number)) == number
    assert normalize_id_number(" 11010519491231002ｘ\u200b") == number
    assert normalize_phone("１３９ １２３４－５６７８") == "13912345678"
    assert normalize_phone("0599-7822345") == "05997822345"


def test_digits_of_other_scripts_are_refused_not_read_as_digits():
    # \d matched these; int() read them. An ID number is ASCII digits and X only.
    arabic_indic = "11010519491231002X".translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    with pytest.raises(ValidationError) as exc:
        validate_id_number(arabic_indic)
    assert exc.value.code == "id_format"


@pytest.mark.django_db
@pytest.mark.parametrize("role, page", [("township_a", "villages:person_add"), ("admin", "admin:villages_person_add")])
def test_full_width_id_of_a_recorded_person_is_refused_by_the_form_and_the_admin_and_nothing_is_written(
        world, client_for, role, page):
    client = client_for(world.users[role])
    before = snapshot()
    response = client.post(reverse(page), wide_form(world, world.person_a.id_number))
    assert response.status_code == 200
    assert DUPLICATE in response.content.decode()
    assert changed_tables(before, snapshot()) == []


@pytest.mark.django_db
def test_full_width_id_of_a_recorded_person_is_refused_by_the_service(world):
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        services.person_create(user=world.users["township_a"], name="赵新民", gender=world.person_a.gender,
                               birth_date=world.person_a.birth_date, id_number=full_width(world.person_a.id_number),
                               village=world.village_a)
    assert DUPLICATE in " ".join(exc.value.messages)
    assert changed_tables(before, snapshot()) == []


@pytest.mark.django_db
def test_a_new_full_width_id_and_phone_are_stored_in_ascii_from_the_form(world, client_for):
    number = valid_id_number()
    data = wide_form(world, number, phone="１３９－１２３４ ５６７８")
    response = client_for(world.users["township_a"]).post(reverse("villages:person_add"), data, follow=True)
    assert "已新增 赵新民" in response.content.decode()
    person = Person.objects.get(name="赵新民")
    assert (person.id_number, person.phone) == (number, "13912345678")
    assert person.history.get().id_number == number


@pytest.mark.django_db
def test_a_new_full_width_id_is_stored_in_ascii_from_the_admin(world, client_for):
    number = valid_id_number()
    response = client_for(world.users["admin"]).post(
        reverse("admin:villages_person_add"), wide_form(world, number, phone="0599 7822345"))
    assert response.status_code == 302, response.content.decode()[:2000]
    person = Person.objects.get(name="赵新民")
    assert (person.id_number, person.phone) == (number, "05997822345")


@pytest.mark.django_db
def test_editing_a_person_with_a_full_width_copy_of_another_persons_id_is_refused(world, client_for):
    client = client_for(world.users["township_a"])
    p = world.person_a
    before = snapshot()
    response = client.post(reverse("villages:person_edit", args=[p.pk]), wide_form(
        world, world.person_b.id_number, name=p.name, gender=world.person_b.gender))
    assert DUPLICATE in response.content.decode()
    assert changed_tables(before, snapshot()) == []


@pytest.mark.django_db
def test_lookups_find_a_person_by_the_full_width_form_of_their_number(world):
    assert Person.objects.get(id_number=full_width(world.person_a.id_number)) == world.person_a


# ---------------------------------------------------------------- the data migration

MIGRATION = ("villages", "0004_normalised_id_numbers_and_phones")
BEFORE = ("villages", "0003_personal_data_view")


@pytest.fixture
def back_to_latest():
    """Leave the database at the latest migrations whatever the test did."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


def _raw_person(apps, number, phone, village_id, name):
    # Written as the old code stored them: as typed, straight into the table.
    with connection.cursor() as cursor:
        Person = apps.get_model("villages", "Person")
        cursor.execute(
            f"insert into {Person._meta.db_table} (name, gender, birth_date, id_number, phone, education, village_id)"
            " values (%s, 'M', '1970-05-17', %s, %s, '', %s)", [name, number, phone, village_id])


@pytest.mark.django_db(transaction=True)
def test_the_migration_normalises_stored_numbers(world, back_to_latest):
    number = valid_id_number()
    apps = _migrate(BEFORE)
    _raw_person(apps, full_width(number).replace("\u3000", "").replace(" ", ""), "139 1234-5678",
                world.village_a.pk, "旧记录")
    _migrate(MIGRATION)
    person = Person.objects.get(name="旧记录")
    assert (person.id_number, person.phone) == (number, "13912345678")
    assert Person.objects.get(pk=world.person_a.pk).id_number == world.person_a.id_number


@pytest.mark.django_db(transaction=True)
def test_the_migration_refuses_two_people_whose_numbers_become_the_same(world, back_to_latest):
    apps = _migrate(BEFORE)
    _raw_person(apps, world.person_a.id_number.translate(FULL_WIDTH), "", world.village_a.pk, "重复记录")
    with pytest.raises(RuntimeError) as exc:
        _migrate(MIGRATION)
    assert "same ID number" in str(exc.value) and f"people {world.person_a.pk}, " in str(exc.value)
    assert world.person_a.id_number not in str(exc.value)  # masked: personal data stays out of the logs
    Person.objects.filter(name="重复记录").delete()
    _migrate(MIGRATION)
