from importlib import import_module

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .models import User
from .roles import ROLE_GROUPS


def role_permissions() -> dict[str, set[str]]:
    """Gather PERMISSIONS from every installed app's roles.py."""
    merged: dict[str, set[str]] = {role: set() for role in ROLE_GROUPS}
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.roles")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.roles":
                raise
            continue
        for role, perms in getattr(module, "PERMISSIONS", {}).items():
            merged.setdefault(role, set()).update(perms)
    return merged


def role_group_name(role: str) -> str:
    return role


def role_labels(user) -> list[str]:
    """The user's roles as the interface names them."""
    return [str(ROLE_GROUPS.get(name, name)) for name in user.groups.values_list("name", flat=True)]


@transaction.atomic
def roles_sync() -> dict[str, Group]:
    """Create the role groups and set their permissions to exactly what the apps declare."""
    groups = {}
    for role, perms in role_permissions().items():
        group, _ = Group.objects.get_or_create(name=role_group_name(role))
        wanted = []
        for perm in sorted(perms):
            app_label, codename = perm.split(".", 1)
            wanted.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)
        groups[role] = group
    return groups


def roles_sync_after_migrate(sender, app_config=None, **kwargs):
    # post_migrate is sent once per app; permissions of every app exist only after the last one.
    if app_config is None or app_config.label != list(apps.get_app_configs())[-1].label:
        return
    try:
        roles_sync()
    except Permission.DoesNotExist:
        # Some app's permissions are not created yet (partial migrate); the next migrate completes it.
        pass


@transaction.atomic
def user_create(
    *, username: str, password: str, role: str, county=None, township=None, village=None, display_name: str = "",
    is_superuser: bool = False,
) -> User:
    user = User(
        username=username, county=county, township=township, village=village, display_name=display_name,
        is_superuser=is_superuser, is_staff=is_superuser,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    user.groups.add(Group.objects.get(name=role_group_name(role)))
    return user
