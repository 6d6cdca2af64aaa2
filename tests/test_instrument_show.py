"""`acsreview instrument show` and `list`: the tree with counts."""

import shutil

from .conftest import ROOT


def test_show_prints_the_tree_with_counts(cli):
    result = cli("instrument", "show")
    assert result.exit_code == 0
    out = result.output
    assert "ACS diagnostic tool (acs-diagnostic 1.0): 74 questions, 62 scored, 12 open text" in out
    assert "System level: 4 domains, 19 questions" in out
    assert "Provider level: 4 domains, 30 questions" in out
    assert "Client level: 4 domains, 25 questions" in out
    assert "PRV-CJE CJS providers: External barriers: 9 questions (8 scored, 1 open)" in out
    assert "best-practice principles: 13" in out
    assert "questions to Legal & Policy Correspondents: 4" in out
    assert "Identify and address existing barriers to ACS use: System level 8," in out
    assert "Participants (participants): 30" in out


def test_show_in_another_language_is_in_that_language_throughout(cli):
    """The instrument's texts and the counts around them: no English left in between."""
    out = cli("instrument", "show", "--lang", "fr").output
    assert "Niveau du système: 4 domaines, 19 questions" in out
    assert "6 questions (5 sur l'échelle, 1 en texte libre)" in out
    assert "principes de bonne pratique: 13" in out
    for english in ["domains", "scored", " open", "Lists", "Areas for action", "Languages"]:
        assert english not in out, english
    german = cli("instrument", "show", "--lang", "de").output
    assert "4 Bereiche, 19 Fragen" in german and "bewertet" in german


def test_show_can_list_every_question(cli):
    out = cli("instrument", "show", "--questions").output
    assert "CLI-CON-03 Are participants assured that they will not be deported" in out


def test_list_names_versions_languages_and_variants(cli, tmp_path):
    shutil.copy(ROOT / "docs" / "examples" / "acs-diagnostic-xa-1.0.yaml", tmp_path)
    out = cli("instrument", "list", "--dir", tmp_path).output
    assert "acs-diagnostic 1.0\t74 questions\tlanguages: en" in out
    assert "acs-diagnostic-xa 1.0-xa.1\t74 questions" in out
    assert "variant of acs-diagnostic 1.0 for XA" in out


def test_show_of_an_unknown_instrument_is_a_one_line_error(cli):
    result = cli("instrument", "show", "--instrument", "nothing")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: no instrument nothing (available: acs-diagnostic 1.0")
