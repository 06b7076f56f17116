from django.contrib.auth.models import Group

from core.demo import DEMO_PASSWORD

from .models import User
from .roles import ADMINISTRATOR, COUNTY_OFFICIAL, REGION_OFFICIAL, TOWNSHIP_STAFF
from .services import role_group_name, roles_sync


def _account(username, *, role, display_name, county=None, township=None, region=None, superuser=False):
    user = User.objects.filter(username=username).first() or User(username=username)
    user.display_name = display_name
    user.county, user.township, user.region = county, township, region
    user.is_superuser = user.is_staff = superuser
    user.is_active = True
    user.set_password(DEMO_PASSWORD)
    user.full_clean()
    user.save()
    user.groups.set([Group.objects.get(name=role_group_name(role))])
    return user


def seed(ctx):
    """The county's accounts: `county` and `township01`…, or in a city of several counties (seed_demo --counties)
    `county01`… and `c01township01`…; the other apps' demos act as ctx.data's county_user and township_users."""
    roles_sync()
    county = ctx.data["county"]  # villages' demo (before accounts in INSTALLED_APPS) built or found it
    number = ctx.data.get("county_number")  # None: the single-county demo
    if number in (None, 1):
        _account("admin", role=ADMINISTRATOR, display_name="系统管理员", county=county, superuser=True)
    county_user = _account("county" if number is None else f"county{number:02d}", role=COUNTY_OFFICIAL,
                           display_name=f"{county.name}委组织部" if number else "县委组织部", county=county)
    prefix = "" if number is None else f"c{number:02d}"
    townships = county.townships.order_by("code")
    ctx.data.update(county_user=county_user, township_users={
        township.pk: _account(f"{prefix}township{i:02d}", role=TOWNSHIP_STAFF,
                              display_name=f"{township.name}组织委员", township=township)
        for i, township in enumerate(townships, start=1)})
    ctx.say(f"accounts: {county_user.username} and {townships.count()} township accounts.")


def seed_region(region, *, username="city", role=REGION_OFFICIAL) -> None:
    """The account of a demo region (seed_demo --counties, the tiers): `city` (or `province`), reading every county
    under it."""
    _account(username, role=role, display_name=f"{region.name}委组织部", region=region)


def demo_logins(limit: int = 9) -> list[str]:
    """The demo accounts present in the database, as lines to print."""
    users = User.objects.filter(username__in=["admin", "city", "county"] + [f"county{i:02d}" for i in range(1, 100)]
                                + [f"{p}township{i:02d}" for i in range(1, 8) for p in ("", "c01", "c02")])
    order = {"admin": 0, "city": 1, "county": 2}
    return [
        f"{u.username:<11} {u.display_name}"
        for u in sorted(users, key=lambda u: (order.get(u.username, 3 if u.username.startswith("county") else 4),
                                              u.username))[:limit]
    ]
