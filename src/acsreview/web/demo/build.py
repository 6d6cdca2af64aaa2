"""Building the demo reviews: inventory, figures, context, diagnostic, correspondents,
and the action plan decided in Xandria's 2024 round.

Deterministic: every random choice comes from a ``random.Random`` seeded by a fixed
string, so two loads (and two machines) write the same data. Written straight with
the ORM; only Xandria's 2026 round goes through ``start_review``, as a lead would.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from django.utils import timezone, translation

from acsreview.core.instrument import AnswerType, iter_questions
from acsreview.core.scoring import severity

from ..reviews.models import (
    ActionItem,
    Answer,
    ContextIndicator,
    CorrespondentAnswer,
    Measure,
    MeasureStat,
    Review,
    Status,
    StatusChange,
)
from ..reviews.services.actions import default_title, recommendation_fields, review_plan
from ..reviews.services.workflow import start_review
from . import content as c
from .content import Place

GOOD = {"facilitator": "yes", "barrier": "no"}
BAD = {"facilitator": "no", "barrier": "yes"}
TOWARDS_GOOD = {"facilitator": {"no": "partly", "partly": "yes"},
                "barrier": {"yes": "partly", "partly": "no"}}
STEPS = [Status.DRAFT, Status.CONSULTATION, Status.VALIDATION, Status.FINAL]


def rng_for(*key) -> random.Random:
    return random.Random("acsreview-demo:" + ":".join(map(str, key)))  # noqa: S311 - demo data


def fill(template: str, place: Place, **extra) -> str:
    return template.format(name=place.name, adj=place.adjective, **extra)


# -- the reviews -------------------------------------------------------------------------

def build_all(inst, places: dict, users: dict) -> None:
    """Every demo review not there yet; those already there are left as they are."""
    xa, xb, xc = places["XA"], places["XB"], places["XC"]
    coordinator, lead = users["coordinator"], users["lead"]
    if not _exists(xa, 2024):
        review = _new_review(inst, xa, 2024, lead)
        _fill(review, inst, c.XANDRIA, c.YEARS_2024, lead, complete=True)
        _correspondents(review, c.CORRESPONDENTS["XA-2024"], lead)
        _walk_status(review, Status.FINAL, lead, coordinator)
    if not _exists(xa, 2026):
        _xandria_2026(inst, xa, users)
    if not _exists(xb, 2026):
        review = _new_review(inst, xb, 2026, coordinator)
        _fill(review, inst, c.BELLMARK, c.YEARS_2026, coordinator, complete=True)
        _correspondents(review, c.CORRESPONDENTS["XB-2026"], coordinator)
        _walk_status(review, Status.CONSULTATION, coordinator, coordinator)
    if not _exists(xc, 2026):
        review = _new_review(inst, xc, 2026, coordinator)
        _fill(review, inst, c.CORVANIA, c.YEARS_2026, coordinator, complete=False)
    from .consultations import build_consultations

    build_consultations(inst, {r.slug: r for r in Review.objects.filter(
        jurisdiction__in=[xa, xb, xc])})
    _actions(inst, Review.objects.filter(jurisdiction=xa, round=2024).first(),
             c.XA_2024_ACTIONS, lead)


def _exists(jurisdiction, round_: int) -> bool:
    return Review.objects.filter(jurisdiction=jurisdiction, round=round_).exists()


def _new_review(inst, jurisdiction, round_: int, user) -> Review:
    return Review.objects.create(jurisdiction=jurisdiction, round=round_,
                                 instrument_id=inst.id, instrument_version=inst.version,
                                 created_by=user)


def _walk_status(review: Review, to: Status, lead, coordinator) -> None:
    """The status changes a review went through to reach ``to``, as its history shows."""
    changes = []
    for before, after in zip(STEPS, STEPS[1:index_of(to) + 1], strict=False):
        by = coordinator if after == Status.FINAL else lead
        changes.append(StatusChange(review=review, from_status=before, to_status=after, by=by,
                                    note=f"Demo: moved to {after.value}."))
    StatusChange.objects.bulk_create(changes)
    review.status = to
    review.save(update_fields=["status"])


def index_of(status: Status) -> int:
    return STEPS.index(status)


def _fill(review, inst, place: Place, years, user, *, complete: bool) -> None:
    specs = c.MEASURES[place.code]
    Measure.objects.bulk_create([_measure(review, spec, user) for spec in specs])
    by_name = {m.name: m for m in review.measures.all()}
    stats = []
    for spec in specs:
        stats += _stats(by_name[spec.name], spec, place, years, years[0])
    _ensure_an_unknown(stats)
    MeasureStat.objects.bulk_create(stats)
    ContextIndicator.objects.bulk_create(_indicators(review, place, years))
    answers = _diagnostic(review, inst, place, user, complete=complete)
    answers += _principles(review, inst, place, user)
    Answer.objects.bulk_create(answers)


# -- inventory and context -----------------------------------------------------------------

def _measure(review, spec, user) -> Measure:
    return Measure(review=review, name=spec.name, stage=spec.stage,
                   measure_type=spec.measure_type, updated_by=user, **spec.texts)


def _stats(measure, spec, place: Place, years, base_year: int) -> list[MeasureStat]:
    """Figures that follow from the spec's rates, with a little noise and some unknowns.

    Seeded by jurisdiction, measure and year, so a carried-over round and its
    predecessor agree about the years they share. Unknown is None, never 0.
    """
    rows = []
    for year in years:
        rng = rng_for("stat", place.code, spec.name, year)
        eligible = spec.eligible * (1 + spec.growth) ** (year - base_year) * rng.uniform(.94, 1.06)
        referred = eligible * spec.rates[0] * rng.uniform(.93, 1.07)
        started = referred * spec.rates[1] * rng.uniform(.95, 1.05)
        completed = started * spec.rates[2] * rng.uniform(.9, 1.1)
        breached = started * spec.rates[3] * rng.uniform(.85, 1.15)
        values = dict(zip(MeasureStat.COUNTS, (eligible, referred, started, completed, breached),
                          strict=True))
        for name, value in values.items():
            unknown = place.unknown_stats * (2 if name == "eligible" else 1)
            values[name] = None if rng.random() < unknown else max(1, round(value))
        rows.append(MeasureStat(measure=measure, year=year, source=fill(c.STAT_SOURCE, place),
                                **values))
    return rows


def _ensure_an_unknown(stats: list[MeasureStat]) -> None:
    """Every demo review shows at least one unknown figure, as real ones do."""
    if stats and all(getattr(s, f) is not None for s in stats for f in MeasureStat.COUNTS):
        stats[0].eligible = None


def _indicators(review, place: Place, years) -> list[ContextIndicator]:
    rows = []
    for indicator, (base, step) in place.indicators.items():
        for year in years:
            rng = rng_for("indicator", place.code, indicator, year)
            value = (base + step * (year - 2021)) * rng.uniform(.985, 1.015)
            percent = indicator in {"occupancy_rate", "drug_prisoner_share"}
            known = not (place.code == "XC" and indicator == "drug_prisoner_share"
                         and year == years[0])
            rows.append(ContextIndicator(
                review=review, year=year, indicator=indicator,
                value=Decimal(f"{value:.1f}" if percent else f"{round(value)}") if known else None,
                source=fill(c.INDICATOR_SOURCES[indicator], place)))
    return rows


# -- the diagnostic -----------------------------------------------------------------------

COVERAGE = {"system": 0.85, "provider": 0.45, "client": 0.1}  # a partial review's progress


def _diagnostic(review, inst, place: Place, user, *, complete: bool) -> list[Answer]:
    rng = rng_for("diagnostic", review.slug)
    now = timezone.now()
    answers = []
    for level in inst.levels:
        for domain in level.domains:
            strength = place.profile.get(domain.id, 0.5)
            for q in domain.questions:
                if not complete and rng.random() >= COVERAGE.get(level.id, 0.3):
                    continue
                a = Answer(review=review, item_id=q.id, version=1, updated_at=now,
                           updated_by=user)
                if q.answer_type == AnswerType.TEXT:
                    good, bad = c.OPEN_TEXTS.get(domain.id, ("No other factor was named.",) * 2)
                    a.text = fill(good if strength >= 0.5 else bad, place)
                    a.confidence = "medium"
                else:
                    a.answer = _choose(rng, strength, place.dont_know, q.polarity.value)
                    a.answer = place.fixed.get(q.id, a.answer)  # the story's key facts
                    a.confidence = ("low" if a.answer == "dont_know" else
                                    rng.choices(["high", "medium", "low"], [5, 4, 1])[0])
                if rng.random() < 0.8 and a.answer != "dont_know":
                    a.evidence = fill(rng.choice(c.EVIDENCE), place, n=rng.randint(2, 9))
                if rng.random() < 0.3:
                    a.sources = _sources(rng, place)
                if rng.random() < 0.08:
                    a.notes = rng.choice(c.NOTES)
                answers.append(a)
    if complete:
        _overrides(answers, inst)
    return answers


def _choose(rng, strength: float, dont_know: float, polarity: str) -> str:
    if rng.random() < dont_know:
        return "dont_know"
    u = rng.random()
    if u < strength:
        return GOOD[polarity]
    return "partly" if u < strength + (1 - strength) / 3 else BAD[polarity]


def _sources(rng, place: Place) -> list[dict]:
    picked = rng.sample(c.SOURCES, rng.randint(1, 2))
    out = []
    for title, site, page in picked:
        year = rng.randint(2019, 2023)
        out.append({"title": f"{fill(title, place)} {year} (fictional)",
                    "url": f"https://{site}.{place.host}.example/{page}-{year}", "year": year})
    return out


def _overrides(answers: list[Answer], inst) -> None:
    """Two overrides, with their justifications: one raised, one lowered."""
    polarity = {q.id: q.polarity for q in iter_questions(inst)}
    scored = [(a, severity(a.answer, polarity[a.item_id])) for a in answers if a.answer]
    raise_one = next((a for a, s in scored if s == 0), None)
    lower_one = next((a for a, s in reversed(scored) if s == 2), None)
    if raise_one is not None:
        raise_one.severity_override, raise_one.override_justification = 1, c.RAISED
    if lower_one is not None:
        lower_one.severity_override, lower_one.override_justification = 1, c.LOWERED


def _principles(review, inst, place: Place, user) -> list[Answer]:
    """Some of the best-practice principles compared with the jurisdiction's guidance."""
    rng = rng_for("principles", review.slug)
    strength = place.profile.get("SYS-REG", 0.5)
    now = timezone.now()
    principles = list(inst.principles)
    share = 0.7 if strength >= 0.5 else 0.5
    chosen = [p for i, p in enumerate(principles) if i == 0 or rng.random() < share]
    if len(chosen) == len(principles):
        chosen = chosen[:-1]  # partly answered, always
    return [Answer(review=review, item_id=p.id, answer=_choose(rng, strength, 0.05,
                                                              "facilitator"),
                   evidence=fill(c.PRINCIPLE_EVIDENCE, place, n=rng.randint(1, 9)),
                   confidence=rng.choice(["medium", "high"]), version=1, updated_at=now,
                   updated_by=user)
            for p in chosen]


