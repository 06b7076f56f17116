"""The imports that bring a county in (core.imports reads the workbook; the villages services write):

- the organisation (乡镇代码, 乡镇名称, 村代码, 村名称): the county's townships and villages, new or renamed;
- people (村代码, 姓名, 身份证号, 性别, 出生日期, 手机号, 文化程度): created or updated by ID number;
- cadre posts (村代码, 身份证号, 姓名, 职务, 任期起, 任期止, 任职日期, 离任日期): created, or updated for the same
  person, village, post and start date.

Each checks every row against look-ups made once for the whole file (one query each), names every problem by row
and column, and hands the records to one bulk service (scope, full_clean, history). These are not
django-import-export resources: its per-row savepoints and instance look-ups would make a 5,000-row people import
slow, and every check here is one dict look-up; the reader, the page and the all-or-nothing transaction are the
framework's (core.imports).
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from core.imports import CellError, Column, ImportPreview, ImportRefused, Sheet, SheetSpec, duplicates, sort_errors
from core.pii import mask_id_number
from core.scope import ALL, COUNTY, scope_for, village_in_scope

from . import services
from .choices import Education, Gender, Post
from .models import CadrePost, County, Person, Township, Village

COL_TOWNSHIP_CODE, COL_TOWNSHIP_NAME, COL_VILLAGE_CODE, COL_VILLAGE_NAME = "乡镇代码", "乡镇名称", "村代码", "村名称"
COL_NAME, COL_ID, COL_GENDER, COL_BIRTH, COL_PHONE, COL_EDUCATION = (
    "姓名", "身份证号", "性别", "出生日期", "手机号", "文化程度")
COL_POST, COL_TERM_START, COL_TERM_END, COL_START, COL_END = "职务", "任期起", "任期止", "任职日期", "离任日期"

GENDER_LABELS = {"男": Gender.MALE, "女": Gender.FEMALE}
EDUCATION_LABELS = {"小学": Education.PRIMARY, "初中": Education.JUNIOR, "高中/中专": Education.SENIOR,
                    "大专": Education.COLLEGE, "本科": Education.BACHELOR, "研究生": Education.POSTGRADUATE}
POST_LABELS = {"支部书记": Post.SECRETARY, "支部副书记": Post.DEPUTY_SECRETARY, "支委委员": Post.BRANCH_MEMBER,
               "村委会主任": Post.CHAIR, "村委会副主任": Post.VICE_CHAIR, "村委会委员": Post.COMMITTEE_MEMBER,
               "村务监督小组成员": Post.SUPERVISION_MEMBER}

ORGANISATION_SPEC = SheetSpec([
    Column(COL_TOWNSHIP_CODE, "code"), Column(COL_TOWNSHIP_NAME), Column(COL_VILLAGE_CODE, "code"),
    Column(COL_VILLAGE_NAME),
])
PERSON_SPEC = SheetSpec([
    Column(COL_VILLAGE_CODE, "code"), Column(COL_NAME), Column(COL_ID, "id"),
    Column(COL_GENDER, "choice", required=False, choices=GENDER_LABELS),
    Column(COL_BIRTH, "date", required=False), Column(COL_PHONE, "phone", required=False),
    Column(COL_EDUCATION, "choice", required=False, choices=EDUCATION_LABELS),
])
POST_SPEC = SheetSpec([
    Column(COL_VILLAGE_CODE, "code"), Column(COL_ID, "id"), Column(COL_NAME),
    Column(COL_POST, "choice", choices=POST_LABELS), Column(COL_TERM_START, "int"), Column(COL_TERM_END, "int"),
    Column(COL_START, "date"), Column(COL_END, "date", required=False),
])


class Rows:
    """The problems found so far, by sheet row and column, and the rows they make unsavable."""

    def __init__(self, sheet: Sheet, problems: list[CellError] = ()):
        self.sheet = sheet
        self.errors = [*sheet.errors, *problems]

    @property
    def bad(self) -> set[int]:
        return {e.row for e in self.errors}

    def add(self, row: int, column: str, message: str) -> None:
        self.errors.append(CellError(row, column, message))

    def add_record(self, row: int, obj, *, exclude: list[str], column_of_field: dict[str, str]) -> None:
        """The record's field problems (services.record_errors) under the columns they came from."""
        for name, messages in services.record_errors(obj, exclude=exclude).items():
            for message in messages:
                self.add(row, column_of_field.get(name, ""), message)

    def good(self):
        """(row number, cells) of the rows without a problem yet."""
        bad = self.bad
        return [(n, c) for n, c in self.sheet.rows if n not in bad]

    def refuse_if_any(self) -> None:
        if self.errors:
            raise ImportRefused(sort_errors(self.errors, self.sheet.spec.names))


