"""`acsreview instrument ...`: validate, show, export and check the translations of instruments."""

from __future__ import annotations

import os
from pathlib import Path

import click
from rich.console import Console
from rich.tree import Tree

from acsreview.core.instrument import Instrument, Library, validate_file
from acsreview.core.instrument.library import Entry
from acsreview.core.instrument.shipped import SHIPPED_ID as DEFAULT_INSTRUMENT
from acsreview.core.instrument.summary import area_level_matrix, summarize

from .common import fail, setup_django, setup_translations

EXPORT_FORMATS = ["xlsform", "json", "markdown", "pdf"]


def _extra_dirs(dirs: tuple[Path, ...]) -> list[Path]:
    """Folders beyond the shipped one: --dir options, and the data folder's instruments/."""
    found = list(dirs)
    local = Path(os.environ.get("ACSREVIEW_DATA_DIR", "./acsreview-data")) / "instruments"
    if local.is_dir():
        found.append(local)
    return found


def _library(dirs: tuple[Path, ...]) -> Library:
    library = Library(_extra_dirs(dirs))
    if library.problems:
        for problem in library.problems:
            click.echo(str(problem), err=True)
        fail(f"{len(library.problems)} problem(s) in the instrument files; "
             "run `acsreview instrument validate FILE` on each")
    return library


def _entry(library: Library, instrument_id: str, version: str | None) -> Entry:
    try:
        return library.entry(instrument_id, version)
    except LookupError as exc:
        fail(str(exc))


def _lang(library: Library, inst: Instrument, lang: str | None) -> str | None:
    if lang is not None and lang not in library.languages(inst):
        fail(f"{inst.id} {inst.version} has no '{lang}' translation "
             f"(languages: {', '.join(library.languages(inst))})")
    return lang


def _group(inst: Instrument, group: str | None) -> str | None:
    known = [g.id for g in inst.stakeholder_groups]
    if group is not None and group not in known:
        fail(f"unknown stakeholder group '{group}' (one of: {', '.join(known)})")
    return group


dir_option = click.option(
    "--dir", "dirs", multiple=True, type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="A further folder of instrument, variant and translation files (repeatable).")
instrument_option = click.option(
    "--instrument", "instrument_id", default=DEFAULT_INSTRUMENT, show_default=True,
    help="The instrument (or jurisdiction variant) id.")
version_option = click.option("--version", default=None, help="Its version (default: newest).")


@click.group()
def instrument() -> None:
    """The diagnostic instrument: its questions, lists, versions and translations."""


@instrument.command("validate")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
def validate(files: tuple[Path, ...]) -> None:
    """Check instrument, variant or translation FILES; one line per problem.

    Each line names the file, the line, the path inside the file and the problem.
    Exit code 1 when any file has a problem.
    """
    seen: set[str] = set()  # a translation's problems show under its instrument too
    for path in files:
        problems = validate_file(path)
        for problem in problems:
            if str(problem) not in seen:
                click.echo(str(problem))
                seen.add(str(problem))
        if not problems:
            click.echo(f"{path}: valid")
    total = len(seen)
    if total:
        fail(f"{total} problem(s) found")


@instrument.command("list")
@dir_option
def list_(dirs: tuple[Path, ...]) -> None:
    """List the instruments available, with their versions and languages."""
    library = _library(dirs)
    for inst in library.instruments():
        summary = summarize(inst)
        kind = f"variant of {inst.base.id} {inst.base.version} for {inst.jurisdiction}" \
            if inst.base else "base"
        click.echo(f"{inst.id} {inst.version}\t{summary.questions} questions\t"
                   f"languages: {', '.join(library.languages(inst))}\t{kind}")


@instrument.command("show")
@instrument_option
@version_option
@click.option("--lang", default=None,
              help="Show the instrument, and the counts around it, in this language.")
@click.option("--questions", is_flag=True, help="List every question under its domain.")
@dir_option
def show(instrument_id: str, version: str | None, lang: str | None, questions: bool,
         dirs: tuple[Path, ...]) -> None:
    """Show an instrument as a tree of levels and domains, with counts."""
    setup_translations()
    from django.utils import translation

    library = _library(dirs)
    inst = _entry(library, instrument_id, version).instrument
    lang = _lang(library, inst, lang) or "en"
    with translation.override(lang):
        tree = _tree(library, inst, library.localized(inst, lang), questions)
    console = Console()
    if not console.is_terminal:
        console = Console(width=10_000)  # piped: never cut a line
    console.print(tree)


def _list_names() -> dict[str, str]:
    from django.utils.translation import gettext as _

    return {"client_factors": _("client factors"), "catalogue_barriers": _("barriers"),
            "catalogue_facilitators": _("facilitators"),
            "catalogue_themes": _("themes of the catalogue"),
            "principles": _("best-practice principles"),
            "correspondent_questions": _("questions to Legal & Policy Correspondents"),
            "cjs_stages": _("criminal justice stages"), "measure_types": _("measure types"),
            "sources": _("sources")}


