"""The household and representative import (django-import-export): foreign keys by natural key (village code,
ID number), every write through the services (scope, validation, history), Chinese messages naming row and column.

imports.py reads the workbook (headers, empty rows, a file that is not a workbook) and runs this resource inside
one transaction: a dry run for the preview; any invalid row rolls the whole import back."""
from __future__ import annotations

import logging
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from villages.idnumbers import birth_date_of, gender_of, normalize_id_number, validate_id_number
from villages.models import Person
from villages.services import person_create

from . import services
from .models import Household

logger = logging.getLogger(__name__)

COL_VILLAGE, COL_NUMBER, COL_HEAD, COL_GROUP, COL_REP_NAME, COL_REP_ID = (
    "村代码", "户号", "户主姓名", "自然村或村民小组", "户代表姓名", "户代表身份证号",
)
COLUMNS = [COL_VILLAGE, COL_NUMBER, COL_HEAD, COL_GROUP, COL_REP_NAME, COL_REP_ID]
# Model field → column, for errors the model's own validation reports.
FIELD_COLUMNS = {"village": COL_VILLAGE, "number": COL_NUMBER, "head_name": COL_HEAD, "group": COL_GROUP}


def cell_text(value) -> str:
    import datetime as dt

    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return str(value).strip()


class CellValueError(ValueError):
    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column


def _required(column, value) -> str:
    text = cell_text(value)
    if not text:
        raise CellValueError(column, _("this cell must not be empty."))
    return text


class VillageCodeWidget(widgets.ForeignKeyWidget):
    def __init__(self, user):
        from villages.models import Village

        super().__init__(Village, field="code")
        self.user = user
        self._cache = {}

    def clean(self, value, row=None, **kwargs):
        from .selectors import village_list

        code = _required(COL_VILLAGE, value)
        if not re.fullmatch(r"\d{6,12}", code):
            raise CellValueError(COL_VILLAGE, _("a village code is 6 to 12 digits, not “%(value)s”.") % {"value": code})
        if code not in self._cache:
            self._cache[code] = village_list(user=self.user).filter(code=code).first()
        if self._cache[code] is None:
            raise CellValueError(COL_VILLAGE, _("no village with code %(code)s in your area.") % {"code": code})
        return self._cache[code]


class NumberTextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        number = _required(COL_NUMBER, value)
        if not re.fullmatch(r"\d{1,20}", number):
            raise CellValueError(COL_NUMBER, _("a household number is a number, not “%(value)s”.") % {"value": number})
        return number


class TextWidget(widgets.Widget):
    def __init__(self, column, required=True):
        self.column, self.required = column, required

    def clean(self, value, row=None, **kwargs):
        return _required(self.column, value) if self.required else cell_text(value)


class RepresentativeWidget(widgets.Widget):
    """The representative by ID number: a person already recorded (same name, same township) or a new one,
    built from the row (gender and birth date from the ID number) and recorded when the row is saved."""

    def clean(self, value, row=None, **kwargs):
        row = row or {}
        name = _required(COL_REP_NAME, row.get(COL_REP_NAME))
        number = normalize_id_number(_required(COL_REP_ID, value))
        try:
            validate_id_number(number)
        except ValidationError as exc:
            raise CellValueError(COL_REP_ID, " ".join(exc.messages))
        person = Person.objects.filter(id_number=number).select_related("village").first()
        if person is None:
            return Person(name=name, id_number=number, gender=gender_of(number), birth_date=birth_date_of(number))
        if person.name != name:
            raise CellValueError(COL_REP_NAME, _("the ID number is recorded for %(name)s, not %(given)s.")
                                 % {"name": person.name, "given": name})
        return person


