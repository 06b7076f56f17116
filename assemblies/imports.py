"""Import of households and their representatives from an Excel workbook.

One sheet, a header row with exactly the columns in COLUMNS, one household a row. The whole file is checked first;
every problem is reported with its row and column, and nothing is written unless the whole file is clean
(all or nothing). "Preview" runs the same import inside a transaction that is rolled back (a dry run).
"""
from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView

from core.views import PortalPermissionMixin
from villages.idnumbers import birth_date_of, gender_of, normalize_id_number, validate_id_number
from villages.models import Person
from villages.services import person_create

from . import services
from .forms import ImportForm
from .models import Household
from .selectors import village_list

# The file format's column headers (the county's spreadsheets are in Chinese, whatever the interface language).
COL_VILLAGE, COL_NUMBER, COL_HEAD, COL_GROUP, COL_REP_NAME, COL_REP_ID = (
    "村代码", "户号", "户主姓名", "自然村或村民小组", "户代表姓名", "户代表身份证号",
)
COLUMNS = [COL_VILLAGE, COL_NUMBER, COL_HEAD, COL_GROUP, COL_REP_NAME, COL_REP_ID]
REQUIRED = {COL_VILLAGE, COL_NUMBER, COL_HEAD, COL_REP_NAME, COL_REP_ID}
MAX_ROWS = 5000


class ImportRefused(Exception):
    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


class _DryRun(Exception):
    pass


@dataclass
class ImportResult:
    rows: list = field(default_factory=list)  # dicts describing what each row does
    created: int = 0
    updated: int = 0
    changes: int = 0
    new_people: int = 0


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return str(value).strip()


def _row_error(row: int, column: str, message) -> str:
    return _("Row %(row)d, column “%(column)s”: %(message)s") % {"row": row, "column": column, "message": message}


