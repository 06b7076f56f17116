"""checks/ routes in the scope matrix. Spot-checks are the county's (township users and clerks: 403, or 404 for a
sampled month outside their township); a township asks to reopen its own periods and lists its requests; only the
county decides."""
from tests.scope_matrix import REGION_CANNOT, Route

COUNTY_ONLY = {"township_a": 403, "township_b": 403, "clerk_a": 403}


def _setup(w):
    """An accepted May of village A, a spot-check that sampled it and a township A request to reopen it."""
    if "spot_check" in w.extra:
        return
    from checks import services
    from checks.choices import ReopenKind
    from core.periods import Quarter
    from tests.checks.factories import accepted_month

    month = accepted_month(w.village_a, month=5)
    w.extra["accepted_month"] = month
    w.extra["spot_check"] = check = services.spot_check_draw(user=w.users["county"], quarter=Quarter(2026, 2),
                                                             per_township=1, seed=1)
    w.extra["sample"] = check.samples.get()
    w.extra["reopen"] = services.reopen_request_create(user=w.users["township_a"], kind=ReopenKind.MONTH,
                                                       period=month, reason="评定录入有误")


def _month_b(w):
    """A second accepted month (of village A2) with no request yet, to ask about."""
    _setup(w)
    if "month_a2" not in w.extra:
        from tests.checks.factories import accepted_month

        w.extra["month_a2"] = accepted_month(w.village_a2, month=6)


def spot_check(w):
    return {"pk": w.extra["spot_check"].pk}


def sample(w):
    return {"pk": w.extra["sample"].pk}


def reopen(w):
    return {"pk": w.extra["reopen"].pk}


def ask_month(w):
    """month"""
    return {"kind": "month", "pk": w.extra["month_a2"].pk}


ROUTES = [
    Route("checks:spotcheck_list", expect=COUNTY_ONLY, setup=_setup),
    # A region reads its counties' spot-checks; drawing one is the county's.
    Route("checks:spotcheck_add", expect={**COUNTY_ONLY, **REGION_CANNOT}),
    Route("checks:spotcheck_detail", spot_check, expect={**COUNTY_ONLY, "other_region": 404}, setup=_setup),
    Route("checks:sample_check", sample, expect={"township_a": 403, "township_b": 404, "clerk_a": 403}, setup=_setup),
    # A list: township B sees its own (empty) list, without township A's request.
    Route("checks:reopen_list", expect={"township_b": 200, "clerk_a": 403}, setup=_setup,
          shown=lambda w: "评定录入有误"),
    # The county finds the month but does not ask itself; village A's clerk does not see village A2's month.
    Route("checks:reopen_add", ask_month, expect={"county": 403, "clerk_a": 404}, setup=_month_b),
    Route("checks:reopen_decide", reopen, setup=_setup,
          expect={"township_a": 403, "clerk_a": 403, "region": 403, "other_region": 404}),
]
