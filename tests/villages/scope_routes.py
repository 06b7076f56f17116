from tests.scope_matrix import REGION_CANNOT, Route


def village_a(w):
    return {"code": w.village_a.code}


def person_a(w):
    return {"pk": w.person_a.pk}


def post_a(w):
    return {"pk": w.post_a.pk}


NO_PERMISSION_FOR_COUNTY = {"county": 403, "clerk_a": 403}

ROUTES = [
    Route("villages:village_list", shown=lambda w: w.village_a.name, expect={"township_b": 200}),
    Route("villages:village_detail", village_a),
    Route("villages:cadrepost_add", village_a, expect=NO_PERMISSION_FOR_COUNTY),
    Route("villages:cadrepost_edit", post_a, expect=NO_PERMISSION_FOR_COUNTY),
    Route("villages:person_list", shown=lambda w: w.person_a.name, expect={"township_b": 200}),
    Route("villages:person_add", expect={"township_b": 200, **NO_PERMISSION_FOR_COUNTY}),
    Route("villages:person_detail", person_a),
    Route("villages:person_edit", person_a, expect=NO_PERMISSION_FOR_COUNTY),
    # Revealing full ID numbers: county officials only (and it is recorded).
    Route("villages:person_reveal", person_a, method="post", expect={"township_a": 403, "clerk_a": 403, "region": 403,
                                                                               "other_region": 404}),
]
ROUTES += [
    # The county brings in its townships and villages; townships and clerks may not.
    Route("villages:organisation_import", expect={"township_a": 403, "township_b": 403, "clerk_a": 403,
                                                    **REGION_CANNOT}),
    # People and posts: township staff for their villages (rows out of scope are errors: tests/villages/test_imports.py)
    # and the county for all.
    Route("villages:person_import", expect={"township_b": 200, "clerk_a": 403, **REGION_CANNOT}),
    Route("villages:cadrepost_import", expect={"township_b": 200, "clerk_a": 403, **REGION_CANNOT}),
]
