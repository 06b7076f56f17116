"""The pay table as an Excel workbook for payroll: Chinese headers, frozen header row, numbers stored as numbers."""
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter


def pay_table_workbook(sheet, rows) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Pay table")[:31]
    headers = [_("Township"), _("Village"), _("Name"), _("Post"), _("Total"), _("Grade"), _("Pay coefficient")]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        ws.append([
            sheet.township.name, r.village.name, r.person.name, r.get_post_display(),
            float(r.total_score) if r.total_score is not None else None,
            r.get_grade_display() if r.grade else "",
            float(r.coefficient) if r.coefficient is not None else None,
        ])
    for row in ws.iter_rows(min_row=2):
        row[4].number_format = "0.00"
        row[6].number_format = "0.00"
    ws.freeze_panes = "A2"
    for i, width in enumerate([12, 12, 10, 18, 8, 12, 10], start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    return wb
