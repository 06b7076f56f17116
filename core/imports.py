"""The one import framework: workbook in, every problem by row and column in Chinese, then all or nothing.

- read_workbook(data, spec) reads the first sheet of an .xlsx (or the sheet named by sheet_title; None when the
  workbook has no such sheet) as users' workbooks hold it (header row anywhere in rows 1–10, headers with spaces,
  full-width brackets or a （必填） marker, columns in any order, unknown columns ignored) and converts each cell by
  its column's kind (Column.kind). File-level problems (too big, a zip bomb, not a workbook, no header row, a missing
  column, too many rows) raise ImportRefused; cell problems are collected in Sheet.errors so that the caller
  reports them together with its own.
- Each import checks its rows against look-ups made once for the whole file and hands the records to one bulk
  service (scope, full_clean, history, summaries). django-import-export is not used: in its row-by-row mode every row
  costs instance look-ups and a savepoint (a 500-household file took 81–89 s), and its bulk mode skips save() and
  does not link a failing write to its row (its own documentation's caveats), so row-and-column messages, history
  and all-or-nothing would have had to be rebuilt around it anyway.
- The stash keeps an uploaded file between preview and confirm in MEDIA_ROOT/tmp/imports under a random name; the
  session holds only its token and checksum.
- ImportView is the page every import uses: upload → preview (every problem, or what will be written) → confirm
  (one run in one transaction: all or nothing).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import re
import secrets
import time
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import iterparse

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from .views import PortalPermissionMixin

logger = logging.getLogger(__name__)

KINDS = ("text", "note", "id", "code", "phone", "date", "int", "choice")  # note: free text kept as typed (no NFKC)
NUMBER_KINDS = ("id", "code", "phone")  # digits that a number cell loses (18 digits, leading zeros)
HEADER_SEARCH_ROWS = 10
STASH_MAX_AGE = 3600  # seconds


def max_rows() -> int:
    return getattr(settings, "IMPORT_MAX_ROWS", 5000)


def max_upload_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)


def max_uncompressed_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_UNCOMPRESSED_BYTES", 100 * 1024 * 1024)


# ---------------------------------------------------------------- problems

@dataclass
class CellError:
    row: int  # the sheet's row number (0: the whole file)
    column: str  # the column's header ("" for the whole row)
    message: str
    last_row: int | None = None  # a range of rows (a merged cell)
    sheet: str = ""  # the sheet's name, in a workbook read sheet by sheet

    @property
    def rows(self) -> str:
        if not self.row:
            return ""
        return f"{self.row}–{self.last_row}" if self.last_row and self.last_row != self.row else str(self.row)

    def __str__(self):
        if self.sheet:
            return _("Sheet “%(sheet)s”: %(where)s") % {"sheet": self.sheet, "where": self._located()}
        return self._located()

    def _located(self) -> str:
        if self.row and self.last_row and self.last_row != self.row:
            return _("Rows %(first)d–%(last)d, column “%(column)s”: %(message)s") % {
                "first": self.row, "last": self.last_row, "column": self.column, "message": self.message}
        if self.row and self.column:
            return _("Row %(row)d, column “%(column)s”: %(message)s") % {
                "row": self.row, "column": self.column, "message": self.message}
        if self.row:
            return _("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message}
        return self.message


class ImportRefused(ValidationError):
    """Nothing was written: every problem, each with its row and column."""

    def __init__(self, errors: list[CellError]):
        super().__init__([str(e) for e in errors])
        self.cell_errors = errors


class CellValueError(ValueError):
    """A resource's widget refusing a cell: the message names what is wrong, `column` where."""

    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column


def sort_errors(errors: list[CellError], columns: list[str]) -> list[CellError]:
    return sorted(errors, key=lambda e: (e.row, columns.index(e.column) if e.column in columns else -1))


# ---------------------------------------------------------------- the columns of a sheet

@dataclass(frozen=True)
class Column:
    name: str
    kind: str = "text"
    required: bool = True
    choices: dict | None = None  # choice: {label: value}

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")
        if self.kind == "choice" and not self.choices:
            raise ValueError("a choice column needs choices")


@dataclass
class SheetSpec:
    columns: list[Column]
    max_rows: int | None = None  # settings.IMPORT_MAX_ROWS when None
    allow_empty: bool = False  # headers without data rows are accepted (a sheet of optional values)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def row_limit(self) -> int:
        return self.max_rows or max_rows()


