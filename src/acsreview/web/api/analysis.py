"""The analysis of a review: its barrier profile per question, domain and level, the
evidence gaps, and the stakeholders' published view beside the lead's.

The same computation as the analysis page: :mod:`acsreview.core.profile` and
:mod:`acsreview.core.stakeholders`, fed with the published figures of
:func:`acsreview.web.reviews.services.analysis.stakeholders_of` (suppressed).
"""

from __future__ import annotations

from ninja import Router

from acsreview.core.coverage import coverage
from acsreview.core.profile import barrier_profile
from acsreview.core.stakeholders import side_by_side
from acsreview.web.consultations.services.results import DISAGREEMENT
from acsreview.web.reviews.access import READ
from acsreview.web.reviews.services.analysis import disagree, stakeholders_of
from acsreview.web.reviews.views.common import instrument_for

from .auth import review
from .errors import REVIEW
from .schemas import AnalysisOut, SlugPath

router = Router(tags=["analysis"])


def _mean(values):
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def pooled(rows) -> dict:
    """The stakeholders' view of several questions: the analysis page's rule."""
    theirs = [q.stakeholders.index for q in rows
              if q.stakeholders and q.stakeholders.index is not None]
    both = [q.divergence for q in rows if q.divergence is not None]
    divergence = _mean(both)
    return {"stakeholder_index": _mean(theirs), "stakeholder_questions": len(theirs),
            "divergence": divergence, "compared": len(both), "disagree": disagree(divergence)}


def index(i) -> dict:
    return {"id": i.id, "index": i.index, "scored": i.scored,
            "choice_questions": i.choice_questions, "gaps": i.gaps, "gap_index": i.gap_index}


def figure(f) -> dict | None:
    if f is None:
        return None
    return {"n": f.n, "scored": f.scored, "index": f.index, "barrier_share": f.barrier_share,
            "agreement": f.agreement}


def _coverage(r, instrument) -> dict:
    stages = [s.id for s in instrument.cjs_stages]
    rows = list(r.measures.values_list("name", "stage", "measure_type"))
    cover = coverage(rows, stages, [t.id for t in instrument.measure_types])
    labels = {s.id: s.label for s in instrument.cjs_stages}
    return {"stages": [{"stage": s, "label": labels[s], "measures": cover.per_stage[s]}
                       for s in stages],
            "empty": list(cover.empty_stages), "measures": len(rows)}


@router.get("/reviews/{slug}/analysis", response={200: AnalysisOut, **REVIEW},
            auth=review(READ), summary="Barrier profile, gaps, and the stakeholders' view")
def analysis(request, slug: SlugPath):
    """Indices are 0-100 (mean severity / 2 x 100) over the scored questions, with the
    count scored; "don't know" and unanswered questions are gaps, never scores. The
    stakeholders' index, divergence (|lead - stakeholders| in index points) and
    ``disagree`` (divergence of at least ``disagreement_points``) are those of the
    consultation's published figures. See docs/methodology.md."""
    r = request.review
    instrument = instrument_for(request, r)
    answers = {a.item_id: a for a in r.answers.all()}
    profile = barrier_profile(instrument, answers)
    stakeholders = stakeholders_of(r, instrument)
    views = side_by_side(profile, stakeholders.figures)
    side = {q.question_id: q for q in views.questions}
    level_of = {s.question_id: s.level_id for s in profile.questions}
    domain_level = {d.id: lv.id for lv in instrument.levels for d in lv.domains}
    return {
        "overall": index(profile.overall), "overall_stakeholders": pooled(views.questions),
        "levels": [index(i) | {"stakeholders": pooled(
            [q for q in views.questions if level_of[q.question_id] == i.id])}
            for i in profile.levels],
        "domains": [index(i) | {"level_id": domain_level.get(i.id, ""), "stakeholders": pooled(
            [q for q in views.questions if q.domain_id == i.id])}
            for i in profile.domains],
        "questions": [{"question_id": s.question_id, "domain_id": s.domain_id,
                       "level_id": s.level_id, "answer": s.answer, "computed": s.computed,
                       "severity": s.severity,
                       "overridden": bool(answers.get(s.question_id)
                                          and answers[s.question_id].severity_override
                                          is not None),
                       "justification": s.justification, "gap": s.gap,
                       "stakeholders": figure(side[s.question_id].stakeholders),
                       "divergence": side[s.question_id].divergence,
                       "disagree": disagree(side[s.question_id].divergence)}
                      for s in profile.questions],
        "gaps": [s.question_id for s in profile.questions if s.gap],
        "stakeholders": {"state": stakeholders.state, "threshold": stakeholders.threshold,
                         "consultation": stakeholders.title},
        "coverage": _coverage(r, instrument),
        "disagreement_points": DISAGREEMENT,
    }
