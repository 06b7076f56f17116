"""Households and their representatives from a workbook (core.imports reads it). Every row is checked first
against look-ups made once for the whole file (villages, people, households, their last representative changes:
one query each), every problem named by row and column; then one bulk service (services.households_save_many)
writes the new people, households, representative changes and their history, all or nothing. Like the villages
imports, this is not a django-import-export resource: its per-row savepoints and look-ups made a 500-row file take
over a minute."""
from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.imports import CellError, Column, ImportPreview, ImportRefused, Sheet, SheetSpec, duplicates, sort_errors
from villages.idnumbers import birth_date_of, gender_of, validate_id_number
from villages.models import Person, Village
from villages.services import record_errors

from . import services
from .models import Household, RepresentativeChange

COL_VILLAGE, COL_NUMBER, COL_HEAD, COL_GROUP, COL_REP_NAME, COL_REP_ID = (
    "村代码", "户号", "户主姓名", "自然村或村民小组", "户代表姓名", "户代表身份证号",
)
HOUSEHOLD_SPEC = SheetSpec([
    Column(COL_VILLAGE, "code"), Column(COL_NUMBER), Column(COL_HEAD), Column(COL_GROUP, required=False),
    Column(COL_REP_NAME), Column(COL_REP_ID, "id"),
])
COLUMNS = HOUSEHOLD_SPEC.names
HOUSEHOLD_COLUMN = {"village": COL_VILLAGE, "number": COL_NUMBER, "head_name": COL_HEAD, "group": COL_GROUP}
PERSON_COLUMN = {"name": COL_REP_NAME, "id_number": COL_REP_ID}


def _representative(cells, people: dict, village, add) -> Person | None:
    """The row's representative: a person already recorded (same name, same township) or a new one built from the
    ID number (gender and birth date); None with the problem added."""
    number, name = cells[COL_REP_ID], cells[COL_REP_NAME]
    if number is None or name is None:
        return None
    try:
        validate_id_number(number)
    except ValidationError as exc:
        add(COL_REP_ID, " ".join(exc.messages))
        return None
    person = people.get(number)
    if person is None:
        return Person(name=name, id_number=number, gender=gender_of(number), birth_date=birth_date_of(number),
                      village=village) if village is not None else None
    if person.name != name:
        add(COL_REP_NAME, _("the ID number is recorded for %(name)s, not %(given)s.")
            % {"name": person.name, "given": name})
        return None
    if village is not None and person.village.township_id != village.township_id:
        add(COL_REP_ID, _("%(name)s lives in another township.") % {"name": person.name})
        return None
    return person


