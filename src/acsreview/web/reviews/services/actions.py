"""The action plan of a review: the core plan, the lead's decisions on it, their follow-up.

The ranking itself is :func:`acsreview.core.actions.action_plan` (docs/methodology.md,
"Action plan"); here it is fed with the review's answers and the *published*
stakeholder figures (:func:`acsreview.web.consultations.services.results.review_results`,
which suppresses small groups), and the lead's decisions are saved: versioned,
audited, refused on a final review, each keeping the severity of the barriers behind
it so that the next round can tell whether the action had the desired effect.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from acsreview.core.actions import FollowUp, Plan, Recommendation, action_plan, follow_up
from acsreview.core.instrument import AnswerType, Instrument, iter_questions
from acsreview.core.profile import Profile, barrier_profile
from acsreview.core.stakeholders import StakeholderFigure, stakeholder_figures
from acsreview.web.consultations.services.results import review_results
from acsreview.web.instruments import instrument_of

from ..models import ActionItem, Decision, Progress, Review, Status
from .audit import record, snapshot

DECISION_FIELDS = ["decision", "title", "description", "justification", "owner", "due_date",
                   "status", "rank", "weight", "level_id", "area_id", "barriers"]
PROGRESS_FIELDS = ["owner", "due_date", "status"]


class ActionConflict(Exception):
    """Someone saved a decision on this recommendation since this person loaded it."""

    def __init__(self, current: ActionItem | None):
        super().__init__(f"{current} was changed by someone else")
        self.current = current


class ActionLocked(Exception):
    """A final review is read-only."""


class ActionInvalid(Exception):
    """A decision that may not be saved as it is; ``field`` names what is wrong."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class UnknownRecommendation(Exception):
    """No recommendation of the plan, and no earlier decision, has this key."""


@dataclass(frozen=True)
class ReviewPlan:
    plan: Plan
    profile: Profile
    figures: dict[str, StakeholderFigure]
    results: object | None  # ReviewResults of the consultation the figures come from
    actions: dict[str, ActionItem]  # the review's decisions by recommendation key

    def recommendation(self, key: str) -> Recommendation | None:
        return next((r for r in self.plan.recommendations if r.key == key), None)


@dataclass(frozen=True)
class EarlierAction:
    action: ActionItem
    follow_up: FollowUp


# -- the plan --------------------------------------------------------------------------

def published_figures(review: Review, instrument: Instrument):
    """(the consultation's results or None, the stakeholder figure of each scored question)."""
    results = review_results(review, instrument=instrument)
    if results is None:
        return None, {}
    polarity = {q.id: q.polarity.value for q in iter_questions(instrument)
                if q.answer_type == AnswerType.CHOICE and q.polarity is not None}
    return results, stakeholder_figures(results.questions, polarity)


def review_profile(review: Review, instrument: Instrument, answers=None) -> Profile:
    """The barrier profile of the review's answers (``answers`` by item id, if loaded)."""
    if answers is None:
        answers = {a.item_id: a for a in review.answers.all()}
    return barrier_profile(instrument, answers)


def review_plan(review: Review, instrument: Instrument | None = None,
                answers=None) -> ReviewPlan:
    """The ranked plan of the review as it is now, with the decisions taken on it."""
    instrument = instrument or instrument_of(review)
    profile = review_profile(review, instrument, answers)
    results, figures = published_figures(review, instrument)
    return ReviewPlan(plan=action_plan(instrument, profile, figures), profile=profile,
                      figures=figures, results=results,
                      actions={a.key: a for a in review.actions.select_related("updated_by")})


def default_title(instrument: Instrument, level_id: str, area_id: str) -> str:
    """The recommendation in words: its area for action at its level."""
    areas = {a.id: a.label for a in instrument.areas_for_action}
    levels = {lv.id: lv.label for lv in instrument.levels}
    return _("%(area)s (%(level)s)") % {"area": areas.get(area_id, area_id),
                                         "level": levels.get(level_id, level_id)}


def action_title(instrument: Instrument, action: ActionItem) -> str:
    """What an action is called, in the language of ``instrument``: an edited action keeps
    the lead's own words; an accepted or rejected one reads as its recommendation (the
    title saved with it is in the language of whoever decided)."""
    if action.decision == Decision.EDITED:
        return action.title
    return default_title(instrument, action.level_id, action.area_id)


def with_titles(instrument: Instrument, actions):
    """The actions, each given ``shown_title`` (:func:`action_title`) for the templates."""
    for action in actions:
        action.shown_title = action_title(instrument, action)
    return actions


def recommendation_fields(rec: Recommendation) -> dict:
    """What an action keeps of its recommendation when decided: rank, weight, barriers.

    ``barriers`` maps each barrier's question to the lead's severity then (None when
    the barrier rested on the stakeholders' figure alone): the baseline of the follow-up.
    """
    return {"level_id": rec.level_id, "area_id": rec.area_id, "rank": rec.rank,
            "weight": rec.weight,
            "barriers": {b.question_id: b.severity for b in rec.barriers}}


