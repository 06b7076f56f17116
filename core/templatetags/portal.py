from django import template

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


@register.inclusion_tag("core/_reopen_ask.html", takes_context=True)
def reopen_ask(context, period):
    """On an accepted period's page: the township's link to ask the county to reopen it (or the request waiting),
    from whichever app answers core.hooks.reopen_request_url; nothing when none does."""
    from core import hooks

    return {"ask": hooks.reopen_request_url(user=context["request"].user, period=period) if period else None}