@dataclass
class Sheet:
    spec: SheetSpec
    header_row: int
    title: str = ""  # the worksheet's name
    rows: list[tuple[int, dict]] = field(default_factory=list)  # (sheet row number, {column name: value})
    errors: list[CellError] = field(default_factory=list)
    bad_rows: set[int] = field(default_factory=set)  # rows with a cell in error (merged cells included)


def header_key(value) -> str:
    """A header as compared: NFKC (full-width brackets and letters → half-width), no spaces, no （必填） or * marker."""
    if value is None:
        return ""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value)))
    text = re.sub(r"[(\[]必填[)\]]", "", text)
    return text.strip("*")


def _empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _plain(value) -> str:
    """A text cell as the user reads it: NFKC, surrounding spaces gone; a number without “.0”."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.date):
        return value.isoformat()
    return unicodedata.normalize("NFKC", str(value)).strip()


DATE_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")


def convert(column: Column, value):
    """The cell's value for its column's kind; None when empty. Raises CellValueError with a message for the user."""
    if _empty(value):
        return None
    kind = column.kind
    if kind in NUMBER_KINDS:
        if _number(value):
            raise CellValueError(column.name, _(
                "this cell is stored as a number, so its digits are lost (%(value)s); format the column as text "
                "and enter it again.") % {"value": value})
        text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value)))
        return text.upper() if kind == "id" else text
    if kind == "date":
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if _number(value) and 1 <= value < 2958466:
            from openpyxl.utils.datetime import from_excel

            return from_excel(value).date()
        match = DATE_TEXT.fullmatch(_plain(value))
        if match:
            try:
                return dt.date(*(int(g) for g in match.groups()))
            except ValueError:
                pass
        raise CellValueError(column.name, _(
            "“%(value)s” is not a date; enter a date cell or one of 2025-03-01, 2025/3/1, 2025.3.1, 2025年3月1日.")
            % {"value": _plain(value)})
    if kind == "int":
        if _number(value) and float(value).is_integer():
            return int(value)
        text = _plain(value)
        if re.fullmatch(r"\d+", text):
            return int(text)
        raise CellValueError(column.name, _("“%(value)s” is not a number; enter digits only.") % {"value": text})
    if kind == "note":
        return str(value).strip() if isinstance(value, str) else _plain(value)
    text = _plain(value)
    if kind == "choice":
        if text not in column.choices:
            raise CellValueError(column.name, _("“%(value)s” is not one of: %(choices)s.")
                                 % {"value": text, "choices": "、".join(column.choices)})
        return column.choices[text]
    return text


# ---------------------------------------------------------------- reading a workbook

def _refuse(message: str, row: int = 0, column: str = ""):
    raise ImportRefused([CellError(row, column, message)])


def _not_a_workbook():
    _refuse(_("The file is not an Excel workbook (.xlsx). Download the template, fill it in and upload it "
              "without changing its format."))


def check_size(size: int) -> None:
    if size > max_upload_bytes():
        _refuse(_("The file is %(size)s; an import may be at most %(limit)s. Split it into several files.")
                % {"size": filesizeformat(size), "limit": filesizeformat(max_upload_bytes())})


def _open_zip(data: bytes) -> zipfile.ZipFile:
    """The workbook's zip, refused unexpanded when its entries declare more than the uncompressed limit."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        declared = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        _not_a_workbook()
    if declared > max_uncompressed_bytes():
        _refuse(_("The workbook would expand to %(size)s, more than the %(limit)s an import may hold; it is refused "
                  "without being opened.") % {"size": filesizeformat(declared),
                                              "limit": filesizeformat(max_uncompressed_bytes())})
    return archive


NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _cell_ref(ref: str) -> tuple[int, int]:
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    letters, row = coordinate_from_string(ref)
    return row, column_index_from_string(letters)


def _sheet_marks(archive: zipfile.ZipFile, path: str) -> tuple[list[tuple[int, int, int, int]], set]:
    """What read-only openpyxl does not tell: the merged ranges (min_row, min_col, max_row, max_col) and the cells
    holding a formula without a cached value, read by streaming the sheet's XML."""
    merged, uncached = [], set()
    with archive.open(path.lstrip("/")) as source:
        for _event, element in iterparse(source):
            if element.tag == NS + "c":
                formula = element.find(NS + "f")
                if formula is not None:
                    cached = element.find(NS + "v")
                    if cached is None or cached.text is None:
                        uncached.add(_cell_ref(element.get("r")))
                element.clear()
            elif element.tag == NS + "row":
                element.clear()
            elif element.tag == NS + "mergeCell":
                from openpyxl.utils.cell import range_boundaries

                min_col, min_row, max_col, max_row = range_boundaries(element.get("ref"))
                merged.append((min_row, min_col, max_row, max_col))
    return merged, uncached