# -- decisions -------------------------------------------------------------------------

def _lock_open(review: Review) -> None:
    """Refuse a final review, as it is in the database now (locked until the save commits)."""
    status = Review.objects.select_for_update().values_list("status", flat=True).get(
        pk=review.pk)
    if status == Status.FINAL:
        raise ActionLocked(review.slug)


def _check_version(item: ActionItem | None, expected_version: int) -> None:
    if (item.version if item else 0) != expected_version:
        raise ActionConflict(item)


def _check_decision(decision: str, title: str, justification: str) -> None:
    if decision not in Decision.values:
        raise ActionInvalid("decision", _("Choose accept, accept with edits or reject."))
    if decision == Decision.EDITED and not title.strip():
        raise ActionInvalid("title", _("Give the edited action a title."))
    if decision in {Decision.EDITED, Decision.REJECTED} and not justification.strip():
        raise ActionInvalid("justification",
                            _("Say why the recommendation is edited or rejected."))


def _check_status(status: str) -> None:
    if status not in Progress.values:
        raise ActionInvalid("status", _("Choose one of the statuses."))


@transaction.atomic
def decide(review: Review, key: str, user, *, decision: str, title: str = "",
           description: str = "", justification: str = "", owner: str = "",
           due_date=None, status: str = Progress.NOT_STARTED, expected_version: int,
           instrument: Instrument | None = None) -> ActionItem:
    """Accept, accept with edits, or reject the recommendation ``key`` of the review's plan.

    ``expected_version`` is the version the person saw (0: no decision yet); any other
    is a conflict and nothing is written. The action keeps the recommendation's rank,
    weight and barriers as they are now; a recommendation no longer in the plan keeps
    those of the earlier decision. Accepting takes the recommendation's own wording.
    """
    _check_decision(decision, title, justification)
    _check_status(status)
    _lock_open(review)
    item = ActionItem.objects.select_for_update().filter(review=review, key=key).first()
    _check_version(item, expected_version)
    instrument = instrument or instrument_of(review)
    current = review_plan(review, instrument).recommendation(key)
    if current is None and item is None:
        raise UnknownRecommendation(key)
    before = snapshot(item, DECISION_FIELDS) if item else None
    if item is None:
        item = ActionItem(review=review, key=key, version=0)
    if current is not None:
        for field, value in recommendation_fields(current).items():
            setattr(item, field, value)
    agreed = decision in {Decision.ACCEPTED, Decision.EDITED}
    item.decision = decision
    if decision == Decision.EDITED:
        item.title, item.description = title.strip(), description.strip()
    else:  # the recommendation's own wording
        item.title = default_title(instrument, item.level_id, item.area_id)
        item.description = ""
    item.justification = justification.strip()
    item.owner = owner.strip() if agreed else ""
    item.due_date = due_date if agreed else None
    item.status = status if agreed else Progress.NOT_STARTED
    item.version += 1
    item.updated_by = user
    item.save()
    record(user, review, "action", key, "decide" if before else "create", before,
           snapshot(item, DECISION_FIELDS))
    return item


@transaction.atomic
def update_progress(review: Review, key: str, user, *, owner: str = "", due_date=None,
                    status: str, expected_version: int) -> ActionItem:
    """Owner, due date and status of an agreed action; its decision and barriers stay."""
    _check_status(status)
    _lock_open(review)
    item = ActionItem.objects.select_for_update().filter(review=review, key=key).first()
    if item is None:
        raise UnknownRecommendation(key)
    _check_version(item, expected_version)
    if not item.agreed:
        raise ActionInvalid("status", _("A rejected recommendation has no progress to follow."))
    before = snapshot(item, PROGRESS_FIELDS)
    item.owner, item.due_date, item.status = owner.strip(), due_date, status
    item.version += 1
    item.updated_by = user
    item.save()
    record(user, review, "action", key, "progress", before, snapshot(item, PROGRESS_FIELDS))
    return item


# -- the follow-up in the next round ------------------------------------------------------

def previous_round(review: Review) -> Review | None:
    """The round just before this one of the same jurisdiction (whatever it was carried
    over from: the follow-up and the trends page must agree on what came before)."""
    return (Review.objects.filter(jurisdiction_id=review.jurisdiction_id,
                                  round__lt=review.round)
            .order_by("-round").first())


def earlier_actions(review: Review, instrument: Instrument | None = None,
                    profile: Profile | None = None) -> list[EarlierAction]:
    """The previous round's agreed actions, each with what happened to its barriers now."""
    previous = previous_round(review)
    if previous is None:
        return []
    if profile is None:
        profile = review_profile(review, instrument or instrument_of(review))
    agreed = previous.actions.filter(decision__in=[Decision.ACCEPTED, Decision.EDITED])
    return [EarlierAction(action=a, follow_up=follow_up(a.barriers, profile))
            for a in agreed.order_by("rank", "key")]
