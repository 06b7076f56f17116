import datetime as dt

import pytest
from django.utils import translation

from core.periods import Month, Quarter


@pytest.mark.parametrize("text", ["2007-05", "200705", "2007年5月", " 2007-5 "])
def test_month_parses_the_ways_staff_write_it(text):
    assert Month.parse(text) == Month(2007, 5)


@pytest.mark.parametrize("text", ["2007-13", "May 2007", "", "2007"])
def test_bad_months_are_refused_in_chinese(text):
    with pytest.raises(ValueError) as exc:
        Month.parse(text)
    assert "月" in str(exc.value)


def test_month_arithmetic_and_ranges():
    assert Month(2007, 12).next() == Month(2008, 1)
    assert Month(2008, 1).previous() == Month(2007, 12)
    assert Month(2008, 2).last_day == dt.date(2008, 2, 29)
    assert Month(2007, 5).quarter == Quarter(2007, 2)


def test_quarter_parses_and_spans_three_months():
    q = Quarter.parse("2007年第2季度")
    assert q == Quarter.parse("2007Q2") == Quarter(2007, 2)
    assert [m.month for m in q.months] == [4, 5, 6]
    assert (q.first_day, q.last_day) == (dt.date(2007, 4, 1), dt.date(2007, 6, 30))


def test_labels_are_chinese():
    with translation.override("zh-hans"):
        assert Month(2007, 5).label == "2007年5月"
        assert Quarter(2007, 2).label == "2007年第2季度"


def test_period_pickers_count_back_across_the_year():
    from core.periods import recent_months, recent_quarters

    assert [v for v, _l in recent_quarters(3, dt.date(2026, 2, 1))] == ["2026Q1", "2025Q4", "2025Q3"]
    assert [v for v, _l in recent_months(3, dt.date(2026, 2, 1))] == ["2026-02", "2026-01", "2025-12"]
    assert recent_months(1, dt.date(2007, 5, 9))[0][1] == Month(2007, 5).label
