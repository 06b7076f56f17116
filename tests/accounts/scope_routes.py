from tests.scope_matrix import ROLES, Route

SIGNED_IN_ONLY = {"township_b": 200}

ROUTES = [
    Route("login", expect={"anonymous": 200, "township_a": 302, "township_b": 302, "county": 302, "clerk_a": 302,
                            "region": 302, "other_region": 302}),
    Route("logout", method="post",
          expect={r: 302 for r in ROLES}),
    Route("accounts:profile", expect=SIGNED_IN_ONLY),
    Route("accounts:password_change", expect=SIGNED_IN_ONLY),
    Route("accounts:password_change_done", expect=SIGNED_IN_ONLY),
]
