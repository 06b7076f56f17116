"""Reports that cross the initiatives: the quarterly report to the county organization department 季度报表."""
from __future__ import annotations

from collections import namedtuple

from django import forms
from django.db.models import Count, OuterRef, Value
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from assemblies.models import Filing
from assemblies.selectors import MEETING_FIGURES, meeting_quarter_figures
from core.documents import DocumentNumber
from core.periods import Quarter, recent_quarters
from core.queries import subquery_count
from core.reports.registry import INT, PERCENT, Column, Report, ReportData, Section, register
from core.workflow import ReviewStatus
from evaluations.choices import CaseStatus, Grade
from evaluations.models import CadreEvaluation, HandlingCase
from members.models import Disposition, MemberWarning
from members.selectors import PERIOD_TOTAL_FIELDS, county_flag_counts, period_figures, village_flag_list
from pledges.selectors import REVIEW_FIGURES, review_quarter_figures
from villages.models import Region, Village
from villages.reports import CountyTownshipParamsForm
from villages.selectors import county_list, region_wide, township_list


class QuarterlyParamsForm(CountyTownshipParamsForm):
    quarter = forms.CharField(label=gettext_lazy("Quarter"), widget=forms.Select)

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, user=user, **kwargs)
        choices = recent_quarters(8)
        self.fields["quarter"].widget.choices = choices
        # The default is the last complete quarter; any quarter can be asked for in the URL (e.g. 2007Q2).
        self.fields["quarter"].initial = choices[1][0]

    def clean_quarter(self):
        try:
            return Quarter.parse(self.cleaned_data["quarter"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc))


def _units(user, township, county):
    """The rows of the report and the path from a village to them: the villages of one township, the townships of
    the county (chosen by a region's user, or the user's own), or for a region the counties in scope."""
    if township is not None:
        return Village.objects.for_user(user).filter(township=township), ""
    if county is not None:
        return township_list(user=user).filter(county=county), "__township"
    if region_wide(user=user):
        return county_list(user=user), "__township__county"
    return township_list(user=user), "__township"


BY = {"": "village", "__township": "township", "__township__county": "county"}


def _count(qs, village_path: str, suffix: str):
    key = f"{village_path}{suffix}"
    return subquery_count(qs.filter(**{key: OuterRef("pk")}), key)


Unit = namedtuple("Unit", "pk name")  # a row of the report: a township or a village


def _grouped_counts(*querysets, suffix: str, unit_ids) -> list[dict]:
    """[{unit pk: rows of the queryset}, ...] for the units (villages, or townships when suffix is "__township"):
    each queryset grouped by unit, all in one query (UNION ALL), not a subquery per unit."""
    key = f"member__village{suffix}"
    grouped = [qs.filter(**{f"{key}__in": unit_ids}).order_by().values(key)
               .annotate(n=Count("pk"), which=Value(i)).values_list("which", key, "n")
               for i, qs in enumerate(querysets)]
    out: list[dict] = [{} for _qs in querysets]
    for which, unit, n in grouped[0].union(*grouped[1:], all=True):
        out[which][unit] = n
    return out


def _ratio(a, b):
    return (a / b) if b else None


