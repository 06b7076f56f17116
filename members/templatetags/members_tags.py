from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

register = template.Library()


@register.filter
def pct(value, digits=1):
    """0.0523 → '5.2%'; None → '—'."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.{int(digits)}f}%"


@register.simple_tag(takes_context=True)
def rule_options(context, rules, selected_id):
    """The <option>s of a grid's rule select, rendered once per page (every member's every deduction slot has one:
    rendering them through the template for each slot was most of the grid page's time)."""
    cache = context.render_context.setdefault("members_rule_options", {})
    options = cache.get(id(rules))
    if options is None:
        options = cache[id(rules)] = [
            (rule.pk, *(format_html('<option value="{}" data-number="{}" data-text="{}"{}>{}. {} (−{})</option>',
                                    rule.pk, rule.number, rule.text, mark_safe(selected), rule.number,
                                    Truncator(rule.text).chars(18), rule.points)
                        for selected in ("", " selected")))
            for rule in rules
        ]
    return mark_safe("".join(on if pk == selected_id else off for pk, off, on in options))


@register.simple_tag
def cell_error(errors, *cell):
    """The message of `errors` (a member's grid errors) that belongs to the cell named by joining `cell` with "-"
    ("reason"; "d", 0, "note" → "d-0-note"), or ""."""
    name = "-".join(str(part) for part in cell)
    return next((e for e in errors if getattr(e, "cell", None) == name), "")
