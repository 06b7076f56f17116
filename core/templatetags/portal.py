from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core.pii import mask_id_number, mask_phone

register = template.Library()


@register.simple_tag
def id_number(person):
    """ID numbers are shown masked everywhere; the full number only through the recorded reveal on the person page."""
    return mask_id_number(person.id_number)


@register.simple_tag
def phone(person):
    return mask_phone(person.phone)


@register.filter
def minutes(delta) -> int:
    """A timedelta in whole minutes."""
    return int(delta.total_seconds() // 60) if delta else 0


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """The current query string with some parameters replaced (pagination links that keep the filters)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()


@register.simple_tag
def maxlength(model_label: str, field_name: str) -> int:
    """The max_length of a model field, for hand-written inputs: {% maxlength "members.Deduction" "note" %}."""
    from django.apps import apps

    return apps.get_model(model_label)._meta.get_field(field_name).max_length


def _covers(route: str, also: str, view_name: str) -> bool:
    """Whether the page named view_name belongs under the navigation link to route: the route itself, the pages of
    the same model ("members:monthlyreview_list" covers "members:monthlyreview_grid"), and the extra route names or
    name prefixes (ending in "_") listed in also."""
    namespace, _, name = route.rpartition(":")
    patterns = [route, *also.split()]
    if "_" in name:
        patterns.append(f"{namespace}:{name.rsplit('_', 1)[0]}_" if namespace else name.rsplit("_", 1)[0] + "_")
    return any(view_name == p or (p.endswith("_") and view_name.startswith(p)) for p in patterns)


@register.simple_tag(takes_context=True)
def navlink(context, route, label, also=""):
    """A main-navigation link, marked aria-current="page" when the current page (request.resolver_match) is the
    route or a page under it."""
    match = getattr(context.get("request"), "resolver_match", None)
    current = bool(match and _covers(route, also, match.view_name))
    return format_html('<a href="{}"{}>{}</a>', reverse(route), mark_safe(' aria-current="page"') if current else "",
                       label)


@register.simple_tag(takes_context=True)
def navgroup_current(context, *namespaces):
    """Whether the current page lies in one of the URL namespaces (the initiative) of a navigation group."""
    match = getattr(context.get("request"), "resolver_match", None)
    return bool(match and match.namespace in namespaces)


@register.inclusion_tag("core/_reopen_ask.html", takes_context=True)
def reopen_ask(context, period):
    """On an accepted period's page: the township's link to ask the county to reopen it (or the request waiting),
    from whichever app answers core.hooks.reopen_request_url; nothing when none does."""
    from core import hooks

    return {"ask": hooks.reopen_request_url(user=context["request"].user, period=period) if period else None}


_NAV_CACHE: dict[tuple, str] = {}
_NAV_CACHE_SIZE = 512


@register.simple_tag(takes_context=True)
def mainnav(context):
    """The main navigation's links (core/_mainnav.html). What they show depends only on the user's permissions
    (is_staff, is_superuser, is_active and the permission names), the current page's view name and the language, so
    the rendered HTML is kept per those in the process and rendered once for each: a dozen includes and thirty links
    cost ~3 ms of every page. The key holds every input, so nothing needs to be invalidated; a changed template
    clears it (the development server's autoreload)."""
    from django.template.loader import render_to_string
    from django.utils import translation

    request = context["request"]
    user = context["user"]
    match = getattr(request, "resolver_match", None)
    key = (translation.get_language(), match.view_name if match else None, user.is_active, user.is_staff,
           user.is_superuser, frozenset(user.get_all_permissions()))
    html = _NAV_CACHE.get(key)
    if html is None:
        if len(_NAV_CACHE) >= _NAV_CACHE_SIZE:
            _NAV_CACHE.clear()
        html = _NAV_CACHE[key] = render_to_string("core/_mainnav.html", context.flatten(), request=None)
    return mark_safe(html)


def _template_changed(sender, file_path, **kwargs):
    if file_path.suffix == ".html":
        _NAV_CACHE.clear()


def _connect_autoreload():
    from django.utils.autoreload import file_changed

    file_changed.connect(_template_changed, dispatch_uid="portal-mainnav")


_connect_autoreload()