@register
class QuarterlyReport(Report):
    code = "quarterly"
    title = gettext_lazy("Quarterly report to the county organization department")
    description = gettext_lazy(
        "Bottom-line totals, pledge reviews and rectifications, household-representative matters and filings, "
        "per county for a city or a province, per township for the county or per village for a township."
    )
    permission = "villages.view_village"
    form_class = QuarterlyParamsForm
    region_titles = {
        Region.Level.CITY: gettext_lazy("Quarterly report to the city organization department"),
        Region.Level.PROVINCE: gettext_lazy("Quarterly report to the provincial organization department"),
    }

    @classmethod
    def title_for(cls, user) -> str:
        """A region account's report is its own department's (市委组织部季度报表), as its PDF's issuer is the region
        (villages.selectors.document_issuer)."""
        region = getattr(user, "region", None)
        return cls.region_titles[region.level] if region is not None else cls.title

    def is_large(self, township=None, county=None, **params) -> bool:
        """A region's whole report (every county) is built in the background; one county's or township's at once."""
        return township is None and county is None and region_wide(user=self.user)

    def get_data(self, township=None, quarter=None, county=None, **params) -> ReportData:
        quarter = quarter or Quarter.parse(recent_quarters(2)[1][0])
        units, suffix = _units(self.user, township, county)
        listed = [Unit(*row) for row in units.order_by("code").values_list("pk", "name")]  # tuples, read once
        unit_label = {"": _("Village"), "__township": _("Township"), "__township__county": _("County")}[suffix]
        sections = [
            self._bottom_line(units, listed, suffix, township, quarter, unit_label),
            self._pledges(listed, suffix, quarter, unit_label, township),
            self._assemblies(units, listed, suffix, quarter, unit_label, township),
        ]
        if quarter.quarter == 4:
            sections.append(self._evaluations(units, suffix, quarter, unit_label))
        if suffix == "__township__county":
            sections.append(self._county_flags(listed, quarter))
        else:
            sections.append(self._flags(township, county, quarter))
        if township:
            scope_name = township.name
        elif county:
            scope_name = county.name
        elif suffix == "__township__county":
            scope_name = str(self.user.region or _("all counties"))
        else:
            scope_name = _("the whole county")
        totals = sections[0].totals or (None,) + (0,) * 12  # no rows: an area without townships yet
        return ReportData(
            title=str(self.title), scope_name=scope_name, period_label=quarter.label,
            filename=f"{_('Quarterly report')}-{scope_name}-{quarter}",
            number=DocumentNumber(pgettext("document kind", "Quarterly"), quarter.year, quarter.quarter,
                                  township.code if township else ""),
            summary=[
                (_("Member-months rated excellent"), totals[3]),
                (_("Member-months deducted"), totals[5]),
                (_("Deductions without a talk"), totals[7]),
                (_("Warnings"), totals[8]),
                (_("Dispositions"), totals[9]),
            ],
            sections=sections,
        )

    # --- 党员底线管理 -------------------------------------------------------------------------------------
    def _bottom_line(self, units, listed, suffix, township, quarter, unit_label):
        months = quarter.months
        figures = period_figures(user=self.user, year=quarter.year, month_from=months[0].month,
                                 month_to=months[-1].month, by=BY[suffix], township=township)
        start, end = quarter.first_day, quarter.last_day
        warnings, dispositions = _grouped_counts(
            MemberWarning.objects.filter(issued_date__range=(start, end)),
            Disposition.objects.filter(decision_date__range=(start, end)), suffix=suffix, unit_ids=units.values("pk"))
        rows = []
        for unit in listed:
            s = figures.get(unit.pk) or {f: 0 for f in PERIOD_TOTAL_FIELDS}
            rows.append((
                unit.name, s["member_count"], s["result_count"], s["excellent_count"],
                _ratio(s["excellent_count"], s["result_count"]), s["deducted_count"], s["deduction_points"],
                s["deductions_without_talk"], warnings.get(unit.pk, 0), dispositions.get(unit.pk, 0),
                s["months_without_minutes"],
                s["months_without_posting"], s["late_submissions"],
            ))
        totals = None
        if rows:
            totals = [_("Totals")] + [sum(r[i] or 0 for r in rows) if i != 4 else None for i in range(1, len(rows[0]))]
            totals[4] = _ratio(totals[3], totals[2])
        return Section(
            _("Party-member bottom-line management"),
            [Column(unit_label), Column(_("Active members"), INT), Column(_("Member-months assessed"), INT),
             Column(_("Excellent"), INT), Column(_("Excellent share"), PERCENT), Column(_("Deducted"), INT),
             Column(_("Points deducted"), INT), Column(_("Without a talk"), INT), Column(_("Warnings"), INT),
             Column(_("Dispositions"), INT), Column(_("Months without minutes"), INT),
             Column(_("Months not posted"), INT), Column(_("Late or missing"), INT)],
            rows, totals=tuple(totals) if totals else None,
        )

    # --- 履诺评议 -------------------------------------------------------------------------------------------
    def _pledges(self, listed, suffix, quarter, unit_label, township=None):
        figures = review_quarter_figures(user=self.user, quarter=quarter, by=BY[suffix], township=township)
        empty = {name: 0 for name in REVIEW_FIGURES}
        rows = [(u.name, *(figures.get(u.pk, empty)[name] for name in REVIEW_FIGURES)) for u in listed]
        return Section(
            _("Fulfilment pledges: quarterly reviews and rectifications"),
            [Column(unit_label), Column(_("Reviews held"), INT), Column(_("Reviews accepted"), INT),
             Column(_("Items checked"), INT), Column(_("Done"), INT), Column(_("Behind or not started"), INT),
             Column(_("Rectifications opened"), INT), Column(_("Rectified"), INT),
             Column(_("Overdue now"), INT)],
            rows, totals=_sum_totals(rows),
            note=_("Overdue now: rectifications still open after their deadline today, whichever quarter found them."),
        )

    # --- 户代表会议 -----------------------------------------------------------------------------------------
    def _assemblies(self, units, listed, suffix, quarter, unit_label, township=None):
        figures = meeting_quarter_figures(user=self.user, quarter=quarter, by=BY[suffix], township=township)
        empty = {name: 0 for name in MEETING_FIGURES}
        filing_status = {}
        filed = suffix == "__township"  # the townships file with their county
        if filed:
            filing_status = dict(
                Filing.objects.filter(year=quarter.year, quarter=quarter.quarter, township__in=units)
                .values_list("township", "status")
            )
        labels = dict(ReviewStatus.choices)
        rows = []
        for u in listed:
            row = (u.name, *(figures.get(u.pk, empty)[name] for name in MEETING_FIGURES))
            if filed:
                status = filing_status.get(u.pk)
                row += (str(labels[status]) if status else _("Not compiled"),)
            rows.append(row)
        columns = [Column(unit_label), Column(_("Meetings held"), INT), Column(_("Matters decided"), INT),
                   Column(_("Implemented by the quarter's end"), INT), Column(_("Typical cases"), INT)]
        if filed:
            columns.append(Column(_("Quarterly filing")))
        return Section(_("Household-representative meetings"), columns, rows, totals=_sum_totals(rows))

    # --- 村干部年度考评 (fourth quarter) ---------------------------------------------------------------------
    def _evaluations(self, units, suffix, quarter, unit_label):
        results = CadreEvaluation.objects.filter(
            sheet__round__year=quarter.year, sheet__status=ReviewStatus.ACCEPTED
        ).exclude(grade="")
        annotations = {f"g_{grade}": _count(results.filter(grade=grade), "village", suffix) for grade in Grade.values}
        units = units.annotate(
            evaluated=_count(results, "village", suffix),
            open_cases=_count(HandlingCase.objects.filter(status=CaseStatus.OPEN), "village", suffix),
            **annotations,
        )
        rows = [
            (u.name, u.evaluated, *[getattr(u, f"g_{grade}") for grade in Grade.values], u.open_cases)
            for u in units.order_by("code")
        ]
        return Section(
            _("Annual evaluation of village cadres (confirmed by the county)"),
            [Column(unit_label), Column(_("Cadres evaluated"), INT)]
            + [Column(str(label), INT) for label in Grade.labels]
            + [Column(_("Open two-strike cases"), INT)],
            rows, totals=_sum_totals(rows),
        )

    def _county_flags(self, listed, quarter):
        months = quarter.months
        counts = county_flag_counts(user=self.user, year=quarter.year, month_from=months[0].month,
                                    month_to=months[-1].month)
        rows = [(u.name, counts.get(u.pk, 0)) for u in listed]
        return Section(
            _("Inflation flags"), [Column(_("County")), Column(_("Flagged villages"), INT)], rows,
            totals=_sum_totals(rows),
            note=_("Each county's villages are compared with that county's own villages and threshold (a county's "
                   "norms are its own); the county's report names them."),
        )

    def _flags(self, township, county, quarter):
        months = quarter.months
        result = village_flag_list(user=self.user, year=quarter.year, month_from=months[0].month,
                                   month_to=months[-1].month, township=township, county=county)
        flags = result["flags"]
        return Section(
            _("Inflation flags"),
            [Column(_("Township")), Column(_("Village")), Column(_("Reason"))],
            [(f.village.township.name, f.village.name, " ".join(f.reasons)) for f in flags],
            note=_("A village is flagged when its excellent share is far above, or its deduction rate far below, "
                   "the county's villages and its township (z-score over the county's villages; the threshold is "
                   "the county's)."),
        )


def _sum_totals(rows):
    if not rows:
        return None
    totals = [_("Totals")]
    for i in range(1, len(rows[0])):
        values = [r[i] for r in rows]
        totals.append(sum(values) if all(isinstance(v, int) for v in values) else "")
    return tuple(totals)
