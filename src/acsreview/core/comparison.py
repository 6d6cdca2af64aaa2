"""Comparison of jurisdictions in a round, and trends of one jurisdiction across rounds.

Both rest on the same rule (docs/methodology.md, "Comparison and trends"): indices are
recomputed over the questions *every* compared review has, so that a jurisdiction's
own questions, or a question added in a later instrument version, never make two
indices look comparable when they are not. What is left out is said in the notes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .instrument.schema import Instrument
from .profile import Profile

#: A peer "scores well" in a domain when its index is at least this many points lower.
MARGIN = 20.0
#: How many of a review's worst domains get peers, and how many peers each.
WORST = 3
PEERS = 3


@dataclass(frozen=True)
class ReviewFacts:
    """What comparison and trends need of one review."""

    slug: str
    jurisdiction: str  # its code
    round: int
    instrument: str  # "id version"
    profile: Profile
    custom: frozenset[str] = frozenset()  # question ids of the review's own questions


@dataclass(frozen=True)
class Cell:
    index: float | None  # 0-100 over the common questions scored
    scored: int
    questions: int  # common questions in the domain


class NoteKind(StrEnum):
    VERSIONS = "versions"  # compared reviews use different instrument versions
    EXCLUDED = "excluded"  # questions left out because not every review has them
    MISSING = "missing"  # a cell rests on fewer than half its questions


@dataclass(frozen=True)
class Note:
    kind: NoteKind
    slug: str = ""
    domain_id: str = ""
    detail: dict[str, Any] = field(default_factory=dict)


def _common(reviews: Sequence[ReviewFacts]) -> list[str]:
    if not reviews:
        return []
    ids = [s.question_id for s in reviews[0].profile.questions]
    keep = set(ids)
    for r in reviews[1:]:
        keep &= {s.question_id for s in r.profile.questions}
    return [q for q in ids if q in keep]


def _domains(reviews: Sequence[ReviewFacts], common: Sequence[str]) -> list[str]:
    wanted = set(common)
    out: list[str] = []
    for s in reviews[0].profile.questions if reviews else []:
        if s.question_id in wanted and s.domain_id not in out:
            out.append(s.domain_id)
    return out


def _cells(profile: Profile, common: set[str], domains: Sequence[str]) -> dict[str, Cell]:
    by_domain: dict[str, list] = {d: [] for d in domains}
    for s in profile.questions:
        if s.question_id in common and s.domain_id in by_domain:
            by_domain[s.domain_id].append(s.severity)
    cells = {}
    for d, severities in by_domain.items():
        scored = [v for v in severities if v is not None]
        cells[d] = Cell(index=sum(scored) / len(scored) / 2 * 100 if scored else None,
                        scored=len(scored), questions=len(severities))
    return cells


def _notes(reviews: Sequence[ReviewFacts], common: Sequence[str],
           cells: Mapping[str, Mapping[str, Cell]]) -> list[Note]:
    notes = []
    versions = sorted({r.instrument for r in reviews})
    if len(versions) > 1:
        notes.append(Note(NoteKind.VERSIONS, detail={
            "versions": {r.slug: r.instrument for r in reviews}}))
    kept = set(common)
    for r in reviews:
        left_out = [s.question_id for s in r.profile.questions if s.question_id not in kept]
        if left_out:
            notes.append(Note(NoteKind.EXCLUDED, slug=r.slug, detail={
                "questions": left_out,
                "custom": [q for q in left_out if q in r.custom]}))
        for domain_id, cell in cells[r.slug].items():
            if cell.questions and cell.scored * 2 < cell.questions:
                notes.append(Note(NoteKind.MISSING, slug=r.slug, domain_id=domain_id,
                                  detail={"scored": cell.scored, "questions": cell.questions}))
    return notes


@dataclass(frozen=True)
class Row:
    slug: str
    jurisdiction: str
    round: int
    cells: dict[str, Cell]


@dataclass(frozen=True)
class Peer:
    slug: str
    jurisdiction: str
    index: float
    strengths: tuple[str, ...]  # its questions in the domain at severity 0
    facilitators: tuple[str, ...]  # catalogue entries those questions map to


@dataclass(frozen=True)
class WeakDomain:
    domain_id: str
    index: float
    peers: tuple[Peer, ...]


@dataclass(frozen=True)
class Comparison:
    domains: list[str]
    common: int  # questions compared
    rows: list[Row]
    weak: dict[str, list[WeakDomain]]  # by review slug
    notes: list[Note]


def compare(reviews: Sequence[ReviewFacts], instrument: Instrument | None = None, *,
            worst: int = WORST, margin: float = MARGIN, peers: int = PEERS) -> Comparison:
    """Jurisdictions x domains over the common questions, with peers for weak domains.

    For each review's ``worst`` domains (highest index above 0), the peers are the
    other reviews at least ``margin`` points lower there, lowest first, with the
    questions where they report no barrier and the facilitators those map to in
    ``instrument``'s catalogue.
    """
    reviews = sorted(reviews, key=lambda r: (r.jurisdiction, r.round, r.slug))
    common = _common(reviews)
    domains = _domains(reviews, common)
    kept = set(common)
    cells = {r.slug: _cells(r.profile, kept, domains) for r in reviews}
    mapped: dict[str, list[str]] = {}
    if instrument is not None:
        for level in instrument.levels:
            for d in level.domains:
                for q in d.questions:
                    mapped[q.id] = list(q.facilitators)
    weak: dict[str, list[WeakDomain]] = {}
    order = {d: i for i, d in enumerate(domains)}
    for r in reviews:
        mine = [(d, c.index) for d, c in cells[r.slug].items()
                if c.index is not None and c.index > 0]
        mine.sort(key=lambda dc: (-dc[1], order[dc[0]]))
        weak[r.slug] = []
        for domain_id, index in mine[:worst]:
            found = []
            for other in reviews:
                if other.slug == r.slug or other.jurisdiction == r.jurisdiction:
                    continue
                theirs = cells[other.slug][domain_id].index
                if theirs is None or theirs > index - margin:
                    continue
                strengths = tuple(s.question_id for s in other.profile.questions
                                  if s.domain_id == domain_id and s.question_id in kept
                                  and s.severity == 0)
                entries: list[str] = []
                for q in strengths:
                    entries.extend(e for e in mapped.get(q, []) if e not in entries)
                found.append(Peer(other.slug, other.jurisdiction, theirs, strengths,
                                  tuple(entries)))
            found.sort(key=lambda p: (p.index, p.jurisdiction, p.slug))
            weak[r.slug].append(WeakDomain(domain_id, index, tuple(found[:peers])))
    return Comparison(
        domains=domains, common=len(common),
        rows=[Row(r.slug, r.jurisdiction, r.round, cells[r.slug]) for r in reviews],
        weak=weak, notes=_notes(reviews, common, cells))


@dataclass(frozen=True)
class Series:
    id: str  # a domain or question id
    domain_id: str
    values: tuple[float | None, ...]  # per round, in round order
    change: float | None  # last known minus first known


@dataclass(frozen=True)
class Step:
    """From one round to the next: the actions agreed in the first."""

    from_slug: str
    to_slug: str
    actions: tuple[Any, ...]


@dataclass(frozen=True)
class Trend:
    jurisdiction: str
    rounds: list[tuple[int, str]]  # (round, slug), in order
    domains: list[Series]  # index per round
    questions: list[Series]  # severity per round
    steps: list[Step]
    notes: list[Note]


def _series(ident: str, domain_id: str, values: Sequence[float | None]) -> Series:
    known = [v for v in values if v is not None]
    return Series(ident, domain_id, tuple(values),
                  known[-1] - known[0] if len(known) >= 2 else None)


def trend(reviews: Sequence[ReviewFacts],
          actions: Mapping[str, Sequence[Any]] | None = None) -> Trend:
    """One jurisdiction's reviews across rounds, over the questions they all have.

    ``actions`` maps a review's slug to the actions agreed in it (any objects); each
    step from a round to the next carries the actions of the first.
    """
    reviews = sorted(reviews, key=lambda r: (r.round, r.slug))
    jurisdictions = {r.jurisdiction for r in reviews}
    if len(jurisdictions) > 1:
        raise ValueError(f"a trend is of one jurisdiction, not {sorted(jurisdictions)}")
    common = _common(reviews)
    kept = set(common)
    domains = _domains(reviews, common)
    cells = {r.slug: _cells(r.profile, kept, domains) for r in reviews}
    severities = {r.slug: {s.question_id: s.severity for s in r.profile.questions}
                  for r in reviews}
    domain_of = {s.question_id: s.domain_id for s in reviews[0].profile.questions} \
        if reviews else {}
    actions = actions or {}
    return Trend(
        jurisdiction=next(iter(jurisdictions), ""),
        rounds=[(r.round, r.slug) for r in reviews],
        domains=[_series(d, d, [cells[r.slug][d].index for r in reviews]) for d in domains],
        questions=[_series(q, domain_of[q], [severities[r.slug].get(q) for r in reviews])
                   for q in common],
        steps=[Step(a.slug, b.slug, tuple(actions.get(a.slug, ())))
               for a, b in zip(reviews, reviews[1:], strict=False)],
        notes=_notes(reviews, common, cells))
