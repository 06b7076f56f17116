"""Shared formatters: one ReportData → an XLSX workbook (one sheet per section) or a PDF."""
from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from core.pdf import render_pdf

from .registry import DATE, DECIMAL, INT, PERCENT, ReportData

NUMBER_FORMATS = {INT: "0", DECIMAL: "0.0", PERCENT: "0.0%", DATE: "yyyy-mm-dd"}
HEADER_FILL = PatternFill("solid", fgColor="EEF0F3")
THIN = Side(style="thin", color="B7BEC7")
INVALID_SHEET_CHARS = re.compile(r"[\[\]\*\?/\\:]")


def _sheet_title(title: str, used: set[str]) -> str:
    base = INVALID_SHEET_CHARS.sub(" ", title)[:28] or _("Sheet")
    name, n = base, 2
    while name in used:
        name = f"{base[:26]}{n}"
        n += 1
    used.add(name)
    return name


def _display_width(value) -> int:
    text = value.strftime("%Y-%m-%d") if isinstance(value, dt.date) else str(value if value is not None else "")
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def to_xlsx(data: ReportData) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for section in data.sections:
        ws = wb.create_sheet(_sheet_title(section.title, used))
        ws.append([c.label for c in section.columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = Border(bottom=THIN)
        for row in section.rows:
            ws.append([_cell_value(v) for v in row])
        if section.totals:
            ws.append([_cell_value(v) for v in section.totals])
            for cell in ws[ws.max_row]:
                cell.font = Font(bold=True)
        for index, column in enumerate(section.columns, start=1):
            fmt = NUMBER_FORMATS.get(column.kind)
            if fmt:
                for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = fmt
            widest = max([_display_width(column.label)] + [_display_width(r[index - 1]) for r in section.rows[:500]])
            ws.column_dimensions[get_column_letter(index)].width = column.width or min(max(widest + 2, 8), 60)
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions if section.rows else None
    if not data.sections:
        wb.create_sheet(_("Report"))
    wb.properties.title = data.title
    wb.properties.creator = settings.QIANGJI_COUNTY_NAME
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _cell_value(value):
    if isinstance(value, Decimal):
        return float(value)
    return value


def _pdf_width(value) -> float:
    """Rendered width in units of half a CJK character: Latin letters and digits are narrower than CJK."""
    text = value.strftime("%Y-%m-%d") if isinstance(value, dt.date) else str(value if value is not None else "")
    return sum(2 if ord(ch) > 0x2E80 else 1.15 for ch in text)


def column_widths(section) -> list[float]:
    """Natural widths of a fixed-layout PDF table: the widest of header and content, capped."""
    widths = []
    for index, column in enumerate(section.columns):
        content = [_pdf_width(r[index]) for r in section.rows[:300]]
        # + 3 for the cell's padding and border (5 pt a side at 10 pt text)
        widths.append(column.width or min(max([_pdf_width(column.label), 4] + content), 40) + 3)
    return widths


def to_pdf(data: ReportData, template: str = "core/reports/report_pdf.html") -> bytes:
    sections, landscape = [], False
    for section in data.sections:
        widths = column_widths(section)
        total = sum(widths) or 1
        landscape = landscape or total > 100  # portrait A4 holds about 100 half-characters at 10 pt
        sections.append((section, [round(w * 100 / total, 2) for w in widths]))
    return render_pdf(template, {
        "title": data.title, "scope_name": data.scope_name, "period_label": data.period_label,
        "generated_on": data.generated_on, "data": data, "sections": sections, "landscape": landscape,
    })
