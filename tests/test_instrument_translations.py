"""Translations: labels per language code by stable keys, with a completeness check."""

import shutil

import yaml

from acsreview.core.instrument import Library, iter_questions
from acsreview.core.instrument.strings import translatable_strings

from .conftest import BASE_FILE


def write_translation(folder, lang, strings, status="draft"):
    doc = {"schema": "acsreview-translation/1", "instrument": "acs-diagnostic",
           "version": "1.0", "language": lang, "status": status, "strings": strings}
    path = folder / f"acs-diagnostic-1.0.{lang}.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def local_copy(tmp_path):
    shutil.copy(BASE_FILE, tmp_path / BASE_FILE.name)
    return tmp_path


def test_string_keys_come_from_ids_not_from_wording(instrument):
    keys = translatable_strings(instrument)
    assert keys["questions.SYS-REG-01.text"] == instrument.levels[0].domains[0].questions[0].text
    assert keys["domains.CLI-STG.label"] == "The impact of stigma and other competing problems"
    assert keys["answers.dont_know.label"] == "Don't know"
    assert all(q.startswith(("title", "description", "answers.", "groups.", "areas.",
                             "definitions.", "catalogue", "client_factors.", "principles.",
                             "cjs_stages.", "measure_types.", "levels.", "domains.",
                             "questions.", "correspondent_questions.")) for q in keys)


def test_a_draft_translation_falls_back_to_english_and_the_check_lists_each_missing_string(
        tmp_path, cli):
    folder = local_copy(tmp_path)
    write_translation(folder, "es", {
        "title": "Herramienta de diagnóstico ACS",
        "questions.SYS-REG-01.text": "¿Existe legislación que facilite el uso de ACS?",
    })
    library = Library([folder])
    assert not library.problems
    inst = library.get("acs-diagnostic")
    spanish = library.localized(inst, "es")
    assert spanish.title == "Herramienta de diagnóstico ACS"
    first, second = list(iter_questions(spanish))[:2]
    assert first.text.startswith("¿Existe")
    assert second.text == list(iter_questions(inst))[1].text  # English where untranslated
    missing = library.missing(inst, "es")
    assert "title" not in missing and "questions.SYS-REG-02.text" in missing
    assert len(missing) == len(translatable_strings(inst)) - 2

    result = cli("instrument", "translations", "--lang", "es", "--dir", folder)
    assert result.exit_code == 1
    assert "questions.SYS-REG-02.text\tIs there a national/local strategy" in result.stdout
    assert f"es: {len(missing)} of {len(translatable_strings(inst))} strings missing" \
        in result.stderr


def test_the_template_lists_every_missing_string_ready_to_translate(tmp_path, cli):
    template = tmp_path / "template.yaml"
    result = cli("instrument", "translations", "--lang", "pt", "--template", template)
    assert result.exit_code == 1
    doc = yaml.safe_load(template.read_text(encoding="utf-8"))
    assert doc["language"] == "pt" and doc["status"] == "draft"
    assert doc["strings"]["questions.CLI-CON-03.text"].startswith("Are participants assured")


def test_a_translation_with_an_unknown_key_is_refused(tmp_path):
    folder = local_copy(tmp_path)
    path = write_translation(folder, "es", {"questions.SYS-REG-99.text": "x"})
    library = Library([folder])
    assert [(p.file, p.path, p.message) for p in library.problems] == [
        (str(path), "strings.questions.SYS-REG-99.text",
         "'questions.SYS-REG-99.text' is not a string of acs-diagnostic 1.0")]


def test_a_translation_marked_complete_must_be_complete(tmp_path):
    folder = local_copy(tmp_path)
    write_translation(folder, "es", {"title": "x"}, status="complete")
    library = Library([folder])
    messages = [p.message for p in library.problems]
    assert "missing translation for 'questions.SYS-REG-01.text'" in messages


def test_the_shipped_languages_are_english_plus_draft_translations(library, instrument):
    languages = library.languages(instrument)
    assert languages[0] == "en"
    for lang in languages[1:]:
        translation = library.translation(instrument, lang)
        assert translation.status == "draft"
        assert "native speaker" in (translation.note or "")
