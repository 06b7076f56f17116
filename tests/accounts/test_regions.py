"""Region accounts (issue 17): a city reads the counties under it, a province those of its cities too; neither acts
on a county's workflow unless an administrator grants the permission; an account is a region's or a county's."""
import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import User
from accounts.roles import REGION_OFFICIAL
from core.workflow import ReviewStatus
from members.models import MonthlyReview
from tests.accounts.factories import make_user
from tests.members.factories import rule_set_with_rules
from tests.villages.factories import CountyFactory, RegionFactory, TownshipFactory, VillageFactory
from villages.models import Region, Village

pytestmark = pytest.mark.django_db


def test_a_province_reads_the_counties_of_its_cities_and_a_city_only_its_own(world, client_for):
    province = world.county.region.parent
    direct = CountyFactory(code="350001", name="省直县", region=province)  # a county directly under the province
    village = VillageFactory(township=TownshipFactory(county=direct, name="省直镇"), name="省直村")
    user = make_user("province", role=REGION_OFFICIAL, region=province)
    assert set(Village.objects.for_user(user)) == set(Village.objects.all())
    assert village not in Village.objects.for_user(world.users["region"])
    assert world.village_a in Village.objects.for_user(world.users["region"])
    assert not Village.objects.for_user(world.users["other_region"]).exists()
    page = client_for(user).get(reverse("reports:dashboard") + "?period=2026").content.decode()
    for name in (world.county.name, "邻县", "省直县"):
        assert f">{name}</a>" in page


def _submitted_month(world):
    return MonthlyReview.objects.create(village=world.village_a, year=2026, month=5,
                                        rule_set=rule_set_with_rules(world.village_a),
                                        due_date=dt.date(2026, 6, 10), status=ReviewStatus.SUBMITTED)


def test_a_city_accepts_a_month_only_when_granted(world, client_for):
    review = _submitted_month(world)
    url = reverse("members:monthlyreview_accept", args=[world.village_a.code, "2026-05"])
    city = world.users["region"]
    assert client_for(city).post(url).status_code == 403
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED
    city.user_permissions.add(Permission.objects.get(codename="review_monthlyreview"))
    city = User.objects.get(pk=city.pk)  # fresh permission cache
    assert client_for(city).post(url).status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.ACCEPTED
    # Another city, even granted, does not find the month.
    other = world.users["other_region"]
    other.user_permissions.add(Permission.objects.get(codename="review_monthlyreview"))
    assert client_for(User.objects.get(pk=other.pk)).post(url).status_code == 404


def test_an_account_is_a_regions_or_a_countys_and_a_province_has_no_parent(world):
    user = User(username="both", region=world.county.region, county=world.county)
    with pytest.raises(ValidationError):
        user.full_clean()
    with pytest.raises(ValidationError):
        Region(code="350009", name="错省", level=Region.Level.PROVINCE, parent=world.county.region.parent).full_clean()
    RegionFactory(code="350008", name="新市", parent=world.county.region.parent).full_clean()


def test_the_administrator_keeps_the_regions_and_a_region_accounts_area_in_the_admin(world, client_for):
    client = client_for(world.users["admin"])
    page = client.get(reverse("admin:villages_region_changelist")).content.decode()
    assert "强基市" in page and "邻市" in page
    page = client.get(reverse("admin:accounts_user_change", args=[world.users["region"].pk])).content.decode()
    assert 'name="region"' in page
