"""docs/cli.md is every command's --help as the commands print it today."""

from acsreview.cli import cli
from acsreview.cli.reference import reference

from .conftest import ROOT


def test_the_cli_reference_is_current():
    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert doc == reference(), (
        "docs/cli.md is out of date: run `python -m acsreview.cli.reference docs/cli.md`")


def test_it_has_every_command_and_subcommand():
    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    names = []
    for name, command in cli.commands.items():
        names.append(f"acsreview {name}")
        names += [f"acsreview {name} {sub}" for sub in getattr(command, "commands", {})]
    assert len(names) > 25
    for name in names:
        assert f"## `{name}`" in doc, name
    assert "**0** success" in doc and "**2** a\nwrong command line" in doc
