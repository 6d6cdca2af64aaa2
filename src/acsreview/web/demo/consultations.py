"""Demo consultations: synthetic, anonymous stakeholder responses for XA-2026 and XB-2026.

Several hundred responses per review across the stakeholder groups, with one group
(prison) under the suppression threshold, so that the results page shows a group
withheld; and, on Xandria's 2026 review, police and health plainly disagreeing on
whether CJS and health partners share the objectives of ACS interventions.

Deterministic (a ``random.Random`` seeded by a fixed string), written with
``bulk_create``, and idempotent: a review that already has a consultation is left as
it is. ``delete_demo`` removes them with their reviews. Nothing here is about a
person: a response holds a group, answers and a time; open texts are generic.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from acsreview.core.instrument import AnswerType

from ..consultations.models import Consultation, Link, Response, ResponseAnswer, Source

REVIEWS = ("XA-2026", "XB-2026")
THRESHOLD = 5
# Submitted responses per group: prison stays under the threshold, on purpose.
SIZES = {"police": 40, "prosecutors": 25, "judges": 20, "probation": 30, "prison": 3,
         "health": 60, "social": 25, "participants": 50, "ngo": 15}
SMALL_GROUP = "prison"
# Where CJS and health see things differently: police (and the CJS) say "yes", health "no".
DIVERGENT = {"XA-2026": ("PRV-CJE-04", "PRV-HLE-04")}
CJS = {"police", "prosecutors", "judges", "probation", "prison"}
# How much brighter (+) or darker (-) a group sees things than the review's profile.
OUTLOOK = {"police": 0.1, "prosecutors": 0.05, "judges": 0.05, "probation": 0.0,
           "prison": 0.0, "health": -0.05, "social": -0.1, "participants": -0.2, "ngo": -0.15}
OPEN_TEXTS = [
    "No other factor to add.",
    "Waiting times for an assessment vary between areas.",
    "More joint training would help.",
    "Information for people offered a measure could be clearer.",
    "Funding is agreed year by year, which makes planning hard.",
]
OPEN_TEXT_SHARE = 0.15
FIELD_SHARE = 0.2  # the share collected on field forms (ODK/Kobo) rather than the web


def rng_for(*key) -> random.Random:
    return random.Random("acsreview-demo:consultation:" + ":".join(map(str, key)))  # noqa: S311


def build_consultations(instrument, reviews_by_slug: dict) -> None:
    """Give XA-2026 and XB-2026 a consultation with responses, unless they have one."""
    from . import content as c

    places = {"XA-2026": c.XANDRIA, "XB-2026": c.BELLMARK}
    for slug in REVIEWS:
        review = reviews_by_slug.get(slug)
        if review is None or review.consultations.exists():
            continue
        _consultation(instrument, review, places[slug])


def _consultation(instrument, review, place) -> None:
    consultation = Consultation.objects.create(
        review=review, title=f"Demo consultation ({review.slug})", languages=["en"],
        threshold=THRESHOLD, created_by=review.created_by)
    Link.objects.bulk_create([Link(consultation=consultation, group=g.id)
                              for g in instrument.stakeholder_groups])
    rng = rng_for(review.slug)
    now = timezone.now()
    responses, plan = [], []
    for group, size in SIZES.items():
        for _i in range(size):
            n = len(responses) + 1
            submitted = now - timedelta(days=rng.randint(1, 40), minutes=rng.randint(0, 1439))
            responses.append(Response(
                consultation=consultation, group=group, instance_id=f"demo-{n}",
                source=Source.FIELD if rng.random() < FIELD_SHARE else Source.WEB,
                language="en", submitted_at=submitted))
            plan.append(group)
    Response.objects.bulk_create(responses)
    ids = dict(consultation.responses.values_list("instance_id", "id"))
    questions = _questions_by_group(instrument)
    divergent = DIVERGENT.get(review.slug, ())
    answers = []
    for n, group in enumerate(plan, start=1):
        response_id = ids[f"demo-{n}"]
        for domain_id, q in questions.get(group, []):
            if q.answer_type == AnswerType.TEXT:
                if rng.random() < OPEN_TEXT_SHARE:
                    answers.append(ResponseAnswer(response_id=response_id, item_id=q.id,
                                                  text=rng.choice(OPEN_TEXTS)))
                continue
            polarity = q.polarity.value if q.polarity else "facilitator"
            if q.id in divergent:
                value = _divergent(rng, group, polarity)
            else:
                strength = min(.95, max(.05, place.profile.get(domain_id, .5)
                                        + OUTLOOK.get(group, 0)))
                value = _answer(rng, strength, polarity)
            answers.append(ResponseAnswer(response_id=response_id, item_id=q.id, answer=value))
    ResponseAnswer.objects.bulk_create(answers, batch_size=2000)


def _questions_by_group(instrument) -> dict[str, list]:
    """The (domain id, question) pairs each group is asked."""
    out: dict[str, list] = {}
    for level in instrument.levels:
        for domain in level.domains:
            for q in domain.questions:
                for group in q.groups or domain.groups:
                    out.setdefault(group, []).append((domain.id, q))
    return out


GOOD = {"facilitator": "yes", "barrier": "no"}
BAD = {"facilitator": "no", "barrier": "yes"}


def _declined(rng) -> str | None:
    u = rng.random()
    if u < 0.06:
        return "dont_know"
    if u < 0.08:
        return "not_applicable"
    if u < 0.10:
        return "prefer_not_to_say"
    return None


def _answer(rng, strength: float, polarity: str) -> str:
    declined = _declined(rng)
    if declined:
        return declined
    u = rng.random()
    if u < strength:
        return GOOD[polarity]
    return "partly" if u < strength + (1 - strength) / 3 else BAD[polarity]


def _divergent(rng, group: str, polarity: str) -> str:
    """The CJS groups (police most of all) see agreement with health; health sees none."""
    declined = _declined(rng)
    if declined:
        return declined
    good = {"police": 0.85}.get(group, 0.7 if group in CJS else 0.08 if group == "health"
                                else 0.4)
    bad = 0.8 if group == "health" else 0.05 if group == "police" else 0.1 if group in CJS \
        else 0.3
    u = rng.random()
    if u < good:
        return GOOD[polarity]
    return BAD[polarity] if u < good + bad else "partly"
