import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.roles import ROLE_GROUPS
from accounts.scope import scope_for
from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_every_role_is_a_group_with_the_permissions_apps_declare():
    groups = {g.name: g for g in Group.objects.prefetch_related("permissions__content_type")}
    assert set(ROLE_GROUPS) <= set(groups)
    perms = {name: {f"{p.content_type.app_label}.{p.codename}" for p in g.permissions.all()}
             for name, g in groups.items()}
    assert "villages.add_person" in perms["township_staff"]
    assert "villages.add_person" not in perms["county_official"]
    assert "accounts.view_audit_trail" in perms["county_official"]
    assert "accounts.view_audit_trail" not in perms["township_staff"]
    assert "villages.view_full_id_number" in perms["county_official"]
    assert "villages.view_full_id_number" not in perms["township_staff"]


def test_scope_follows_the_org_unit(world):
    assert scope_for(world.users["county"]).level == "county"
    assert scope_for(world.users["township_a"]).township_id == world.township_a.pk
    assert scope_for(world.users["clerk_a"]).village_id == world.village_a.pk
    assert scope_for(world.users["admin"]).level == "all"


def test_login_page_is_chinese_and_a_wrong_password_says_so(world, client):
    page = client.get(reverse("login")).content.decode()
    assert "登录强基" in page and "用户名" in page
    response = client.post(reverse("login"), {"username": "township_a", "password": "wrong"})
    assert "请输入一个正确的" in response.content.decode()  # Django's own zh_Hans message
    response = client.post(reverse("login"), {"username": "township_a", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_anonymous_users_are_sent_to_the_login_page(client, db):
    response = client.get(reverse("villages:village_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


def test_profile_shows_role_and_area(world, client_for):
    page = client_for(world.users["township_a"]).get(reverse("accounts:profile")).content.decode()
    assert "乡镇工作人员" in page and "甲镇" in page
