from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import User

# Shown both when editing a user and when adding one.
ORG_UNIT_FIELDSET = (_("Org unit"), {"fields": ("display_name", "region", "county", "township", "village")})


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "display_name", "region", "county", "township", "village", "is_active", "is_superuser"]
    list_filter = ["groups", "is_active", "township"]
    fieldsets = DjangoUserAdmin.fieldsets + (ORG_UNIT_FIELDSET,)
    add_fieldsets = DjangoUserAdmin.add_fieldsets + (ORG_UNIT_FIELDSET,)
