"""The interface's own strings are translated in every shipped language."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

LOCALE = Path(settings.LOCALE_PATHS[0])


def catalogue_entries(po: Path):
    """(msgid, [msgstr, ...]) of a .po file: continued lines joined, plural forms listed."""
    entries, current, key = [], None, None
    for line in po.read_text(encoding="utf-8").splitlines():
        head = line.split(" ", 1)[0]
        if head == "msgid":
            current = {"msgid": [], "msgstr": {}}
            entries.append(current)
            key = ("msgid", None)
        elif head == "msgid_plural":
            key = ("plural", None)
        elif head.startswith("msgstr"):
            index = head[len("msgstr["):-1] if head.startswith("msgstr[") else "0"
            current["msgstr"][index] = []
            key = ("msgstr", index)
        elif not line.startswith('"'):
            key = None
            continue
        if key is None or key[0] == "plural":
            continue
        text = line.split(" ", 1)[1] if not line.startswith('"') else line
        target = current["msgid"] if key[0] == "msgid" else current["msgstr"][key[1]]
        target.append(text.strip().strip('"'))
    return [("".join(e["msgid"]), ["".join(v) for v in e["msgstr"].values()])
            for e in entries if "".join(e["msgid"])]


@pytest.mark.parametrize("lang", [code for code, _name in settings.LANGUAGES if code != "en"])
def test_every_interface_string_is_translated_and_compiled(lang):
    po = LOCALE / lang / "LC_MESSAGES" / "django.po"
    assert (po.with_suffix(".mo")).exists(), f"{lang}: run msgfmt (see docs/instrument.md)"
    entries = catalogue_entries(po)
    assert entries
    untranslated = [msgid for msgid, forms in entries if not forms or not all(forms)]
    assert not untranslated, f"{lang}: untranslated: {untranslated}"
    fuzzy = re.findall(r"^#,.*\bfuzzy\b.*$", po.read_text(encoding="utf-8"), re.M)
    assert not fuzzy, f"{lang}: fuzzy entries need checking: {fuzzy}"
    with translation.override(lang):
        assert _("Skip to main content") != "Skip to main content"


def test_the_check_itself_sees_an_untranslated_entry(tmp_path):
    po = tmp_path / "django.po"
    po.write_text('msgid ""\nmsgstr ""\n"Language: fr\\n"\n\nmsgid "Done"\nmsgstr "Fait"\n\n'
                  'msgid "Open"\nmsgstr ""\n\nmsgid "one item"\nmsgid_plural "%(n)s items"\n'
                  'msgstr[0] "un élément"\nmsgstr[1] ""\n', encoding="utf-8")
    entries = dict(catalogue_entries(po))
    assert entries == {"Done": ["Fait"], "Open": [""], "one item": ["un élément", ""]}
