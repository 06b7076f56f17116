from accounts.roles import ADMINISTRATOR, COUNTY_OFFICIAL, REGION_OFFICIAL, TOWNSHIP_STAFF, VILLAGE_CLERK

_VIEW = ["evaluations.view_round", "evaluations.view_townshipevaluation", "evaluations.view_cadreevaluation",
         "evaluations.view_handlingcase"]
_TOWNSHIP = ["evaluations.change_cadreevaluation", "evaluations.submit_townshipevaluation",
             "evaluations.change_handlingcase"]
_COUNTY = ["evaluations.add_round", "evaluations.change_round", "evaluations.open_round",
           "evaluations.confirm_townshipevaluation", "evaluations.change_handlingcase"]

PERMISSIONS = {
    REGION_OFFICIAL: _VIEW,  # reads the counties under it; acts on none unless an administrator grants it
    COUNTY_OFFICIAL: _VIEW + _COUNTY,
    TOWNSHIP_STAFF: _VIEW + _TOWNSHIP,
    VILLAGE_CLERK: _VIEW,
    ADMINISTRATOR: _VIEW + _TOWNSHIP + _COUNTY,
}
