"""Import of households and their representatives from an Excel workbook: the page, the reading of the sheet
and the all-or-nothing run of assemblies.resources.HouseholdResource (django-import-export).

One sheet, a header row with exactly the columns in COLUMNS, one household a row. Every problem is reported with
its row and column, and nothing is written unless the whole file is clean (all or nothing). "Preview" runs the same
import as a dry run inside a transaction that is rolled back, and keeps the file in the session so that "Confirm and
import" writes exactly what was previewed without choosing the file again.
"""
from __future__ import annotations

import base64
import io
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.generic import FormView

from core.views import PortalPermissionMixin
from core.xlsx import PLAIN_HEADER, add_sheet, new_workbook, to_bytes

from .forms import ImportForm
from .resources import COL_REP_ID, COL_VILLAGE, COLUMNS, cell_text

MAX_ROWS = 5000


class ImportRefused(Exception):
    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


@dataclass
class ImportResult:
    rows: list = field(default_factory=list)  # dicts describing what each row does
    created: int = 0
    updated: int = 0
    changes: int = 0
    new_people: int = 0


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
    headers = [cell_text(h) for h in rows[0]]
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
        cells = {c: cell_text(values[i]) if i < len(values) else "" for i, c in enumerate(COLUMNS)}
        if any(cells.values()):
            data.append((index, cells))
    if len(rows) > MAX_ROWS + 1:
        raise ImportRefused([_("The file has more than %(max)d rows; split it.") % {"max": MAX_ROWS}])
    if not data:
        raise ImportRefused([_("The file has the right headers but no households under them.")])
    return data


def household_import(*, user, upload, dry_run: bool) -> ImportResult:
    """Import the workbook all or nothing; with dry_run, do everything and roll it back (the preview)."""
    from tablib import Dataset

    from .resources import HouseholdResource, row_messages

    if not user.has_perm("assemblies.add_household"):
        raise PermissionDenied
    data = read_rows(upload)
    dataset = Dataset(headers=COLUMNS)
    for _row, cells in data:
        dataset.append([cells[c] for c in COLUMNS])
    resource = HouseholdResource(user=user, sheet_rows=[row for row, _cells in data])
    with transaction.atomic():
        result = resource.import_data(dataset, dry_run=dry_run, use_transactions=True,
                                      rollback_on_validation_errors=True)
    if result.has_errors() or result.has_validation_errors():
        raise ImportRefused(row_messages(result, resource))
    notes = resource.notes
    return ImportResult(
        rows=notes,
        created=sum(1 for n in notes if n["action"] == _("new household")),
        updated=sum(1 for n in notes if n["action"] == _("updated")),
        changes=sum(1 for n in notes if n["changed"]),
        new_people=sum(1 for n in notes if n["new_person"]),
    )


def template_workbook() -> bytes:
    wb = new_workbook()
    add_sheet(wb, "户代表", COLUMNS, widths=[14, 10, 12, 18, 12, 22], text_columns=[COL_VILLAGE, COL_REP_ID],
              header_style=PLAIN_HEADER)
    return to_bytes(wb)


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
            response["Content-Disposition"] = content_disposition_header(True, _("household import template.xlsx"))
            return response
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("preview", None)
        kwargs.setdefault("import_errors", None)
        kwargs.setdefault("result", kwargs.get("preview") or kwargs.get("done"))
        return super().get_context_data(columns=COLUMNS, **kwargs)

    session_key = "assemblies.household_import"

    def post(self, request, *args, **kwargs):
        if "confirm" in request.POST and not request.FILES.get("file"):
            # "Confirm and import" after a preview: the previewed file, kept in the session.
            stored = request.session.get(self.session_key)
            if not stored:
                messages.error(request, _("The preview has expired; choose the file again."))
                return self.render_to_response(self.get_context_data(form=ImportForm()))
            return self._run(io.BytesIO(base64.b64decode(stored)), dry_run=False, form=ImportForm())
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        data = upload.read()
        dry_run = "confirm" not in self.request.POST
        return self._run(io.BytesIO(data), dry_run=dry_run, form=form, keep=data if dry_run else None)

    def _run(self, upload, *, dry_run, form, keep=None):
        self.request.session.pop(self.session_key, None)
        try:
            result = household_import(user=self.request.user, upload=upload, dry_run=dry_run)
        except ImportRefused as exc:
            return self.render_to_response(self.get_context_data(form=form, import_errors=exc.errors))
        if dry_run:
            self.request.session[self.session_key] = base64.b64encode(keep).decode()
            return self.render_to_response(self.get_context_data(form=ImportForm(), preview=result))
        messages.success(self.request, _(
            "Imported: %(created)d new households, %(updated)d updated, %(changes)d representatives recorded or "
            "changed, %(people)d people added."
        ) % {"created": result.created, "updated": result.updated, "changes": result.changes,
             "people": result.new_people})
        return self.render_to_response(self.get_context_data(form=ImportForm(), done=result))