def _correspondents(review, answers: dict, user) -> None:
    now = timezone.now()
    CorrespondentAnswer.objects.bulk_create([
        CorrespondentAnswer(review=review, question_id=qid, values=values, version=1,
                            updated_at=now, updated_by=user)
        for qid, values in answers.items()])


# -- Xandria 2026: a round carried over from 2024 and partly reviewed ---------------------

def _xandria_2026(inst, xa, users) -> None:
    lead, contributor = users["lead"], users["contributor"]
    previous = Review.objects.filter(jurisdiction=xa, round=2024).first()
    item_ids = {q.id for q in iter_questions(inst)} | {p.id for p in inst.principles}
    review = start_review(xa, 2026, inst.id, inst.version, lead, carry_from=previous,
                          item_ids=item_ids)
    place, now = c.XANDRIA, timezone.now()
    measures = list(review.measures.all())
    field, amended_text = c.XA_AMENDED[1], c.XA_AMENDED[2]
    for m in measures:
        if m.name in c.XA_CONFIRMED or m.name == c.XA_AMENDED[0]:
            m.carried_over, m.version, m.updated_by = False, 2, lead
        if m.name == c.XA_AMENDED[0]:
            setattr(m, field, amended_text)
    Measure.objects.bulk_update(measures, ["carried_over", "version", "updated_by", field])
    Measure.objects.bulk_create([_measure(review, c.XA_NEW_MEASURE, lead)])
    specs = {s.name: s for s in [*c.MEASURES["XA"], c.XA_NEW_MEASURE]}
    stats = []
    for m in review.measures.all():
        spec = specs.get(m.name)
        if spec is None:
            continue
        is_new = spec is c.XA_NEW_MEASURE
        years = c.YEARS_2026 if is_new else (2024, 2025)
        stats += _stats(m, spec, place, years, 2023 if is_new else c.YEARS_2024[0])
    MeasureStat.objects.bulk_create(stats)
    ContextIndicator.objects.bulk_create(_indicators(review, place, (2024, 2025)))
    _review_carried_answers(review, inst, lead, contributor, now)
    CorrespondentAnswer.objects.filter(review=review, question_id="LPC-1").update(
        values=c.XA_2026_LPC1, carried_over=False, version=1, updated_at=now, updated_by=lead)