def read_rows(upload) -> list[tuple[int, dict]]:
    """The data rows as (row number in the sheet, {column: text}); refuses a file that is not a proper workbook."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(upload.read()), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = list(sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2))
    except Exception:  # openpyxl raises many kinds of error on a file that is not an .xlsx workbook
        raise ImportRefused([_("The file is not an Excel workbook (.xlsx). Save it as .xlsx and try again.")])
    if not rows:
        raise ImportRefused([_("The workbook is empty.")])
    headers = [_cell_text(h) for h in rows[0]]
    while headers and headers[-1] == "":
        headers.pop()
    if headers != COLUMNS:
        missing = [c for c in COLUMNS if c not in headers]
        unknown = [h for h in headers if h not in COLUMNS]
        detail = []
        if missing:
            detail.append(_("missing: %(cols)s") % {"cols": "、".join(missing)})
        if unknown:
            detail.append(_("not expected: %(cols)s") % {"cols": "、".join(unknown) or "—"})
        if not detail:
            detail.append(_("the columns are in another order"))
        raise ImportRefused([_("Row 1 must hold exactly these column headers, in this order: %(cols)s (%(detail)s).")
                             % {"cols": "、".join(COLUMNS), "detail": "; ".join(detail)}])
    data = []
    for index, values in enumerate(rows[1:], start=2):
        cells = {c: _cell_text(values[i]) if i < len(values) else "" for i, c in enumerate(COLUMNS)}
        if any(cells.values()):
            data.append((index, cells))
    if len(rows) > MAX_ROWS + 1:
        raise ImportRefused([_("The file has more than %(max)d rows; split it.") % {"max": MAX_ROWS}])
    if not data:
        raise ImportRefused([_("The file has the right headers but no households under them.")])
    return data


def check_rows(*, user, data) -> tuple[list[dict], list[str]]:
    """Check every row against the rules and the database without writing; (parsed rows, errors)."""
    errors, parsed = [], []
    codes = {cells[COL_VILLAGE] for _row, cells in data}
    villages = {v.code: v for v in village_list(user=user).filter(code__in=codes)}
    id_numbers = {normalize_id_number(cells[COL_REP_ID]) for _row, cells in data}
    people = {p.id_number: p for p in Person.objects.filter(id_number__in=id_numbers).select_related("village")}
    seen_households, seen_ids = {}, {}
    for row, cells in data:
        row_errors = []
        for column in COLUMNS:
            if column in REQUIRED and not cells[column]:
                row_errors.append(_row_error(row, column, _("this cell must not be empty.")))
        code, number = cells[COL_VILLAGE], cells[COL_NUMBER]
        if code and not re.fullmatch(r"\d{6,12}", code):
            row_errors.append(_row_error(row, COL_VILLAGE, _("a village code is 6 to 12 digits, not “%(value)s”.")
                                         % {"value": code}))
        elif code and code not in villages:
            row_errors.append(_row_error(row, COL_VILLAGE, _("no village with code %(code)s in your area.")
                                         % {"code": code}))
        if number and not re.fullmatch(r"\d{1,20}", number):
            row_errors.append(_row_error(row, COL_NUMBER, _("a household number is a number, not “%(value)s”.")
                                         % {"value": number}))
        if code and number:
            first = seen_households.setdefault((code, number), row)
            if first != row:
                row_errors.append(_row_error(row, COL_NUMBER, _("household %(number)s of village %(code)s is already "
                                                               "in row %(first)d.")
                                             % {"number": number, "code": code, "first": first}))
        id_number = normalize_id_number(cells[COL_REP_ID])
        person = None
        if id_number:
            try:
                validate_id_number(id_number)
            except ValidationError as exc:
                row_errors.append(_row_error(row, COL_REP_ID, " ".join(exc.messages)))
            else:
                first = seen_ids.setdefault(id_number, row)
                if first != row:
                    row_errors.append(_row_error(row, COL_REP_ID, _("the same person already represents the "
                                                                    "household in row %(first)d.") % {"first": first}))
                person = people.get(id_number)
                village = villages.get(code)
                if person is not None and cells[COL_REP_NAME] and person.name != cells[COL_REP_NAME]:
                    row_errors.append(_row_error(row, COL_REP_NAME, _("the ID number is recorded for %(name)s, "
                                                                      "not %(given)s.")
                                                 % {"name": person.name, "given": cells[COL_REP_NAME]}))
                elif person is not None and village is not None and person.village.township_id != village.township_id:
                    row_errors.append(_row_error(row, COL_REP_ID, _("%(name)s lives in another township.")
                                                 % {"name": person.name}))
        errors.extend(row_errors)
        if not row_errors:
            parsed.append({"row": row, "village": villages[code], "number": number, "head_name": cells[COL_HEAD],
                           "group": cells[COL_GROUP], "rep_name": cells[COL_REP_NAME], "id_number": id_number,
                           "person": person})
    return parsed, errors


def household_import(*, user, upload, dry_run: bool) -> ImportResult:
    """Import the workbook all or nothing; with dry_run, do everything and roll it back (the preview)."""
    if not user.has_perm("assemblies.add_household"):
        raise PermissionDenied
    data = read_rows(upload)
    parsed, errors = check_rows(user=user, data=data)
    if errors:
        raise ImportRefused(errors)
    result = ImportResult()
    today = timezone.localdate()
    try:
        with transaction.atomic():
            existing = {
                (h.village_id, h.number): h
                for h in Household.objects.filter(village__in={p["village"] for p in parsed}).select_related("village")
            }
            write_errors = []
            for p in parsed:
                try:
                    _import_row(user=user, p=p, existing=existing, result=result, today=today)
                except ValidationError as exc:
                    write_errors.append(_("Row %(row)d: %(message)s") % {"row": p["row"], "message": " ".join(exc.messages)})
            if write_errors:
                raise ImportRefused(write_errors)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return result


def _import_row(*, user, p, existing, result, today):
    person = p["person"]
    village = p["village"]
    rep_action = _("unchanged")
    if person is None:
        born = birth_date_of(p["id_number"])
        person = person_create(user=user, name=p["rep_name"], gender=gender_of(p["id_number"]), birth_date=born,
                               id_number=p["id_number"], village=village)
        result.new_people += 1
        rep_action = _("new person recorded")
    household = existing.get((village.pk, p["number"]))
    if household is None:
        household = services.household_create(user=user, village=village, number=p["number"],
                                              head_name=p["head_name"], group=p["group"])
        result.created += 1
        action = _("new household")
    else:
        action = _("unchanged")
        if (household.head_name, household.group) != (p["head_name"], p["group"]):
            services.household_update(user=user, household=household, head_name=p["head_name"], group=p["group"])
            result.updated += 1
            action = _("updated")
    if household.representative_id != person.pk:
        services.representative_change(user=user, household=household, person=person, date=today,
                                       reason=_("Imported from Excel"))
        result.changes += 1
        if rep_action == _("unchanged"):
            rep_action = _("representative changed")
    result.rows.append({"row": p["row"], "village": village.name, "number": p["number"], "head_name": p["head_name"],
                        "rep_name": p["rep_name"], "action": action, "rep_action": rep_action})


def template_workbook() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "户代表"
    ws.append(COLUMNS)
    for i, width in enumerate([14, 10, 12, 18, 12, 22], start=1):
        ws.column_dimensions[chr(64 + i)].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


class HouseholdImportView(PortalPermissionMixin, FormView):
    permission_required = "assemblies.add_household"
    form_class = ImportForm
    template_name = "assemblies/household_import.html"

    def get(self, request, *args, **kwargs):
        if request.GET.get("template"):
            response = HttpResponse(
                template_workbook(),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            response["Content-Disposition"] = "attachment; filename=households.xlsx"
            return response
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("preview", None)
        kwargs.setdefault("import_errors", None)
        kwargs.setdefault("result", kwargs.get("preview") or kwargs.get("done"))
        return super().get_context_data(columns=COLUMNS, **kwargs)

    def form_valid(self, form):
        dry_run = "confirm" not in self.request.POST
        try:
            result = household_import(user=self.request.user, upload=form.cleaned_data["file"], dry_run=dry_run)
        except ImportRefused as exc:
            return self.render_to_response(self.get_context_data(form=form, import_errors=exc.errors))
        if dry_run:
            return self.render_to_response(self.get_context_data(form=ImportForm(), preview=result))
        messages.success(self.request, _(
            "Imported: %(created)d new households, %(updated)d updated, %(changes)d representatives recorded or "
            "changed, %(people)d people added."
        ) % {"created": result.created, "updated": result.updated, "changes": result.changes,
             "people": result.new_people})
        return self.render_to_response(self.get_context_data(form=ImportForm(), done=result))
