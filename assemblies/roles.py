from accounts.roles import ADMINISTRATOR, COUNTY_OFFICIAL, REGION_OFFICIAL, TOWNSHIP_STAFF, VILLAGE_CLERK

_MODELS = ["household", "representativechange", "discussionpoint", "speakerpilot", "meeting", "matter", "followup",
           "inspection", "modelvillage", "filing"]
_VIEW = [f"assemblies.view_{m}" for m in _MODELS]
_EDIT = [f"assemblies.{action}_{m}" for m in _MODELS for action in ("add", "change")] + [
    "assemblies.delete_modelvillage", "assemblies.submit_filing",
]

PERMISSIONS = {
    REGION_OFFICIAL: _VIEW,  # reads the counties under it; acts on none unless an administrator grants it
    COUNTY_OFFICIAL: _VIEW + ["assemblies.acknowledge_filing"],
    TOWNSHIP_STAFF: _VIEW + _EDIT,
    VILLAGE_CLERK: _VIEW,
    ADMINISTRATOR: _VIEW + _EDIT + ["assemblies.acknowledge_filing"],
}
