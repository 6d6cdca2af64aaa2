"""Views of an instrument: the questions a stakeholder group answers, and field names."""

from __future__ import annotations

from .schema import Domain, Instrument, Question


def effective_groups(question: Question, domain: Domain) -> list[str]:
    """The stakeholder groups who answer ``question``: its own list, else its domain's."""
    return list(question.groups) if question.groups is not None else list(domain.groups)


def for_group(inst: Instrument, group: str) -> Instrument:
    """``inst`` cut down to the questions ``group`` answers; empty domains and levels go."""
    known = {g.id for g in inst.stakeholder_groups}
    if group not in known:
        one_of = ", ".join(sorted(known))
        raise LookupError(f"unknown stakeholder group '{group}' (one of: {one_of})")
    levels = []
    for level in inst.levels:
        domains = []
        for domain in level.domains:
            kept = [q for q in domain.questions if group in effective_groups(q, domain)]
            if kept:
                domains.append(domain.model_copy(update={"questions": kept}))
        if domains:
            levels.append(level.model_copy(update={"domains": domains}))
    return inst.model_copy(update={"levels": levels})


def field_name(ident: str) -> str:
    """The XML-safe field name of an id in XLSForms and their submissions: ``SYS_REG_01``.

    Underscores, not hyphens, because ODK and Kobo exports may join group paths with "-".
    The mapping is one-to-one: ids never contain underscores.
    """
    return ident.replace("-", "_")


def id_from_field_name(name: str) -> str:
    return name.replace("_", "-")