def _review_carried_answers(review, inst, lead, contributor, now) -> None:
    """Some answers confirmed, some changed (client access improved), the rest carried."""
    rng = rng_for("carried", review.slug)
    domain_of, polarity = {}, {}
    for level in inst.levels:
        for domain in level.domains:
            for q in domain.questions:
                domain_of[q.id] = domain.id
                polarity[q.id] = q.polarity.value if q.polarity else None
    answers = sorted(review.answers.all(), key=lambda a: a.item_id)
    for a in answers:
        improving = domain_of.get(a.item_id) in {"CLI-ACC", "CLI-CON"}
        change = 0.45 if improving else 0.1
        u = rng.random()
        if u >= change + 0.35:
            continue  # still carried over: nobody has looked at it yet
        a.carried_over, a.version, a.updated_at = False, 1, now
        a.updated_by = rng.choice([lead, contributor])
        if u < change:
            _change(a, polarity.get(a.item_id, "facilitator"), rng)
    Answer.objects.bulk_update(answers, ["answer", "text", "evidence", "severity_override",
                                         "override_justification", "carried_over", "version",
                                         "updated_at", "updated_by"])


def _change(a: Answer, polarity: str | None, rng) -> None:
    a.evidence = fill(c.CHANGED_2026, c.XANDRIA, n=rng.randint(3, 8))
    a.severity_override, a.override_justification = None, ""
    if a.text:
        a.text += " Since 2025 a pilot in Northern Xandria offers a different route."
    elif a.answer == "dont_know":
        a.answer = "partly"
    elif polarity:
        a.answer = TOWARDS_GOOD[polarity].get(a.answer, a.answer)


# -- an action plan decided in Xandria's 2024 round, followed up in 2026 -------------------

def _actions(inst, review, specs: dict, lead) -> None:
    """Decisions on the review's real plan (so keys and barriers are genuine), once."""
    if review is None or review.actions.exists():
        return
    recommendations = {r.key: r for r in review_plan(review, inst).plan.recommendations}
    items = []
    with translation.override("en"):
        for key, spec in specs.items():
            rec = recommendations.get(key)
            if rec is None:  # the instrument or the answers changed: nothing to decide
                continue
            agreed = spec.decision != "rejected"
            items.append(ActionItem(
                review=review, key=key, decision=spec.decision,
                title=spec.title or default_title(inst, rec.level_id, rec.area_id),
                description=spec.description, justification=spec.reason,
                owner=spec.owner if agreed else "",
                due_date=date.fromisoformat(spec.due) if agreed and spec.due else None,
                status=spec.status if agreed else "not_started", version=1,
                updated_by=lead, **recommendation_fields(rec)))
    ActionItem.objects.bulk_create(items)