def _save(save, **kwargs) -> None:
    """Run a bulk service; its refusal (which the row checks should have caught) as the whole file's problem."""
    try:
        save(**kwargs)
    except (ValidationError, PermissionDenied) as exc:
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        raise ImportRefused([CellError(0, "", message) for message in messages])


def _codes(sheet: Sheet, column: str) -> set:
    return {cells[column] for _n, cells in sheet.rows} - {None}


def _outcome(created: bool, changed: bool) -> str:
    return _("to add") if created else _("to change") if changed else _("unchanged")


def _counts(outcomes: list[str]) -> list[int]:
    return [outcomes.count(_("to add")), outcomes.count(_("to change")), outcomes.count(_("unchanged"))]


# ---------------------------------------------------------------- organisation

def importing_county(user) -> County:
    """The county whose organisation the user imports: a county official's own; an administrator's account's."""
    scope = scope_for(user)
    county_id = scope.county_id if scope.level == COUNTY else user.county_id if scope.level == ALL else None
    county = County.objects.filter(pk=county_id).first() if county_id else None
    if county is None:
        raise ImportRefused([CellError(0, "", _("Only an account of a county's organization department imports "
                                                "its townships and villages."))])
    return county


def organisation_run(sheet: Sheet, *, user, dry_run: bool) -> ImportPreview:
    """Create or rename the county's townships and villages. A code already used by another county, or a village
    code under another township, is an error at its row."""
    county = importing_county(user)
    rows = Rows(sheet, duplicates(sheet, COL_VILLAGE_CODE) + duplicates(
        sheet, COL_VILLAGE_NAME, key=lambda c: (c[COL_TOWNSHIP_CODE], c[COL_VILLAGE_NAME]),
        message=_("the township already has a village “%(value)s” on row %(row)d."),
        label=lambda c: c[COL_VILLAGE_NAME]))
    township_codes, village_codes = _codes(sheet, COL_TOWNSHIP_CODE), _codes(sheet, COL_VILLAGE_CODE)
    townships = {t.code: t for t in Township.objects.filter(Q(code__in=township_codes) | Q(county=county))}
    villages = {v.code: v for v in Village.objects.filter(Q(code__in=village_codes) | Q(township__county=county))
                .select_related("township")}
    township_named = {(t.county_id, t.name): t.code for t in townships.values()}
    village_named = {(v.township.code, v.name): v.code for v in villages.values()}
    seen: dict[str, tuple[int, Township, str]] = {}  # township code → (first row, township, outcome)
    out_townships, out_villages, preview_rows = [], [], []
    for number, cells in sheet.rows:
        code, name = cells[COL_TOWNSHIP_CODE], cells[COL_TOWNSHIP_NAME]
        township, township_outcome = None, ""
        if code in seen:
            first, township, township_outcome = seen[code]
            if name and name != township.name:
                rows.add(number, COL_TOWNSHIP_NAME, _("township %(code)s is named “%(name)s” on row %(row)d.")
                         % {"code": code, "name": township.name, "row": first})
        elif code and name:
            township = townships.get(code)
            if township is not None and township.county_id != county.pk:
                rows.add(number, COL_TOWNSHIP_CODE, _("township code “%(code)s” belongs to another county.")
                         % {"code": code})
                township = None
            else:
                created = township is None
                township = township or Township(county=county, code=code)
                changed = township.name != name
                other = township_named.get((county.pk, name))
                if other and other != code:
                    rows.add(number, COL_TOWNSHIP_NAME, _("the county already has a township “%(name)s” (code "
                                                          "%(code)s).") % {"name": name, "code": other})
                township.name = name
                rows.add_record(number, township, exclude=["county"],
                                column_of_field={"code": COL_TOWNSHIP_CODE, "name": COL_TOWNSHIP_NAME})
                township_outcome = _outcome(created, changed) if number not in rows.bad else ""
                seen[code] = (number, township, township_outcome)
                out_townships.append(township)
        village_outcome = ""
        v_code, v_name = cells[COL_VILLAGE_CODE], cells[COL_VILLAGE_NAME]
        village = villages.get(v_code)
        if village is not None and village.township.county_id != county.pk:
            rows.add(number, COL_VILLAGE_CODE, _("village code “%(code)s” belongs to another county.")
                     % {"code": v_code})
        elif village is not None and code and village.township.code != code:
            rows.add(number, COL_VILLAGE_CODE, _("village code “%(code)s” is recorded under %(township)s (code "
                                                 "%(township_code)s); a village cannot move to another township.")
                     % {"code": v_code, "township": village.township.name, "township_code": village.township.code})
        elif v_code and v_name and township is not None:
            created = village is None
            village = village or Village(code=v_code, township=township)
            changed = village.name != v_name
            other = village_named.get((code, v_name))
            if other and other != v_code:
                rows.add(number, COL_VILLAGE_NAME, _("the township already has a village “%(name)s” (code "
                                                     "%(code)s).") % {"name": v_name, "code": other})
            village.name = v_name
            rows.add_record(number, village, exclude=["township"],
                            column_of_field={"code": COL_VILLAGE_CODE, "name": COL_VILLAGE_NAME})
            village_outcome = _outcome(created, changed)
            out_villages.append((village, village_outcome))
        preview_rows.append([number, code, name, township_outcome, v_code, v_name, village_outcome])
    rows.refuse_if_any()
    _save(services.organisation_save_many, user=user, county=county,
          townships=[t for t in out_townships if seen[t.code][2] != _("unchanged")],
          villages=[v for v, outcome in out_villages if outcome != _("unchanged")])
    t_counts = _counts([outcome for _row, _township, outcome in seen.values()])
    v_counts = _counts([outcome for _village, outcome in out_villages])
    return ImportPreview(
        counts=[(_("Townships to add"), t_counts[0]), (_("Townships renamed"), t_counts[1]),
                (_("Villages to add"), v_counts[0]), (_("Villages renamed"), v_counts[1]),
                (_("Villages unchanged"), v_counts[2])],
        headers=[_("Row"), COL_TOWNSHIP_CODE, COL_TOWNSHIP_NAME, _("Township: outcome"), COL_VILLAGE_CODE,
                 COL_VILLAGE_NAME, _("Village: outcome")],
        rows=preview_rows,
        done_message=_("Organisation imported: %(townships)d townships added, %(renamed)d renamed; %(villages)d "
                       "villages added, %(villages_renamed)d renamed.")
        % {"townships": t_counts[0], "renamed": t_counts[1], "villages": v_counts[0], "villages_renamed": v_counts[1]})


