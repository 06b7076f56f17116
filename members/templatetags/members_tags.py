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


@register.simple_tag
def overview_rows(villages, batch):
    """The month overview's village rows (<tr> each), written here rather than by the template: 50 rows of ten
    cells were ~3 ms of a 20 ms page; here every value is escaped (html.escape, as Django's escape) and the rows
    joined in well under a millisecond. The rows are MonthOverviewView's (status label and grid link added); with
    `batch`, a submitted month's row has the box that selects it for accepting or returning."""
    from html import escape

    from django.utils.translation import gettext as _

    not_started = f'<span class="muted">{escape(_("Not started"))}</span>'
    out = []
    for v in villages:
        name = escape(v.name)
        pick = ""
        if batch:
            box = (f'<input type="checkbox" name="ids" value="{v.review_id}" aria-label="{name}">'
                   if v.review_status == "submitted" else "")
            pick = f'<td class="pick">{box}</td>'
        status = (f'<span class="status-{escape(v.review_status)}">{escape(str(v.status_label))}</span>'
                  if v.review_status else not_started)
        talks = f'<strong class="error">{v.open_talks}</strong>' if v.open_talks else "0"
        out.append(
            f'<tr>{pick}<td>{escape(v.township_name)}</td><td><a href="{escape(v.grid_url)}">{name}</a></td>'
            f'<td class="num">{v.member_count}</td><td>{status}</td><td class="num">{v.excellent_count}</td>'
            f'<td class="num">{v.deducted_count}</td><td class="num">{talks}</td></tr>')
    return mark_safe("\n".join(out))
