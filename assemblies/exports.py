"""The quarterly filing as an official document (ReportData for core's PDF layout), read from its frozen copy."""
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.documents import DocumentNumber
from core.reports.registry import Column, ReportData, Section

from .choices import MatterCategory, MatterStatus


def filing_matters(filing) -> list[dict]:
    """The matters of the filing's copy with their category and status in words."""
    categories, statuses = dict(MatterCategory.choices), dict(MatterStatus.choices)
    return [
        {**m, "category_label": categories.get(m["category"], m["category"]),
         "status_label": statuses.get(m["status"], m["status"])}
        for m in filing.snapshot.get("matters", [])
    ]


def filing_document(filing, matters: list[dict]) -> ReportData:
    totals = filing.snapshot.get("totals", {})
    township, quarter = filing.township, filing.period
    note = (_("This is the frozen copy as submitted; later changes to the matters do not change it.")
            if not filing.is_editable else
            _("This is the register as last compiled. Compile again to take in later records; submitting compiles "
              "it once more and freezes the copy."))
    return ReportData(
        title=_("Filing of %(township)s, %(quarter)s") % {"township": township.name, "quarter": quarter.label},
        scope_name=township.name, period_label=quarter.label,
        number=DocumentNumber(pgettext("document kind", "Filing"), quarter.year, quarter.quarter, township.code),
        summary=[(_("Status"), filing.get_status_display()), (_("Matters decided"), totals.get("decided", 0)),
                 (_("Implemented"), totals.get("implemented", 0)), (_("Typical cases"), totals.get("typical", 0))],
        sections=[
            Section(_("Register of decided matters"), [
                Column(_("Village")), Column(_("Meeting")), Column(pgettext("matter", "Title")),
                Column(_("Category")), Column(_("Decision")), Column(_("For / against / abstaining")),
                Column(_("Carried out by")), Column(_("Status")),
            ], [
                (m["village"], f"{m['meeting_date']} {m['meeting_topic']}", m["title"], m["category_label"],
                 m["decision"], f"{m['votes_for']} / {m['votes_against']} / {m['votes_abstaining']}",
                 m["implementer"], f"{m['status_label']} {m['implemented_on'] or ''}".strip())
                for m in matters
            ], note=note),
            Section(_("Typical cases"), [Column(_("Village")), Column(pgettext("matter", "Title")),
                                         Column(_("Write-up"))],
                    [(m["village"], m["title"], m["typical_writeup"]) for m in matters if m["is_typical"]]),
        ],
    )