# ---------------------------------------------------------------- people

PERSON_COLUMNS = {"name": COL_NAME, "id_number": COL_ID, "gender": COL_GENDER, "birth_date": COL_BIRTH,
                  "phone": COL_PHONE, "education": COL_EDUCATION, "village": COL_VILLAGE_CODE}


def _person_values(person: Person) -> tuple:
    return (person.village_id, person.name, person.gender, person.birth_date, person.phone, person.education)


def people_run(sheet: Sheet, *, user, dry_run: bool) -> ImportPreview:
    """Create or update people by ID number in the user's villages. An ID number recorded outside the user's area
    is an error at its row that does not say whose it is."""
    from .idnumbers import birth_date_of, gender_of, validate_id_number

    rows = Rows(sheet, duplicates(sheet, COL_ID, label=lambda cells: mask_id_number(cells[COL_ID])))
    villages = {v.code: v for v in Village.objects.for_user(user).filter(code__in=_codes(sheet, COL_VILLAGE_CODE))
                .select_related("township")}
    people = {p.id_number: p for p in Person.objects.filter(id_number__in=_codes(sheet, COL_ID))
              .select_related("village__township")}
    creates, updates, preview_rows = [], [], []
    gender_label = {v: k for k, v in GENDER_LABELS.items()}
    # Labels looked up once, not per row (a 5,000-row file: get_FOO_display and gettext cost seconds).
    education_label = {value: str(label) for value, label in Education.choices}
    outcome_of = {(created, changed): _outcome(created, changed) for created in (True, False)
                  for changed in (True, False)}
    for number, cells in sheet.rows:
        code, id_number = cells[COL_VILLAGE_CODE], cells[COL_ID]
        village = villages.get(code)
        if code and village is None:
            rows.add(number, COL_VILLAGE_CODE, _("no village with code “%(value)s” in your area.") % {"value": code})
        if not id_number or village is None or not cells[COL_NAME]:
            continue
        person = people.get(id_number)
        if person is not None and not village_in_scope(user, person.village):
            rows.add(number, COL_ID, _("ID number %(number)s is already recorded for a person outside your area; "
                                       "ask the county organization department to move the record.")
                     % {"number": mask_id_number(id_number)})
            continue
        try:
            validate_id_number(id_number)
            valid = True
        except ValidationError:
            valid = False
        created = person is None
        if created:
            person = Person(id_number=id_number)
        stored = _person_values(person)
        person.village, person.name = village, cells[COL_NAME]
        person.gender = cells[COL_GENDER] or (gender_of(id_number) if valid else "")
        person.birth_date = cells[COL_BIRTH] or (birth_date_of(id_number) if valid else None)
        if cells[COL_PHONE] is not None or created:
            person.phone = cells[COL_PHONE] or ""
        if cells[COL_EDUCATION] is not None or created:
            person.education = cells[COL_EDUCATION] or ""
        # An ID number in error says so once: gender and birth date left to it are not reported as missing too.
        derived = [] if valid else [f for f in ("gender", "birth_date") if not getattr(person, f)]
        rows.add_record(number, person, exclude=["village", *derived], column_of_field=PERSON_COLUMNS)
        changed = _person_values(person) != stored
        if created:
            creates.append(person)
        elif changed:
            updates.append(person)
        preview_rows.append([number, code, person.name, mask_id_number(id_number), gender_label.get(person.gender, ""),
                             person.birth_date, education_label.get(person.education, ""),
                             outcome_of[(created, changed)]])
    rows.refuse_if_any()
    _save(services.people_save_many, user=user, creates=creates, updates=updates)
    counts = _counts([r[-1] for r in preview_rows])
    return ImportPreview(
        counts=[(_("To add"), counts[0]), (_("To change"), counts[1]), (_("Unchanged"), counts[2])],
        headers=[_("Row"), COL_VILLAGE_CODE, COL_NAME, COL_ID, COL_GENDER, COL_BIRTH, COL_EDUCATION, _("Outcome")],
        rows=preview_rows,
        done_message=_("People imported: %(new)d added, %(update)d changed, %(skip)d unchanged.")
        % {"new": counts[0], "update": counts[1], "skip": counts[2]})


