"""The interface's own strings are translated in every shipped language."""

from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

LOCALE = Path(settings.LOCALE_PATHS[0])


def catalogue_entries(po: Path):
    """(msgid, msgstr) pairs of a .po file, joining continued lines."""
    entries, key, parts = [], None, {"msgid": [], "msgstr": []}
    for line in po.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith(("msgid ", "msgstr ")):
            key = line.split(" ", 1)[0]
            if key == "msgid" and parts["msgid"]:
                entries.append(("".join(parts["msgid"]), "".join(parts["msgstr"])))
                parts = {"msgid": [], "msgstr": []}
            parts[key].append(line.split(" ", 1)[1].strip('"'))
        elif line.startswith('"') and key:
            parts[key].append(line.strip('"'))
    entries.append(("".join(parts["msgid"]), "".join(parts["msgstr"])))
    return [(i, s) for i, s in entries if i]


@pytest.mark.parametrize("lang", [code for code, _name in settings.LANGUAGES if code != "en"])
def test_every_interface_string_is_translated_and_compiled(lang):
    po = LOCALE / lang / "LC_MESSAGES" / "django.po"
    assert (po.with_suffix(".mo")).exists(), f"{lang}: run msgfmt (see docs/instrument.md)"
    entries = catalogue_entries(po)
    assert entries
    untranslated = [msgid for msgid, msgstr in entries if not msgstr]
    assert not untranslated, f"{lang}: untranslated: {untranslated}"
    assert "#, fuzzy\nmsgid" not in po.read_text(encoding="utf-8")
    with translation.override(lang):
        assert _("Skip to main content") != "Skip to main content"
