"""The portal's roles: Django groups whose permissions every app declares in its own roles.py.

Each app's roles.py has PERMISSIONS = {role_code: ["app_label.codename", ...]}; roles_sync() gathers them.
"""
from django.utils.translation import gettext_lazy as _

REGION_OFFICIAL = "region_official"
COUNTY_OFFICIAL = "county_official"
TOWNSHIP_STAFF = "township_staff"
VILLAGE_CLERK = "village_clerk"
ADMINISTRATOR = "administrator"

# The group's name is the role code (stable whatever the interface language); pages show the translated label.
ROLE_GROUPS = {
    REGION_OFFICIAL: _("Regional official"),
    COUNTY_OFFICIAL: _("County official"),
    TOWNSHIP_STAFF: _("Township staff"),
    VILLAGE_CLERK: _("Village clerk"),
    ADMINISTRATOR: _("Administrator"),
}

PERMISSIONS = {
    REGION_OFFICIAL: ["accounts.view_audit_trail"],
    COUNTY_OFFICIAL: ["accounts.view_audit_trail"],
    ADMINISTRATOR: [
        "accounts.view_audit_trail",
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
    ],
}
