"""docs/cli.md: every command's ``--help``, as the command prints it.

Generated, never written by hand, so that the reference cannot drift from the commands:
``python -m acsreview.cli.reference docs/cli.md`` rewrites it, and tests/test_cli_reference.py
fails while the file differs from what this module makes.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

HEADER = """# Command-line reference

Every `acsreview` command's `--help`, generated from the commands themselves
(`python -m acsreview.cli.reference docs/cli.md`; a test fails while this file is out of
date). The README lists the commands in one screen; docs/user-guide.md says when to use
them.

Exit codes, for every command: **0** success; **1** bad input or a failed check, with a
one-line message naming the file, row or field (`error: ...` on standard error); **2** a
wrong command line (an unknown option, a missing argument).
"""

WIDTH = 88


def _walk(command: click.Command, path: list[str]):
    yield path, command
    if isinstance(command, click.Group):
        for name in sorted(command.list_commands(click.Context(command))):
            yield from _walk(command.get_command(click.Context(command), name), [*path, name])


def _help(path: list[str]) -> str:
    """What ``acsreview ... --help`` prints, at a fixed width."""
    from click.testing import CliRunner

    from acsreview.cli import cli

    result = CliRunner().invoke(cli, [*path[1:], "--help"], prog_name="acsreview",
                                terminal_width=WIDTH, max_content_width=WIDTH)
    if result.exit_code != 0:
        raise RuntimeError(f"{' '.join(path)} --help failed: {result.output}")
    return result.output.rstrip()


def reference() -> str:
    """The whole of docs/cli.md."""
    from acsreview.cli import cli

    parts = [HEADER]
    for path, _command in _walk(cli, ["acsreview"]):
        name = " ".join(path)
        parts.append(f"## `{name}`\n\n```text\n{_help(path)}\n```\n")
    return "\n".join(parts)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m acsreview.cli.reference docs/cli.md", file=sys.stderr)
        return 2
    Path(argv[0]).write_text(reference(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
