"""The scope matrix: every route × {anonymous, in scope, out of scope, county, village clerk}.

Each app lists its routes in tests/<app>/scope_routes.py as ROUTES = [Route(...)]. A route is requested with
objects of township A (world fixture). township_a is in scope; township_b is out of scope; county sees the county;
clerk_a is the village clerk of village A. `expect` overrides the default statuses below. For list pages,
`shown` names text that must appear for township_a and must not appear for township_b.
"""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import Callable

DEFAULT_EXPECT = {"anonymous": 302, "township_a": 200, "township_b": 404, "county": 200, "clerk_a": 200}
# A region account (the city of the world's county) reads what the county reads and acts on nothing: where the county
# is refused so is it, and where the county may act (a POST that redirects, a form it may fill) it lacks the
# permission (403), unless a route says otherwise. The account of another city sees nothing of the county: not found
# where township B's is not found, otherwise as the region account (its lists are empty).
REGION_ROLES = ("region", "other_region")
ROLES = tuple(DEFAULT_EXPECT) + REGION_ROLES
# A county's batch step on a list (core.views.BatchTransitionView): no object in the URL, so township users and clerks
# lack the permission (403) rather than the object; posted without a step the county is sent back to the list.
# A page only the county's own permissions open (its policy, its round, an import): a region account lacks them.
REGION_CANNOT = {"region": 403, "other_region": 403}
BATCH_POST = {"township_a": 403, "township_b": 403, "county": 302, "clerk_a": 403}


@dataclass
class Route:
    name: str
    kwargs: Callable[[object], dict] = lambda world: {}
    expect: dict = field(default_factory=dict)
    method: str = "get"
    shown: Callable[[object], str] | None = None
    query: Callable[[object], str] | None = None
    setup: Callable[[object], None] | None = None  # adds what this route needs to the world

    def status_for(self, role: str) -> int:
        expect = {**DEFAULT_EXPECT, **self.expect}
        if role in expect:
            return expect[role]
        county = expect["county"]
        if role == "region":
            return 403 if county == 302 and self.method == "post" else county
        return 404 if expect["township_b"] == 404 else self.status_for("region")

    @property
    def label(self) -> str:
        return self.name + (f"[{self.kwargs.__doc__}]" if self.kwargs.__doc__ else "")


def all_routes() -> list[Route]:
    import tests

    routes = []
    for module in pkgutil.walk_packages(tests.__path__, "tests."):
        if module.name.endswith(".scope_routes"):
            routes.extend(importlib.import_module(module.name).ROUTES)
    return routes
