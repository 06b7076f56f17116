from tests.scope_matrix import BATCH_POST, Route

from .factories import pledge_world

NO_PERMISSION = {"county": 403, "clerk_a": 403}
COUNTY_ONLY = {"county": 302, "township_a": 403, "clerk_a": 403}


def village_a(w):
    return {"code": w.village_a.code}


def pledge(w):
    return {"pk": w.extra["pledge"].pk}


def item(w):
    return {"pk": w.extra["item"].pk}


def review(w):
    return {"code": w.village_a.code, "quarter": "2026Q1"}


def rectification(w):
    return {"pk": w.extra["rectification"].pk}


def cadre(w):
    return {"pk": w.person_a.pk}


def entry(w):
    return {"pk": w.extra["entry"].pk}


ROUTES = [
    Route("pledges:pledge_list", setup=pledge_world, shown=lambda w: w.person_a.name, expect={"township_b": 200}),
    Route("pledges:pledge_adoption", shown=lambda w: w.village_a.name, expect={"township_b": 200}),
    Route("pledges:pledge_add", village_a, expect={"county": 403}),
    Route("pledges:pledge_detail", pledge, setup=pledge_world),
    Route("pledges:pledge_adopt", pledge, setup=pledge_world, expect={"county": 403}),
    Route("pledges:pledge_copy", pledge, setup=pledge_world, expect={"county": 403}),
    Route("pledges:pledgeitem_add", pledge, setup=pledge_world, expect={"county": 403}),
    Route("pledges:pledgeitem_edit", item, setup=pledge_world, expect={"county": 403}),
    Route("pledges:review_batch", method="post", expect=BATCH_POST),
    Route("pledges:review_list", shown=lambda w: w.village_a.name, expect={"township_b": 200}),
    Route("pledges:review_detail", review, setup=pledge_world),
    Route("pledges:review_submit", review, setup=pledge_world, method="post",
          expect={"township_a": 302, "county": 403, "clerk_a": 403}),
    Route("pledges:review_accept", review, setup=pledge_world, method="post", expect=COUNTY_ONLY),
    Route("pledges:review_return", review, setup=pledge_world, method="post", expect=COUNTY_ONLY),
    Route("pledges:rectification_add", review, setup=pledge_world, expect=NO_PERMISSION),
    Route("pledges:rectification_list", setup=pledge_world, shown=lambda w: w.village_a.name,
          expect={"township_b": 200}),
    Route("pledges:rectification_edit", rectification, setup=pledge_world, expect=NO_PERMISSION),
    Route("pledges:cadre_list", shown=lambda w: w.person_a.name, expect={"township_b": 200}),
    Route("pledges:archive_detail", cadre, setup=pledge_world),
    Route("pledges:archive_pdf", cadre, setup=pledge_world),
    Route("pledges:archiveentry_add", cadre, expect=NO_PERMISSION),
    Route("pledges:archiveentry_withdraw", entry, setup=pledge_world, expect=NO_PERMISSION),
    Route("pledges:archiveentry_file", entry, setup=pledge_world),
]
