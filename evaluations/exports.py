"""The pay table as an Excel workbook for payroll: Chinese headers, frozen header row, numbers stored as numbers."""
from django.utils.translation import gettext as _

from core.xlsx import add_sheet, new_workbook, to_bytes


def pay_table_workbook(sheet, rows) -> bytes:
    wb = new_workbook()
    headers = [_("Township"), _("Village"), _("Name"), _("Post"), _("Total"), _("Grade"), _("Pay coefficient")]
    add_sheet(wb, _("Pay table"), headers, [
        (
            sheet.township.name, r.village.name, r.person.name, r.get_post_display(),
            r.total_score, r.get_grade_display() if r.grade else "", r.coefficient,  # Decimal is stored as a number
        )
        for r in rows
    ], widths=[12, 12, 10, 18, 8, 12, 10], number_formats={5: "0.00", 7: "0.00"}, freeze="A2")
    return to_bytes(wb)
