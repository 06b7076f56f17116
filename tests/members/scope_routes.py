from members.models import MonthlyReview
from tests.members.factories import rule_set_with_rules
from tests.scope_matrix import Route

MONTH = "2026-05"


def _setup(w):
    if "rule_set_a" not in w.extra:
        w.extra["rule_set_a"] = rule_set_with_rules(w.village_a)


def _setup_submitted(w):
    """A submitted month of village A (so accept and return have something to act on)."""
    import datetime as dt

    from core.workflow import ReviewStatus

    _setup(w)
    MonthlyReview.objects.create(village=w.village_a, year=2026, month=5, rule_set=w.extra["rule_set_a"],
                                 due_date=dt.date(2026, 6, 10), status=ReviewStatus.SUBMITTED)


def month_a(w):
    return {"code": w.village_a.code, "month": MONTH}


def rule_set_a(w):
    return {"pk": w.extra["rule_set_a"].pk}


TOWNSHIP_ONLY = {"county": 403, "clerk_a": 403}
COUNTY_ONLY = {"township_a": 403, "clerk_a": 403, "township_b": 404}
POSTED = {"anonymous": 302}

ROUTES = [
    Route("members:monthlyreview_list", shown=lambda w: w.village_a.name, expect={"township_b": 200}),
    Route("members:monthlyreview_grid", month_a, setup=_setup, shown=lambda w: w.person_a.name),
    Route("members:monthlyreview_submit", month_a, method="post", setup=_setup,
          expect={"township_a": 302, "county": 403, "clerk_a": 403}),
    Route("members:monthlyreview_accept", month_a, method="post", setup=_setup_submitted,
          expect={**COUNTY_ONLY, "county": 302}),
    Route("members:monthlyreview_return", month_a, method="post", setup=_setup_submitted,
          expect={**COUNTY_ONLY, "county": 302}),
    Route("members:signals", expect={"township_b": 200}),
    Route("members:ruleset_list", shown=lambda w: w.village_a.name, setup=_setup, expect={"township_b": 200}),
    Route("members:ruleset_detail", rule_set_a, setup=_setup),
    Route("members:member_totals", expect={"township_b": 200}),
    Route("members:warning_list", expect={"township_b": 200}),
    Route("members:warning_add", expect={"township_b": 200, **TOWNSHIP_ONLY}),
    Route("members:disposition_add", expect={"township_b": 200, **TOWNSHIP_ONLY}),
]
