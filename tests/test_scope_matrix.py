import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.scope_matrix import ROLES, all_routes

ROUTES = all_routes()
# Routes outside the matrix on purpose: the Django admin has its own scope tests (tests/*/test_admin.py).
EXEMPT_NAMESPACES = {"admin"}


def _route_names(patterns, namespace=None):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or namespace
            if ns in EXEMPT_NAMESPACES:
                continue
            yield from _route_names(p.url_patterns, f"{namespace}:{p.namespace}" if namespace and p.namespace else ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}:{p.name}" if namespace else p.name


def test_every_route_is_in_the_scope_matrix():
    declared = {r.name for r in ROUTES}
    missing = sorted(set(_route_names(get_resolver().url_patterns)) - declared)
    assert not missing, f"routes without a scope-matrix entry (add them to a tests/**/scope_routes.py): {missing}"


def test_matrix_names_real_routes():

    known = set(_route_names(get_resolver().url_patterns))
    assert {r.name for r in ROUTES} <= known


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=[r.label for r in ROUTES])
def test_scope(route, role, world, client_for):
    if route.setup:
        route.setup(world)
    user = None if role == "anonymous" else world.users[role]
    client = client_for(user)
    url = reverse(route.name, kwargs=route.kwargs(world))
    if route.query:
        url += "?" + route.query(world)
    response = getattr(client, route.method)(url)
    expected = route.status_for(role)
    assert response.status_code == expected, (
        f"{role} {route.method.upper()} {url}: {response.status_code}, expected {expected}")
    if role == "anonymous" and expected == 302 and route.name not in ("logout",):
        assert response["Location"].startswith(reverse(settings.LOGIN_URL)), response["Location"]
    if route.shown and expected == 200 and role in ("township_a", "township_b"):
        text = route.shown(world)
        content = response.content.decode()
        if role == "township_a":
            assert text in content, f"{text!r} should be listed for the township in scope"
        else:
            assert text not in content, f"{text!r} is outside township B's scope but is listed"
