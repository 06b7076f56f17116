"""Natural order for names that carry numbers: 一组, 二组, 三组 … 十组, 十一组 (Chinese ordinals), and 2号, 10号
(Arabic digits, full-width too), rather than the code-point order that puts 三组 before 二组 and 10 before 2.

    sorted(points, key=lambda p: natural_key(p.name))

Used where such lists are shown: a village's discussion points 议事点 and households (their natural village or
group and household number). The database cannot sort this way; these lists are one village's, a few dozen rows.
"""
from __future__ import annotations

import re

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMBER = re.compile(r"[0-9０-９]+|[零〇一二两三四五六七八九十百千]+")


def chinese_number(text: str) -> int:
    """The value of a Chinese numeral: 三 → 3, 十 → 10, 十一 → 11, 二十三 → 23, 一百零五 → 105, 二〇二六 → 2026."""
    if all(c in _DIGITS for c in text):  # digit by digit, as years are written: 二〇二六
        value = 0
        for c in text:
            value = value * 10 + _DIGITS[c]
        return value
    total, digit = 0, None
    for c in text:
        if c in _DIGITS:
            digit = _DIGITS[c]
        else:
            total += (1 if digit is None else digit) * _UNITS[c]
            digit = None
    return total + (digit or 0)


def natural_key(text: str | None) -> tuple:
    """A sort key: the text split into words and numbers, numbers compared by value (Chinese or Arabic)."""
    key: list = []
    pos = 0
    text = text or ""
    for match in _NUMBER.finditer(text):
        key.append((0, text[pos:match.start()], 0))
        token = match.group()
        if token[0] in "0123456789０１２３４５６７８９":
            value = int(token.translate(str.maketrans("０１２３４５６７８９", "0123456789")))
        else:
            value = chinese_number(token)
        key.append((1, "", value))
        pos = match.end()
    key.append((0, text[pos:], 0))
    return tuple(key)


def natural_order(qs, field: str = "name"):
    """The queryset ordered by natural_key of `field`, still a queryset (for a form's choices or a later filter):
    one query reads the values, the order is then a CASE over the primary keys. For short lists (one village's)."""
    from django.db.models import Case, IntegerField, Value, When

    rows = sorted(qs.values_list("pk", field), key=lambda row: (natural_key(row[1]), row[0]))
    if not rows:
        return qs
    position = Case(*[When(pk=pk, then=Value(i)) for i, (pk, _value) in enumerate(rows)], output_field=IntegerField())
    return qs.order_by(position)
