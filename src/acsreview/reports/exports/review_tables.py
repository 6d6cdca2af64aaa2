"""The tables of an export of one review or of many: what a review holds, as open data.

Nothing personal leaves: no e-mail address or name of anyone who worked on a review,
no single stakeholder response. Consultation figures come only from
:func:`~acsreview.web.consultations.services.results.review_results`, which withholds
or merges small groups (docs/methodology.md, "Consultation"). "Not known" is an empty
cell, never 0.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from django.db.models import Prefetch

from acsreview.core.actions import action_plan
from acsreview.core.consultation import ANSWERS
from acsreview.core.instrument import AnswerType, Instrument
from acsreview.core.profile import barrier_profile
from acsreview.core.stakeholders import side_by_side, stakeholder_figures
from acsreview.core.utilisation import RATES, per_100_offences, rates
from acsreview.web.consultations.services.results import review_results
from acsreview.web.instruments import instrument_of
from acsreview.web.reviews.models import Indicator, MeasureStat, Review

from .table import Field, Table

S, INT, N, B, D, DT = "string", "integer", "number", "boolean", "date", "datetime"


def _f(name: str, kind: str = S, description: str = "") -> Field:
    return Field(name, kind, description)


REVIEW = _f("review", S, "The review's slug: jurisdiction code and round, e.g. XA-2026.")


def _tables() -> dict[str, Table]:
    t = [
        Table("reviews", "Reviews", "One row per review of a jurisdiction in a round.", [
            REVIEW, _f("jurisdiction", S, "ISO 3166 code (XA-XZ: fictional, demo)"),
            _f("jurisdiction_name"), _f("round", INT, "The year of the round."),
            _f("status", S, "draft, consultation, validation or final"),
            _f("instrument"), _f("instrument_version"),
            _f("demo", B, "Synthetic demo data about a fictional jurisdiction.")],
            primary_key=["review"]),
        Table("answers", "Diagnostic answers",
              "The lead's answer to each question and best-practice principle.", [
                  REVIEW, _f("item", S, "Question or principle id of the instrument."),
                  _f("level"), _f("domain"),
                  _f("answer", S, "yes, partly, no, dont_know, not_applicable; empty: none"),
                  _f("severity", INT, "0-2 from the answer and the question's polarity"),
                  _f("severity_override", INT, "The lead's override, 0-2"),
                  _f("override_justification"), _f("text", S, "Answer to an open question"),
                  _f("evidence"), _f("sources", S, "JSON list of sources"),
                  _f("confidence", S, "low, medium or high"), _f("notes"),
                  _f("carried_over", B, "Carried over from the previous round, unconfirmed"),
                  _f("updated_at", DT)], primary_key=["review", "item"]),
        Table("measures", "ACS inventory", "The alternatives to coercive sanctions in use.", [
            REVIEW, _f("measure", INT, "Id of the measure within this export."), _f("name"),
            _f("type"), _f("stage", S, "CJS stage, police_arrest to post_sentence"),
            _f("legal_basis"), _f("eligible_offences"), _f("eligible_drugs"),
            _f("eligible_prior_record"), _f("rehabilitative_element"),
            _f("geographic_scope"), _f("delivered_by"), _f("paid_by"), _f("notes")],
            primary_key=["measure"]),
        Table("measure_statistics", "Use of each measure per year",
              "Counts (empty: not known) and the rates derived from them (percentages).", [
                  REVIEW, _f("measure", INT), _f("year", INT), _f("eligible", INT),
                  _f("referred", INT, "Referred or ordered"), _f("started", INT),
                  _f("completed", INT), _f("breached", INT),
                  *[_f(r.key, N, f"{r.numerator} / {r.denominator} x 100") for r in RATES],
                  _f("per_100_offences", N, "Referred per 100 drug-law offences that year"),
                  _f("source")], primary_key=["measure", "year"]),
        Table("context_indicators", "Context indicators", "Per year, with their source.", [
            REVIEW, _f("year", INT), _f("indicator"), _f("value", N), _f("source")],
            primary_key=["review", "indicator", "year"]),
        Table("correspondents", "Questions to Legal & Policy Correspondents",
              "The structured answers, one row per field.", [
                  REVIEW, _f("question"), _f("field"), _f("value")],
            primary_key=["review", "question", "field"]),
        Table("profile", "Barrier profile by domain",
              "The lead's index (0-100), evidence gaps, and the stakeholders' published "
              "index beside it.", [
                  REVIEW, _f("level"), _f("domain"), _f("lead_index", N),
                  _f("scored", INT, "Questions scored"), _f("choice_questions", INT),
                  _f("gaps", INT, "Don't know or unanswered"), _f("gap_index", N),
                  _f("stakeholder_index", N, "Mean of the questions' published indices"),
                  _f("divergence", N, "Mean |lead - stakeholders| over questions with both")],
            primary_key=["review", "domain"]),
        Table("consultation", "Stakeholder consultation (published figures)",
              "Per question and publication unit: a group shown apart, the merged pool of "
              "small groups, overall, or the CJS and health sides. Groups under the "
              "threshold are never shown apart.", [
                  REVIEW, _f("question"),
                  _f("unit", S, "a group id, merged, overall, sector:cjs or sector:health"),
                  _f("members", S, "The groups in the unit, comma-separated"), _f("n", INT),
                  *[_f(a, INT) for a in ANSWERS], _f("severity_index", N),
                  _f("agreement", N, "Tastle-Wierman consensus, 0-1"),
                  _f("divergence", N, "CJS versus health, on the overall row")],
            primary_key=["review", "question", "unit"]),
        Table("recommendations", "Action plan: ranked recommendations",
              "Areas for action at a level, ranked by the cumulative weight of their "
              "barriers (docs/methodology.md, Action plan).", [
                  REVIEW, _f("rank", INT), _f("key"), _f("level"), _f("area"),
                  _f("weight", N), _f("barriers", S, "Question ids, heaviest first"),
                  _f("facilitators", S, "Catalogue ids"), _f("principles")],
            primary_key=["review", "key"]),
        Table("actions", "Action plan: decisions and follow-up",
              "The lead's decision on each recommendation.", [
                  REVIEW, _f("key"), _f("decision"), _f("title"), _f("description"),
                  _f("justification"), _f("owner"), _f("due_date", D), _f("status"),
                  _f("rank_when_decided", INT), _f("weight_when_decided", N),
                  _f("barriers_when_decided", S, "JSON: question id -> severity")],
            primary_key=["review", "key"]),
    ]
    return {table.name: table for table in t}


def _questions(instrument: Instrument):
    for level in instrument.levels:
        for domain in level.domains:
            for q in domain.questions:
                yield level.id, domain.id, q


def review_tables(reviews: Sequence[Review],
                  progress: Callable[[int, int], None] | None = None) -> list[Table]:
    """Every table of ``reviews`` (already filtered to what the reader may see)."""
    tables = _tables()
    for done, review in enumerate(reviews, start=1):
        _add_review(tables, review)
        if progress:
            progress(done, len(reviews))
    return list(tables.values())


def _add_review(tables: dict[str, Table], review: Review) -> None:
    slug = review.slug
    instrument = instrument_of(review)
    j = review.jurisdiction
    tables["reviews"].add(slug, j.code, j.name, review.round, review.status,
                          review.instrument_id, review.instrument_version, j.is_demo)
    answers = {a.item_id: a for a in review.answers.all()}
    profile = barrier_profile(instrument, answers)
    computed = {s.question_id: s.computed for s in profile.questions}
    where = {q.id: (lv, d) for lv, d, q in _questions(instrument)}
    for item_id, a in sorted(answers.items()):
        level, domain = where.get(item_id, ("", ""))
        tables["answers"].add(
            slug, item_id, level, domain, a.answer, computed.get(item_id),
            a.severity_override, a.override_justification, a.text, a.evidence,
            _json(a.sources), a.confidence, a.notes, a.carried_over, a.updated_at)
    indicators = list(review.indicators.all().order_by("indicator", "year"))
    offences = {i.year: i.value for i in indicators
                if i.indicator == Indicator.DRUG_LAW_OFFENCES}
    measures = review.measures.order_by("stage", "name", "pk").prefetch_related(
        Prefetch("stats", queryset=MeasureStat.objects.order_by("year")))
    for m in measures:
        tables["measures"].add(
            slug, m.pk, m.name, m.measure_type, m.stage, m.legal_basis, m.eligible_offences,
            m.eligible_drugs, m.eligible_prior_record, m.rehabilitative_element,
            m.geographic_scope, m.delivered_by, m.paid_by, m.notes)
        for s in m.stats.all():
            counts = {c: getattr(s, c) for c in MeasureStat.COUNTS}
            derived = rates(counts)
            tables["measure_statistics"].add(
                slug, m.pk, s.year, *counts.values(), *[derived[r.key] for r in RATES],
                per_100_offences(s.referred, offences.get(s.year)), s.source)
    for i in indicators:
        tables["context_indicators"].add(slug, i.year, i.indicator, i.value, i.source)
    for c in review.correspondent_answers.all().order_by("question_id"):
        for key, value in sorted((c.values or {}).items()):
            tables["correspondents"].add(slug, c.question_id, key,
                                         value if isinstance(value, str) else _json(value))
    results = review_results(review, instrument=instrument)
    polarity = {q.id: q.polarity.value for _lv, _d, q in _questions(instrument)
                if q.answer_type == AnswerType.CHOICE and q.polarity}
    figures = stakeholder_figures(results.questions, polarity) if results else {}
    views = {d.domain_id: d for d in side_by_side(profile, figures).domains}
    levels = {s.domain_id: s.level_id for s in profile.questions}
    for d in profile.domains:
        v = views[d.id]
        tables["profile"].add(slug, levels.get(d.id, ""), d.id, d.index, d.scored,
                              d.choice_questions, d.gaps, d.gap_index, v.stakeholder_index,
                              v.divergence)
    if results:
        order = {q.id: i for i, (_lv, _d, q) in enumerate(_questions(instrument))}
        for qid, agg in sorted(results.questions.items(),
                               key=lambda item: (order.get(item[0], len(order)), item[0])):
            units = [(u.group, u) for u in agg.groups] + [
                (name, u) for name, u in (("overall", agg.overall), ("sector:cjs", agg.cjs),
                                          ("sector:health", agg.health)) if u]
            for name, u in units:
                tables["consultation"].add(
                    slug, qid, name, ",".join(u.members), u.n,
                    *[u.distribution.get(a, 0) for a in ANSWERS], u.severity_index,
                    u.agreement, agg.divergence if u is agg.overall else None)
    for r in action_plan(instrument, profile, figures).recommendations:
        tables["recommendations"].add(
            slug, r.rank, r.key, r.level_id, r.area_id, r.weight,
            ",".join(b.question_id for b in r.barriers),
            ",".join(f.entry_id for f in r.facilitators), ",".join(r.principles))
    for a in review.actions.all().order_by("rank", "key"):
        tables["actions"].add(slug, a.key, a.decision, a.title, a.description, a.justification,
                              a.owner, a.due_date, a.status, a.rank, a.weight,
                              _json(a.barriers))


def _json(value) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=_default)


def _default(value):
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value).__name__)
