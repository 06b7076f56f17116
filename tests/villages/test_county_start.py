"""manage.py county_start: the first records of a new county (README, Bringing a county in)."""
import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from villages.models import County, Township


@pytest.mark.django_db
def test_county_start_creates_the_county_its_official_and_then_the_township_accounts():
    call_command("county_start", code="350799", name="某某县", username="county", password="pw-2025-start")
    county = County.objects.get(code="350799")
    official = User.objects.get(username="county")
    assert (official.county, official.township, official.check_password("pw-2025-start")) == (county, None, True)
    assert official.has_perm("villages.import_organisation")
    Township.objects.create(county=county, code="350799101", name="一镇")
    Township.objects.create(county=county, code="350799102", name="二镇")
    call_command("county_start", code="350799", township_accounts=True, password="pw-2025-start")
    call_command("county_start", code="350799", township_accounts=True, password="pw-2025-start")  # none twice
    staff = dict(User.objects.filter(township__isnull=False).values_list("username", "township__name"))
    assert staff == {"township01": "一镇", "township02": "二镇"}
    assert User.objects.get(username="township01").has_perm("villages.import_person")
    with pytest.raises(CommandError):
        call_command("county_start", code="350799", name="某某县", username="county2", password="x")
