"""The dashboard's figures: one period (month, quarter or year), side by side per township or per village."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from assemblies.selectors import matter_list
from core.periods import Month, Quarter, recent_months, recent_quarters
from evaluations.selectors import case_list
from members.models import MonthlyReview
from members.selectors import PERIOD_TOTAL_FIELDS, village_flag_list, village_period_stats
from pledges.selectors import rectification_list
from villages.models import Village
from villages.selectors import township_list


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


def dashboard_data(*, user, period: Period, township=None) -> dict:
    stats = village_period_stats(user=user, year=period.year, month_from=period.first_month, month_to=period.last_month)
    sums = {f"s_{f}": Sum(f) for f in PERIOD_TOTAL_FIELDS}
    if township is not None:
        rows = list(stats.filter(township=township))
        level = "village"
    else:
        townships = {t.pk: t for t in township_list(user=user)}
        grouped = stats.values("township").annotate(**sums).order_by("township__code")
        rows = []
        for g in grouped:
            t = townships[g["township"]]
            for f in PERIOD_TOTAL_FIELDS:
                setattr(t, f, g[f"s_{f}"] or 0)
            t.excellent_share = t.excellent_count / t.result_count if t.result_count else None
            t.deduction_rate = t.deducted_count / t.result_count if t.result_count else None
            rows.append(t)
        level = "township"
    totals = stats.aggregate(**sums)
    totals = {f: totals[f"s_{f}"] or 0 for f in PERIOD_TOTAL_FIELDS}
    totals["excellent_share"] = totals["excellent_count"] / totals["result_count"] if totals["result_count"] else None
    totals["deduction_rate"] = totals["deducted_count"] / totals["result_count"] if totals["result_count"] else None

    flags = village_flag_list(user=user, year=period.year, month_from=period.first_month, month_to=period.last_month)
    flag_list = [f for f in flags["flags"] if township is None or f.village.township_id == township.pk]

    # Completeness: which villages have submitted which months of the year (village × month).
    villages = Village.objects.for_user(user).select_related("township")
    if township is not None:
        villages = villages.filter(township=township)
    statuses = {}
    reviews = MonthlyReview.objects.for_user(user).filter(year=period.year).values_list("village", "month", "status")
    if township is not None:
        reviews = reviews.filter(village__township=township)
    for village_id, month, status in reviews:
        statuses[(village_id, month)] = status
    today = timezone.localdate()
    last_month = 12 if period.year < today.year else (today.month - 1 if period.year == today.year else 0)
    grid = [
        (v, [statuses.get((v.pk, m), "missing" if m <= last_month else "future") for m in range(1, 13)])
        for v in villages.order_by("code")
    ]

    rect = rectification_list(user=user, overdue=True)
    matters = matter_list(user=user).filter(is_overdue=True)
    if township is not None:
        rect = rect.filter(village__township=township)
        matters = matters.filter(meeting__village__township=township)
    cases = case_list(user=user)
    if township is not None:
        cases = cases.filter(village__township=township)
    open_items = {
        "talks_missing": totals["deductions_without_talk"],
        "two_strike_cases": cases.count(),
        "rectifications_overdue": rect.count(),
        "matters_overdue": matters.count(),
    }
    chart = {
        "labels": [r.name for r in rows],
        "excellent_share": [round((r.excellent_share or 0) * 100, 1) for r in rows],
        "deduction_rate": [round((r.deduction_rate or 0) * 100, 1) for r in rows],
        "series_names": [_("Excellent share (%)"), _("Deduction rate (%)")],
    }
    return {
        "rows": rows, "level": level, "totals": totals, "flags": flag_list, "flag_rule_z": flags["z"],
        "grid": grid, "months": list(range(1, 13)), "open_items": open_items, "chart": chart,
        "top_rectifications": list(rect[:10]), "top_matters": list(matters[:10]),
    }
