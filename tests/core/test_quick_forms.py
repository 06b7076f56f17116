"""core.forms: the filters' <select> written in Python, the same HTML as Django's; choices read in one query."""
import re

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.forms import ListedModelChoiceField, QuickSelect
from villages.models import Township


def _tags(html: str) -> list:
    """The tags (name and sorted attributes) and texts, whitespace between tags ignored."""
    out = []
    for piece in re.findall(r"<[^>]+>|[^<\s][^<]*[^<\s]|[^<\s]", html):
        if piece.startswith("<"):
            name = re.match(r"</?\w+", piece).group()
            out.append((name, sorted(re.findall(r'([\w-]+)(?:="([^"]*)")?', piece[len(name):]))))
        else:
            out.append(piece)
    return out


class Both(forms.Form):
    choices = [("", "任意"), ("a&b", "A <甲> & \"乙\""), ("组", [("g1", "一组"), ("g2", "二组")])]
    django = forms.ChoiceField(choices=choices, required=False, widget=forms.Select(attrs={"class": "x"}))
    quick = forms.ChoiceField(choices=choices, required=False, widget=QuickSelect(attrs={"class": "x"}))


@pytest.mark.parametrize("data", [{}, {"django": "a&b", "quick": "a&b"}, {"django": "g2", "quick": "g2"},
                                  {"django": "nope", "quick": "nope"}])
def test_quickselect_writes_what_djangos_select_writes(data):
    form = Both(data or None)
    form.is_valid()
    django, quick = str(form["django"]), str(form["quick"])
    assert _tags(quick) == _tags(django.replace('name="django"', 'name="quick"').replace('id="id_django"',
                                                                                       'id="id_quick"')
                                 .replace("id_django_error", "id_quick_error"))


class TownshipFilter(forms.Form):
    township = ListedModelChoiceField(queryset=None, required=False, empty_label="全部")


@pytest.mark.django_db
def test_the_choices_come_in_one_query_without_a_server_side_cursor(world):
    form = TownshipFilter({"township": world.township_b.pk})
    form.fields["township"].queryset = Township.objects.order_by("code")
    assert form.is_valid() and form.cleaned_data["township"] == world.township_b
    with CaptureQueriesContext(connection) as queries:
        html = str(form["township"])
    assert len(queries) == 1 and "DECLARE" not in queries[0]["sql"]
    assert f'<option value="{world.township_b.pk}" selected>{world.township_b.name}</option>' in html
    assert html.startswith('<select name="township" id="id_township"><option value="">全部</option>')
