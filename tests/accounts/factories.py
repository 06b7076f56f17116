from django.contrib.auth.models import Group

from accounts.models import User
from accounts.services import role_group_name

PASSWORD = "test-password-123"


def make_user(username, *, role, county=None, township=None, village=None, **extra) -> User:
    user = User(username=username, county=county, township=township, village=village, **extra)
    user.set_password(PASSWORD)
    user.save()
    if role:
        user.groups.add(Group.objects.get(name=role_group_name(role)))
    return user
