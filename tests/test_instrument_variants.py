"""A jurisdiction variant extends the base by id; versions coexist."""

import shutil

from acsreview.core.instrument import Library, iter_questions, validate_file

from .conftest import BASE_FILE, ROOT

EXAMPLE = ROOT / "docs" / "examples" / "acs-diagnostic-xa-1.0.yaml"


def test_the_documented_example_variant_is_valid(cli):
    result = cli("instrument", "validate", EXAMPLE)
    assert result.exit_code == 0, result.output


def test_a_variant_adds_and_hides_questions_without_copying_the_base(tmp_path):
    shutil.copy(EXAMPLE, tmp_path)
    library = Library([tmp_path])
    assert not library.problems
    variant = library.get("acs-diagnostic-xa")
    base = library.get("acs-diagnostic")
    ids = [q.id for q in iter_questions(variant)]
    assert len(ids) == 74  # one added, one hidden
    assert "SYS-SOC-02" not in ids and variant.hidden_questions == ["SYS-SOC-02"]
    reg = [q.id for q in variant.levels[0].domains[0].questions]
    assert reg[:4] == ["SYS-REG-01", "SYS-REG-02", "XA-SYS-REG-01", "SYS-REG-03"]
    added = next(q for q in iter_questions(variant) if q.id == "XA-SYS-REG-01")
    assert added.custom is True
    assert variant.base.id == "acs-diagnostic" and variant.jurisdiction == "XA"
    # the base is untouched
    assert "SYS-SOC-02" in [q.id for q in iter_questions(base)]


def test_a_variant_inherits_the_base_translations(tmp_path, library):
    shutil.copy(EXAMPLE, tmp_path)
    extended = Library([tmp_path])
    variant = extended.get("acs-diagnostic-xa")
    assert extended.languages(variant) == library.languages(library.get("acs-diagnostic"))


def test_versions_coexist_and_the_newest_is_the_default(tmp_path):
    newer = BASE_FILE.read_text(encoding="utf-8").replace('version: "1.0"', 'version: "1.1"', 1)
    newer = newer.replace("text: Is there public support for the use of ACS?",
                          "text: Is there public support for the use of ACS at present?")
    (tmp_path / "acs-diagnostic-1.1.yaml").write_text(newer, encoding="utf-8")
    library = Library([tmp_path])
    assert not library.problems
    assert [i.version for i in library.instruments() if i.id == "acs-diagnostic"] == ["1.0", "1.1"]
    assert library.get("acs-diagnostic").version == "1.1"
    old = library.get("acs-diagnostic", "1.0")
    assert "at present" not in next(q.text for q in iter_questions(old) if q.id == "SYS-SOC-02")


def variant_problems(tmp_path, old, new):
    text = EXAMPLE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "variant.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return [(p.path, p.message) for p in validate_file(path)]


def test_a_variant_naming_an_unknown_domain_is_refused(tmp_path):
    assert variant_problems(tmp_path, "domain: SYS-REG", "domain: SYS-XXX") == [
        ("add_questions[0].domain", "unknown domain 'SYS-XXX'")]


def test_a_variant_question_must_carry_the_jurisdiction_prefix_and_a_new_id(tmp_path):
    problems = variant_problems(tmp_path, "id: XA-SYS-REG-01", "id: SYS-REG-01")
    assert ("add_questions[0].question.id",
            "an added question's id must start with the jurisdiction, 'XA-'") in problems
    assert ("add_questions[0].question.id", "duplicate id 'SYS-REG-01'") in problems


def test_a_variant_hiding_an_unknown_question_is_refused(tmp_path):
    assert variant_problems(tmp_path, "hide_questions: [SYS-SOC-02]",
                            "hide_questions: [SYS-SOC-99]") == [
        ("hide_questions[0]", "unknown question 'SYS-SOC-99'")]


def test_a_variant_of_a_missing_base_is_refused(tmp_path):
    problems = variant_problems(tmp_path, 'version: "1.0"}', 'version: "9.9"}')
    assert problems == [("extends", "no valid instrument acs-diagnostic 9.9 to extend")]


def test_a_variant_question_is_checked_like_any_other(tmp_path):
    problems = variant_problems(tmp_path, "areas: [address_barriers, evidence]",
                                "areas: [address_barriers, nowhere]")
    assert problems == [("add_questions[0].question.areas[1]", "unknown area for action 'nowhere'")]


def test_a_variant_translates_its_own_questions_on_top_of_the_base(tmp_path, library):
    if "fr" not in library.languages(library.get("acs-diagnostic")):
        return
    shutil.copy(EXAMPLE, tmp_path)
    (tmp_path / "acs-diagnostic-xa-1.0.fr.yaml").write_text(
        "schema: acsreview-translation/1\ninstrument: acs-diagnostic-xa\nversion: 1.0-xa.1\n"
        "language: fr\nstatus: draft\nstrings:\n"
        "  questions.XA-SYS-REG-01.text: La stratégie régionale de XA fixe-t-elle"
        " des objectifs ?\n",
        encoding="utf-8")
    extended = Library([tmp_path])
    assert not extended.problems
    french = extended.localized(extended.get("acs-diagnostic-xa"), "fr")
    texts = {q.id: q.text for q in iter_questions(french)}
    assert texts["XA-SYS-REG-01"].startswith("La stratégie régionale")
    base_fr = library.localized(library.get("acs-diagnostic"), "fr")
    assert texts["SYS-REG-01"] == next(iter_questions(base_fr)).text
    assert "XA-SYS-REG-01" not in "".join(extended.missing(extended.get("acs-diagnostic-xa"),
                                                           "fr"))
