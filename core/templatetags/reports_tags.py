import datetime as dt

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def cell(value, kind):
    """A report value as people read it: 46.9%, 1,234, 2007-05-31, — for nothing."""
    if value is None or value == "":
        return "—"
    if kind == "percent":
        return f"{float(value) * 100:.1f}%"
    if kind == "decimal":
        return number_format(value, 1)
    if kind == "int":
        return number_format(value, 0, force_grouping=True)
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    return value


@register.filter
def kind_at(columns, index):
    return columns[index].kind


@register.simple_tag
def cells(row, columns):
    return [(value, columns[i].kind) for i, value in enumerate(row)]
