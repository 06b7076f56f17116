from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.scope import ALL, COUNTY, scope_for, village_assert_in_scope
from core.scope import unit_in_scope

from .choices import POST_COMMITTEE
from .idnumbers import normalize_id_number, normalize_phone
from .models import CadrePost, County, Person, PersonalDataView, Township, Village

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


# ---------------------------------------------------------------- many at once (the imports)

BATCH = 500


def record_errors(obj, *, exclude: list[str]) -> dict[str, list[str]]:
    """One record's field problems as full_clean finds them, without the foreign-key look-ups in `exclude` (the
    caller looked those up for the whole file) and without the uniqueness checks (made for the whole batch)."""
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        return exc.message_dict
    return {}


def _assert_clean(objects, *, exclude: list[str]) -> None:
    messages = [f"{obj}: {' '.join(m for ms in errors.values() for m in ms)}"
                for obj in objects if (errors := record_errors(obj, exclude=exclude))]
    if messages:
        raise ValidationError(messages[:20])


def _assert_unique(keys: list, existing: set, message: str) -> None:
    if len(set(keys)) != len(keys) or existing & set(keys):
        raise ValidationError(message)


def _assert_county_official(user, county) -> None:
    scope = scope_for(user)
    if not (scope.level == ALL or (scope.level == COUNTY and scope.county_id == county.pk)):
        raise PermissionDenied(_("Only the county organization department imports the county's townships and "
                                 "villages."))


@transaction.atomic
def organisation_save_many(*, user, county: County, townships: list[Township], villages: list[Village]) -> None:
    """The county's townships and villages from an import, new (no pk) or renamed: county officials only, every
    record within the county, codes and names checked, written in bulk with history."""
    _assert_county_official(user, county)
    if any(t.county_id != county.pk for t in townships):
        raise PermissionDenied(_("A township of another county cannot be imported here."))
    stored = Village.objects.filter(pk__in=[v.pk for v in villages if v.pk]).values_list("township__county_id",
                                                                                         flat=True)
    if any(county_id != county.pk for county_id in stored):
        raise PermissionDenied(_("A village of another county cannot be imported here."))
    _assert_clean(townships, exclude=["county"])
    _assert_clean(villages, exclude=["township"])
    new_townships, renamed_townships = [t for t in townships if t.pk is None], [t for t in townships if t.pk]
    new_villages, renamed_villages = [v for v in villages if v.pk is None], [v for v in villages if v.pk]
    codes = [t.code for t in new_townships]
    _assert_unique(codes, set(Township.objects.filter(code__in=codes).values_list("code", flat=True)),
                   _("A township code is already recorded."))
    codes = [v.code for v in new_villages]
    _assert_unique(codes, set(Village.objects.filter(code__in=codes).values_list("code", flat=True)),
                   _("A village code is already recorded."))
    try:
        with transaction.atomic():
            bulk_create_with_history(new_townships, Township, batch_size=BATCH, default_user=user)
            bulk_update_with_history(renamed_townships, Township, ["name"], batch_size=BATCH, default_user=user)
            by_code = {t.code: t for t in Township.objects.filter(county=county)}
            for village in new_villages:
                village.township = by_code[village.township.code]
            bulk_create_with_history(new_villages, Village, batch_size=BATCH, default_user=user)
            bulk_update_with_history(renamed_villages, Village, ["name"], batch_size=BATCH, default_user=user)
    except IntegrityError:
        raise ValidationError(_("The townships or villages conflict with records saved at the same moment, or two "
                                "of them swap names; reload and try again."))


def _assert_villages_in_scope(user, rows) -> None:
    """rows: (village_id, township_id, county_id)."""
    for village_id, township_id, county_id in set(rows):
        if not unit_in_scope(user, county_id=county_id, township_id=township_id, village_id=village_id):
            raise PermissionDenied(_("A record outside your area cannot be changed here."))


PERSON_IMPORT_FIELDS = ["name", "gender", "birth_date", "phone", "education", "village"]


@transaction.atomic
def people_save_many(*, user, creates: list[Person], updates: list[Person]) -> None:
    """Many people at once (the people import): the checks of person_create and person_update once for the batch
    (scope of each village, before and after; each record's fields; one person an ID number), written in bulk
    with history. The villages are set as objects with their township loaded."""
    people = [*creates, *updates]
    if not people:
        return
    for person in people:
        person.id_number = normalize_id_number(person.id_number)
        person.phone = normalize_phone(person.phone)
    stored = Person.objects.filter(pk__in=[p.pk for p in updates]).values_list(
        "village_id", "village__township_id", "village__township__county_id")
    _assert_villages_in_scope(user, [*stored, *((p.village.pk, p.village.township_id, p.village.township.county_id)
                                                for p in people)])
    _assert_clean(people, exclude=["village"])
    numbers = [p.id_number for p in creates]
    _assert_unique(numbers, set(Person.objects.filter(id_number__in=numbers).values_list("id_number", flat=True)),
                   _("A person with this ID number is already recorded."))
    bulk_create_with_history(creates, Person, batch_size=BATCH, default_user=user)
    bulk_update_with_history(updates, Person, PERSON_IMPORT_FIELDS, batch_size=BATCH, default_user=user)


@transaction.atomic
def cadre_posts_save_many(*, user, creates: list[CadrePost], updates: list[CadrePost]) -> None:
    """Many posts at once (the post import): scope of each village, each post's fields and its person's township
    (CadrePost.clean, with person and village loaded), one post a person, village, post and term; bulk, with history."""
    posts = [*creates, *updates]
    if not posts:
        return
    stored = CadrePost.objects.filter(pk__in=[p.pk for p in updates]).values_list(
        "village_id", "village__township_id", "village__township__county_id")
    _assert_villages_in_scope(user, [*stored, *((p.village.pk, p.village.township_id, p.village.township.county_id)
                                                for p in posts)])
    for post in posts:
        post.committee = POST_COMMITTEE.get(post.post, "")
    _assert_clean(posts, exclude=["person", "village"])
    keys = [(p.person_id, p.village_id, p.post, p.term_start_year) for p in posts]
    existing = CadrePost.objects.filter(person_id__in={p.person_id for p in posts}).exclude(
        pk__in=[p.pk for p in updates]).values_list("person_id", "village_id", "post", "term_start_year")
    _assert_unique(keys, set(existing), _("The person already holds this post for this term."))
    bulk_create_with_history(creates, CadrePost, batch_size=BATCH, default_user=user)
    bulk_update_with_history(updates, CadrePost, ["term_start_year", "term_end_year", "start_date", "end_date"],
                             batch_size=BATCH, default_user=user)


@transaction.atomic
def county_create(*, code: str, name: str) -> County:
    """A county, as the first record of a new installation (manage.py county_start); no user makes it."""
    county = County(code=code.strip(), name=name.strip())
    county.full_clean()
    county.save()
    return county
