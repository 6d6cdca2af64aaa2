"""The instruments available to the tool: the shipped ones and any in extra folders.

Versions coexist: every (id, version) stays loadable, so answers given against
an old version keep their meaning. A folder later in the list replaces an
instrument of the same id and version from an earlier one (a local edit of a
shipped file is validated as the local file).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .loader import Document, check_translation, read_document_collecting, resolve_variant
from .problems import InstrumentInvalid, Problem, ProblemList
from .schema import Instrument, Translation, Variant
from .strings import localize, missing_strings, translatable_strings

SHIPPED_DIR = Path(__file__).resolve().parents[2] / "instrument"
Key = tuple[str, str]


@dataclass
class Entry:
    instrument: Instrument
    path: Path
    # Which folder it came from: a translation applies only from its instrument's folder on,
    # so a local replacement of a shipped instrument does not inherit the shipped translations.
    folder: int = 0
    translations: dict[str, Translation] = field(default_factory=dict)
    # Per language: the strings in force, a variant's own over its base's.
    strings: dict[str, dict[str, str]] = field(default_factory=dict)


class Library:
    def __init__(self, dirs: Sequence[Path] = (), *, include_shipped: bool = True):
        folders = [SHIPPED_DIR] if include_shipped else []
        folders += [Path(d) for d in dirs if Path(d).resolve() not in {
            f.resolve() for f in folders}]
        self.entries: dict[Key, Entry] = {}
        self.problems: list[Problem] = []
        self._load(folders)

    # -- loading ---------------------------------------------------------------------------
    def _load(self, folders: list[Path]) -> None:
        docs: list[tuple[Path, Document, ProblemList]] = []
        self._folder_of: dict[Path, int] = {}
        for index, folder in enumerate(folders):
            seen: dict[Key, Path] = {}
            for path in sorted(folder.glob("*.yaml")):
                doc, problems = read_document_collecting(path)
                self.problems += problems.items
                if doc is None or problems.items:
                    continue
                if not isinstance(doc, Translation):
                    key = (doc.id, doc.version)
                    if key in seen:
                        problems.add(("version",), f"{doc.id} {doc.version} is also in {seen[key]}")
                        self.problems += problems.items
                        continue
                    seen[key] = path
                docs.append((path, doc, problems))
                self._folder_of[path] = index
        self._pending: dict[Key, list[tuple[Path, Translation, ProblemList]]] = {}
        for path, doc, problems in docs:
            if isinstance(doc, Translation):
                self._pending.setdefault((doc.instrument, doc.version), []).append(
                    (path, doc, problems))
        for path, doc, _ in docs:
            if isinstance(doc, Instrument):
                self.entries[(doc.id, doc.version)] = Entry(doc, path, self._folder_of[path])
        for key in list(self.entries):
            self._attach_pending(key)
        # A variant starts from its base's translations, so bases are translated first.
        self._resolve_variants([d for d in docs if isinstance(d[1], Variant)])
        for items in self._pending.values():
            for _path, tr, problems in items:
                problems.add(("instrument",), f"no valid instrument {tr.instrument} {tr.version}")
                self.problems += problems.items
        for entry in self.entries.values():
            self._check_declared_languages(entry)

    def _resolve_variants(self, pending: list[tuple[Path, Document, ProblemList]]) -> None:
        # A variant may extend another variant: resolve in rounds until nothing moves.
        while pending:
            waiting = []
            for path, variant, problems in pending:
                base = self.entries.get((variant.extends.id, variant.extends.version))
                if base is None:
                    waiting.append((path, variant, problems))
                    continue
                resolved = resolve_variant(variant, base.instrument, problems)
                if problems.items:
                    self.problems += problems.items
                    continue
                self.entries[(variant.id, variant.version)] = Entry(
                    resolved, path, self._folder_of[path],
                    strings={k: dict(v) for k, v in base.strings.items()},
                )
                self._attach_pending((variant.id, variant.version))
            if len(waiting) == len(pending):
                for _path, variant, problems in waiting:
                    ref = f"{variant.extends.id} {variant.extends.version}"
                    problems.add(("extends",), f"no valid instrument {ref} to extend")
                    self.problems += problems.items
                return
            pending = waiting

    def _attach_pending(self, key: Key) -> None:
        for path, tr, problems in self._pending.pop(key, []):
            self._attach(path, tr, problems)

    def _attach(self, path: Path, tr: Translation, problems: ProblemList) -> None:
        entry = self.entries[(tr.instrument, tr.version)]
        if self._folder_of[path] < entry.folder:
            return  # translates a version that a later folder replaced
        known = translatable_strings(entry.instrument)
        inherited = entry.strings.get(tr.language, {})  # a variant's, from its base
        merged = {k: v for k, v in {**inherited, **tr.strings}.items() if k in known}
        check_translation(entry.instrument, tr, merged, problems)
        if problems.items:
            self.problems += problems.items
            return
        entry.translations[tr.language] = tr
        entry.strings[tr.language] = merged

    def _check_declared_languages(self, entry: Entry) -> None:
        inst = entry.instrument
        for i, lang in enumerate(inst.languages):
            if lang != "en" and lang not in entry.translations:
                problems = ProblemList(str(entry.path))
                # The line is unknown here; the path still points at the declaration.
                problems.add(
                    ("languages", i),
                    f"'{lang}' is declared complete but has no valid translation file"
                    f" ({entry.path.stem}.{lang}.yaml)",
                )
                self.problems += problems.items

    # -- reading ---------------------------------------------------------------------------
    def instruments(self) -> list[Instrument]:
        return [e.instrument for _, e in sorted(self.entries.items(), key=_version_order)]

    def entry(self, instrument_id: str, version: str | None = None) -> Entry:
        matches = [(k, e) for k, e in self.entries.items() if k[0] == instrument_id]
        if version is not None:
            matches = [(k, e) for k, e in matches if k[1] == version]
        if not matches:
            wanted = f"{instrument_id} {version}" if version else instrument_id
            have = ", ".join(f"{i} {v}" for i, v in sorted(self.entries)) or "none"
            raise LookupError(f"no instrument {wanted} (available: {have})")
        return max(matches, key=_version_order)[1]

    def get(self, instrument_id: str, version: str | None = None) -> Instrument:
        """The instrument of that id and version (the newest version when none is named)."""
        return self.entry(instrument_id, version).instrument

    def languages(self, inst: Instrument) -> list[str]:
        """English first, then every language with a translation, complete or draft."""
        entry = self.entry(inst.id, inst.version)
        return ["en", *sorted(lang for lang in entry.strings if lang != "en")]

    def translation(self, inst: Instrument, lang: str) -> Translation | None:
        return self.entry(inst.id, inst.version).translations.get(lang)

    def localized(self, inst: Instrument, lang: str) -> Instrument:
        """``inst`` in ``lang``, falling back to English for strings not yet translated."""
        if lang == "en":
            return inst
        entry = self.entry(inst.id, inst.version)
        if lang not in entry.strings:
            raise LookupError(
                f"{inst.id} {inst.version} has no '{lang}' translation"
                f" (languages: {', '.join(self.languages(inst))})"
            )
        return localize(inst, entry.strings[lang])

    def missing(self, inst: Instrument, lang: str) -> list[str]:
        """Every string key of ``inst`` not yet translated into ``lang``."""
        if lang == "en":
            return []
        return missing_strings(inst, self.entry(inst.id, inst.version).strings.get(lang, {}))

    def raise_if_problems(self) -> None:
        if self.problems:
            raise InstrumentInvalid(self.problems)


def _version_order(item: tuple[Key, Entry]) -> tuple:
    (_id, version), _ = item
    parts = version.replace("-", ".").split(".")
    return (_id, [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts])


@cache
def shipped_library() -> Library:
    """The instruments shipped in the package; a problem in them is a bug, so it raises."""
    library = Library()
    library.raise_if_problems()
    return library


def validate_file(path: Path) -> list[Problem]:
    """Every problem of ``path`` and of the translation files that belong to it."""
    path = Path(path)
    if not path.is_file():
        return [Problem(str(path), None, "", "no such file")]
    library = Library([path.parent])
    doc, own = read_document_collecting(path)
    if doc is None or own.items:
        return own.items
    related = {str(path)}
    if not isinstance(doc, Translation):
        related |= {
            str(p) for p in path.parent.glob(f"{path.stem}.*.yaml")
        }
    return [p for p in library.problems if p.file in related]
