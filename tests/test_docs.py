"""The docs stay true: the trace table, the README commands and CI agree with the code."""

import re

from acsreview.core.instrument import iter_questions
from acsreview.reports.instrument.trace import BEGIN, END, trace_table

from .conftest import ROOT


def test_the_trace_table_in_the_docs_matches_the_instrument(instrument):
    doc = (ROOT / "docs" / "instrument.md").read_text(encoding="utf-8")
    block = doc.split(BEGIN, 1)[1].split(END, 1)[0].strip()
    assert block == trace_table(instrument), (
        "docs/instrument.md is out of date: run "
        "`python -m acsreview.reports.instrument.trace docs/instrument.md`")
    for q in iter_questions(instrument):
        assert f"| `{q.id}` |" in block


def readme_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```(?:sh|bash)?\n(.*?)```", readme, re.S).group(1)
    return [line for line in block.splitlines() if line.strip() and not line.startswith("#")]


def test_the_readme_opens_with_the_run_and_test_commands():
    run, test = readme_commands()[:2]
    assert run.endswith("acsreview serve --demo")
    assert test.endswith("pytest")


def test_ci_runs_the_readme_test_command():
    test = readme_commands()[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test in ci
    assert "ACSREVIEW_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test" in ci
    assert "lint-imports" in ci and "ruff check" in ci


def test_every_dependency_is_explained():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = [re.split(r"[<>=\[ ]", d)[0] for d in project["dependencies"]]
    names += [re.split(r"[<>=\[ ]", d)[0] for d in project["optional-dependencies"]["test"]]
    doc = (ROOT / "docs" / "dependencies.md").read_text(encoding="utf-8").lower()
    for name in names:
        assert f"`{name.lower()}`" in doc, f"docs/dependencies.md does not explain {name}"
