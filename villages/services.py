from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.scope import village_assert_in_scope

from .choices import POST_COMMITTEE
from .idnumbers import normalize_id_number, normalize_phone
from .models import CadrePost, Person, PersonalDataView, Village

PERSON_FIELDS = ("name", "gender", "birth_date", "id_number", "phone", "education", "village")
POST_FIELDS = ("person", "village", "post", "term_start_year", "term_end_year", "start_date", "end_date")


def _save(obj, *, user):
    """full_clean and save, recording who made the change in the history."""
    obj._history_user = user
    obj.full_clean()
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        # A concurrent write got there first (e.g. the same ID number); say so instead of a 500.
        if "id_number" in str(exc):
            raise ValidationError({"id_number": _("A person with this ID number is already recorded.")})
        raise ValidationError(_("The record conflicts with one saved at the same moment; reload and try again."))
    return obj


@transaction.atomic
def person_create(*, user, name: str, gender: str, birth_date, id_number: str, village: Village, phone: str = "",
                  education: str = "") -> Person:
    village_assert_in_scope(user=user, village=village)
    person = Person(
        name=name.strip(), gender=gender, birth_date=birth_date, id_number=normalize_id_number(id_number),
        phone=normalize_phone(phone), education=education, village=village,
    )
    return _save(person, user=user)


@transaction.atomic
def person_update(*, user, person: Person, **data) -> Person:
    village_assert_in_scope(user=user, village=person.village)
    for field, value in data.items():
        if field not in PERSON_FIELDS:
            raise TypeError(f"person_update() got an unexpected field {field!r}")
        setattr(person, field, value)
    person.id_number = normalize_id_number(person.id_number)
    person.phone = normalize_phone(person.phone)
    village_assert_in_scope(user=user, village=person.village)
    return _save(person, user=user)


@transaction.atomic
def cadre_post_create(*, user, person: Person, village: Village, post: str, term_start_year: int, term_end_year: int,
                      start_date, end_date=None) -> CadrePost:
    village_assert_in_scope(user=user, village=village)
    cadre_post = CadrePost(
        person=person, village=village, post=post, committee=POST_COMMITTEE.get(post, ""),
        term_start_year=term_start_year, term_end_year=term_end_year, start_date=start_date, end_date=end_date,
    )
    return _save(cadre_post, user=user)


@transaction.atomic
def cadre_post_update(*, user, cadre_post: CadrePost, **data) -> CadrePost:
    village_assert_in_scope(user=user, village=cadre_post.village)
    for field, value in data.items():
        if field not in POST_FIELDS:
            raise TypeError(f"cadre_post_update() got an unexpected field {field!r}")
        setattr(cadre_post, field, value)
    cadre_post.committee = POST_COMMITTEE.get(cadre_post.post, "")
    village_assert_in_scope(user=user, village=cadre_post.village)
    return _save(cadre_post, user=user)


def personal_data_reveal(*, user, person: Person) -> PersonalDataView:
    """Record that `user` is being shown `person`'s full ID and phone numbers (permission checked here)."""
    if not user.has_perm("villages.view_full_id_number"):
        raise PermissionDenied(_("Your role may not see full ID numbers."))
    village_assert_in_scope(user=user, village=person.village)
    return PersonalDataView.objects.create(user=user, person=person)
