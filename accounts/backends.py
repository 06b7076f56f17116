"""Django's ModelBackend, its permissions read in one query.

ModelBackend.get_all_permissions reads a user's own permissions and their groups' in two queries, each built by the
ORM on every request (a join through the content types): about 3 ms of every page, a tenth of a month's overview.
Here one statement, written once, reads both (the union of the user's permissions and their groups'); the result,
the set of "app_label.codename", and its per-request cache on the user are Django's. Everything else (authenticate,
the user and group permission sets on their own, has_perm, superusers, inactive users) is ModelBackend's.

get_user (each request's user, from the session) reads the account's org unit with it — its region, county,
township and village, which every page's header names and every scoped query starts from — in the same query.
"""
from __future__ import annotations

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connections, router


@cache
def _statement() -> str:
    user = get_user_model()
    own = user.user_permissions.through._meta
    member = user.groups.through._meta
    granted = Group.permissions.through._meta
    return (
        f"SELECT ct.app_label, p.codename FROM {Permission._meta.db_table} p "
        f"JOIN {ContentType._meta.db_table} ct ON ct.id = p.content_type_id WHERE p.id IN ("
        f"SELECT {own.get_field('permission').column} FROM {own.db_table} "
        f"WHERE {own.get_field(user._meta.model_name).column} = %s "
        f"UNION SELECT g.{granted.get_field('permission').column} FROM {granted.db_table} g "
        f"JOIN {member.db_table} m ON m.{member.get_field('group').column} = g.{granted.get_field('group').column} "
        f"WHERE m.{member.get_field(user._meta.model_name).column} = %s)"
    )


ORG_UNIT = ("region", "county", "township", "village")


class PermissionBackend(ModelBackend):
    def get_user(self, user_id):
        model = get_user_model()
        try:
            user = model._default_manager.select_related(*ORG_UNIT).get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                return super().get_all_permissions(user_obj, obj)
            alias = router.db_for_read(Permission)
            with connections[alias].cursor() as cursor:
                cursor.execute(_statement(), [user_obj.pk, user_obj.pk])
                user_obj._perm_cache = {f"{app}.{codename}" for app, codename in cursor.fetchall()}
        return user_obj._perm_cache
