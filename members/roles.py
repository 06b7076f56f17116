from accounts.roles import ADMINISTRATOR, COUNTY_OFFICIAL, REGION_OFFICIAL, TOWNSHIP_STAFF, VILLAGE_CLERK

_VIEW = [
    "members.view_partymember", "members.view_ruleset", "members.view_rule", "members.view_basicrequirement",
    "members.view_monthlyreview", "members.view_monthlyresult", "members.view_deduction",
    "members.view_memberwarning", "members.view_disposition", "members.view_countypolicy",
    "members.view_noticeobjection",
]
_ENTER = ["members.change_monthlyreview", "members.add_monthlyresult", "members.change_monthlyresult",
          "members.add_deduction", "members.change_deduction", "members.delete_deduction"]
_TOWNSHIP = _ENTER + [
    "members.add_partymember", "members.change_partymember",
    "members.add_ruleset", "members.change_ruleset", "members.add_rule", "members.change_rule", "members.delete_rule",
    "members.submit_monthlyreview", "members.import_monthlyresult",
    "members.add_memberwarning", "members.change_memberwarning",
    "members.add_disposition", "members.change_disposition",
    "members.answer_noticeobjection",
]
_COUNTY = ["members.review_monthlyreview", "members.change_countypolicy", "members.add_countypolicy",
           "members.add_basicrequirement", "members.change_basicrequirement"]

PERMISSIONS = {
    REGION_OFFICIAL: _VIEW,  # reads the counties under it; acts on none unless an administrator grants it
    COUNTY_OFFICIAL: _VIEW + _COUNTY,
    TOWNSHIP_STAFF: _VIEW + _TOWNSHIP,
    # A village clerk drafts its own village's month; the township submits it.
    VILLAGE_CLERK: _VIEW + _ENTER,
    ADMINISTRATOR: _VIEW + _TOWNSHIP + _COUNTY + ["members.delete_partymember"],
}
