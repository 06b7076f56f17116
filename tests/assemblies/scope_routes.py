"""Every assemblies route in the scope matrix, requested with township A's records."""
from tests.scope_matrix import BATCH_POST, Route

from .factories import (
    DiscussionPointFactory,
    FilingFactory,
    HouseholdFactory,
    InspectionFactory,
    MatterFactory,
    MeetingFactory,
    ModelVillageFactory,
)


def _extra(w, key, make):
    if key not in w.extra:
        w.extra[key] = make(w)
    return w.extra[key]


def household(w):
    return _extra(w, "household", lambda w: HouseholdFactory(village=w.village_a, head_name="甲户主"))


def point(w):
    return _extra(w, "point", lambda w: DiscussionPointFactory(village=w.village_a, name="甲议事点"))


def meeting(w):
    return _extra(w, "meeting", lambda w: MeetingFactory(village=w.village_a, topic="甲村议事会"))


def matter(w):
    return _extra(w, "matter", lambda w: MatterFactory(meeting=meeting(w), title="甲村修路"))


def inspection(w):
    return _extra(w, "inspection", lambda w: InspectionFactory(township=w.township_a))


def model_village(w):
    return _extra(w, "model_village", lambda w: ModelVillageFactory(village=w.village_a))


def filing(w):
    return _extra(w, "filing", lambda w: FilingFactory(township=w.township_a))


def village_a(w):
    return {"code": w.village_a.code}


def pk_of(make):
    def kwargs(w):
        return {"pk": make(w).pk}

    return kwargs


def setup_all(w):
    for make in (household, meeting, matter, inspection, model_village, filing):
        make(w)


STAFF_ONLY = {"county": 403, "clerk_a": 403}  # township staff (and administrators) write
LIST = {"township_b": 200}
# POST actions: the in-scope user is sent back to the record's page (302) with the outcome as a message.
POST_STAFF = {"township_a": 302, "county": 403, "clerk_a": 403, "other_region": 403}
COUNTY_ONLY_POST = {"township_a": 403, "township_b": 403, "county": 302, "clerk_a": 403}

ROUTES = [
    Route("assemblies:village_list", shown=lambda w: w.village_a.name, expect=LIST),
    Route("assemblies:village_detail", village_a, setup=setup_all),
    Route("assemblies:household_add", village_a, expect=STAFF_ONLY),
    Route("assemblies:discussionpoint_add", village_a, expect=STAFF_ONLY),
    Route("assemblies:speakerpilot_edit", village_a, expect=STAFF_ONLY),
    Route("assemblies:meeting_add", village_a, expect=STAFF_ONLY),
    Route("assemblies:household_detail", pk_of(household)),
    Route("assemblies:household_edit", pk_of(household), expect=STAFF_ONLY),
    Route("assemblies:household_representative", pk_of(household), expect=STAFF_ONLY),
    Route("assemblies:household_import", expect={**LIST, **STAFF_ONLY}),
    Route("assemblies:discussionpoint_edit", pk_of(point), expect=STAFF_ONLY),
    Route("assemblies:meeting_list", shown=lambda w: "甲村议事会", setup=meeting, expect=LIST),
    Route("assemblies:meeting_detail", pk_of(meeting)),
    Route("assemblies:meeting_edit", pk_of(meeting), expect=STAFF_ONLY),
    Route("assemblies:matter_add", pk_of(meeting), expect=STAFF_ONLY),
    Route("assemblies:matter_list", shown=lambda w: "甲村修路", setup=matter, expect=LIST),
    Route("assemblies:matter_detail", pk_of(matter)),
    Route("assemblies:matter_edit", pk_of(matter), expect=STAFF_ONLY),
    Route("assemblies:followup_add", pk_of(matter), expect=STAFF_ONLY),
    Route("assemblies:inspection_list", shown=lambda w: w.township_a.name, setup=inspection, expect=LIST),
    Route("assemblies:inspection_add", expect={**LIST, **STAFF_ONLY}),
    Route("assemblies:inspection_detail", pk_of(inspection)),
    Route("assemblies:inspection_edit", pk_of(inspection), expect=STAFF_ONLY),
    Route("assemblies:modelvillage_list", shown=lambda w: w.village_a.name, setup=model_village, expect=LIST,
          query=lambda w: "year=2026"),
    Route("assemblies:modelvillage_add", expect={**LIST, **STAFF_ONLY}),
    Route("assemblies:modelvillage_remove", pk_of(model_village), method="post", expect=POST_STAFF),
    Route("assemblies:filing_batch", method="post", expect=BATCH_POST),
    Route("assemblies:filing_list", shown=lambda w: w.township_a.name, setup=filing, expect=LIST),
    Route("assemblies:filing_add", expect={**LIST, **STAFF_ONLY}),
    Route("assemblies:filing_detail", pk_of(filing)),
    Route("assemblies:filing_pdf", pk_of(filing)),
    Route("assemblies:filing_compile", pk_of(filing), method="post", expect=POST_STAFF),
    Route("assemblies:filing_submit", pk_of(filing), method="post", expect=POST_STAFF),
    Route("assemblies:filing_acknowledge", pk_of(filing), method="post", expect=COUNTY_ONLY_POST),
    Route("assemblies:filing_return", pk_of(filing), method="post", expect=COUNTY_ONLY_POST),
]

# The audit trail of this app's records goes through assemblies.selectors.HISTORY_SELECTORS (county officials only).
HISTORY_EXPECT = {"township_a": 403, "township_b": 403, "clerk_a": 403, "other_region": 404}


def history(model_name, make):
    def kwargs(w):
        return {"app_label": "assemblies", "model_name": model_name, "pk": make(w).pk}

    kwargs.__doc__ = f"assemblies.{model_name}"
    return kwargs


ROUTES += [
    Route("record_history", history(name, make), expect=HISTORY_EXPECT)
    for name, make in [("household", household), ("discussionpoint", point), ("meeting", meeting),
                       ("matter", matter), ("inspection", inspection), ("modelvillage", model_village),
                       ("filing", filing)]
]
