"""Change history dates as elsewhere in the portal: 1976-01-03, not 1976年1月3日 (issue 16, defect 4)."""
import datetime as dt

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_persons_change_history_writes_dates_as_yyyy_mm_dd(world, client_for):
    person = world.person_a
    person.birth_date = dt.date(1976, 1, 3)
    person.save()
    person.birth_date = dt.date(1976, 1, 4)
    person.save()
    page = client_for(world.users["county"]).get(
        reverse("record_history", args=["villages", "person", person.pk])).content.decode()
    assert "1976-01-03" in page and "1976-01-04" in page
    assert "1976年1月3日" not in page and "1976年1月4日" not in page
