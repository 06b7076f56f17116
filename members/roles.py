from accounts.roles import ADMINISTRATOR, COUNTY_OFFICIAL, TOWNSHIP_STAFF, VILLAGE_CLERK

PERMISSIONS = {
    COUNTY_OFFICIAL: ["members.view_partymember"],
    TOWNSHIP_STAFF: ["members.view_partymember", "members.add_partymember", "members.change_partymember"],
    VILLAGE_CLERK: ["members.view_partymember"],
    ADMINISTRATOR: [
        "members.view_partymember", "members.add_partymember", "members.change_partymember",
        "members.delete_partymember",
    ],
}
