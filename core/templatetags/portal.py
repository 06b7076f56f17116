from django import template

from villages.idnumbers import mask_id_number, mask_phone

register = template.Library()


@register.simple_tag(takes_context=True)
def id_number(context, person):
    """The ID number in full for users allowed to see it, masked for everyone else."""
    user = context["request"].user
    if user.has_perm("villages.view_full_id_number"):
        return person.id_number
    return mask_id_number(person.id_number)


@register.simple_tag(takes_context=True)
def phone(context, person):
    user = context["request"].user
    if user.has_perm("villages.view_full_id_number"):
        return person.phone
    return mask_phone(person.phone)


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """The current query string with some parameters replaced (pagination links that keep the filters)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()
