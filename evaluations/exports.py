"""The pay table as an Excel workbook for payroll (Chinese headers, frozen header row, numbers stored as numbers);
the evaluation sheet and the pay table as official documents (ReportData for core's PDF layout)."""
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.documents import DocumentNumber
from core.reports.registry import DECIMAL2, INT, Column, ReportData, Section
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


def _grade(r) -> str:
    grade = r.get_grade_display() if r.grade else ""
    return f"{grade} {_('(capped: integrity)')}" if r.grade_capped else grade


def sheet_document(sheet, results, cap: dict) -> ReportData:
    """The township's evaluation sheet as an official document (every cadre, not one page of the screen)."""
    year, township = sheet.round.year, sheet.township
    cap_line = _("%(n)s graded excellent; the cap is %(p)s%% of %(c)s cadres = %(m)s") % {
        "n": cap["count"], "p": cap["percent"], "c": cap["cadres"], "m": cap["allowed"]}
    return ReportData(
        title=_("Evaluation sheet of the village cadres of %(township)s, %(year)s") % {
            "township": township.name, "year": year},
        scope_name=township.name, period_label=str(sheet.round),
        number=DocumentNumber(pgettext("document kind", "Evaluation"), year, "", township.code),
        summary=[(_("Status"), sheet.get_status_display()), (pgettext("grade", "Excellent"), cap_line)],
        sections=[Section(_("Cadres"), [
            Column(_("Village")), Column(_("Name")), Column(_("Post")), Column(_("Party ballots"), INT),
            Column(_("Representative ballots"), INT), Column(_("Appraisal"), DECIMAL2),
            Column(_("Assessment"), DECIMAL2), Column(_("Total"), DECIMAL2), Column(_("Grade")),
        ], [
            (r.village.name, r.person.name, r.get_post_display(), r.party_ballots, r.rep_ballots, r.appraisal_score,
             r.assessment_score, r.total_score, _grade(r))
            for r in results
        ])],
    )


def pay_table_document(sheet, rows) -> ReportData:
    """The pay table as an official document for payroll: coefficients with two places, like the workbook."""
    year, township = sheet.round.year, sheet.township
    return ReportData(
        title=_("Performance pay table of %(t)s, %(y)s") % {"t": township.name, "y": year},
        scope_name=township.name, period_label=str(sheet.round),
        number=DocumentNumber(pgettext("document kind", "Pay"), year, "", township.code),
        sections=[Section(_("Pay table"), [
            Column(_("Village")), Column(_("Name")), Column(_("Post")), Column(_("Total"), DECIMAL2),
            Column(_("Grade")), Column(_("Pay coefficient"), DECIMAL2),
        ], [
            (r.village.name, r.person.name, r.get_post_display(), r.total_score, _grade(r), r.coefficient)
            for r in rows
        ])],
    )
