"""Arbitrary input never causes a 500 or a partial write (hypothesis)."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.periods import Month, Quarter
from villages.idnumbers import validate_id_number
from villages.models import Person

text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
digits = st.text(alphabet="0123456789Xx ", min_size=0, max_size=20)


@given(st.one_of(text, digits))
def test_id_validation_only_ever_raises_a_validation_error(value):
    try:
        validate_id_number(value)
    except ValidationError as exc:
        assert exc.messages and all(m for m in exc.messages)


@given(text)
def test_period_parsers_only_ever_raise_value_error(value):
    for parse in (Month.parse, Quarter.parse):
        try:
            parse(value)
        except ValueError:
            pass


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=text, gender=st.sampled_from(["M", "F", "", "x"]),
    birth=st.one_of(text, st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2030, 1, 1)).map(str)),
    id_number=st.one_of(digits, text), phone=st.one_of(digits, text),
    village=st.one_of(st.integers(min_value=-5, max_value=10**6).map(str), text),
)
def test_person_form_never_fails_and_never_writes_half(world, client_for, name, gender, birth, id_number, phone,
                                                       village):
    client = client_for(world.users["township_a"])
    before = Person.objects.count()
    response = client.post("/people/add/", {
        "name": name, "gender": gender, "birth_date": birth, "id_number": id_number, "phone": phone,
        "education": "", "village": village,
    })
    assert response.status_code in (200, 302)
    after = Person.objects.count()
    if response.status_code == 200:
        assert after == before
    else:
        assert after == before + 1
