from tests.scope_matrix import ROLES, Route


def history(app_label, model_name, attr):
    def kwargs(w):
        return {"app_label": app_label, "model_name": model_name, "pk": getattr(w, attr).pk}

    kwargs.__doc__ = f"{app_label}.{model_name}"
    return kwargs


def membership_a(w):
    return w.person_a.membership


# Only county officials (and administrators) read the audit trail; for everyone else it is 403.
HISTORY_EXPECT = {"township_a": 403, "township_b": 403, "clerk_a": 403, "other_region": 404}


def partymember_history(w):
    """members.partymember"""
    return {"app_label": "members", "model_name": "partymember", "pk": w.person_a.membership.pk}


ROUTES = [
    Route("home", shown=lambda w: w.village_a.name, expect={"township_b": 200}),
    # Public: load balancers and monitoring ask without logging in; the answer holds no data.
    Route("healthz", expect={r: 200 for r in ROLES}),
    Route("record_history", history("villages", "village", "village_a"), expect=HISTORY_EXPECT),
    Route("record_history", history("villages", "person", "person_a"), expect=HISTORY_EXPECT),
    Route("record_history", history("villages", "cadrepost", "post_a"), expect=HISTORY_EXPECT),
    Route("record_history", partymember_history, expect=HISTORY_EXPECT),
]
