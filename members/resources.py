"""The party-member roster import (django-import-export): foreign keys by natural key (village code, ID number),
every write through the members services (scope, validation, history), Chinese messages naming row and column."""
from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from tablib import Dataset

from core.pii import mask_id_number
from villages.idnumbers import normalize_id_number, validate_id_number

from . import services
from .choices import MembershipKind, MembershipStatus
from .excel import CellError, WorkbookErrors, cell_text, read_sheet
from .models import PartyMember

logger = logging.getLogger(__name__)

ROSTER_HEADERS = ["村代码", "身份证号", "姓名", "入党日期", "党员类别", "状态"]
KIND_LABELS = {"正式党员": MembershipKind.FULL, "正式": MembershipKind.FULL,
               "预备党员": MembershipKind.PROBATIONARY, "预备": MembershipKind.PROBATIONARY}
STATUS_LABELS = {"在册": MembershipStatus.ACTIVE, "正常": MembershipStatus.ACTIVE,
                 "转出": MembershipStatus.TRANSFERRED_OUT, "已转出": MembershipStatus.TRANSFERRED_OUT,
                 "去世": MembershipStatus.DECEASED, "已故": MembershipStatus.DECEASED,
                 "除名": MembershipStatus.REMOVED, "已除名": MembershipStatus.REMOVED}


class CellValueError(ValueError):
    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column


class VillageCodeWidget(widgets.ForeignKeyWidget):
    def __init__(self, user):
        from villages.models import Village

        super().__init__(Village, field="code")
        self.user = user

    def get_queryset(self, value, row, *args, **kwargs):
        from villages.selectors import village_list

        return village_list(user=self.user)

    def clean(self, value, row=None, **kwargs):
        code = cell_text(value)
        village = self.get_queryset(value, row).filter(code=code).first()
        if village is None:
            raise CellValueError("村代码", _("no village with code “%(code)s” in your area.") % {"code": code})
        return village


class PersonByIdNumberWidget(widgets.ForeignKeyWidget):
    def __init__(self, user):
        from villages.models import Person

        super().__init__(Person, field="id_number")
        self.user = user

    def clean(self, value, row=None, **kwargs):
        from villages.selectors import person_list

        number = normalize_id_number(cell_text(value))
        try:
            validate_id_number(number)
        except ValidationError as exc:
            raise CellValueError("身份证号", " ".join(exc.messages))
        person = person_list(user=self.user).filter(id_number=number).first()
        if person is None:
            raise CellValueError("身份证号", _("no person with ID number %(number)s is recorded in your area; add the "
                                               "person first.") % {"number": mask_id_number(number)})
        name = cell_text((row or {}).get("姓名"))
        if name and name != person.name:
            raise CellValueError("姓名", _("the ID number %(number)s belongs to %(name)s, not “%(given)s”.")
                                 % {"number": mask_id_number(number), "name": person.name, "given": name})
        return person


class DateCellWidget(widgets.Widget):
    def __init__(self, column):
        self.column = column

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise CellValueError(self.column, _("“%(value)s” is not a date; enter a date cell such as 2026-05-20.")
                             % {"value": value})


class LabelWidget(widgets.Widget):
    def __init__(self, column, labels):
        self.column, self.labels = column, labels

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if text not in self.labels:
            raise CellValueError(self.column, _("“%(value)s” is not one of: %(choices)s.")
                                 % {"value": text, "choices": "、".join(self.labels)})
        return self.labels[text]