def _find_header(head: list[tuple], spec: SheetSpec) -> tuple[int, dict[str, int]]:
    """(row number, {column name: 0-based index}) of the row among the first ten matching most expected headers."""
    wanted = {header_key(c.name): c.name for c in spec.columns}
    best, best_row = {}, 0
    for number, values in enumerate(head, start=1):
        found = {}
        for index, value in enumerate(values):
            name = wanted.get(header_key(value))
            if name is not None and name in found:
                _refuse(_("The column “%(column)s” appears twice in the header row.") % {"column": name}, number)
            if name is not None:
                found[name] = index
        if len(found) > len(best):
            best, best_row = found, number
    if not best:
        _refuse(_("No header row found: one of rows 1–%(n)d must hold the column headers %(columns)s.")
                % {"n": HEADER_SEARCH_ROWS, "columns": "、".join(spec.names)})
    missing = [c.name for c in spec.columns if c.required and c.name not in best]
    if missing:
        _refuse(_("The header row (row %(row)d) lacks the columns %(missing)s; the headers expected in one of rows "
                  "1–%(n)d are %(columns)s.")
                % {"row": best_row, "missing": "、".join(missing), "n": HEADER_SEARCH_ROWS,
                   "columns": "、".join(spec.names)}, best_row)
    return best_row, best


