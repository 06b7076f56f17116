import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from core.pii import mask_id_number
from villages.idnumbers import check_char, make_id_number, validate_id_number

# A published example of a valid number (GB 11643 worked example).
VALID = "11010519491231002X"


def test_known_valid_number_passes():
    validate_id_number(VALID)
    validate_id_number(VALID.lower())


def test_check_digit_is_computed_per_standard():
    assert check_char(VALID[:17]) == "X"


@pytest.mark.parametrize(
    "value, message",
    [
        ("110105194912310021", "校验码错误：最后一位应为 X"),
        ("11010519491331002X", "出生日期"),
        ("1101051949123100", "18 位"),
        ("00010519491231002X", "省级行政区代码"),
        ("11010519491231002Y", "18 位"),
    ],
)
def test_bad_numbers_are_refused_with_a_chinese_message(value, message):
    with pytest.raises(ValidationError) as exc:
        validate_id_number(value)
    assert message in " ".join(exc.value.messages)


def test_make_id_number_is_valid_and_encodes_gender():
    male = make_id_number("350799", dt.date(1980, 2, 29), 7, "M")
    female = make_id_number("350799", dt.date(1980, 2, 29), 7, "F")
    validate_id_number(male)
    validate_id_number(female)
    assert int(male[16]) % 2 == 1 and int(female[16]) % 2 == 0


def test_mask_keeps_region_and_last_four():
    assert mask_id_number(VALID) == "110105********002X"