class HouseholdResource(resources.ModelResource):
    def __init__(self, *, user, sheet_rows):
        super().__init__()
        self.user = user
        self.sheet_rows = sheet_rows  # dataset row i (1-based) → the row number in the sheet
        self.notes = []  # what each saved row did, for the preview
        self._seen_households, self._seen_people = {}, {}
        self.today = timezone.localdate()
        village_widget = VillageCodeWidget(user)
        self.fields["village"] = fields.Field(attribute="village", column_name=COL_VILLAGE, widget=village_widget)
        self.fields["number"] = fields.Field(attribute="number", column_name=COL_NUMBER, widget=NumberTextWidget())
        self.fields["head_name"] = fields.Field(attribute="head_name", column_name=COL_HEAD,
                                                widget=TextWidget(COL_HEAD))
        self.fields["group"] = fields.Field(attribute="group", column_name=COL_GROUP,
                                            widget=TextWidget(COL_GROUP, required=False))
        self.fields["import_representative"] = fields.Field(attribute="import_representative",
                                                            column_name=COL_REP_ID, widget=RepresentativeWidget())

    class Meta:
        model = Household
        fields = ("village", "number", "head_name", "group", "import_representative")
        import_id_fields = ("village", "number")
        skip_unchanged = False
        skip_diff = True
        clean_model_instances = True

    def get_queryset(self):
        return Household.objects.for_user(self.user).select_related("village")

    def get_instance(self, instance_loader, row):
        try:
            village = self.fields["village"].clean(row)
            number = self.fields["number"].clean(row)
        except CellValueError:
            return None  # import_instance reports it with its column
        return self.get_queryset().filter(village=village, number=number).first()

    def sheet_row(self, row_number: int) -> int:
        return self.sheet_rows[row_number - 1]

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        for field in self.get_import_fields():
            try:
                self.import_field(field, instance, row, **kwargs)
            except CellValueError as exc:
                errors.setdefault(exc.column, []).append(str(exc))
        this_row = self.sheet_row(kwargs["row_number"])
        key = (cell_text(row.get(COL_VILLAGE)), cell_text(row.get(COL_NUMBER)))
        if all(key):
            first = self._seen_households.setdefault(key, this_row)
            if first != this_row:
                errors.setdefault(COL_NUMBER, []).append(
                    _("household %(number)s of village %(code)s is already in row %(first)d.")
                    % {"number": key[1], "code": key[0], "first": first})
        person = getattr(instance, "import_representative", None)
        if person is not None:
            first = self._seen_people.setdefault(person.id_number, this_row)
            if first != this_row:
                errors.setdefault(COL_REP_ID, []).append(
                    _("the same person already represents the household in row %(first)d.") % {"first": first})
            elif person.pk and instance.village_id and person.village.township_id != instance.village.township_id:
                errors.setdefault(COL_REP_ID, []).append(
                    _("%(name)s lives in another township.") % {"name": person.name})
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # The services validate the saved rows; here only the cell errors collected above count.
        if import_validation_errors:
            raise ValidationError(import_validation_errors)

    def save_instance(self, instance, is_create, row, **kwargs):
        person = instance.import_representative
        note = {"row": self.sheet_row(kwargs["row_number"]), "village": instance.village.name,
                "number": instance.number, "head_name": instance.head_name, "rep_name": person.name,
                "action": _("unchanged"), "rep_action": _("unchanged"), "new_person": False, "changed": False}
        if person.pk is None:
            person = person_create(user=self.user, name=person.name, gender=person.gender,
                                   birth_date=person.birth_date, id_number=person.id_number, village=instance.village)
            note.update(rep_action=_("new person recorded"), new_person=True)
        if is_create:
            household = services.household_create(user=self.user, village=instance.village, number=instance.number,
                                                  head_name=instance.head_name, group=instance.group)
            note["action"] = _("new household")
        else:
            stored = Household.objects.get(pk=instance.pk)
            household = stored
            if (stored.head_name, stored.group) != (instance.head_name, instance.group):
                household = services.household_update(user=self.user, household=stored,
                                                       head_name=instance.head_name, group=instance.group)
                note["action"] = _("updated")
        if household.representative_id != person.pk:
            services.representative_change(user=self.user, household=household, person=person, date=self.today,
                                           reason=_("Imported from Excel"))
            note["changed"] = True
            if not note["new_person"]:
                note["rep_action"] = _("representative changed")
        instance.pk = household.pk
        self.notes.append(note)


def row_messages(result, resource) -> list[str]:
    """Every problem of an import result, in Chinese, naming the sheet's row and column."""
    messages = []
    for invalid in result.invalid_rows:
        row = resource.sheet_row(invalid.number)
        for key, errors in invalid.error_dict.items():
            column = FIELD_COLUMNS.get(key, key)
            for error in errors:
                text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                if column in COLUMNS:
                    messages.append(_("Row %(row)d, column “%(column)s”: %(message)s")
                                    % {"row": row, "column": column, "message": text})
                else:
                    messages.append(_("Row %(row)d: %(message)s") % {"row": row, "message": text})
    for number, errors in result.row_errors():
        row = resource.sheet_row(number)
        for error in errors:
            exc = error.error
            if isinstance(exc, CellValueError):
                text = _("Row %(row)d, column “%(column)s”: %(message)s") % {"row": row, "column": exc.column,
                                                                           "message": str(exc)}
            elif isinstance(exc, ValidationError):
                text = _("Row %(row)d: %(message)s") % {"row": row, "message": " ".join(exc.messages)}
            else:
                # A fault, not the user's input: log it for the administrator, tell the user plainly.
                logger.error("Household import: row %d could not be saved", row,
                             exc_info=(type(exc), exc, exc.__traceback__))
                text = _("Row %(row)d: %(message)s") % {"row": row, "message": _("the row could not be saved.")}
            messages.append(text)
    return sorted(messages, key=lambda m: int(re.search(r"\d+", m).group()))
