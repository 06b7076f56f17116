"""accounts.backends.PermissionBackend: the same permissions as Django's ModelBackend, in one query."""
import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.backends import PermissionBackend
from accounts.models import User

pytestmark = pytest.mark.django_db


def _fresh(user):
    return User.objects.get(pk=user.pk)


def test_a_users_own_and_group_permissions_are_djangos_in_one_query(world):
    clerk = world.users["clerk_a"]
    own = Permission.objects.get(codename="view_full_id_number")
    clerk.user_permissions.add(own)
    extra = Group.objects.create(name="extra")
    extra.permissions.add(Permission.objects.get(codename="view_audit_trail"))
    clerk.groups.add(extra)
    expected = ModelBackend().get_all_permissions(_fresh(clerk))
    assert {"villages.view_full_id_number", "accounts.view_audit_trail"} <= expected

    user = _fresh(clerk)
    with CaptureQueriesContext(connection) as queries:
        got = PermissionBackend().get_all_permissions(user)
        assert user.has_perm("villages.view_full_id_number") and not user.has_perm("villages.delete_county")
    assert got == expected
    assert len(queries) == 1


def test_every_role_sees_what_modelbackend_gives_it(world):
    for user in world.users.values():
        assert PermissionBackend().get_all_permissions(_fresh(user)) == ModelBackend().get_all_permissions(
            _fresh(user)), user.username


def test_inactive_users_hold_nothing_and_a_taken_permission_is_gone(world, client):
    clerk = world.users["township_a"]
    clerk.is_active = False
    assert PermissionBackend().get_all_permissions(clerk) == set()
    clerk = _fresh(world.users["township_a"])
    client.force_login(clerk)
    assert client.get(reverse("members:monthlyreview_list")).status_code == 200
    for group in clerk.groups.all():
        group.permissions.remove(Permission.objects.get(codename="view_monthlyresult"))
    assert client.get(reverse("members:monthlyreview_list")).status_code == 403


def test_a_page_reads_the_accounts_org_unit_with_the_account(world, client):
    """The header names the account's org unit; the session's user comes with it (no query of its own)."""
    client.force_login(world.users["county"])
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("accounts:profile")).content.decode()
    assert world.county.name in page
    assert not [q for q in queries if 'FROM "villages_county"' in q["sql"]]
