"""Form pieces for the long lists' filters, where the page's time is measured (issue 13).

Django renders a <select> through three templates per option (select_option.html, attrs.html) and reads a
ModelChoiceField's choices through a server-side cursor on PostgreSQL (DECLARE, FETCH, CLOSE: three round trips).
For a township filter of 70 townships that was 5 ms of a 40 ms page. QuickSelect writes the same HTML in Python;
ListedModelChoiceField reads its rows in one query. Both behave as Django's otherwise (validation, attributes,
selected option, option groups), so a form can use them without changing anything else.
"""
from __future__ import annotations

from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class QuickSelect(forms.Select):
    """forms.Select, its HTML written in Python (the same markup Django's templates write)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group, options, _index in widget["optgroups"]:
            rendered = format_html_join("", "<option value=\"{}\"{}>{}</option>",
                                        ((o["value"], flatatt(o["attrs"]), o["label"]) for o in options))
            parts.append(format_html("<optgroup label=\"{}\">{}</optgroup>", group, rendered) if group else rendered)
        return format_html("<select name=\"{}\"{}>{}</select>", widget["name"], flatatt(widget["attrs"]),
                           mark_safe("".join(parts)))  # each part written by format_html: escaped


class ListedChoiceIterator(ModelChoiceIterator):
    """The choices from the queryset read at once (a list; no server-side cursor), the empty label first."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class ListedModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField for a short list (a county's townships): one query, rendered by QuickSelect."""

    iterator = ListedChoiceIterator
    widget = QuickSelect


class QuickChoiceField(forms.ChoiceField):
    widget = QuickSelect
