"""The Chinese interface is complete: every catalogue fully translated, and the committed .mo matches its .po."""
import gettext
import re
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(ROOT.glob("*/locale/zh_Hans/LC_MESSAGES/django.po")) + sorted(
    ROOT.glob("locale/zh_Hans/LC_MESSAGES/django.po")
)


def parse_po(path):
    """(msgid, msgstr, flags) for each entry; plural entries give msgstr[0]."""
    entries, current, field, flags, context = [], None, None, "", None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("#,"):
            flags = line
        elif line.startswith("msgctxt "):
            context = eval(line[8:])
        elif line.startswith("msgid "):
            current, field = {"msgid": "", "msgstr": "", "flags": flags, "msgctxt": context}, "msgid"
            current["msgid"] = eval(line[6:])
        elif line.startswith("msgid_plural "):
            field = "plural"
        elif line.startswith("msgstr ") or line.startswith("msgstr[0] "):
            field = "msgstr"
            current["msgstr"] = eval(line.split(" ", 1)[1])
        elif line.startswith("msgstr["):
            field = None
        elif line.startswith('"') and current is not None and field in ("msgid", "msgstr"):
            current[field] += eval(line)
        elif not line.strip() and current is not None:
            entries.append(current)
            current, flags, context = None, "", None
    return [e for e in entries if e["msgid"]]


def test_catalogues_exist_for_every_app():
    apps = {p.parts[-5] for p in CATALOGUES if len(p.parts) >= 5}
    assert {"core", "villages", "accounts", "members"} <= apps


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_complete_and_compiled(po):
    entries = parse_po(po)
    untranslated = [e["msgid"] for e in entries if not e["msgstr"]]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert not untranslated, f"untranslated in {po}: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy in {po}: {fuzzy[:10]}"
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} missing: run bin/compilemessages"
    with mo.open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    def compiled_text(e):
        return compiled.pgettext(e["msgctxt"], e["msgid"]) if e["msgctxt"] else compiled.gettext(e["msgid"])

    stale = [e["msgid"] for e in entries if compiled_text(e) != e["msgstr"]]
    assert not stale, f"{mo} is older than its .po (run bin/compilemessages): {stale[:5]}"


def test_interface_is_chinese_by_default_and_english_one_setting_away(client, db):
    page = client.get("/login/").content.decode()
    assert "登录强基" in page
    with override_settings(LANGUAGE_CODE="en"):
        translation.activate("en")
        try:
            assert "Log in to Qiangji" in client.get("/login/").content.decode()
        finally:
            translation.activate("zh-hans")


def test_placeholders_survive_translation():
    for po in CATALOGUES:
        for e in parse_po(po):
            assert set(re.findall(r"%\((\w+)\)", e["msgid"])) == set(re.findall(r"%\((\w+)\)", e["msgstr"])), (
                po, e["msgid"])


def test_a_message_reads_the_same_in_every_catalogue():
    """Django takes a message from the first catalogue that has it (locale/, then the apps in INSTALLED_APPS order),
    so a message two apps translate differently shows one app's wording in the other's pages. Same meaning: one
    wording (bin/i18n-unify copies the winner's); another meaning: a context (pgettext, {% translate … context … %})."""
    seen, conflicts = {}, []
    for po in CATALOGUES:
        with open(po.with_suffix(".mo"), "rb") as f:
            catalog = gettext.GNUTranslations(f)._catalog
        for key, text in catalog.items():
            if not key or not text:
                continue
            if key in seen and seen[key][1] != text:
                conflicts.append(f"{key!r}: {seen[key][0]} says {seen[key][1]!r}, {po.parts[-5]} says {text!r}")
            seen.setdefault(key, (po.parts[-5], text))
    assert not conflicts, "\n".join(conflicts)
