"""Chinese resident ID numbers 居民身份证号码 (GB 11643-1999): 17 digits and a check character; and phone numbers.

Both are normalised wherever they enter (forms, the admin, services, imports: villages.models' fields do it on
every full_clean, save and lookup): full-width characters made ASCII, spaces removed; validation takes ASCII only.

Personal information: show masked (core.pii.mask_id_number) to anyone without villages.view_full_id_number.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pii import mask_id_number

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
# Unicode whitespace (spaces, tabs, U+3000, no-break spaces) and the zero-width characters pasted text carries
WHITESPACE = re.compile(r"[\s\u200b-\u200d\u2060\ufeff]+")
# ... and in phone numbers also hyphens, dashes and minus signs
PHONE_SEPARATORS = re.compile(r"[\s\u200b-\u200d\u2060\ufeff\-\u2010-\u2015\u2212]+")
ID_FORMAT = re.compile(r"[0-9]{17}[0-9X]", re.ASCII)  # ASCII only: \d would take any script's digits
PROVINCE_CODES = {
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
    50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83, 91,
}


def check_char(first17: str) -> str:
    return CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, WEIGHTS)) % 11]


def normalize_id_number(value: str) -> str:
    """An ID number as stored and compared: full-width digits and letters made ASCII (NFKC), every kind of space
    removed (the ideographic space U+3000 too), upper case (a final x is X)."""
    return WHITESPACE.sub("", unicodedata.normalize("NFKC", value or "")).upper()


def normalize_phone(value: str) -> str:
    """A phone number as stored: full-width digits made ASCII (NFKC), spaces and dashes removed."""
    return PHONE_SEPARATORS.sub("", unicodedata.normalize("NFKC", value or ""))


def birth_date_of(value: str) -> dt.date | None:
    try:
        return dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except (ValueError, IndexError):
        return None


def gender_of(value: str) -> str:
    """'M' or 'F' from the 17th character (odd: male)."""
    return "M" if int(value[16]) % 2 else "F"


def validate_id_number(value: str) -> None:
    value = normalize_id_number(value)
    if not ID_FORMAT.fullmatch(value):
        raise ValidationError(
            _("An ID number has 18 characters: 17 digits and a final digit or X (got “%(value)s”)."),
            code="id_format",
            params={"value": mask_id_number(value)},
        )
    if int(value[:2]) not in PROVINCE_CODES:
        raise ValidationError(_("The ID number's first two digits are not a province code."), code="id_region")
    born = birth_date_of(value)
    if born is None or not (dt.date(1900, 1, 1) <= born <= timezone.localdate()):
        raise ValidationError(_("The ID number's birth date (digits 7–14) is not a real date."), code="id_birth")
    expected = check_char(value[:17])
    if value[17] != expected:
        raise ValidationError(
            _("The ID number's check digit is wrong: the last character should be %(expected)s."),
            code="id_check_digit",
            params={"expected": expected},
        )


def make_id_number(region: str, born: dt.date, sequence: int, gender: str) -> str:
    """Build a valid ID number (for demo data and tests). sequence is 0–99; gender 'M' or 'F'."""
    order = sequence % 100 * 10 + (1 if gender == "M" else 0)
    order = order + 1 if gender == "M" and order % 2 == 0 else order
    first17 = f"{region}{born:%Y%m%d}{order:03d}"
    return first17 + check_char(first17)
