"""The instrument schema: what an instrument file may say, checked by pydantic.

An instrument is data (YAML); these models are its grammar. Cross-references
(a question's areas, groups, sources ...) are checked afterwards by
:mod:`acsreview.core.instrument.checks`, so that one pass reports every problem.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

INSTRUMENT_SCHEMA = "acsreview-instrument/1"
VARIANT_SCHEMA = "acsreview-instrument-variant/1"
TRANSLATION_SCHEMA = "acsreview-translation/1"

# What no form, workbook or report can hold or show: the C0 controls but tab, line feed
# and carriage return; DEL and the C1 controls; U+FFFE and U+FFFF. YAML's escapes ("\a",
# "\e", "\x85") can write them all; openpyxl refuses most of them. (A lone surrogate,
# "\ud800", pydantic refuses itself as not a valid string.)
_UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def writable(value: str) -> str:
    """``value`` if every character of it can be shown and exported; else a ValueError."""
    bad = _UNWRITABLE.search(value)
    if bad:
        raise ValueError(f"the character U+{ord(bad.group()):04X} (character {bad.start() + 1}"
                         ") cannot be shown, printed or exported: remove it")
    return value


# Ids are written by people, fixed at creation and never derived from text.
Id = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$", max_length=40)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
InstrumentId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]*$", max_length=60)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000),
                 AfterValidator(writable)]
Url = Annotated[str, AfterValidator(writable)]
Jurisdiction = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]
Version = Annotated[str, StringConstraints(pattern=r"^[0-9]+\.[0-9]+([.-][A-Za-z0-9.]+)?$")]


class Polarity(StrEnum):
    """Does a "yes" make the use of ACS easier (facilitator) or harder (barrier)?"""

    FACILITATOR = "facilitator"
    BARRIER = "barrier"


class AnswerType(StrEnum):
    CHOICE = "choice"  # answered on the answer scale, scored by polarity
    TEXT = "text"  # open text: the "Any other ..." items


class Answer(StrEnum):
    """The answer scale of every choice question. Its labels live in the instrument."""

    YES = "yes"
    PARTLY = "partly"
    NO = "no"
    DONT_KNOW = "dont_know"
    NOT_APPLICABLE = "not_applicable"
    # Offered to stakeholders only: a respondent may decline a question.
    PREFER_NOT_TO_SAY = "prefer_not_to_say"


class Sector(StrEnum):
    """Which side of the CJS/health divide a stakeholder group stands on."""

    CJS = "cjs"
    HEALTH = "health"
    OTHER = "other"


class CatalogueKind(StrEnum):
    BARRIER = "barrier"
    FACILITATOR = "facilitator"
    THEME = "theme"  # a factor the seed says can work either way


class FieldType(StrEnum):
    TEXT = "text"
    CHOICE = "choice"
    CITATIONS = "citations"  # a list of (citation, year, url)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Strict):
    id: Id
    citation: Text
    url: Url | None = None
    note: Text | None = None


class Definition(Strict):
    id: Id
    text: Text
    source: Id
    locator: Text | None = None


class AnswerOption(Strict):
    id: Answer
    label: Text


class StakeholderGroup(Strict):
    id: Slug
    label: Text
    description: Text
    sector: Sector


class AreaForAction(Strict):
    id: Slug
    label: Text
    source: Id
    locator: Text | None = None


class Question(Strict):
    id: Id
    text: Text
    # Guidance on answering, shown to whoever answers: the lead and the respondents.
    help: Text | None = None
    # For the review lead only (the diagnostic, the instrument page): never shown to
    # respondents, on the survey, the field forms or the printed questionnaires.
    note: Text | None = None
    answer_type: AnswerType
    polarity: Polarity | None = None
    groups: list[Slug] | None = None  # None: the domain's groups
    # One of "the factors that can be changed by policy makers" (the seed): law, strategy,
    # funding, guidance or organisation can move it directly. Weighs in the action ranking.
    policy_lever: bool = False
    # The same question asked of the other side (CJS <-> health providers), for divergence.
    counterpart: Id | None = None
    areas: list[Slug] = Field(min_length=1)
    facilitators: list[Id] = Field(default_factory=list)
    barriers: list[Id] = Field(default_factory=list)
    principles: list[Id] = Field(default_factory=list)
    source: Id
    locator: Text | None = None
    # Set by the loader, never written in a file: added by a jurisdiction variant.
    custom: bool = False


class Domain(Strict):
    id: Id
    label: Text
    seed_heading: Text | None = None
    groups: list[Slug] = Field(min_length=1)
    questions: list[Question] = Field(min_length=1)


class Level(Strict):
    id: Slug
    label: Text
    domains: list[Domain] = Field(min_length=1)


class CatalogueCategory(Strict):
    id: Slug
    label: Text
    source: Id


class CatalogueEntry(Strict):
    id: Id
    kind: CatalogueKind
    category: Slug
    text: Text
    source: Id
    locator: Text | None = None
    areas: list[Slug] = Field(min_length=1)


class ClientFactor(Strict):
    id: Id
    category: Literal["stigma", "competing_problem"]
    label: Text
    questions: list[Id] = Field(min_length=1)
    source: Id


class Principle(Strict):
    id: Id
    text: Text
    source: Id
    locator: Text | None = None
    quote: Text | None = None


class CorrespondentField(Strict):
    id: Slug
    label: Text
    type: FieldType
    choices: list[Answer] | None = None


class CorrespondentQuestion(Strict):
    id: Id
    text: Text
    fields: list[CorrespondentField] = Field(min_length=1)
    source: Id


class CJSStage(Strict):
    id: Slug
    label: Text
    source: Id
    locator: Text | None = None


class MeasureType(Strict):
    id: Slug
    label: Text
    source: Id
    quote: Text | None = None


class InstrumentRef(Strict):
    id: InstrumentId
    version: Version


class Instrument(Strict):
    """A whole instrument, as written in a base file or as resolved from a variant."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    schema_: Literal["acsreview-instrument/1"] = Field(alias="schema")
    id: InstrumentId
    version: Version
    title: Text
    description: Text | None = None
    languages: list[LanguageCode] = Field(min_length=1)
    sources: list[Source] = Field(min_length=1)
    definitions: list[Definition] = Field(default_factory=list)
    answer_options: list[AnswerOption]
    stakeholder_groups: list[StakeholderGroup] = Field(min_length=1)
    areas_for_action: list[AreaForAction] = Field(min_length=1)
    levels: list[Level] = Field(min_length=1)
    client_factors: list[ClientFactor] = Field(default_factory=list)
    catalogue_categories: list[CatalogueCategory] = Field(default_factory=list)
    catalogue: list[CatalogueEntry] = Field(default_factory=list)
    principles: list[Principle] = Field(default_factory=list)
    correspondent_questions: list[CorrespondentQuestion] = Field(default_factory=list)
    cjs_stages: list[CJSStage] = Field(min_length=1)
    measure_types: list[MeasureType] = Field(min_length=1)
    # Set only on an instrument resolved from a jurisdiction variant.
    base: InstrumentRef | None = None
    jurisdiction: Jurisdiction | None = None
    hidden_questions: list[Id] = Field(default_factory=list)


class AddedQuestion(Strict):
    domain: Id
    after: Id | None = None
    question: Question


class Variant(Strict):
    """A jurisdiction's extension of a base instrument: extra or hidden questions, by id."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    schema_: Literal["acsreview-instrument-variant/1"] = Field(alias="schema")
    id: InstrumentId
    version: Version
    title: Text
    extends: InstrumentRef
    jurisdiction: Jurisdiction
    languages: list[LanguageCode] = Field(min_length=1)
    sources: list[Source] = Field(default_factory=list)
    add_questions: list[AddedQuestion] = Field(default_factory=list)
    hide_questions: list[Id] = Field(default_factory=list)


class Translation(Strict):
    """The strings of one instrument in one language, keyed by stable string keys."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    schema_: Literal["acsreview-translation/1"] = Field(alias="schema")
    instrument: InstrumentId
    version: Version
    language: LanguageCode
    status: Literal["complete", "draft"]
    note: Text | None = None
    strings: dict[str, Text]
