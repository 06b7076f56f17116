from tests.scope_matrix import BATCH_POST, REGION_CANNOT, Route

from .factories import evaluation_world, open_round, sheet_of

COUNTY_ONLY_PAGE = {"township_a": 403, "township_b": 403, "clerk_a": 403, **REGION_CANNOT}
COUNTY_ONLY_POST = {"county": 302, "township_a": 403, "township_b": 404, "clerk_a": 403}


def draft_world(w):
    w.extra["round"] = open_round(w)
    w.extra["sheet"] = sheet_of(w.extra["round"], w.township_a)


def unopened_round(w):
    from evaluations import services

    w.extra["round"] = services.round_create(user=w.users["county"], county=w.county, year=2027)


def round_pk(w):
    return {"pk": w.extra["round"].pk}


def sheet_pk(w):
    return {"pk": w.extra["sheet"].pk}


def result_pk(w):
    return {"pk": w.extra["result"].pk}


def case_pk(w):
    return {"pk": w.extra["case"].pk}


ROUTES = [
    Route("evaluations:round_list", setup=draft_world, expect={"township_b": 200}),
    Route("evaluations:round_add", expect=COUNTY_ONLY_PAGE),
    Route("evaluations:sheet_batch", method="post", expect=BATCH_POST),
    Route("evaluations:round_detail", round_pk, setup=draft_world, expect={"township_b": 200, "other_region": 404}),
    Route("evaluations:round_edit", round_pk, setup=unopened_round, expect={**COUNTY_ONLY_PAGE, "other_region": 404}),
    Route("evaluations:round_open", round_pk, setup=unopened_round, method="post",
          expect={"county": 302, "township_a": 403, "township_b": 403, "clerk_a": 403, "other_region": 404}),
    Route("evaluations:sheet_detail", sheet_pk, setup=evaluation_world),
    Route("evaluations:sheet_submit", sheet_pk, setup=draft_world, method="post",
          expect={"township_a": 302, "county": 403, "clerk_a": 403}),
    Route("evaluations:sheet_accept", sheet_pk, setup=draft_world, method="post", expect=COUNTY_ONLY_POST),
    Route("evaluations:sheet_return", sheet_pk, setup=draft_world, method="post", expect=COUNTY_ONLY_POST),
    Route("evaluations:sheet_publish", sheet_pk, setup=draft_world, method="post", expect=COUNTY_ONLY_POST),
    Route("evaluations:sheet_pdf", sheet_pk, setup=evaluation_world),
    Route("evaluations:pay_table", sheet_pk, setup=evaluation_world),
    Route("evaluations:pay_pdf", sheet_pk, setup=evaluation_world),
    Route("evaluations:pay_export", sheet_pk, setup=evaluation_world),
    Route("evaluations:result_edit", result_pk, setup=evaluation_world),
    Route("evaluations:cadre_detail", lambda w: {"pk": w.person_a.pk}, setup=evaluation_world),
    Route("evaluations:case_list", setup=evaluation_world, shown=lambda w: w.person_a.name,
          expect={"township_b": 200}),
    Route("evaluations:case_edit", case_pk, setup=evaluation_world),
]
