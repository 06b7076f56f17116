"""Periods used across the portal: months (bottom-line), quarters (reviews, filings), years and terms.

One small module so every app parses, ranges and labels periods the same way, in Chinese.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    def __post_init__(self):
        if not 1 <= self.month <= 12:
            raise ValueError(_("Month must be between 1 and 12."))

    @classmethod
    def parse(cls, text: str) -> "Month":
        """Accept '2007-05', '200705' or '2007年5月'."""
        m = re.fullmatch(r"\s*(\d{4})\s*(?:-|年)?\s*(\d{1,2})\s*月?\s*", str(text))
        if not m:
            raise ValueError(_("“%(text)s” is not a month (expected e.g. 2007-05).") % {"text": text})
        return cls(int(m.group(1)), int(m.group(2)))

    @classmethod
    def of(cls, day: dt.date) -> "Month":
        return cls(day.year, day.month)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def quarter(self) -> "Quarter":
        return Quarter(self.year, (self.month - 1) // 3 + 1)

    def due_date(self, days_after: int) -> dt.date:
        """When the month's records are due: `days_after` days after its last day (the county's policy, e.g. 10:
        November is due on 10 December)."""
        return self.last_day + dt.timedelta(days=days_after)

    def next(self) -> "Month":
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> "Month":
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    @property
    def label(self) -> str:
        return _("%(year)d-%(month)02d") % {"year": self.year, "month": self.month}

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    quarter: int

    def __post_init__(self):
        if not 1 <= self.quarter <= 4:
            raise ValueError(_("Quarter must be between 1 and 4."))

    @classmethod
    def parse(cls, text: str) -> "Quarter":
        """Accept '2007Q2', '2007-Q2' or '2007年第2季度'."""
        m = re.fullmatch(r"\s*(\d{4})\s*(?:-?[Qq]|年第)\s*([1-4])\s*(?:季度)?\s*", str(text))
        if not m:
            raise ValueError(_("“%(text)s” is not a quarter (expected e.g. 2007Q2).") % {"text": text})
        return cls(int(m.group(1)), int(m.group(2)))

    @classmethod
    def of(cls, day: dt.date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def months(self) -> list[Month]:
        return [Month(self.year, (self.quarter - 1) * 3 + i) for i in (1, 2, 3)]

    @property
    def first_day(self) -> dt.date:
        return self.months[0].first_day

    @property
    def last_day(self) -> dt.date:
        return self.months[-1].last_day

    @property
    def label(self) -> str:
        return _("%(year)d Q%(quarter)d") % {"year": self.year, "quarter": self.quarter}

    def previous(self) -> "Quarter":
        return Quarter(self.year - 1, 4) if self.quarter == 1 else Quarter(self.year, self.quarter - 1)

    def __str__(self) -> str:
        return f"{self.year:04d}Q{self.quarter}"


def recent_months(count: int = 12, today: dt.date | None = None) -> list[tuple[str, str]]:
    """(value, label) choices of this month and the count-1 before it, newest first, for period pickers."""
    month, choices = Month.of(today or _today()), []
    for _i in range(count):
        choices.append((str(month), month.label))
        month = month.previous()
    return choices


def recent_quarters(count: int = 8, today: dt.date | None = None) -> list[tuple[str, str]]:
    """(value, label) choices of this quarter and the count-1 before it, newest first."""
    quarter, choices = Quarter.of(today or _today()), []
    for _i in range(count):
        choices.append((str(quarter), quarter.label))
        quarter = quarter.previous()
    return choices


def is_past_due(due_date: dt.date | None, today: dt.date | None = None) -> bool:
    """Whether a deadline has passed: the due day itself is still in time. No deadline: never past due."""
    return due_date is not None and due_date < (today or _today())


def _today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


def year_range(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def term_label(start_year: int, end_year: int) -> str:
    return f"{start_year}–{end_year}"
