"""Households and their representatives from a workbook (core.imports reads it; HouseholdResource, a
django-import-export resource, writes it through the services). Villages, people and households are looked up for
the whole file at once; a representative not yet recorded becomes a new person, built from the ID number."""
from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from core.imports import (
    CellValueError,
    CellWidget,
    Column,
    ImportPreview,
    ImportResource,
    LookupWidget,
    Sheet,
    SheetSpec,
    duplicates,
    run_resource,
)
from villages.idnumbers import birth_date_of, gender_of, validate_id_number
from villages.models import Person, Village
from villages.services import person_create

from . import services
from .models import Household

COL_VILLAGE, COL_NUMBER, COL_HEAD, COL_GROUP, COL_REP_NAME, COL_REP_ID = (
    "村代码", "户号", "户主姓名", "自然村或村民小组", "户代表姓名", "户代表身份证号",
)
HOUSEHOLD_SPEC = SheetSpec([
    Column(COL_VILLAGE, "code"), Column(COL_NUMBER), Column(COL_HEAD), Column(COL_GROUP, required=False),
    Column(COL_REP_NAME), Column(COL_REP_ID, "id"),
])
COLUMNS = HOUSEHOLD_SPEC.names


class VillageCodeWidget(LookupWidget):
    def clean(self, value, row=None, **kwargs):
        if value is not None and not re.fullmatch(r"\d{6,12}", value):
            raise CellValueError(COL_VILLAGE, _("a village code is 6 to 12 digits, not “%(value)s”.")
                                 % {"value": value})
        return super().clean(value, row, **kwargs)


class NumberTextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if value is not None and not re.fullmatch(r"\d{1,20}", value):
            raise CellValueError(COL_NUMBER, _("a household number is a number, not “%(value)s”.") % {"value": value})
        return value


class RepresentativeWidget(widgets.Widget):
    """The representative by ID number: a person already recorded (same name) or a new one, built from the row
    (gender and birth date from the ID number) and recorded when the row is saved."""

    def __init__(self, people: dict):
        self.people = people

    def clean(self, value, row=None, **kwargs):
        name = (row or {}).get(COL_REP_NAME)
        if value is None or name is None:
            return None
        try:
            validate_id_number(value)
        except ValidationError as exc:
            raise CellValueError(COL_REP_ID, " ".join(exc.messages))
        person = self.people.get(value)
        if person is None:
            return Person(name=name, id_number=value, gender=gender_of(value), birth_date=birth_date_of(value))
        if person.name != name:
            raise CellValueError(COL_REP_NAME, _("the ID number is recorded for %(name)s, not %(given)s.")
                                 % {"name": person.name, "given": name})
        return person


class HouseholdResource(ImportResource, resources.ModelResource):
    def __init__(self, *, user, sheet: Sheet):
        super().__init__()
        self.user = user
        self.notes = []  # what each saved row did, for the preview
        self.today = timezone.localdate()
        self.prepare(sheet, duplicates(
            sheet, COL_NUMBER, key=lambda c: (c[COL_VILLAGE], c[COL_NUMBER]),
            message=_("household %(value)s is already in row %(row)d."),
            label=lambda c: _("%(number)s of village %(code)s") % {"number": c[COL_NUMBER], "code": c[COL_VILLAGE]},
        ) + duplicates(sheet, COL_REP_ID, message=_("the same person already represents the household in row "
                                                     "%(row)d."), label=lambda c: ""))
        codes = {cells[COL_VILLAGE] for _n, cells in sheet.rows} - {None}
        numbers = {cells[COL_REP_ID] for _n, cells in sheet.rows} - {None}
        villages = {v.code: v for v in Village.objects.for_user(user).filter(code__in=codes).select_related("township")}
        self.people = {p.id_number: p for p in
                       Person.objects.filter(id_number__in=numbers).select_related("village")}
        self.households = {(h.village_id, h.number): h for h in
                           Household.objects.for_user(user).filter(village__in=villages.values())}
        self.fields["village"] = fields.Field(attribute="village", column_name=COL_VILLAGE, widget=VillageCodeWidget(
            COL_VILLAGE, villages, _("no village with code %(value)s in your area.")))
        self.fields["number"] = fields.Field(attribute="number", column_name=COL_NUMBER, widget=NumberTextWidget())
        self.fields["head_name"] = fields.Field(attribute="head_name", column_name=COL_HEAD, widget=CellWidget())
        self.fields["group"] = fields.Field(attribute="group", column_name=COL_GROUP, widget=CellWidget())
        self.fields["import_representative"] = fields.Field(attribute="import_representative",
                                                            column_name=COL_REP_ID,
                                                            widget=RepresentativeWidget(self.people))
        self.villages = villages

    column_of_field = {"village": COL_VILLAGE, "number": COL_NUMBER, "head_name": COL_HEAD, "group": COL_GROUP}

    class Meta:
        model = Household
        fields = ("village", "number", "head_name", "group", "import_representative")
        import_id_fields = ("village", "number")
        skip_unchanged = False
        skip_diff = True

    def get_instance(self, instance_loader, row):
        village = self.villages.get(row.get(COL_VILLAGE))
        return self.households.get((village.pk, row.get(COL_NUMBER))) if village else None

    def import_instance(self, instance, row, **kwargs):
        try:
            super().import_instance(instance, row, **kwargs)
            errors = {}
        except ValidationError as exc:
            errors = exc.message_dict
        person = getattr(instance, "import_representative", None)
        village = getattr(instance, "village", None) if instance.village_id else None
        if (person is not None and person.pk and village is not None and COL_REP_ID not in errors
                and person.village.township_id != village.township_id):
            errors.setdefault(COL_REP_ID, []).append(_("%(name)s lives in another township.") % {"name": person.name})
        if errors:
            raise ValidationError(errors)

    def save_instance(self, instance, is_create, row, **kwargs):
        person = instance.import_representative
        note = {"row": self.current_row, "village": instance.village.name, "number": instance.number,
                "head_name": instance.head_name, "rep_name": person.name, "action": _("unchanged"),
                "rep_action": _("unchanged"), "new_person": False, "changed": False}
        if person.pk is None:
            saved = person_create(user=self.user, name=person.name, gender=person.gender,
                                  birth_date=person.birth_date, id_number=person.id_number, village=instance.village)
            person.pk, person.village = saved.pk, instance.village
            note.update(rep_action=_("new person recorded"), new_person=True)
        if is_create:
            household = services.household_create(user=self.user, village=instance.village, number=instance.number,
                                                  head_name=instance.head_name, group=instance.group or "")
            note["action"] = _("new household")
        else:
            stored = Household.objects.get(pk=instance.pk)
            household = stored
            if (stored.head_name, stored.group) != (instance.head_name, instance.group or ""):
                household = services.household_update(user=self.user, household=stored,
                                                       head_name=instance.head_name, group=instance.group or "")
                note["action"] = _("updated")
        if household.representative_id != person.pk:
            services.representative_change(user=self.user, household=household, person=person, date=self.today,
                                           reason=_("Imported from Excel"))
            note["changed"] = True
            if not note["new_person"]:
                note["rep_action"] = _("representative changed")
        instance.pk = household.pk
        self.notes.append(note)


def household_run(sheet: Sheet, *, user, dry_run: bool) -> ImportPreview:
    """Import the households in one pass (the caller's transaction keeps all or nothing)."""
    resource = HouseholdResource(user=user, sheet=sheet)
    run_resource(resource, sheet, dry_run=dry_run, label="Household import")
    notes = resource.notes
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
