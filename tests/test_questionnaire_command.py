"""`acsreview instrument export --format pdf`: a group's blank questionnaire for workshops."""

import io

import pytest
from pypdf import PdfReader


@pytest.mark.django_db
def test_the_blank_questionnaire_of_a_group_as_pdf(cli, tmp_path):
    out = tmp_path / "police-de.pdf"
    result = cli("instrument", "export", "--format", "pdf", "--group", "police", "--lang", "de",
                 "-o", out)
    assert result.exit_code == 0, result.output
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "PRV-CJE-01" in text  # a question police answer
    assert "PRV-HLI-01" not in text  # a health providers' question
    assert reader.trailer["/Root"]["/Lang"] == "de"


@pytest.mark.parametrize("args, message", [
    ([], "give --group"),
    (["--group", "aliens"], "unknown stakeholder group 'aliens'"),
    (["--group", "police", "--lang", "xx"], "no 'xx' translation"),
])
def test_a_questionnaire_needs_a_known_group_and_language(cli, tmp_path, args, message):
    out = tmp_path / "q.pdf"
    result = cli("instrument", "export", "--format", "pdf", *args, "-o", out)
    assert result.exit_code == 1 and message in result.output
    assert not out.exists()
