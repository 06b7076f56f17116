"""The one xlsx writer: every workbook the portal hands out (reports, the pay table, import templates) is built here.

    wb = new_workbook(title=..., creator=...)
    add_sheet(wb, "户代表", headers, rows, widths=[14, None], text_columns=["身份证号"],
              validations=[ListValidation("评定", ["合格", "优", "扣分"])], freeze="A2")
    return to_bytes(wb)

User text is stored as text, never as a formula. openpyxl turns a str starting with "=" into a formula cell, and
Excel and WPS turn a cell the user edits that starts with "+", "-" or "@" into one: any string starting with one of
FORMULA_PREFIXES (or spelling an error value such as "#N/A") is written as a string cell with the quote prefix
(Excel's leading ' in the formula bar). That happens when a cell is written and once more over every cell in
to_bytes(), so no path can emit a formula; the portal writes no formulas on purpose.

Templates for imports: `text_columns` format whole columns as text ("@") so that ID numbers, codes and phone numbers
typed in Excel or WPS stay text (a number loses digits past the 15th and leading zeros); `validations` put a drop-down
list with a Chinese error message on whole columns below the header.
"""
from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
TEXT_FORMAT = "@"
LAST_ROW = 1_048_576  # a sheet's last row: text formats and validations cover the whole column below the header
HEADER_FILL = PatternFill("solid", fgColor="EEF0F3")
THIN = Side(style="thin", color="B7BEC7")
INVALID_SHEET_CHARS = re.compile(r"[\[\]\*\?/\\:]")
BOLD = Font(bold=True)
AUTO_WIDTH_ROWS = 500  # auto widths look at the header and this many rows


@dataclass(frozen=True)
class HeaderStyle:
    bold: bool = True
    fill: PatternFill | None = None
    alignment: Alignment | None = None
    border: Border | None = None


PLAIN_HEADER = HeaderStyle(bold=False)
BOLD_HEADER = HeaderStyle()
SHADED_HEADER = HeaderStyle(fill=HEADER_FILL)
REPORT_HEADER = HeaderStyle(fill=HEADER_FILL, alignment=Alignment(horizontal="center", vertical="center",
                                                                  wrap_text=True), border=Border(bottom=THIN))


@dataclass(frozen=True)
class ListValidation:
    """A drop-down list on one column (its header text or its 1-based number), refusing anything else."""

    column: str | int
    choices: Sequence[str]
    allow_blank: bool = False
    error: str = ""  # the message Excel shows on a value not in the list; a Chinese default names the choices

    def data_validation(self) -> DataValidation:
        formula = ",".join(self.choices)
        if any("," in c or '"' in c for c in self.choices) or len(formula) > 255:
            # Excel's inline list is comma-separated, unquoted and at most 255 characters.
            raise ValueError(f"choices cannot be an inline Excel list: {self.choices!r}")
        return DataValidation(
            type="list", formula1=f'"{formula}"', allow_blank=self.allow_blank,
            showErrorMessage=True, errorStyle="stop", errorTitle=_("Not in the list"),
            error=self.error or _("Choose one of: %(choices)s.") % {"choices": "、".join(self.choices)},
        )


def new_workbook(*, title: str = "", creator: str = "") -> Workbook:
    """A workbook without sheets (add them with add_sheet) and with the document properties given."""
    wb = Workbook()
    wb.remove(wb.active)
    if title:
        wb.properties.title = str(title)
    if creator:
        wb.properties.creator = str(creator)
    return wb


