"""seed_demo --counties (issue 17): a city of demo counties, each with its own townships, villages, members and
accounts, and the city's account that compares them. Slow (two whole demo counties): one test checks it all."""
import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.urls import reverse

from members.models import PartyMember
from villages.choices import TWO_COMMITTEES
from villages.models import CadrePost, County, Region, Township, Village


@pytest.mark.django_db
def test_seed_demo_counties_builds_a_city_of_demo_counties_with_their_own_accounts(client):
    call_command("seed_demo", counties=2, verbosity=0)
    city = Region.objects.get(code="359900")
    counties = list(County.objects.order_by("code"))
    assert [(c.code, c.name, c.region_id) for c in counties] == [("359901", "强基县", city.pk),
                                                               ("359902", "青山县", city.pk)]
    for county in counties:
        assert Township.objects.filter(county=county).count() == 7
        assert Village.objects.filter(township__county=county).count() == 85
        cadres = set(CadrePost.objects.filter(village__township__county=county, end_date__isnull=True,
                                              committee__in=TWO_COMMITTEES).values_list("person", flat=True))
        assert len(cadres) == 478 and PartyMember.objects.filter(person__in=cadres).count() == 358
    for username in ("city", "county01", "county02", "c01township01", "c02township07"):
        assert authenticate(username=username, password="qiangji-demo") is not None, username
    assert authenticate(username="county", password="qiangji-demo") is None  # the single county's names stay its own
    c02 = authenticate(username="c02township01", password="qiangji-demo")
    assert c02.township.county.code == "359902"

    client.force_login(authenticate(username="city", password="qiangji-demo"))
    page = client.get(reverse("reports:dashboard") + "?period=2026").content.decode()
    assert ">强基县</a>" in page and ">青山县</a>" in page
    client.force_login(authenticate(username="county02", password="qiangji-demo"))
    page = client.get(reverse("reports:dashboard") + "?period=2026").content.decode()
    assert ">强基县</a>" not in page
    assert client.get(reverse("reports:dashboard") + f"?county={counties[0].pk}").status_code == 404