def read_workbook(data: bytes, spec: SheetSpec, *, sheet_title: str | None = None) -> Sheet | None:
    """The first sheet's data rows (or those of the sheet named sheet_title, compared as headers are; None when
    there is no such sheet), converted by the spec; see the module's docstring."""
    from openpyxl import load_workbook

    check_size(len(data))
    archive = _open_zip(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        if sheet_title is None:
            worksheet = workbook.worksheets[0]
        else:
            named = [ws for ws in workbook.worksheets if header_key(ws.title) == header_key(sheet_title)]
            if not named:
                return None
            worksheet = named[0]
        merged, uncached = _sheet_marks(archive, worksheet._worksheet_path)
        worksheet.reset_dimensions()  # the file's own <dimension> may be wrong: read what is there
        rows = worksheet.iter_rows(values_only=True)
        head = []
        for values in rows:
            head.append(values)
            if len(head) == HEADER_SEARCH_ROWS:
                break
        header_row, index = _find_header(head, spec)
        sheet = Sheet(spec=spec, header_row=header_row, title=worksheet.title)
        body = _body(head[header_row:], rows, header_row, spec, index)
        sheet.rows, count = body
    except ImportRefused:
        raise
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds of error on a file that is not a workbook
        _not_a_workbook()
    finally:
        archive.close()
    if count > spec.row_limit:
        _refuse(_("The file has %(count)d data rows, more than the limit of %(limit)d; split it into several files.")
                % {"count": count, "limit": spec.row_limit})
    if not sheet.rows and not spec.allow_empty:
        _refuse(_("The sheet has the headers but no data rows under them."), header_row)
    sheet.errors = _check_cells(sheet, index, merged, uncached)
    return sheet


def _body(first, rest, header_row, spec, index):
    """([(row number, raw values by column)], data row count): empty rows skipped, rows past the limit counted."""
    out, count = [], 0
    limit = spec.row_limit

    def take(number, values):
        nonlocal count
        cells = {name: (values[i] if i < len(values) else None) for name, i in index.items()}
        if all(_empty(v) for v in cells.values()):
            return
        count += 1
        if count <= limit:
            out.append((number, cells))

    number = header_row
    for values in first:
        number += 1
        take(number, values)
    for values in rest:
        number += 1
        take(number, values)
    return out, count


def _check_cells(sheet: Sheet, index: dict[str, int], merged, uncached) -> list[CellError]:
    """Convert every cell in place; the problems, each cell's once. A cell in error is None afterwards."""
    errors = []
    by_column = {i + 1: name for name, i in index.items()}
    covered = {}
    for min_row, min_col, max_row, max_col in merged:
        for col in range(min_col, max_col + 1):
            name = by_column.get(col)
            if name is None or max_row <= sheet.header_row or min_row == max_row:
                continue
            first = max(min_row, sheet.header_row + 1)
            errors.append(CellError(first, name, _("the cells are merged; unmerge them and fill in every row."),
                                    last_row=max_row))
            for r in range(first, max_row + 1):
                covered[(r, name)] = True
    columns = {c.name: c for c in sheet.spec.columns}
    sheet.bad_rows = {r for r, _name in covered}
    for number, cells in sheet.rows:
        for name, value in cells.items():
            if (number, name) in covered:
                cells[name] = None
                continue
            if (number, index[name] + 1) in uncached:
                errors.append(CellError(number, name, _(
                    "the cell holds a formula without a calculated value (the program that wrote the file did not "
                    "calculate it); open the file in Excel or WPS, save it, and upload it again.")))
                cells[name] = None
                continue
            try:
                cells[name] = convert(columns[name], value)
            except CellValueError as exc:
                errors.append(CellError(number, name, str(exc)))
                cells[name] = None
                continue
            if cells[name] is None and columns[name].required:
                errors.append(CellError(number, name, _("this cell must be filled in.")))
        for name in columns:
            cells.setdefault(name, None)
    sheet.bad_rows |= {e.row for e in errors}
    return sort_errors(errors, sheet.spec.names)


def duplicates(sheet: Sheet, column: str, *, key=None, label=None, message=None) -> list[CellError]:
    """Rows repeating an earlier row's value in `column` (or key(cells)), each naming the row it repeats
    (`message` with %(value)s and %(row)d; `label(cells)` the value as shown)."""
    message = message or _("“%(value)s” is already on row %(row)d (duplicate).")
    seen, errors = {}, []
    for number, cells in sheet.rows:
        value = key(cells) if key else cells.get(column)
        if value is None or (isinstance(value, tuple) and None in value):
            continue
        if value in seen:
            errors.append(CellError(number, column, message % {"value": label(cells) if label else value,
                                                               "row": seen[value]}))
        else:
            seen[value] = number
    return errors


# ---------------------------------------------------------------- the stash between preview and confirm

def stash_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "tmp" / "imports"


def _stash_path(token: str) -> Path | None:
    if not re.fullmatch(r"[A-Za-z0-9_-]{20,64}", token or ""):
        return None
    return stash_dir() / f"{token}.xlsx"


def stash_cleanup(max_age: int = STASH_MAX_AGE) -> None:
    folder = stash_dir()
    if not folder.is_dir():
        return
    limit = time.time() - max_age
    for path in folder.glob("*.xlsx"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except FileNotFoundError:
            pass


def stash_put(data: bytes, *, name: str, kind: str, user) -> dict:
    """Keep an uploaded file for its confirmation; the returned note (a few hundred bytes) goes in the session."""
    stash_cleanup()
    folder = stash_dir()
    folder.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(24)
    _stash_path(token).write_bytes(data)
    return {"token": token, "sha256": hashlib.sha256(data).hexdigest(), "name": name[:200], "kind": kind,
            "user": user.pk}


def stash_get(note: dict | None, *, kind: str, user) -> bytes:
    """The stashed file, unchanged; ImportRefused when it is missing, expired, altered or not this user's."""
    expired = ImportRefused([CellError(0, "", _("The upload has expired; upload the file again."))])
    if not note or note.get("kind") != kind or note.get("user") != user.pk:
        raise expired
    path = _stash_path(note.get("token"))
    try:
        if path is None or path.stat().st_mtime < time.time() - STASH_MAX_AGE:
            raise expired
        data = path.read_bytes()
    except FileNotFoundError:
        raise expired
    if hashlib.sha256(data).hexdigest() != note.get("sha256"):
        raise expired
    return data


def stash_drop(note: dict | None) -> None:
    path = _stash_path((note or {}).get("token"))
    if path is not None:
        path.unlink(missing_ok=True)


# ---------------------------------------------------------------- the page

@dataclass
class ImportPreview:
    """What a run will write (or wrote): counts by label, and a table of rows (the page shows the first ones)."""

    counts: list[tuple[str, int]] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)
    done_message: str = ""


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel file (.xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_size(upload.size)
        except ImportRefused as exc:
            raise ValidationError(exc.messages)
        return upload


PREVIEW_ROWS_SHOWN = 200
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def column_note(column: Column) -> str:
    """How to fill in a column, as the template's header note says it."""
    note = _("Required.") if column.required else _("Optional.")
    if column.kind in NUMBER_KINDS:
        note += " " + _("Text cells: keep the column formatted as text, or the digits are lost.")
    elif column.kind == "date":
        note += " " + _("A date, e.g. 2025-03-01.")
    elif column.kind == "int":
        note += " " + _("A whole number.")
    elif column.kind == "choice":
        note += " " + _("One of: %(choices)s.") % {"choices": "、".join(column.choices)}
    return note


def template_workbook(spec: SheetSpec, *, title: str) -> bytes:
    """An empty sheet with the spec's headers (core.xlsx, the one writer): ID, code and phone columns formatted as
    text (so Excel and WPS keep every digit), date columns as dates, choice columns with a drop-down list, and a
    note on each header cell saying how to fill the column in."""
    from .xlsx import BOLD_HEADER, ListValidation, add_sheet, new_workbook, to_bytes

    wb = new_workbook(title=title)
    add_sheet(
        wb, title, spec.names, header_style=BOLD_HEADER,
        widths=[22 if c.kind in NUMBER_KINDS else 14 for c in spec.columns],
        text_columns=[c.name for c in spec.columns if c.kind in NUMBER_KINDS],
        number_formats={c.name: "yyyy-mm-dd" for c in spec.columns if c.kind == "date"},
        validations=[ListValidation(c.name, list(c.choices), allow_blank=not c.required)
                     for c in spec.columns if c.kind == "choice"],
        notes={c.name: column_note(c) for c in spec.columns},
    )
    return to_bytes(wb)


class ImportView(PortalPermissionMixin, TemplateView):
    """Upload → preview → confirm. A subclass gives `kind` (the stash's name), `title`, `spec`,
    `run(sheet, user, dry_run) -> ImportPreview` (raising ImportRefused) and `get_success_url()`. GET ?template=1
    downloads the empty template (`template_filename`; override `template_content()` for another one)."""

    template_name = "core/import.html"
    kind = ""
    title = ""
    intro = ""
    template_filename = ""
    subnav_template = ""
    spec: SheetSpec

    def get_spec(self) -> SheetSpec:
        return self.spec

    def get_template_url(self) -> str:
        return "?template=1"

    def template_content(self) -> bytes:
        return template_workbook(self.get_spec(), title=str(self.title))

    def get(self, request, *args, **kwargs):
        if request.GET.get("template"):
            from django.http import HttpResponse
            from django.utils.http import content_disposition_header

            response = HttpResponse(self.template_content(), content_type=XLSX_TYPE)
            response["Content-Disposition"] = content_disposition_header(True, str(self.template_filename))
            return response
        return super().get(request, *args, **kwargs)

    def get_success_url(self) -> str:
        return self.request.path

    def run(self, sheet: Sheet, *, user, dry_run: bool) -> ImportPreview:
        raise NotImplementedError

    def refusal(self) -> str | None:
        """A reason the import cannot run at all (a locked period), shown instead of the form's result."""
        return None

    def session_key(self) -> str:
        return f"imports:{self.kind}"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", ImportUploadForm())
        spec = self.get_spec()
        return super().get_context_data(
            title=self.title, intro=self.intro, subnav_template=self.subnav_template, columns=spec.columns,
            template_url=self.get_template_url(),
            max_rows=spec.row_limit, max_size=filesizeformat(max_upload_bytes()), rows_shown=PREVIEW_ROWS_SHOWN,
            **kwargs)

    def _errors(self, form, exc: ImportRefused):
        return self.render_to_response(self.get_context_data(form=form, errors=exc.cell_errors))

    def execute(self, data: bytes, *, dry_run: bool) -> ImportPreview:
        """Read and run once, in one transaction: rolled back for a preview or on any problem."""
        sheet = read_workbook(data, self.get_spec())
        with transaction.atomic():
            outcome = self.run(sheet, user=self.request.user, dry_run=dry_run)
            if sheet.errors:  # a run that reports its own problems includes these; one that did not, refused here
                raise ImportRefused(sheet.errors)
            if dry_run:
                transaction.set_rollback(True)
        return outcome

    def post(self, request, *args, **kwargs):
        reason = self.refusal()
        if reason:
            messages.error(request, reason)
            return self.render_to_response(self.get_context_data())
        if request.POST.get("confirm"):
            return self.confirm()
        form = ImportUploadForm(request.POST, request.FILES)
        stash_drop(request.session.pop(self.session_key(), None))  # a new upload replaces an earlier preview
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            preview = self.execute(data, dry_run=True)
        except ImportRefused as exc:
            return self._errors(form, exc)
        request.session[self.session_key()] = stash_put(data, name=upload.name, kind=self.kind, user=request.user)
        return self.render_to_response(self.get_context_data(preview=preview, upload_name=upload.name))

    def confirm(self):
        note = self.request.session.pop(self.session_key(), None)
        try:
            data = stash_get(note, kind=self.kind, user=self.request.user)
            outcome = self.execute(data, dry_run=False)
        except ImportRefused as exc:
            return self._errors(ImportUploadForm(), exc)
        finally:
            stash_drop(note)
        messages.success(self.request, outcome.done_message)
        return redirect(self.get_success_url())
