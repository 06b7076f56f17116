import datetime as dt
from functools import lru_cache

from django import template
from django.utils import numberformat, translation
from django.utils.formats import get_format

register = template.Library()

DECIMAL_PLACES = {"int": 0, "decimal": 1, "decimal2": 2}  # the numeric kinds of core.reports.registry


@lru_cache(maxsize=8)
def _number_formats(language: str) -> tuple[str, str, int]:
    """The language's decimal separator, thousand separator and grouping, looked up once per language: a report
    page formats thousands of cells, and Django's number_format looks them up again for each (about 30 µs a cell)."""
    with translation.override(language):
        return get_format("DECIMAL_SEPARATOR"), get_format("THOUSAND_SEPARATOR"), get_format("NUMBER_GROUPING")


def format_cell(value, kind, formats: tuple[str, str, int]):
    """A report value as people read it: 46.9%, 1234 (grouped as the language groups), 2007-05-31, — for nothing."""
    if value is None or value == "":
        return "—"
    if kind == "percent":
        return f"{float(value) * 100:.1f}%"
    if kind in DECIMAL_PLACES:
        decimal_sep, thousand_sep, grouping = formats
        return numberformat.format(value, decimal_sep, DECIMAL_PLACES[kind], grouping, thousand_sep,
                                   force_grouping=kind == "int", use_l10n=True)
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    return value


@register.filter
def cell(value, kind):
    numeric = kind in DECIMAL_PLACES
    return format_cell(value, kind, _number_formats(translation.get_language() or "en") if numeric else None)


@register.filter
def kind_at(columns, index):
    return columns[index].kind


@register.simple_tag
def cells(row, columns):
    """A row's values formatted (format_cell) with their column kinds, the language looked up once for the row."""
    formats = _number_formats(translation.get_language() or "en")
    return [(format_cell(value, columns[i].kind, formats), columns[i].kind) for i, value in enumerate(row)]