def household_run(sheet: Sheet, *, user, dry_run: bool) -> ImportPreview:
    """Check every row, then write them all in bulk (the caller's transaction keeps all or nothing); ImportRefused
    naming each problem's row and column."""
    errors = [*sheet.errors, *duplicates(
        sheet, COL_NUMBER, key=lambda c: (c[COL_VILLAGE], c[COL_NUMBER]),
        message=_("household %(value)s is already in row %(row)d."),
        label=lambda c: _("%(number)s of village %(code)s") % {"number": c[COL_NUMBER], "code": c[COL_VILLAGE]},
    ), *duplicates(sheet, COL_REP_ID, message=_("the same person already represents the household in row %(row)d."),
                   label=lambda c: "")]
    codes = {cells[COL_VILLAGE] for _n, cells in sheet.rows} - {None}
    numbers = {cells[COL_REP_ID] for _n, cells in sheet.rows} - {None}
    villages = {v.code: v for v in Village.objects.for_user(user).filter(code__in=codes).select_related("township")}
    people = {p.id_number: p for p in Person.objects.filter(id_number__in=numbers).select_related("village")}
    households = {(h.village_id, h.number): h for h in
                  Household.objects.for_user(user).filter(village__in=villages.values()).select_related("village")}
    last_change = dict(RepresentativeChange.objects.filter(household__in=households.values()).order_by()
                       .values("household_id").annotate(last=Max("date")).values_list("household_id", "last"))
    today = timezone.localdate()
    creates, updates, changes, new_people, notes = [], [], [], [], []
    for number, cells in sheet.rows:
        row_errors = []

        def add(column, message, row_errors=row_errors):
            row_errors.append(CellError(number, column, message))

        code, household_number = cells[COL_VILLAGE], cells[COL_NUMBER]
        village = villages.get(code)
        if code is not None and not re.fullmatch(r"\d{6,12}", code):
            add(COL_VILLAGE, _("a village code is 6 to 12 digits, not “%(value)s”.") % {"value": code})
            village = None
        elif code is not None and village is None:
            add(COL_VILLAGE, _("no village with code %(value)s in your area.") % {"value": code})
        if household_number is not None and not re.fullmatch(r"\d{1,20}", household_number):
            add(COL_NUMBER, _("a household number is a number, not “%(value)s”.") % {"value": household_number})
            household_number = None
        person = _representative(cells, people, village, add)
        if person is not None and person.pk is None:
            for name, messages_ in record_errors(person, exclude=["village"]).items():
                row_errors.extend(CellError(number, PERSON_COLUMN.get(name, COL_REP_ID), m) for m in messages_)
        household = households.get((village.pk, household_number)) if village and household_number else None
        created = household is None
        if village is not None and household_number is not None and cells[COL_HEAD] is not None:
            household = household or Household(village=village, number=household_number)
            stored = (household.head_name, household.group)
            household.head_name, household.group = cells[COL_HEAD].strip(), (cells[COL_GROUP] or "").strip()
            found = record_errors(household, exclude=["village", "discussion_point", "representative"])
            for name, messages_ in found.items():
                row_errors.extend(CellError(number, HOUSEHOLD_COLUMN.get(name, ""), m) for m in messages_)
            last = last_change.get(household.pk)
            if person is not None and household.representative_id != person.pk and last and today < last:
                add(COL_REP_ID, _("The last change was on %(date)s; a new change cannot be earlier.")
                    % {"date": last.isoformat()})
        errors.extend(row_errors)
        if row_errors or number in sheet.bad_rows or person is None or household is None:
            continue
        note = {"row": number, "village": village.name, "number": household.number, "head_name": household.head_name,
                "rep_name": person.name, "action": _("unchanged"), "rep_action": _("unchanged"), "new_person": False,
                "changed": False}
        if person.pk is None:
            new_people.append(person)
            note.update(rep_action=_("new person recorded"), new_person=True)
        if created:
            creates.append(household)
            note["action"] = _("new household")
        elif (household.head_name, household.group) != stored:
            note["action"] = _("updated")
        if person.pk is None or household.representative_id != person.pk:
            changes.append((household, person))
            note["changed"] = True
            if not note["new_person"]:
                note["rep_action"] = _("representative changed")
        if not created and (note["changed"] or note["action"] == _("updated")):
            updates.append(household)
        notes.append(note)
    if errors:
        raise ImportRefused(sort_errors(errors, COLUMNS))
    try:
        services.households_save_many(user=user, new_people=new_people, creates=creates, updates=updates,
                                      representatives=changes, date=today, reason=_("Imported from Excel"))
    except (ValidationError, PermissionDenied) as exc:
        messages_ = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        raise ImportRefused([CellError(0, "", message) for message in messages_])
    counts = {"created": sum(1 for n in notes if n["action"] == _("new household")),
              "updated": sum(1 for n in notes if n["action"] == _("updated")),
              "changes": sum(1 for n in notes if n["changed"]),
              "people": sum(1 for n in notes if n["new_person"])}
    return ImportPreview(
        counts=[(_("New households"), counts["created"]), (_("Households updated"), counts["updated"]),
                (_("Representatives recorded or changed"), counts["changes"]), (_("People added"), counts["people"])],
        headers=[_("Row"), _("Village"), _("Household number"), _("Head of household"), _("Representative"),
                 _("Household: outcome"), _("Representative: outcome")],
        rows=[[n["row"], n["village"], n["number"], n["head_name"], n["rep_name"], n["action"], n["rep_action"]]
              for n in notes],
        done_message=_("Imported: %(created)d new households, %(updated)d updated, %(changes)d representatives "
                       "recorded or changed, %(people)d people added.") % counts,
    )
