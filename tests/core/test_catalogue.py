"""The catalogue review that would have caught the rule-set page's two columns both headed 类别 (issue 16, defect 4):
within one template, two different messages (msgid, or context) must not read the same in Chinese, or the user sees
two things under one name. Messages are read from the templates as makemessages reads them ({% translate %},
{% trans %}, {% blocktranslate %} … with their context) and looked up in the zh_Hans catalogues.

A pair that legitimately reads the same goes into ALLOWED with the reason."""
from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation.template import templatize

ROOT = Path(settings.BASE_DIR)
APPS = ("accounts", "assemblies", "core", "evaluations", "members", "pledges", "reports", "villages")

# (template relative to the project, the Chinese text) → why two messages may read the same there.
ALLOWED: dict[tuple[str, str], str] = {
    ("assemblies/templates/assemblies/village_detail.html", "户代表会议"):
        "the tab title (Household representatives) and the crumbs (Household-representative meetings) both name "
        "the initiative, 户代表会议制度, as the navigation does",
    ("assemblies/templates/assemblies/village_detail.html", "修改"):
        "Change (the speaker pilot) and Edit (a discussion point) are the same action, links to their forms",
    ("members/templates/members/monthlyreview_grid.html", "合格"):
        "OK is the grid's short button for Qualified; both are the rating 合格",
    ("members/templates/members/monthlyreview_grid.html", "优"):
        "Exc. is the grid's short button for Excellent; both are the rating 优",
}

_LITERAL = r"""u(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
_CALL = re.compile(rf"\b(npgettext|ngettext|pgettext|gettext)\(((?:{_LITERAL}\s*,\s*)*{_LITERAL})")


def templates() -> list[Path]:
    found = sorted((ROOT / "templates").rglob("*.html"))
    for app in APPS:
        found += sorted((ROOT / app / "templates").rglob("*.html"))
    return found


def messages(source: str) -> set[tuple[str | None, str]]:
    """(context, msgid) of every translatable message in a template's source, as makemessages extracts them."""
    found = set()
    for function, args in _CALL.findall(templatize(source)):
        strings = [ast.literal_eval(s[1:]) for s in re.findall(_LITERAL, args)]
        if function.startswith("np") or function == "pgettext":
            found.add((strings[0], strings[1]))
        else:
            found.add((None, strings[0]))
    return found


def chinese(context: str | None, msgid: str) -> str:
    return translation.pgettext(context, msgid) if context else translation.gettext(msgid)


def collisions(path: Path) -> dict[str, set]:
    """Chinese text → the different messages of the template that read so (only texts read by two or more).
    A singular and its English plural (Village, Villages) are one message here: Chinese nouns have no plural."""
    by_text = defaultdict(set)
    with translation.override("zh-hans"):
        for context, msgid in messages(path.read_text(encoding="utf-8")):
            by_text[chinese(context, msgid)].add((context, msgid))
    for keys in by_text.values():
        keys -= {(c, m) for c, m in set(keys) if m.endswith("s") and (c, m[:-1]) in keys}
    return {text: keys for text, keys in by_text.items() if len(keys) > 1}


def test_the_reader_finds_messages_with_their_context():
    source = ('{% load i18n %}{% translate "Kind" context "basic or specific requirement" %}{% trans "Category" %}'
              '{% blocktranslate with year=y %}Submissions in {{ year }}{% endblocktranslate %}'
              "{% blocktranslate count n=k %}and {{ n }} more{% plural %}and {{ n }} others{% endblocktranslate %}"
              "{% translate \"It's\" %}")
    assert messages(source) == {("basic or specific requirement", "Kind"), (None, "Category"),
                                (None, "Submissions in %(year)s"), (None, "and %(n)s more"), (None, "It's")}


def test_the_check_catches_two_columns_both_headed_leibie(tmp_path):
    page = tmp_path / "page.html"
    page.write_text('{% load i18n %}<th>{% translate "Kind" %}</th><th>{% translate "Category" %}</th>'
                    '<th>{% translate "Village" %}</th><th>{% translate "Villages" %}</th>')
    assert set(collisions(page)) == {"类别"}  # 村 for Village and Villages is one noun


@pytest.mark.parametrize("path", templates(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_two_messages_of_a_template_read_the_same_in_chinese(path):
    name = str(path.relative_to(ROOT))
    found = {text: keys for text, keys in collisions(path).items() if (name, text) not in ALLOWED}
    assert not found, "; ".join(
        f"{text!r} translates {sorted(k[1] + (f' [{k[0]}]' if k[0] else '') for k in keys)}" for text, keys in
        found.items())


def test_every_allowance_is_still_needed_and_has_a_reason():
    for (name, text), reason in ALLOWED.items():
        assert reason.strip(), name
        assert text in collisions(ROOT / name), f"{name}: {text!r} no longer collides; drop it from ALLOWED"