def add_sheet(
    wb: Workbook,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence] = (),
    *,
    widths: Sequence[float | None] | None = None,
    number_formats: dict[str | int, str] | None = None,
    text_columns: Iterable[str | int] = (),
    validations: Iterable[ListValidation] = (),
    notes: dict[str | int, str] | None = None,
    header_style: HeaderStyle = BOLD_HEADER,
    totals: Sequence | None = None,
    freeze: str | None = None,
    auto_filter: bool = False,
) -> Worksheet:
    """A sheet of one header row and the rows below it. `widths` in characters per column (None: fitted to the
    content); `number_formats` per column for the data and totals rows; `notes` a comment on a column's header
    cell (how to fill it in); `totals` a last row in bold."""
    ws = wb.create_sheet(sheet_title(title, {s.title for s in wb.worksheets}))
    rows = list(rows)
    write_row(ws, 1, headers)
    for column in range(1, len(headers) + 1):
        cell = ws.cell(row=1, column=column)
        if header_style.bold:
            cell.font = BOLD
        if header_style.fill:
            cell.fill = header_style.fill
        if header_style.alignment:
            cell.alignment = header_style.alignment
        if header_style.border:
            cell.border = header_style.border
    for number, values in enumerate(rows, start=2):
        write_row(ws, number, values)
    last = len(rows) + 1
    if totals is not None:
        last += 1
        write_row(ws, last, totals, font=BOLD)
    formats = {_column(headers, c): f for c, f in (number_formats or {}).items()}
    formats.update({_column(headers, c): TEXT_FORMAT for c in text_columns})
    for index, fmt in formats.items():
        for (cell,) in ws.iter_rows(min_row=2, max_row=last, min_col=index, max_col=index):
            cell.number_format = fmt
        if fmt == TEXT_FORMAT:
            # Cells typed later into the column take the column's format.
            ws.column_dimensions[get_column_letter(index)].number_format = TEXT_FORMAT
    for column, text in (notes or {}).items():
        comment = Comment(storable(text), "")
        comment.width, comment.height = 240, 90
        ws.cell(row=1, column=_column(headers, column)).comment = comment
    for validation in validations:
        dv = validation.data_validation()
        ws.add_data_validation(dv)
        letter = get_column_letter(_column(headers, validation.column))
        dv.add(f"{letter}2:{letter}{LAST_ROW}")
    for index, header in enumerate(headers, start=1):
        width = widths[index - 1] if widths and index <= len(widths) else None
        if width is None:
            widest = max([display_width(header)] + [display_width(r[index - 1]) for r in rows[:AUTO_WIDTH_ROWS]
                                                    if index <= len(r)])
            width = min(max(widest + 2, 8), 60)
        ws.column_dimensions[get_column_letter(index)].width = width
    if freeze:
        ws.freeze_panes = freeze
    if auto_filter and rows:
        ws.auto_filter.ref = ws.dimensions
    return ws


def write_row(ws: Worksheet, row: int, values: Sequence, *, font: Font | None = None) -> None:
    for column, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=column)
        cell.value = storable(value)
        keep_as_text(cell)
        if font is not None:
            cell.font = font


def to_bytes(wb: Workbook) -> bytes:
    """The workbook as .xlsx bytes, after one last pass that stores every formula-like cell as text."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                keep_as_text(cell)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def storable(value):
    """A value openpyxl can store: lazy translations as str, Decimal as float, and no control characters that the
    xlsx format cannot hold (openpyxl would refuse the whole workbook)."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def keep_as_text(cell) -> None:
    """Store a formula-like cell as a string with the quote prefix, so neither openpyxl nor Excel/WPS evaluates it."""
    value = cell.value
    if cell.data_type == "f":
        value = str(getattr(value, "text", value))  # an ArrayFormula keeps its text in .text
    elif not (isinstance(value, str) and (value.startswith(FORMULA_PREFIXES) or value in ERROR_CODES)):
        return
    cell.value = value
    cell.data_type = "s"  # after the assignment, which makes a str starting with "=" a formula again
    cell.quotePrefix = True


def sheet_title(title: str, used: set[str]) -> str:
    """A sheet name Excel accepts (31 characters, none of []*?/\\:) that no other sheet of the workbook has."""
    base = INVALID_SHEET_CHARS.sub(" ", str(title))[:28] or _("Sheet")
    name, n = base, 2
    while name in used:
        name = f"{base[:26]}{n}"
        n += 1
    return name


def display_width(value) -> int:
    """Width in characters as a spreadsheet shows it: CJK characters count two."""
    text = value.strftime("%Y-%m-%d") if isinstance(value, dt.date) else str(value if value is not None else "")
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _column(headers: Sequence[str], column: str | int) -> int:
    return column if isinstance(column, int) else list(headers).index(column) + 1
