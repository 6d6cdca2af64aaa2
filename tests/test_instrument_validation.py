"""`acsreview instrument validate` names the file, line, path and problem, and never crashes."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from acsreview.core.instrument import validate_file
from acsreview.core.instrument.yamlio import YamlProblem, parse_yaml

from .conftest import BASE_FILE

BASE = BASE_FILE.read_text(encoding="utf-8")
LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): (?P<path>\S+): (?P<msg>.+)$")


def write(tmp_path, text, name="instrument.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def mutated(tmp_path, old, new, count=1):
    assert BASE.count(old) >= count, old
    return write(tmp_path, BASE.replace(old, new, count))


def line_of(path, needle):
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return i
    raise AssertionError(needle)


def test_the_shipped_instrument_is_valid(cli):
    result = cli("instrument", "validate", BASE_FILE)
    assert result.exit_code == 0
    assert result.output.strip().endswith(": valid")


def test_an_unknown_key_is_named_with_its_line_and_path(tmp_path, cli):
    path = mutated(tmp_path, "            polarity: facilitator\n            policy_lever: true\n"
                             "            areas: [address_barriers]\n",
                   "            polarty: facilitator\n            policy_lever: true\n"
                   "            areas: [address_barriers]\n")
    result = cli("instrument", "validate", path)
    assert result.exit_code == 1
    m = LINE.match(result.stdout.splitlines()[0])
    assert m, result.stdout
    assert m["file"] == str(path)
    assert int(m["line"]) == line_of(path, "polarty:")
    assert m["path"] == "levels[system].domains[SYS-REG].questions[SYS-REG-01]"
    assert m["msg"] == "unknown key 'polarty'"
    assert "Traceback" not in result.output
    assert "1 problem(s) found" in result.stderr


def test_a_duplicate_question_id_is_refused(tmp_path):
    path = mutated(tmp_path, "id: SYS-SOC-02", "id: SYS-SOC-01")
    problems = validate_file(path)
    assert [p.message for p in problems] == ["duplicate id 'SYS-SOC-01'"]
    assert problems[0].path == "levels[system].domains[SYS-SOC].questions[SYS-SOC-01].id"
    assert problems[0].line == line_of(path, "text: Is there public support") - 1


def test_a_question_without_an_area_for_action_is_refused(tmp_path):
    path = mutated(tmp_path, "            areas: [evidence]\n            source: SEED\n",
                   "            areas: []\n            source: SEED\n")
    [problem] = validate_file(path)
    assert problem.path.endswith("questions[SYS-INT-03].areas")
    assert problem.message == "needs at least one area for action"


def test_a_question_with_no_areas_key_is_refused(tmp_path):
    path = mutated(tmp_path, "            areas: [evidence]\n            source: SEED\n",
                   "            source: SEED\n")
    [problem] = validate_file(path)
    assert problem.path.endswith("questions[SYS-INT-03]")
    assert problem.message == "missing required key 'areas'"


def test_an_unknown_area_group_facilitator_or_source_is_named(tmp_path):
    text = BASE.replace("areas: [evidence]\n            source: SEED", "areas: [evidense]\n"
                        "            source: SEED", 1)
    text = text.replace("groups: [police, prosecutors, judges, probation, prison]",
                        "groups: [police, prosecutors, judges, probation, prisons]", 1)
    text = text.replace("facilitators: [CAT-OF-07,", "facilitators: [CAT-OF-70,", 1)
    text = text.replace("            answer_type: text\n            areas: [address_barriers]\n"
                        "            source: SEED", "            answer_type: text\n"
                        "            areas: [address_barriers]\n            source: SEEED", 1)
    problems = {p.message: p for p in validate_file(write(tmp_path, text))}
    assert set(problems) == {"unknown area for action 'evidense'",
                             "unknown stakeholder group 'prisons'",
                             "unknown facilitator 'CAT-OF-70'", "unknown source 'SEEED'"}
    assert problems["unknown stakeholder group 'prisons'"].path == \
        "levels[provider].domains[PRV-CJI].groups[4]"


def test_a_choice_question_needs_a_polarity_and_an_open_item_has_none(tmp_path):
    text = BASE.replace("            answer_type: choice\n            polarity: facilitator\n"
                        "            policy_lever: true\n            areas: [address_barriers]\n",
                        "            answer_type: choice\n            policy_lever: true\n"
                        "            areas: [address_barriers]\n", 1)
    text = text.replace("            answer_type: text\n            areas: [evidence]",
                        "            answer_type: text\n            polarity: barrier\n"
                        "            areas: [evidence]", 1)
    messages = sorted(p.message for p in validate_file(write(tmp_path, text)))
    assert messages == [
        "a choice question needs a polarity (facilitator or barrier)",
        "an open-text question is not scored and takes no polarity",
    ]


def test_a_counterpart_must_be_mutual(tmp_path):
    path = mutated(tmp_path, "counterpart: PRV-HLE-02", "counterpart: PRV-HLE-03")
    messages = [p.message for p in validate_file(path)]
    assert "'PRV-HLE-03' must name 'PRV-CJE-02' as its counterpart in return" in messages


def test_bad_yaml_names_the_line(tmp_path, cli):
    path = write(tmp_path, BASE.replace("title: ACS diagnostic tool", "title: [ACS", 1))
    result = cli("instrument", "validate", path)
    assert result.exit_code == 1
    assert re.match(rf"^{re.escape(str(path))}:\d+: not valid YAML: ", result.stdout)
    assert "Traceback" not in result.output


def test_a_duplicate_yaml_key_is_refused_not_silently_overwritten(tmp_path):
    path = mutated(tmp_path, 'version: "1.0"\n', 'version: "1.0"\nversion: "1.1"\n')
    [problem] = validate_file(path)
    assert problem.message == "duplicate key 'version'"
    assert problem.line == line_of(path, 'version: "1.1"')


@pytest.mark.parametrize("text, message", [
    ("a: &x [1, 2]\nb: *x\n", "anchors and aliases are not allowed in an instrument file"),
    ("a: !!python/object/apply:os.system [ls]\n", "the tag"),
    ("", "the file is empty"),
    ("- just\n- a list\n", "the file must be a mapping of keys to values"),
    ("schema: something-else\n", "unknown schema 'something-else'"),
    ("id: x\n", "missing required key 'schema'"),
])
def test_hostile_or_wrong_files_are_refused_with_a_reason(tmp_path, text, message):
    problems = validate_file(write(tmp_path, text))
    assert problems and message in problems[0].message


def test_a_missing_file_is_reported_not_raised(tmp_path, cli):
    result = cli("instrument", "validate", tmp_path / "nowhere.yaml")
    assert result.exit_code == 1
    assert "nowhere.yaml: no such file" in result.stdout


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("title: Caf\xe9\n".encode("latin-1"))
    [problem] = validate_file(path)
    assert problem.message.startswith("not UTF-8 text")


def test_a_language_declared_complete_needs_a_complete_translation(tmp_path):
    path = mutated(tmp_path, "languages: [en]", "languages: [en, fr]")
    [problem] = validate_file(path)
    assert problem.path == "languages[1]"
    assert "'fr' is declared complete but has no valid translation file" in problem.message
    (tmp_path / "instrument.fr.yaml").write_text(
        'schema: acsreview-translation/1\ninstrument: acs-diagnostic\nversion: "1.0"\n'
        "language: fr\nstatus: complete\nstrings:\n  title: Outil de diagnostic\n",
        encoding="utf-8")
    messages = [p.message for p in validate_file(path)]
    assert "missing translation for 'questions.SYS-REG-01.text'" in messages
    assert "missing translation for 'title'" not in messages


def test_an_invalid_language_code_is_refused(tmp_path):
    path = mutated(tmp_path, "languages: [en]", "languages: [en, xx]")
    assert any("'xx' is not an ISO 639 language code" in p.message
               for p in validate_file(path))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_arbitrary_text_is_either_read_or_refused_with_a_yaml_problem(text):
    try:
        parse_yaml(text)
    except YamlProblem as exc:
        assert exc.message
