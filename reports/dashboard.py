"""The dashboard's figures: one period (month, quarter or year), side by side per township or per village."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from assemblies.selectors import overdue_matter_list
from core.periods import Month, Quarter, recent_months, recent_quarters
from evaluations.selectors import open_cases
from members.selectors import (
    PERIOD_TOTAL_FIELDS,
    county_flag_counts,
    period_figures,
    submission_grid,
    sum_figures,
    village_flag_list,
    village_flag_rows,
    village_period_stats,
)
from pledges.selectors import overdue_rectifications
from villages.selectors import county_list, township_list


@dataclass(frozen=True)
class Period:
    kind: str  # month | quarter | year
    year: int
    first_month: int
    last_month: int
    label: str
    key: str

    @property
    def last_key(self) -> str:
        """The period's last month (YYYY-MM), where drill-down to a village's month grid lands."""
        return f"{self.year:04d}-{self.last_month:02d}"

    @classmethod
    def parse(cls, text: str | None, today: dt.date | None = None) -> "Period":
        today = today or timezone.localdate()
        text = (text or "").strip()
        if not text:
            month = Month.of(today).previous()
            return cls("month", month.year, month.month, month.month, month.label, str(month))
        if re.fullmatch(r"\d{4}", text):
            return cls("year", int(text), 1, 12, _("%(year)s (whole year)") % {"year": text}, text)
        try:
            q = Quarter.parse(text)
            return cls("quarter", q.year, q.months[0].month, q.months[-1].month, q.label, str(q))
        except ValueError:
            pass
        try:
            m = Month.parse(text)
        except ValueError:
            raise Http404
        return cls("month", m.year, m.month, m.month, m.label, str(m))


def period_choices(today: dt.date | None = None) -> list[tuple[str, str]]:
    today = today or timezone.localdate()
    choices = recent_months(12, today) + recent_quarters(4, today)
    for year in (today.year, today.year - 1):
        choices.append((str(year), _("%(year)s (whole year)") % {"year": year}))
    return choices


FLAGS_SHOWN = 20


TOWNSHIPS_PER_PAGE = 50  # the county page's township rows (and chart) per page; the totals are over all of them


def dashboard_data(*, user, period: Period, township=None, county=None, by_county=False, page_number=None,
                   townships=None) -> dict:
    """Every figure once, from the summaries: the county's village rows (for the inflation flags, and the villages'
    own rows on a township's page), the townships' rows summed in the database, the totals from those rows. The
    county-wide page shows townships only, TOWNSHIPS_PER_PAGE of them per page (`page`); villages and the village ×
    month grid are on a township's page, so the county page's size grows neither with the villages nor with the
    townships. A region's page (by_county) shows its counties side by side, each with the villages its own norms
    flag; a region's user opens a county (`county`) to see its townships, then a township. `townships`: the
    townships side by side when the caller has read them already (by code)."""
    span = {"year": period.year, "month_from": period.first_month, "month_to": period.last_month}
    if by_county:
        return _region_data(user=user, period=period, span=span, page_number=page_number)
    flags = village_flag_list(user=user, township=township, county=county, limit=FLAGS_SHOWN, **span)
    if township is not None:
        rows = village_flag_rows(flags, village_period_stats(user=user, **span).filter(township=township))
        totals = sum_figures([{f: getattr(v, f) for f in PERIOD_TOTAL_FIELDS} for v in rows])
        level = "village"
        page = None
    else:
        figures = period_figures(user=user, by="township", county=county, **span)
        if townships is None:
            townships = township_list(user=user).order_by("code")
            if county is not None:
                townships = townships.filter(county=county)
        page = Paginator(list(townships), TOWNSHIPS_PER_PAGE).get_page(page_number)
        rows = _with_figures(page.object_list, figures)
        totals = sum_figures(list(figures.values()))
        level = "township"

    # Completeness on a township's page: which of its villages submitted which months of the year (a month not yet
    # due is not missing).
    grid = submission_grid(user=user, year=period.year, villages=rows) if township is not None else []

    return {
        "rows": rows, "level": level, "page_obj": page, "is_paginated": bool(page and page.has_other_pages()),
        "totals": totals, "flags": flags["flags"],
        "flags_more": flags["flag_count"] - len(flags["flags"]), "flag_rule_z": flags["z"],
        "grid": grid, "months": list(range(1, 13)),
        "open_items": _open_items(user, totals, township=township, county=county), "chart": _chart(rows),
    }


COUNTIES_PER_PAGE = 50


def _region_data(*, user, period: Period, span: dict, page_number) -> dict:
    """A region's counties side by side: their figures summed from the summaries in one grouped query, the villages
    each county flags against its own norms (one query), the totals over every county."""
    figures = period_figures(user=user, by="county", **span)
    flagged = county_flag_counts(user=user, **span)
    page = Paginator(list(county_list(user=user).order_by("code")), COUNTIES_PER_PAGE).get_page(page_number)
    rows = _with_figures(page.object_list, figures)
    for c in rows:
        c.flag_count = flagged.get(c.pk, 0)
    totals = sum_figures(list(figures.values()))
    return {
        "rows": rows, "level": "county", "page_obj": page, "is_paginated": page.has_other_pages(),
        "totals": totals, "flags": [], "flags_more": 0, "flag_count": sum(flagged.values()),
        "grid": [], "months": list(range(1, 13)), "open_items": _open_items(user, totals), "chart": _chart(rows),
    }


def _with_figures(units, figures: dict) -> list:
    """The units (townships or counties) with their period figures as attributes."""
    rows = []
    for unit in units:
        for f, value in figures.get(unit.pk, {f: 0 for f in PERIOD_TOTAL_FIELDS}).items():
            setattr(unit, f, value)
        unit.excellent_share = unit.excellent_count / unit.result_count if unit.result_count else None
        unit.deduction_rate = unit.deducted_count / unit.result_count if unit.result_count else None
        rows.append(unit)
    return rows


def _open_items(user, totals, *, township=None, county=None) -> dict:
    rect = overdue_rectifications(user=user)
    matters = overdue_matter_list(user=user)
    cases = open_cases(user=user)
    if township is not None:
        rect = rect.filter(village__township=township)
        matters = matters.filter(meeting__village__township=township)
        cases = cases.filter(village__township=township)
    elif county is not None:
        rect = rect.filter(village__township__county=county)
        matters = matters.filter(meeting__village__township__county=county)
        cases = cases.filter(village__township__county=county)
    # Counts only (the lists are one click away), from unannotated querysets. Three statements, not one UNION ALL:
    # at the province tier PostgreSQL ran the union as a parallel plan, 70 ms against 42 ms for the three.
    return {
        "talks_missing": totals["deductions_without_talk"],
        "two_strike_cases": cases.count(),
        "rectifications_overdue": rect.count(),
        "matters_overdue": matters.count(),
    }


def _chart(rows) -> dict:
    return {
        "labels": [r.name for r in rows],
        "excellent_share": [round((r.excellent_share or 0) * 100, 1) for r in rows],
        "deduction_rate": [round((r.deduction_rate or 0) * 100, 1) for r in rows],
        "series_names": [_("Excellent share (%)"), _("Deduction rate (%)")],
    }
