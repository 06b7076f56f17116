from accounts.roles import ADMINISTRATOR, COUNTY_OFFICIAL, REGION_OFFICIAL, TOWNSHIP_STAFF, VILLAGE_CLERK

_VIEW = ["pledges.view_pledge", "pledges.view_quarterlyreview", "pledges.view_rectification",
         "pledges.view_archiveentry"]
_ENTER = [
    "pledges.add_pledge", "pledges.change_pledge", "pledges.add_quarterlyreview", "pledges.change_quarterlyreview",
    "pledges.add_rectification", "pledges.change_rectification", "pledges.add_archiveentry",
    "pledges.change_archiveentry",
]

PERMISSIONS = {
    REGION_OFFICIAL: _VIEW,  # reads the counties under it; acts on none unless an administrator grants it
    COUNTY_OFFICIAL: _VIEW + ["pledges.accept_quarterlyreview"],
    TOWNSHIP_STAFF: _VIEW + _ENTER + ["pledges.submit_quarterlyreview"],
    # A village clerk drafts the village's pledges; the township records reviews and keeps the archives.
    VILLAGE_CLERK: _VIEW + ["pledges.add_pledge", "pledges.change_pledge"],
    ADMINISTRATOR: _VIEW + _ENTER + ["pledges.submit_quarterlyreview", "pledges.accept_quarterlyreview"],
}