class PartyMemberResource(resources.ModelResource):
    def __init__(self, *, user):
        super().__init__()
        self.user = user
        self.fields["village"] = fields.Field(attribute="village", column_name="村代码", widget=VillageCodeWidget(user))
        self.fields["person"] = fields.Field(attribute="person", column_name="身份证号",
                                             widget=PersonByIdNumberWidget(user))
        self.fields["joined_date"] = fields.Field(attribute="joined_date", column_name="入党日期",
                                                  widget=DateCellWidget("入党日期"))
        self.fields["kind"] = fields.Field(attribute="kind", column_name="党员类别",
                                           widget=LabelWidget("党员类别", KIND_LABELS))
        self.fields["status"] = fields.Field(attribute="status", column_name="状态",
                                             widget=LabelWidget("状态", STATUS_LABELS))

    class Meta:
        model = PartyMember
        fields = ("village", "person", "joined_date", "kind", "status")
        import_id_fields = ("person",)
        skip_unchanged = True
        report_skipped = True
        skip_diff = True

    def import_instance(self, instance, row, **kwargs):
        # import-export collects field errors by attribute; keep the column each one names.
        errors = {}
        for field in self.get_import_fields():
            try:
                self.import_field(field, instance, row, **kwargs)
            except CellValueError as exc:
                errors[exc.column] = ValidationError(str(exc))
        if errors:
            raise ValidationError(errors)

    def save_instance(self, instance, is_create, row, **kwargs):
        data = {name: getattr(instance, name) for name in services.MEMBER_FIELDS}
        if is_create:
            saved = services.party_member_create(user=self.user, **data)
            instance.pk = saved.pk
        else:
            services.party_member_update(user=self.user, member=instance, **data)


def _errors_of(result) -> list[CellError]:
    errors = []
    for invalid in result.invalid_rows:
        for column, messages in invalid.error_dict.items():
            for message in messages:
                column_name = column if column in ROSTER_HEADERS else ""
                errors.append(CellError(invalid.number + 1, column_name, message))
    for number, row_errors in result.row_errors():
        for err in row_errors:
            exc = err.error
            if isinstance(exc, CellValueError):
                errors.append(CellError(number + 1, exc.column, str(exc)))
            elif isinstance(exc, ValidationError):
                errors.append(CellError(number + 1, "", " ".join(exc.messages)))
            else:
                # A fault, not the user's input: log it for the administrator, tell the user plainly.
                logger.error("Roster import: row %d could not be saved", number + 1,
                             exc_info=(type(exc), exc, exc.__traceback__))
                errors.append(CellError(number + 1, "", _("the row could not be saved.")))
    if result.base_errors:
        errors.extend(CellError(0, "", str(e.error)) for e in result.base_errors)
    return sorted(errors, key=lambda e: (e.row, ROSTER_HEADERS.index(e.column) if e.column in ROSTER_HEADERS else 99))


def roster_import(*, user, file, confirm: bool):
    """Preview (confirm=False: nothing kept) or import (confirm=True: every row, or none). Returns the
    import-export result; raises WorkbookErrors naming each problem's row and column."""
    sheet = read_sheet(file, expected=ROSTER_HEADERS, required=ROSTER_HEADERS)
    seen, errors = {}, list(sheet.errors)
    for n, row in sheet.rows:
        number = normalize_id_number(cell_text(row["身份证号"]))
        if number in seen:
            errors.append(CellError(n, "身份证号", _("the ID number %(number)s is already on row %(row)d (duplicate).")
                                    % {"number": mask_id_number(number), "row": seen[number]}))
        seen.setdefault(number, n)
    if errors:
        errors.sort(key=lambda e: (e.row, ROSTER_HEADERS.index(e.column) if e.column in ROSTER_HEADERS else -1))
        raise WorkbookErrors(errors)
    dataset = Dataset(headers=sheet.headers)
    for _n, row in sheet.rows:
        dataset.append([row[h] for h in sheet.headers])
    resource = PartyMemberResource(user=user)
    with transaction.atomic():
        result = resource.import_data(dataset, dry_run=True, use_transactions=True)
        errors = _errors_of(result)
        if errors:
            raise WorkbookErrors(errors)
        if confirm:
            result = resource.import_data(dataset, dry_run=False, use_transactions=True,
                                          rollback_on_validation_errors=True)
            errors = _errors_of(result)
            if errors:
                transaction.set_rollback(True)
                raise WorkbookErrors(errors)
    return result
