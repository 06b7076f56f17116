from accounts.roles import ADMINISTRATOR, COUNTY_OFFICIAL, REGION_OFFICIAL, TOWNSHIP_STAFF

# Spot-checks are the county's; a township asks to reopen and sees its own requests, the county decides.
_COUNTY = ["checks.view_spotcheck", "checks.add_spotcheck", "checks.view_spotcheckfinding",
           "checks.change_spotcheckfinding", "checks.view_reopenrequest", "checks.decide_reopenrequest"]
_TOWNSHIP = ["checks.view_reopenrequest", "checks.add_reopenrequest"]

PERMISSIONS = {
    # A city or province reads its counties' spot-checks and requests; drawing, recording and deciding stay the
    # county's.
    REGION_OFFICIAL: ["checks.view_spotcheck", "checks.view_spotcheckfinding", "checks.view_reopenrequest"],
    COUNTY_OFFICIAL: _COUNTY,
    TOWNSHIP_STAFF: _TOWNSHIP,
    ADMINISTRATOR: _COUNTY + _TOWNSHIP,
}