def _tree(library: Library, inst: Instrument, shown: Instrument, questions: bool) -> Tree:
    """The tree `instrument show` prints, in the active language."""
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    def n_questions(n: int) -> str:
        return ngettext("%(n)d question", "%(n)d questions", n) % {"n": n}

    summary = summarize(shown)
    tree = Tree(f"[bold]{shown.title}[/bold] ({inst.id} {inst.version}): "
                + _("%(questions)s, %(scored)d scored, %(open)d open text")
                % {"questions": n_questions(summary.questions), "scored": summary.scored,
                   "open": summary.open})
    for level, counts in zip(shown.levels, summary.levels, strict=True):
        domains = ngettext("%(n)d domain", "%(n)d domains", len(level.domains)) % {
            "n": len(level.domains)}
        branch = tree.add(f"[bold]{level.label}[/bold]: {domains}, "
                          f"{n_questions(counts.questions)}")
        for domain, dc in zip(level.domains, counts.domains, strict=True):
            leaf = branch.add(f"{domain.id} {domain.label}: {n_questions(dc.questions)} "
                              + _("(%(scored)d scored, %(open)d open)")
                              % {"scored": dc.scored, "open": dc.open})
            if questions:
                for q in domain.questions:
                    leaf.add(f"{q.id} {q.text}" + (" " + _("[custom]") if q.custom else ""))
    lists_heading = _("Lists")
    lists = tree.add(f"[bold]{lists_heading}[/bold]")
    names = _list_names()
    for name, count in summary.counts.items():
        lists.add(f"{names.get(name, name)}: {count}")
    areas_heading = _("Areas for action × levels")
    areas = tree.add(f"[bold]{areas_heading}[/bold] " + _("(questions mapped)"))
    labels = {a.id: a.label for a in shown.areas_for_action}
    level_labels = {lv.id: lv.label for lv in shown.levels}
    for area, cells in area_level_matrix(shown).items():
        counts = ", ".join(f"{level_labels.get(level, level)} {len(ids)}"
                           for level, ids in cells.items())
        areas.add(f"{labels[area]}: {counts}")
    groups_heading = _("Questions per stakeholder group")
    groups = tree.add(f"[bold]{groups_heading}[/bold]")
    group_labels = {g.id: g.label for g in shown.stakeholder_groups}
    for group, count in summary.questions_per_group.items():
        groups.add(f"{group_labels.get(group, group)} ({group}): {count}")
    languages_heading, hidden_heading = _("Languages"), _("Hidden")
    tree.add(f"[bold]{languages_heading}[/bold]: {', '.join(library.languages(inst))}")
    if inst.hidden_questions:
        tree.add(f"[bold]{hidden_heading}[/bold]: {', '.join(inst.hidden_questions)}")
    return tree


@instrument.command("export")
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True,
              help="xlsform (ODK/Kobo), json, markdown, or pdf: the blank questionnaire "
                   "of --group for workshops.")
@click.option("--group", default=None, help="Only the questions of this stakeholder group.")
@click.option("--lang", default=None,
              help="Only this language (default: all languages for xlsform, English otherwise).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The file to write.")
@instrument_option
@version_option
@dir_option
def export(fmt: str, group: str | None, lang: str | None, output: Path, instrument_id: str,
           version: str | None, dirs: tuple[Path, ...]) -> None:
    """Export an instrument as an XLSForm, JSON, Markdown, or a group's blank questionnaire
    as PDF."""
    if fmt == "pdf":
        setup_django()
    else:
        setup_translations()
    from acsreview.reports.instrument import FORMATS

    library = _library(dirs)
    inst = _entry(library, instrument_id, version).instrument
    lang = _lang(library, inst, lang)
    group = _group(inst, group)
    if not output.parent.exists():
        fail(f"{output}: the folder {output.parent} does not exist")
    if fmt == "pdf":
        if group is None:
            fail("--format pdf is the blank questionnaire of one group: give --group")
        _questionnaire(inst, group, lang or "en", output)
    else:
        FORMATS[fmt](library, inst, output, group=group, lang=lang)
    click.echo(f"Wrote {output} ({fmt}, {inst.id} {inst.version}"
               f"{', group ' + group if group else ''}{', ' + lang if lang else ''})")


def _questionnaire(inst: Instrument, group: str, lang: str, output: Path) -> None:
    from acsreview.reports.questionnaire import questionnaire_pdf

    try:
        data = questionnaire_pdf(inst, group=group, lang=lang)
    except LookupError as exc:
        fail(str(exc).strip("'\""))
    tmp = output.with_name(f".{output.name}.part")
    try:
        tmp.write_bytes(data)
        tmp.replace(output)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        fail(f"{output}: cannot write: {exc.strerror or exc}")


@instrument.command("translations")
@click.option("--lang", required=True, help="The language to check (an ISO 639 code).")
@instrument_option
@version_option
@click.option("--template", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write a translation file to fill in, with every missing string.")
@dir_option
def translations(lang: str, instrument_id: str, version: str | None, template: Path | None,
                 dirs: tuple[Path, ...]) -> None:
    """List every string not yet translated into LANG (the completeness check).

    Exit code 1 while any string is missing.
    """
    from acsreview.core.instrument.strings import translatable_strings

    library = _library(dirs)
    inst = _entry(library, instrument_id, version).instrument
    english = translatable_strings(inst)
    missing = library.missing(inst, lang)
    for key in missing:
        click.echo(f"{key}\t{english[key]}")
    if template is not None:
        _write_template(inst, lang, {k: english[k] for k in missing}, template)
        click.echo(f"Wrote {template}: {len(missing)} string(s) to translate")
    total = len(english)
    if missing:
        fail(f"{lang}: {len(missing)} of {total} strings missing for {inst.id} {inst.version}")
    click.echo(f"{lang}: all {total} strings translated")


def _write_template(inst: Instrument, lang: str, missing: dict[str, str], path: Path) -> None:
    import yaml

    doc = {
        "schema": "acsreview-translation/1",
        "instrument": inst.id,
        "version": inst.version,
        "language": lang,
        "status": "draft",
        "note": "Draft: replace each English string with its translation.",
        "strings": missing,
    }
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100),
                    encoding="utf-8")
