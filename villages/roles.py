from accounts.roles import ADMINISTRATOR, COUNTY_OFFICIAL, REGION_OFFICIAL, TOWNSHIP_STAFF, VILLAGE_CLERK

_VIEW = ["villages.view_county", "villages.view_township", "villages.view_village", "villages.view_person",
         "villages.view_cadrepost"]
_EDIT_PEOPLE = ["villages.add_person", "villages.change_person", "villages.add_cadrepost", "villages.change_cadrepost"]

# Imports: the county brings in the organisation; people and posts are imported by townships for their villages and
# by the county for all of them.
_IMPORT = ["villages.import_person", "villages.import_cadrepost"]

PERMISSIONS = {
    REGION_OFFICIAL: _VIEW,  # reads the counties under it; acts on none unless an administrator grants it
    COUNTY_OFFICIAL: _VIEW + _IMPORT + ["villages.view_full_id_number", "villages.import_organisation"],
    TOWNSHIP_STAFF: _VIEW + _EDIT_PEOPLE + _IMPORT,
    VILLAGE_CLERK: _VIEW,
    ADMINISTRATOR: _VIEW + _EDIT_PEOPLE + _IMPORT + [
        "villages.import_organisation",
        "villages.view_full_id_number",
        "villages.view_personaldataview",
        "villages.add_region", "villages.change_region", "villages.view_region",
        "villages.add_county", "villages.change_county",
        "villages.add_township", "villages.change_township",
        "villages.add_village", "villages.change_village",
    ],
}
