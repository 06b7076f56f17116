from django.contrib.auth.models import Group

from core.demo import DEMO_PASSWORD

from .models import User
from .roles import ADMINISTRATOR, COUNTY_OFFICIAL, TOWNSHIP_STAFF
from .services import role_group_name, roles_sync


def _account(username, *, role, display_name, county=None, township=None, superuser=False):
    user = User.objects.filter(username=username).first() or User(username=username)
    user.display_name = display_name
    user.county, user.township = county, township
    user.is_superuser = user.is_staff = superuser
    user.is_active = True
    user.set_password(DEMO_PASSWORD)
    user.full_clean()
    user.save()
    user.groups.set([Group.objects.get(name=role_group_name(role))])
    return user


def seed(ctx):
    roles_sync()
    county = ctx.data["county"]  # villages' demo (before accounts in INSTALLED_APPS) built or found it
    _account("admin", role=ADMINISTRATOR, display_name="系统管理员", county=county, superuser=True)
    _account("county", role=COUNTY_OFFICIAL, display_name="县委组织部", county=county)
    townships = county.townships.order_by("code")
    for i, township in enumerate(townships, start=1):
        _account(f"township{i:02d}", role=TOWNSHIP_STAFF, display_name=f"{township.name}组织委员", township=township)
    ctx.say(f"accounts: admin, county and {townships.count()} township accounts.")


def demo_logins(limit: int = 9) -> list[str]:
    """The demo accounts present in the database, as lines to print."""
    users = User.objects.filter(username__in=["admin", "county"] + [f"township{i:02d}" for i in range(1, 8)])
    order = {"admin": 0, "county": 1}
    return [
        f"{u.username:<11} {u.display_name}"
        for u in sorted(users, key=lambda u: (order.get(u.username, 2), u.username))[:limit]
    ]
