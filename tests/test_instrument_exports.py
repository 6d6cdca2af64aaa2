"""`acsreview instrument export`: XLSForms that ODK's own converter accepts, JSON, Markdown."""

import json

import pytest
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from acsreview.core.instrument import iter_questions
from acsreview.core.instrument.select import effective_groups, field_name, for_group
from acsreview.core.instrument.shipped import shipped_groups, shipped_languages


def sheet_rows(path, name):
    ws = load_workbook(path, read_only=True)[name]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    return rows[0], rows[1:]


@pytest.mark.parametrize("group", [None, *shipped_groups()])
@pytest.mark.parametrize("lang", [None, *shipped_languages()])
def test_every_group_and_language_converts_with_pyxform(tmp_path, cli, group, lang):
    out = tmp_path / "form.xlsx"
    args = ["instrument", "export", "--format", "xlsform", "-o", out]
    args += ["--group", group] if group else []
    args += ["--lang", lang] if lang else []
    result = cli(*args)
    assert result.exit_code == 0, result.output
    warnings = []
    xform = convert(xlsform=str(out), warnings=warnings).xform
    assert "<h:title>" in xform
    assert not warnings, warnings


def test_the_xlsform_carries_language_columns_choices_and_settings(tmp_path, cli, instrument,
                                                                    library):
    out = tmp_path / "police.xlsx"
    assert cli("instrument", "export", "--format", "xlsform", "--group", "police",
               "-o", out).exit_code == 0
    header, rows = sheet_rows(out, "survey")
    for lang in library.languages(instrument):
        assert any(h.startswith("label::") and h.endswith(f"({lang})") for h in header)
    assert "label::English (en)" in header and "hint::English (en)" in header
    names = [r[1] for r in rows if r[0] and r[0].startswith(("select_one", "text"))]
    police = for_group(instrument, "police")
    assert names == [field_name(q.id) for q in iter_questions(police)]
    assert "PRV_HLI_01" not in names  # health providers' internal barriers: not for police
    assert "PRV_CJI_01" in names

    c_header, choices = sheet_rows(out, "choices")
    assert [r[1] for r in choices] == ["yes", "partly", "no", "dont_know", "not_applicable",
                                       "prefer_not_to_say"]
    s_header, [settings] = sheet_rows(out, "settings")
    values = dict(zip(s_header, settings, strict=True))
    assert values["form_id"] == "acs_diagnostic_1_0_police"
    assert values["version"] == "1.0"
    assert values["default_language"] == "English (en)"


def test_each_group_gets_exactly_its_questions(instrument):
    for group in shipped_groups():
        expected = [q.id for level in instrument.levels for d in level.domains
                    for q in d.questions if group in effective_groups(q, d)]
        assert [q.id for q in iter_questions(for_group(instrument, group))] == expected
        assert expected, group
    participants = [q.id for q in iter_questions(for_group(instrument, "participants"))]
    assert all(q.startswith(("CLI-", "SYS-SOC-")) for q in participants)


def test_an_unknown_group_or_language_is_a_one_line_error(tmp_path, cli):
    result = cli("instrument", "export", "--format", "xlsform", "--group", "pilots",
                 "-o", tmp_path / "x.xlsx")
    assert result.exit_code == 1
    assert "unknown stakeholder group 'pilots'" in result.stderr
    result = cli("instrument", "export", "--format", "json", "--lang", "xx",
                 "-o", tmp_path / "x.json")
    assert result.exit_code == 1 and "has no 'xx' translation" in result.stderr
    assert not (tmp_path / "x.xlsx").exists() and not (tmp_path / "x.json").exists()


def test_the_json_export_is_the_resolved_instrument(tmp_path, cli):
    out = tmp_path / "instrument.json"
    assert cli("instrument", "export", "--format", "json", "-o", out).exit_code == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["language"] == "en" and doc["untranslated"] == []
    inst = doc["instrument"]
    assert inst["schema"] == "acsreview-instrument/1"
    questions = [q for lvl in inst["levels"] for d in lvl["domains"] for q in d["questions"]]
    assert len(questions) == 74
    assert questions[0]["id"] == "SYS-REG-01" and questions[0]["polarity"] == "facilitator"


def test_the_markdown_export_reads_as_a_questionnaire(tmp_path, cli, instrument):
    out = tmp_path / "instrument.md"
    assert cli("instrument", "export", "--format", "markdown", "-o", out).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# ACS diagnostic tool")
    for q in iter_questions(instrument):
        assert f"**{q.id}** {q.text}" in text
    for heading in ("## System level", "## Questions to Legal & Policy Correspondents",
                    "## Best-practice principles", "## Sources"):
        assert heading in text
    group_out = tmp_path / "participants.md"
    assert cli("instrument", "export", "--format", "markdown", "--group", "participants",
               "-o", group_out).exit_code == 0
    assert "PRV-CJI-01" not in group_out.read_text(encoding="utf-8")
