"""What the analysis, trends and comparison pages need of the database, as core's plain data.

- :func:`facts_for` turns reviews into :class:`~acsreview.core.comparison.ReviewFacts`
  (each scored against its *own* instrument version), with one query for all answers;
- :func:`stakeholders_of` gets the published stakeholder figures of a review, from
  :func:`~acsreview.web.consultations.services.results.review_results` only (it holds
  the suppression of small groups);
- :func:`agreed_actions` reads the actions agreed in each review;
- :func:`severity_reason` and :func:`note_text` put a computed figure into words.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from acsreview.core.comparison import Note, NoteKind, ReviewFacts
from acsreview.core.instrument import AnswerType, Instrument, Polarity
from acsreview.core.profile import QuestionScore, barrier_profile
from acsreview.core.stakeholders import StakeholderFigure, stakeholder_figures
from acsreview.web.consultations.services.results import DISAGREEMENT, review_results
from acsreview.web.instruments import instrument_of

from ..models import ActionItem, Answer, Decision, Review

SIGNS = {1: "+", -1: "\u2212", 0: "\u00b1"}  # a real minus sign, not a hyphen


def instrument_label(review: Review) -> str:
    """The "id version" core compares instruments by."""
    return f"{review.instrument_id} {review.instrument_version}"


def custom_questions(instrument: Instrument) -> frozenset[str]:
    return frozenset(q.id for level in instrument.levels for d in level.domains
                     for q in d.questions if q.custom)


def facts_for(reviews: Iterable[Review]) -> list[ReviewFacts]:
    """The facts of each review, scored against its own instrument version."""
    reviews = list(reviews)
    answers: dict[int, dict[str, Answer]] = defaultdict(dict)
    for a in Answer.objects.filter(review__in=reviews).only(
            "review_id", "item_id", "answer", "severity_override", "override_justification"):
        answers[a.review_id][a.item_id] = a
    out = []
    for review in reviews:
        instrument = instrument_of(review)
        out.append(ReviewFacts(
            slug=review.slug, jurisdiction=review.jurisdiction.code, round=review.round,
            instrument=instrument_label(review),
            profile=barrier_profile(instrument, answers[review.pk]),
            custom=custom_questions(instrument)))
    return out


def polarity_by_question(instrument: Instrument) -> dict[str, str]:
    return {q.id: q.polarity.value for level in instrument.levels for d in level.domains
            for q in d.questions if q.answer_type == AnswerType.CHOICE and q.polarity}


class Consulted:
    """Whether the stakeholders' view can be shown: its three states."""

    NONE = "none"  # the review has no consultation
    UNPUBLISHED = "unpublished"  # it has one, but no figure reaches the threshold yet
    PUBLISHED = "published"


@dataclass(frozen=True)
class Stakeholders:
    state: str  # a Consulted value
    figures: dict[str, StakeholderFigure]
    threshold: int | None
    title: str = ""


def stakeholders_of(review: Review, instrument: Instrument) -> Stakeholders:
    """The published stakeholder figures of the review's latest consultation."""
    results = review_results(review, instrument=instrument)
    if results is None:
        return Stakeholders(Consulted.NONE, {}, None)
    figures = stakeholder_figures(results.questions, polarity_by_question(instrument))
    return Stakeholders(Consulted.PUBLISHED if figures else Consulted.UNPUBLISHED, figures,
                        results.threshold, results.consultation.title)


def disagree(divergence: float | None) -> bool:
    """The same rule as the consultation results page (CJS against health)."""
    return divergence is not None and divergence >= DISAGREEMENT


def agreed_actions(reviews: Iterable[Review]) -> dict[str, list[ActionItem]]:
    """The actions agreed (accepted, with or without edits) in each review, by slug."""
    out: dict[str, list[ActionItem]] = defaultdict(list)
    for item in (ActionItem.objects.filter(review__in=list(reviews),
                                           decision__in=[Decision.ACCEPTED, Decision.EDITED])
                 .select_related("review").order_by("review", "rank", "key")):
        out[item.review.slug].append(item)
    return dict(out)


def severity_reason(score: QuestionScore, polarity: Polarity | str | None,
                    answer_labels: dict[str, str]) -> str:
    """Why the question has the severity it has, in one sentence."""
    label = answer_labels.get(score.answer, score.answer)
    if score.computed is not None:
        helps = polarity is not None and Polarity(polarity) == Polarity.FACILITATOR
        template = (_("“%(answer)s” to a question where yes helps ACS: severity %(severity)d")
                    if helps else
                    _("“%(answer)s” to a question where yes hinders ACS: severity %(severity)d"))
        return template % {"answer": label, "severity": score.computed}
    if score.answer == "dont_know":
        return _("“%(answer)s”: an evidence gap, not scored") % {"answer": label}
    if score.answer == "not_applicable":
        return _("“%(answer)s”: outside the question's scope, not scored") % {"answer": label}
    return _("Not answered: an evidence gap, not scored")


def signed(value: float | None, digits: int = 0) -> str:
    """A change with its sign (+, a real minus, or ± for none); "" when unknown."""
    if value is None:
        return ""
    rounded = round(value, digits)
    sign = (rounded > 0) - (rounded < 0)
    return SIGNS[sign] + number_format(abs(rounded), digits)


def note_text(note: Note, domain_labels: dict[str, str]) -> str:
    """A comparability note of :mod:`acsreview.core.comparison` in words."""
    if note.kind == NoteKind.VERSIONS:
        versions = "; ".join(f"{slug}: {v}" for slug, v in sorted(note.detail["versions"].items()))
        return _("The reviews use different instrument versions (%(versions)s): only the "
                 "questions they all have are compared.") % {"versions": versions}
    if note.kind == NoteKind.EXCLUDED:
        left_out = note.detail["questions"]
        custom = note.detail.get("custom", [])
        text = ngettext(
            "%(slug)s: %(n)d question left out because not every review has it (%(ids)s).",
            "%(slug)s: %(n)d questions left out because not every review has them "
            "(%(ids)s).", len(left_out)) % {"slug": note.slug, "n": len(left_out),
                                           "ids": ", ".join(left_out)}
        if custom:
            text += " " + ngettext("%(n)d of them is the jurisdiction's own question.",
                                   "%(n)d of them are the jurisdiction's own questions.",
                                   len(custom)) % {"n": len(custom)}
        return text
    label = domain_labels.get(note.domain_id, note.domain_id)
    scored = note.detail["scored"]
    return ngettext(  # the number of scored questions decides the form (1 question sur 5)
        "%(slug)s, %(domain)s: the index rests on %(scored)d of %(questions)d questions, "
        "fewer than half.",
        "%(slug)s, %(domain)s: the index rests on %(scored)d of %(questions)d questions, "
        "fewer than half.", scored) % {"slug": note.slug, "domain": label, "scored": scored,
                                       "questions": note.detail["questions"]}


def labels_of(instruments: Sequence[Instrument]) -> dict[str, dict[str, str]]:
    """Labels of domains, questions and catalogue entries, the first instrument first."""
    out: dict[str, dict[str, str]] = {"domain": {}, "question": {}, "catalogue": {},
                                      "level": {}}
    for inst in instruments:
        for level in inst.levels:
            out["level"].setdefault(level.id, level.label)
            for d in level.domains:
                out["domain"].setdefault(d.id, d.label)
                for q in d.questions:
                    out["question"].setdefault(q.id, q.text)
        for entry in inst.catalogue:
            out["catalogue"].setdefault(entry.id, entry.text)
    return out
