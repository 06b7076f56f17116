"""Shared formatters: one ReportData → an XLSX workbook (one sheet per section) or a PDF."""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils.translation import gettext as _

from core.documents import Issuer
from core.pdf import render_pdf
from core.xlsx import REPORT_HEADER, add_sheet, new_workbook, to_bytes

from .registry import DATE, DECIMAL, DECIMAL2, INT, PERCENT, ReportData

NUMBER_FORMATS = {INT: "0", DECIMAL: "0.0", DECIMAL2: "0.00", PERCENT: "0.0%", DATE: "yyyy-mm-dd"}


def to_xlsx(data: ReportData, *, creator: str = "") -> bytes:
    """One sheet per section: shaded header row, frozen, filtered; widths fitted unless the column fixes one. The
    workbook's author is `creator` (the issuing authority), else the configured county."""
    wb = new_workbook(title=data.title, creator=creator or settings.QIANGJI_COUNTY_NAME)
    for section in data.sections:
        add_sheet(
            wb, section.title, [c.label for c in section.columns], section.rows,
            widths=[c.width for c in section.columns],
            number_formats={i: NUMBER_FORMATS[c.kind] for i, c in enumerate(section.columns, start=1)
                            if c.kind in NUMBER_FORMATS},
            header_style=REPORT_HEADER, totals=section.totals, freeze="A2", auto_filter=True,
        )
    if not data.sections:
        add_sheet(wb, _("Report"), [])
    return to_bytes(wb)


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


PORTRAIT_WIDTH, LANDSCAPE_WIDTH = 100, 150  # half-characters at 10 pt across A4's printable width
SHORT_COLUMN = 16  # a name, a village, a date, a number: never narrowed, so it keeps its line


def fitted_widths(widths: list[float], capacity: float) -> list[float]:
    """Column widths in % of the page. A table that fits spreads over the page by its natural widths; a wider one
    keeps its short columns at their natural width and narrows only the long ones (their text wraps)."""
    total = sum(widths) or 1
    long_total = sum(w for w in widths if w > SHORT_COLUMN)
    room = capacity - (total - long_total)
    if total <= capacity or long_total == 0 or room <= 0:
        return [round(w * 100 / total, 2) for w in widths]
    return [round((w if w <= SHORT_COLUMN else w * room / long_total) * 100 / capacity, 2) for w in widths]


def to_pdf(data: ReportData, template: str = "core/reports/report_pdf.html", *, issuer: Issuer | None = None,
           prepared_by: str = "") -> bytes:
    """The report as an official document (core.pdf): issued by `issuer`, numbered data.number, tables sized to
    their content and turned to landscape when they are too wide for portrait A4."""
    sections = [(section, column_widths(section)) for section in data.sections]
    # portrait A4 holds about 100 half-characters at 10 pt
    landscape = any(sum(widths) > PORTRAIT_WIDTH for _section, widths in sections)
    capacity = LANDSCAPE_WIDTH if landscape else PORTRAIT_WIDTH
    sections = [(section, fitted_widths(widths, capacity)) for section, widths in sections]
    return render_pdf(template, {
        "title": data.title, "scope_name": data.scope_name, "period_label": data.period_label,
        "generated_on": data.generated_on, "data": data, "sections": sections, "landscape": landscape,
    }, issuer=issuer, number=data.number, prepared_by=prepared_by)


CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def report_file(data: ReportData, fmt: str, pdf_template: str = "core/reports/report_pdf.html", *,
                issuer: Issuer | None = None, prepared_by: str = "") -> tuple[bytes, str]:
    """The workbook or PDF of the data and its file name (Chinese, from the report)."""
    if fmt == "xlsx":
        body = to_xlsx(data, creator=issuer.authority if issuer else "")
    else:
        body = to_pdf(data, pdf_template, issuer=issuer, prepared_by=prepared_by)
    return body, f"{data.filename}.{fmt}"
