"""The shapes of what the API takes and gives: one place, so that the OpenAPI
description at /api/openapi.json is the code's own.

Inputs refuse unknown fields (a misspelt field is an error, not silently dropped),
text with NUL characters or broken Unicode (no database takes them), and anything
longer than the web forms take.
"""

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from ninja import Field, Path, Schema
from pydantic import AfterValidator, ConfigDict, StringConstraints

from acsreview.web.reviews.forms import is_web_address
from acsreview.web.reviews.models import Role, Status
from acsreview.web.reviews.models.actions import Decision, Progress
from acsreview.web.reviews.models.diagnostic import AnswerChoice, Confidence


def _literal(values):
    return Literal[tuple(values)]  # type: ignore[valid-type]


RoleName = _literal(Role.values)
StatusName = _literal(Status.values)
AnswerValue = _literal(["", *AnswerChoice.values])
ConfidenceValue = _literal(["", *Confidence.values])
DecisionValue = _literal(Decision.values)
ProgressValue = _literal(Progress.values)


def _storable(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode text") from None
    return value


def Text(max_length: int, min_length: int = 0):  # noqa: N802 - a type, named like one
    return Annotated[str, StringConstraints(max_length=max_length, min_length=min_length),
                     AfterValidator(_storable)]


def _web_address(value: str) -> str:
    if value and not is_web_address(value):
        raise ValueError("must be a full web address (https://…)")
    return value


SLUG = r"^[A-Za-z0-9_-]{1,20}$"
SlugPath = Annotated[str, Path(pattern=SLUG, description="The review's slug, e.g. XA-2026.")]


class Input(Schema):
    model_config = ConfigDict(extra="forbid")


# --- errors ---------------------------------------------------------------------------

class ErrorBody(Schema):
    code: str = Field(description="Stable, for programs: not_found, forbidden, conflict, "
                                  "invalid, review_final, unauthorized, throttled, …")
    message: str = Field(description="For people, in the request's language.")
    fields: dict[str, str] | None = Field(
        None, description="On 422: each field at fault and what is wrong with it.")


class Error(Schema):
    error: ErrorBody


# --- paging ---------------------------------------------------------------------------

class PageQuery(Schema):
    limit: int = Field(50, ge=1, le=200, description="How many items, at most 200.")
    offset: int = Field(0, ge=0, le=1_000_000_000, description="How many items to skip.")


class ReviewQuery(PageQuery):
    jurisdiction: str | None = Field(None, pattern=r"^[A-Za-z0-9-]{1,10}$",
                                     description="Only this jurisdiction's reviews (its code).")
    round: int | None = Field(None, ge=2000, le=2100)
    status: StatusName | None = None


class AnswerQuery(PageQuery):
    domain: str | None = Field(None, max_length=40, pattern=r"^[A-Za-z0-9_.:-]+$",
                               description="Only this domain's questions; 'principles' for "
                                           "the principles.")


class IndicatorQuery(PageQuery):
    indicator: str | None = Field(None, max_length=40, pattern=r"^[a-z_]+$")


class Page(Schema):
    count: int = Field(description="How many items there are in all.")
    limit: int
    offset: int


# --- jurisdictions and reviews --------------------------------------------------------

class JurisdictionOut(Schema):
    code: str
    name: str
    parent: str | None = Field(description="The code of the jurisdiction it is part of.")
    is_demo: bool
    role: RoleName | None = Field(description="Your role there (None: you see it "
                                              "through a review only).")


class JurisdictionPage(Page):
    items: list[JurisdictionOut]


class ReviewOut(Schema):
    slug: str
    jurisdiction: str
    jurisdiction_name: str
    round: int
    status: StatusName
    instrument_id: str
    instrument_version: str
    is_demo: bool
    carried_from: str | None = Field(description="The slug of the previous round it "
                                                 "started from.")
    created_at: datetime
    role: RoleName = Field(description="Your role in it.")
    can_edit: bool = Field(description="Whether you may change it now (final reviews are "
                                       "read-only).")


class ReviewPage(Page):
    items: list[ReviewOut]


class ReviewDetailOut(ReviewOut):
    items: int = Field(description="Questions of its instrument.")
    answered: int
    carried_over: int = Field(description="Answers carried over from the previous round, "
                                          "not yet confirmed.")
    measures: int
    overall_index: float | None = Field(description="Barrier index 0-100 over the scored "
                                                    "questions (None: none scored).")
    overall_scored: int


# --- answers ----------------------------------------------------------------------------

class SourceIn(Input):
    title: Text(500, min_length=1)
    url: Annotated[Text(1000), AfterValidator(_web_address)] = ""
    year: int | None = Field(None, ge=1900, le=2100)


class SourceOut(Schema):
    title: str
    url: str
    year: int | None


class AnswerIn(Input):
    version: int = Field(ge=0, le=2_147_483_647,
                         description="The version you last read (0: never answered). "
                                     "Another one is a conflict (409).")
    answer: AnswerValue = Field("", description="Choice questions only.")
    text: Text(10000) = Field("", description="Open-text questions only.")
    evidence: Text(20000) = ""
    sources: list[SourceIn] = Field(default_factory=list, max_length=5)
    confidence: ConfidenceValue = ""
    notes: Text(10000) = ""
    severity_override: int | None = Field(None, ge=0, le=2,
                                          description="Choice questions only; needs a "
                                                      "justification.")
    override_justification: Text(5000) = ""


class AnswerOut(Schema):
    item_id: str
    kind: Literal["question", "principle"]
    level_id: str | None
    domain_id: str | None
    label: str = Field(description="The question or principle, in the request's language.")
    answer_type: Literal["choice", "text"]
    polarity: str | None
    answer: str
    text: str
    evidence: str
    sources: list[SourceOut]
    confidence: str
    notes: str
    severity_override: int | None
    override_justification: str
    severity: int | None = Field(description="From the answer and the polarity, 0-2.")
    effective_severity: int | None = Field(description="The override where there is one.")
    carried_over: bool
    version: int
    updated_at: datetime | None
    updated_by: str | None


class AnswerPage(Page):
    items: list[AnswerOut]


class AnswerConflictBody(ErrorBody):
    current: AnswerOut = Field(description="The answer as saved meanwhile: send its "
                                           "version to replace it knowingly.")


class AnswerConflict(Schema):
    error: AnswerConflictBody


# --- inventory --------------------------------------------------------------------------

class RatesOut(Schema):
    use_rate: float | None
    start_rate: float | None
    completion_rate: float | None
    breach_rate: float | None
    per_100_offences: float | None


class StatOut(Schema):
    year: int
    eligible: int | None
    referred: int | None
    started: int | None
    completed: int | None
    breached: int | None
    source: str
    rates: RatesOut = Field(description="Percentages, one decimal; None: not known.")
    changes: RatesOut = Field(description="Change in points since the last earlier year "
                                          "the rate was known.")


class MeasureOut(Schema):
    id: int
    name: str
    measure_type: str
    measure_type_label: str
    stage: str
    stage_label: str
    legal_basis: str
    eligible_offences: str
    eligible_drugs: str
    eligible_prior_record: str
    rehabilitative_element: str
    geographic_scope: str
    delivered_by: str
    paid_by: str
    notes: str
    carried_over: bool
    version: int
    updated_at: datetime
    statistics: list[StatOut]


class MeasurePage(Page):
    items: list[MeasureOut]


class IndicatorOut(Schema):
    indicator: str
    label: str
    year: int
    value: float | None = Field(description="None: not known.")
    source: str
    carried_over: bool


class IndicatorPage(Page):
    items: list[IndicatorOut]


# --- consultation -----------------------------------------------------------------------

class ConsultationRef(Schema):
    id: UUID
    title: str
    created_at: datetime
    closes_at: datetime | None
    purged_at: datetime | None = Field(description=(
        "When a coordinator deleted its raw responses (docs/privacy.md), keeping only the "
        "counts its figures are made of; null while they are there."))


class UnitOut(Schema):
    group: str = Field(description="A stakeholder group, or 'merged' for the pool of "
                                    "groups too small to show apart.")
    members: list[str]
    n: int
    distribution: dict[str, int]
    scored: int
    severity_index: float | None
    agreement: float | None


class QuestionResultOut(Schema):
    question_id: str
    domain_id: str
    groups: list[UnitOut]
    withheld: list[str] = Field(description="Groups too small to show, even pooled.")
    overall: UnitOut | None
    cjs: UnitOut | None
    health: UnitOut | None
    divergence: float | None
    disagree: bool


class DomainResultOut(Schema):
    domain_id: str
    divergence: float | None
    questions: int
    disagree: bool


class ResponsesOut(Schema):
    groups: list[UnitOut]
    withheld: list[str]
    total: int


class ConsultationOut(Schema):
    consultation: ConsultationRef | None = Field(description="None: the review has none.")
    consultations: list[ConsultationRef]
    threshold: int | None
    disagreement_points: int
    responses: ResponsesOut | None
    questions: list[QuestionResultOut]
    domains: list[DomainResultOut]


# --- analysis ---------------------------------------------------------------------------

class IndexOut(Schema):
    id: str
    index: float | None
    scored: int
    choice_questions: int
    gaps: int
    gap_index: float | None


class StakeholderFigureOut(Schema):
    n: int
    scored: int
    index: float | None
    barrier_share: float | None
    agreement: float | None


class PooledOut(Schema):
    stakeholder_index: float | None
    stakeholder_questions: int
    divergence: float | None
    compared: int
    disagree: bool


class LevelAnalysisOut(IndexOut):
    stakeholders: PooledOut


class DomainAnalysisOut(IndexOut):
    level_id: str
    stakeholders: PooledOut


class QuestionAnalysisOut(Schema):
    question_id: str
    domain_id: str
    level_id: str
    answer: str
    computed: int | None
    severity: int | None
    overridden: bool
    justification: str
    gap: bool
    stakeholders: StakeholderFigureOut | None
    divergence: float | None
    disagree: bool


class StakeholderStateOut(Schema):
    state: Literal["none", "unpublished", "published"]
    threshold: int | None
    consultation: str


class StageOut(Schema):
    stage: str
    label: str
    measures: int


class CoverageOut(Schema):
    stages: list[StageOut]
    empty: list[str]
    measures: int


class AnalysisOut(Schema):
    overall: IndexOut
    overall_stakeholders: PooledOut
    levels: list[LevelAnalysisOut]
    domains: list[DomainAnalysisOut]
    questions: list[QuestionAnalysisOut]
    gaps: list[str] = Field(description="Choice questions not answered or 'don't know'.")
    stakeholders: StakeholderStateOut
    coverage: CoverageOut
    disagreement_points: int


# --- action plan ------------------------------------------------------------------------

class BarrierOut(Schema):
    question_id: str
    domain_id: str
    level_id: str
    basis: Literal["lead", "stakeholders"]
    severity: int | None
    overridden: bool
    stakeholder_index: float | None
    barrier_share: float | None
    agreement: float | None
    stakeholders_n: int
    policy_lever: bool
    severity_factor: float
    agreement_factor: float
    lever_factor: float
    weight: float


class FacilitatorOut(Schema):
    entry_id: str
    text: str
    weight: float
    questions: list[str]


class ActionOut(Schema):
    key: str
    level_id: str
    area_id: str
    rank: int
    weight: float
    decision: str
    agreed: bool
    title: str
    description: str
    justification: str
    owner: str
    due_date: date | None
    status: str
    barriers: dict[str, int | None] = Field(description="Each barrier's severity when "
                                                        "decided: the follow-up's baseline.")
    version: int
    updated_at: datetime
    updated_by: str | None


class RecommendationOut(Schema):
    key: str
    level_id: str
    area_id: str
    level: str
    area: str
    rank: int
    weight: float
    barriers: list[BarrierOut]
    facilitators: list[FacilitatorOut]
    principles: list[str]
    decision: ActionOut | None


class BarrierChangeOut(Schema):
    question_id: str
    before: int | None
    after: int | None
    change: int | None


class EarlierActionOut(Schema):
    action: ActionOut
    outcome: Literal["improved", "unchanged", "worsened", "not_known"]
    barriers: list[BarrierChangeOut]


class PlanOut(Schema):
    recommendations: list[RecommendationOut]
    other_decisions: list[ActionOut] = Field(description="Decisions on recommendations "
                                                         "no longer in the plan.")
    barriers: int
    gaps: list[str]
    consultation: ConsultationRef | None = Field(description="Where the stakeholder "
                                                             "figures come from.")
    previous_round: str | None
    earlier: list[EarlierActionOut] = Field(description="The previous round's agreed "
                                                        "actions and what became of "
                                                        "their barriers.")


class DecisionIn(Input):
    version: int = Field(ge=0, le=2_147_483_647,
                         description="The decision's version you last read (0: none yet).")
    decision: DecisionValue
    title: Text(300) = Field("", description="Required when the decision is 'edited'.")
    description: Text(10000) = ""
    justification: Text(5000) = Field("", description="Required when 'edited' or "
                                                      "'rejected'.")
    owner: Text(200) = ""
    due_date: date | None = None
    status: ProgressValue = "not_started"


class ProgressIn(Input):
    version: int = Field(ge=0, le=2_147_483_647)
    owner: Text(200) = ""
    due_date: date | None = None
    status: ProgressValue


class ActionConflictBody(ErrorBody):
    current: ActionOut | None = Field(None, description="The decision as saved meanwhile "
                                                        "(absent: there is none).")


class ActionConflict(Schema):
    error: ActionConflictBody


def dump(schema: type[Schema], obj: Any) -> dict:
    """``obj`` through ``schema``, as JSON-ready data (for an error body's ``current``)."""
    return schema.model_validate(obj).model_dump(mode="json")
