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
    assert "principles: 13" in out and "correspondent questions: 4" in out


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