# ---------------------------------------------------------------- cadre posts

POST_COLUMNS = {"person": COL_ID, "village": COL_VILLAGE_CODE, "post": COL_POST, "term_start_year": COL_TERM_START,
                "term_end_year": COL_TERM_END, "start_date": COL_START, "end_date": COL_END}


def cadre_posts_run(sheet: Sheet, *, user, dry_run: bool) -> ImportPreview:
    """Create posts, or update the post of the same person, village, post and start date. The person must be
    recorded in the user's area (the people import comes first) under the name given."""
    rows = Rows(sheet, duplicates(
        sheet, COL_START, key=lambda c: (c[COL_ID], c[COL_VILLAGE_CODE], c[COL_POST], c[COL_START]),
        message=_("the same post of the same person from the same date is already on row %(row)d."),
        label=lambda c: ""))
    villages = {v.code: v for v in Village.objects.for_user(user).filter(code__in=_codes(sheet, COL_VILLAGE_CODE))
                .select_related("township")}
    people = {p.id_number: p for p in Person.objects.for_user(user).filter(id_number__in=_codes(sheet, COL_ID))
              .select_related("village__township")}
    posts = CadrePost.objects.filter(person__in=people.values())
    by_start = {(p.person_id, p.village_id, p.post, p.start_date): p for p in posts}
    by_term = {(p.person_id, p.village_id, p.post, p.term_start_year): p for p in by_start.values()}
    post_label = {v: k for k, v in POST_LABELS.items()}
    creates, updates, preview_rows, terms = [], [], [], {}
    for number, cells in sheet.rows:
        code, id_number, name = cells[COL_VILLAGE_CODE], cells[COL_ID], cells[COL_NAME]
        village, person = villages.get(code), people.get(id_number)
        if code and village is None:
            rows.add(number, COL_VILLAGE_CODE, _("no village with code “%(value)s” in your area.") % {"value": code})
        if id_number and person is None:
            rows.add(number, COL_ID, _("no person with ID number %(number)s is recorded in your area; add the "
                                       "person first.") % {"number": mask_id_number(id_number)})
        elif person is not None and name and name != person.name:
            rows.add(number, COL_NAME, _("the ID number %(number)s belongs to %(name)s, not “%(given)s”.")
                     % {"number": mask_id_number(id_number), "name": person.name, "given": name})
        if village is None or person is None or None in (cells[COL_POST], cells[COL_START]):
            continue
        key = (person.pk, village.pk, cells[COL_POST])
        post = by_start.get((*key, cells[COL_START]))
        created = post is None
        post = post or CadrePost(person=person, village=village, post=cells[COL_POST], start_date=cells[COL_START])
        stored = (post.term_start_year, post.term_end_year, post.end_date)
        post.term_start_year, post.term_end_year = cells[COL_TERM_START], cells[COL_TERM_END]
        post.end_date = cells[COL_END]
        other = by_term.get((*key, post.term_start_year))
        first = terms.setdefault((*key, post.term_start_year), number)
        if (other is not None and other is not post) or first != number:
            rows.add(number, COL_TERM_START, _("%(name)s already holds this post for the term from %(year)s.")
                     % {"name": person.name, "year": post.term_start_year})
        rows.add_record(number, post, exclude=["person", "village"], column_of_field=POST_COLUMNS)
        changed = (post.term_start_year, post.term_end_year, post.end_date) != stored
        if created:
            creates.append(post)
        elif changed:
            updates.append(post)
        preview_rows.append([number, village.name, person.name, mask_id_number(id_number),
                             post_label.get(post.post, ""), f"{post.term_start_year}–{post.term_end_year}",
                             post.start_date, post.end_date, _outcome(created, changed)])
    rows.refuse_if_any()
    _save(services.cadre_posts_save_many, user=user, creates=creates, updates=updates)
    counts = _counts([r[-1] for r in preview_rows])
    return ImportPreview(
        counts=[(_("To add"), counts[0]), (_("To change"), counts[1]), (_("Unchanged"), counts[2])],
        headers=[_("Row"), _("Village"), COL_NAME, COL_ID, COL_POST, _("Term"), COL_START, COL_END, _("Outcome")],
        rows=preview_rows,
        done_message=_("Cadre posts imported: %(new)d added, %(update)d changed, %(skip)d unchanged.")
        % {"new": counts[0], "update": counts[1], "skip": counts[2]})
