"""The country report: one review, as a page in the app and as a PDF, in any language.

One template (``reports/country.html``) makes both: it extends ``reports/page_base.html``
in the app and ``reports/pdf_base.html`` for WeasyPrint, and the context is the same.
The report is rendered inside ``translation.override(lang)`` with the instrument
localized to ``lang``, so that a French report is French throughout.

Every figure comes from the same code as the app's pages: the barrier profile, the
action plan and the follow-up from :mod:`acsreview.core`, and the consultation's
figures only from :func:`~acsreview.web.consultations.services.results.review_results`
(through :func:`~acsreview.web.reviews.services.actions.published_figures`), where
small groups are suppressed. A figure that is not known is written as a dash with
"not known" for screen readers, never as 0.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

import acsreview
from acsreview.core.actions import NO_LEVER, UNCONFIRMED, Basis, Outcome, action_plan
from acsreview.core.consultation import MERGED
from acsreview.core.coverage import coverage
from acsreview.core.instrument import Instrument
from acsreview.core.profile import barrier_profile
from acsreview.core.stakeholders import side_by_side
from acsreview.core.utilisation import PER_100_OFFENCES, measure_trend
from acsreview.web.consultations.services.results import DISAGREEMENT
from acsreview.web.instruments import localized_instrument_of
from acsreview.web.reviews.models import Indicator, MeasureStat
from acsreview.web.reviews.services.actions import (
    action_title,
    earlier_actions,
    previous_round,
    published_figures,
)

from . import charts as charts_module
from .charts import text
from .pdf import html_to_pdf

TEMPLATE = "reports/country.html"
PDF_LAYOUT = "reports/pdf_base.html"
PAGE_LAYOUT = "reports/page_base.html"
TOP_DOMAINS = 5  # the executive summary's worst domains
TOP_ACTIONS = 5  # and its first recommendations
#: The utilisation table's rates, in its column order.
UTILISATION_RATES = ("use_rate", PER_100_OFFENCES, "start_rate", "completion_rate")


def report_languages() -> list[tuple[str, str]]:
    """The languages a report can be written in: the interface's (en, fr, de)."""
    return [(code, name) for code, name in settings.LANGUAGES]


def report_title(review) -> str:
    return _("%(jurisdiction)s %(round)s: review of alternatives to coercive sanctions") % {
        "jurisdiction": review.jurisdiction.name, "round": review.round}


# -- the public functions ------------------------------------------------------------------

def country_context(review, *, lang: str, pdf: bool, charts: bool = True) -> dict:
    """Everything the report template needs, in ``lang``; ``charts=False`` builds none."""
    with translation.override(lang):
        return _Builder(review, lang, pdf=pdf, charts=charts).context()


def render_country(review, *, lang: str = "en", pdf: bool = False, request=None) -> str:
    """The report as HTML: the standalone PDF document, or the page in the app."""
    with translation.override(lang):
        context = country_context(review, lang=lang, pdf=pdf)
        return render_to_string(TEMPLATE, context, request=None if pdf else request)


def country_pdf(review, *, lang: str = "en") -> bytes:
    """The report as a tagged PDF, titled and in ``lang``, with its charts as SVG (drawn
    in a helper process while WeasyPrint reads the report: ``charts.deferred``)."""
    with charts_module.deferred() as drawings:
        return html_to_pdf(render_country(review, lang=lang, pdf=True), resources=drawings)


# -- building the context ------------------------------------------------------------------

def _dash(words: str) -> str:
    """A dash for the eye, words for a screen reader (and for a PDF's text)."""
    return format_html('<span aria-hidden="true">\u2014</span>'
                       '<span class="visually-hidden">{}</span>', words)


def _mean(values) -> float | None:
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def _percent(value) -> str | None:
    return None if value is None else text(value) + "%"


def _number(value, digits: int = 0) -> str | None:
    return None if value is None else text(value, digits)


class _Builder:
    """Reads the review once and lays out each section of the report."""

    def __init__(self, review, lang: str, *, pdf: bool, charts: bool):
        self.review, self.lang, self.pdf, self.charts = review, lang, pdf, charts
        self.instrument: Instrument = localized_instrument_of(review, lang)
        inst = self.instrument
        self.answers = {a.item_id: a for a in review.answers.all()}
        self.profile = barrier_profile(inst, self.answers)
        self.results, self.figures = published_figures(review, inst)
        self.plan = action_plan(inst, self.profile, self.figures)
        self.views = side_by_side(self.profile, self.figures)
        self.scores = {s.question_id: s for s in self.profile.questions}
        self.questions = {q.id: q for lv in inst.levels for d in lv.domains
                          for q in d.questions}
        self.domains = {d.id: d.label for lv in inst.levels for d in lv.domains}
        self.levels = {lv.id: lv.label for lv in inst.levels}
        self.areas = {a.id: a.label for a in inst.areas_for_action}
        self.stages = {s.id: s.label for s in inst.cjs_stages}
        self.types = {t.id: t.label for t in inst.measure_types}
        self.catalogue = {e.id: e for e in inst.catalogue}
        self.principles = {p.id: p for p in inst.principles}
        self.answer_labels = {o.id.value: o.label for o in inst.answer_options}
        stage_order = {s.id: i for i, s in enumerate(inst.cjs_stages)}
        self.measures = sorted(review.measures.prefetch_related("stats"),
                               key=lambda m: (stage_order.get(m.stage, len(stage_order)),
                                              m.name))

    def figure(self, chart, **data_table):
        return charts_module.figure(chart, pdf=self.pdf, **data_table)

    def context(self) -> dict:
        review = self.review
        headings = {
            "cover": _("About this report"),
            "summary": _("Executive summary"),
            "inventory": _("The ACS inventory"),
            "utilisation": _("Utilisation trends"),
            "profile": _("Barrier profile"),
            "stakeholders": _("Stakeholder views and divergence"),
            "plan": _("Action plan"),
            "correspondents": _("Answers to the questions to Legal & Policy Correspondents"),
            "follow_up": _("Follow-up of earlier actions"),
            "questions": _("Questions cited"),
            "methodology": _("Methodology"),
            "sources": _("Sources cited"),
        }
        inventory = self.inventory()
        profile = self.barrier_profile()
        plan = self.action_plan()
        correspondents = self.correspondents()
        follow_up = self.follow_up()
        return {
            "layout": PDF_LAYOUT if self.pdf else PAGE_LAYOUT, "pdf": self.pdf,
            "lang": self.lang, "languages": report_languages(), "review": review,
            "section": "report", "title": report_title(review),
            "subtitle": _("Country report of the diagnostic review of alternatives to "
                          "coercive sanctions for drug-using offenders"),
            "demo": review.is_demo, "acsreview_version": acsreview.__version__,
            # the ids of the sections' <h2>, which the table of contents links to
            "toc": [(key.replace("_", "-"), label) for key, label in headings.items()],
            "headings": headings,
            "not_known": _dash(_("not known")), "not_stated": _dash(_("not stated")),
            "cover": self.cover(),
            "summary": self.summary(inventory, plan),
            "inventory": inventory,
            "utilisation": self.utilisation(),
            "profile": profile,
            "stakeholders": self.stakeholders(),
            "plan": plan,
            "correspondents": correspondents,
            "follow_up": follow_up,
            "questions": self.questions_cited(plan, follow_up),
            "method": {"threshold": self.threshold, "disagreement": DISAGREEMENT,
                       "unconfirmed": text(UNCONFIRMED, 2), "no_lever": text(NO_LEVER, 1)},
            "sources": self.sources(correspondents),
        }

    @property
    def threshold(self) -> int:
        return self.results.threshold if self.results else \
            settings.ACSREVIEW_SUPPRESSION_THRESHOLD

    # -- cover and summary --

    def cover(self) -> dict:
        review, inst = self.review, self.instrument
        return {
            "jurisdiction": review.jurisdiction.name, "code": review.jurisdiction.code,
            "round": review.round, "status": review.get_status_display(),
            "instrument": f"{review.instrument_id} {review.instrument_version}",
            "instrument_title": inst.title,
            "generated": date_format(timezone.localdate(), "DATE_FORMAT"),
            "generated_iso": timezone.localdate().isoformat(),
        }

    def summary(self, inventory: dict, plan: dict) -> dict:
        ranked = sorted((i for i in self.profile.domains if i.index),
                        key=lambda i: -i.index)[:TOP_DOMAINS]
        overall = self.profile.overall
        return {
            "domains": [{"label": self.domains.get(i.id, i.id), "index": text(i.index, 0),
                         "scored": i.scored, "questions": i.choice_questions}
                        for i in ranked],
            "actions": plan["recommendations"][:TOP_ACTIONS],
            "empty_stages": inventory["empty_stages"],
            "measures": len(self.measures),
            "overall": _number(overall.index), "scored": overall.scored,
            "choice_questions": overall.choice_questions, "gaps": overall.gaps,
        }

    # -- inventory and utilisation --

    def inventory(self) -> dict:
        rows, volumes = [], []
        for m in self.measures:
            rows.append({"name": m.name, "stage": self.stages.get(m.stage, m.stage),
                         "type": self.types.get(m.measure_type, m.measure_type),
                         "legal_basis": m.legal_basis, "delivered_by": m.delivered_by,
                         "paid_by": m.paid_by, "scope": m.geographic_scope})
            known = [(s.year, s.referred) for s in m.stats.all() if s.referred is not None]
            year, referred = max(known) if known else (None, None)
            volumes.append((m.name, m.stage, rows[-1]["type"], referred, year))
        cover = coverage([(m.name, m.stage, m.measure_type) for m in self.measures],
                         list(self.stages), list(self.types))
        figure = None
        if self.charts and self.measures:
            figure = self.figure(charts_module.stage_chart(list(self.stages.items()), volumes))
        return {"rows": rows, "figure": figure,
                "empty_stages": [self.stages[s] for s in cover.empty_stages],
                "per_stage": [{"label": label, "count": cover.per_stage[s]}
                              for s, label in self.stages.items()]}

    def utilisation(self) -> dict:
        offences = dict(self.review.indicators.filter(
            indicator=Indicator.DRUG_LAW_OFFENCES).values_list("year", "value"))
        tables, series = [], []
        for m in self.measures:
            years = {s.year: {f: getattr(s, f) for f in MeasureStat.COUNTS}
                     for s in m.stats.all()}
            trend = measure_trend(years, offences)
            series += [(m.name, y.year, y.values["use_rate"]) for y in trend]
            tables.append({"name": m.name, "stage": self.stages.get(m.stage, m.stage),
                           "rows": [{"year": y.year, "cells": [
                               _number(y.values[k], 1) if k == PER_100_OFFENCES
                               else _percent(y.values[k]) for k in UTILISATION_RATES]}
                               for y in trend]})
        figure = None
        if self.charts and any(v is not None for _m, _y, v in series):
            # the table of the section gives the same rates: it is the chart's text
            figure = self.figure(
                charts_module.utilisation_chart(series, _("Use rate")),
                data_table="utilisation-table",
                data_note=_("The figures of this chart are in the table below, in its "
                            "column “Use rate”."))
        return {"tables": tables, "figure": figure,
                "offence_years": sorted(y for y, v in offences.items() if v is not None)}

    # -- the barrier profile and the stakeholders --

    def barrier_profile(self) -> dict:
        indices = {i.id: i for i in self.profile.domains}
        theirs = {d.domain_id: d for d in self.views.domains}

        def row(label, i, stakeholder_index=None):
            return {"label": label, "index": _number(i.index), "scored": i.scored,
                    "questions": i.choice_questions, "gaps": i.gaps,
                    "gap_index": _number(i.gap_index), "theirs": _number(stakeholder_index)}

        def pooled(level_id=None):
            """The stakeholders' index of several domains: the mean over their questions."""
            return _mean(q.stakeholders.index for q in self.views.questions
                         if q.stakeholders and (level_id is None or self.scores[
                             q.question_id].level_id == level_id))

        levels = [{"label": level.label, "id": level.id,
                   "rows": [row(d.label, indices[d.id], theirs[d.id].stakeholder_index
                                if d.id in theirs else None) for d in level.domains],
                   "total": row(level.label, index, pooled(level.id))}
                  for level, index in zip(self.instrument.levels, self.profile.levels,
                                          strict=True)]
        figure = None
        if self.charts:
            # the tables of each level give the same two indices of every domain
            figure = self.figure(charts_module.profile_chart(
                [(self.domains[d.domain_id], d.lead_index, d.stakeholder_index)
                 for d in self.views.domains]),
                data_table=f"profile-table-{self.instrument.levels[0].id}",
                data_note=_("The figures of this chart are in the tables of each level "
                            "below, in their columns “Lead's index” and “Stakeholders' "
                            "index”."))
        overrides = [{**self.question(s.question_id), "computed": s.computed,
                      "severity": s.severity, "justification": s.justification}
                     for s in self.profile.questions
                     if (a := self.answers.get(s.question_id)) is not None
                     and a.severity_override is not None]
        return {"levels": levels,
                "overall": row(_("All levels"), self.profile.overall, pooled()),
                "figure": figure, "overrides": overrides,
                "gaps": [self.question(q) for q in self.plan.gaps]}

    def question(self, qid: str) -> dict:
        q = self.questions.get(qid)
        score = self.scores.get(qid)
        return {"id": qid, "text": q.text if q else "",
                "domain": self.domains.get(score.domain_id, "") if score else ""}

    def stakeholders(self) -> dict:
        results = self.results
        if results is None:
            return {"consulted": False}
        groups = {g.id: g.label for g in self.instrument.stakeholder_groups}
        order = list(groups)

        def unit_label(view):
            if view.group != MERGED:
                return groups.get(view.group, view.group)
            members = sorted(view.members, key=lambda g: (order.index(g) if g in order
                                                          else len(order), g))
            return _("Other groups (merged): %(groups)s") % {
                "groups": ", ".join(groups.get(g, g) for g in members)}

        responses = results.responses
        views = {d.domain_id: d for d in self.views.domains}
        domains = []
        for level in self.instrument.levels:
            for d in level.domains:
                v, cjs = views.get(d.id), results.domains.get(d.id)
                domains.append({
                    "label": d.label, "level": level.label,
                    "lead": _number(v.lead_index) if v else None,
                    "theirs": _number(v.stakeholder_index) if v else None,
                    "theirs_questions": v.stakeholder_questions if v else 0,
                    "divergence": _number(v.divergence) if v else None,
                    "disagree": bool(v and v.divergence is not None
                                     and v.divergence >= DISAGREEMENT),
                    "cjs_health": _number(cjs.divergence) if cjs else None,
                    "cjs_health_questions": cjs.questions if cjs else 0,
                    "cjs_health_disagree": bool(cjs and results.disagree(cjs.divergence)),
                })
        consultation = results.consultation
        return {
            "consulted": True, "threshold": results.threshold,
            "title": consultation.title,
            "date": date_format(consultation.created_at, "DATE_FORMAT"),
            "units": [{"label": unit_label(v), "n": v.n}
                      for v in (responses.groups if responses else [])],
            "withheld": [groups.get(g, g) for g in (responses.withheld if responses else [])],
            "total": responses.overall.n if responses and responses.overall else 0,
            "figures": len(self.figures), "domains": domains,
        }

    # -- the action plan and its follow-up --

    def action_title(self, action) -> str:
        """An accepted action reads as its recommendation, in the report's language."""
        return action_title(self.instrument, action)

    def decision(self, action) -> dict | None:
        if action is None:
            return None
        return {"title": self.action_title(action), "decision": action.get_decision_display(),
                "agreed": action.agreed, "description": action.description,
                "justification": action.justification, "owner": action.owner,
                "due": date_format(action.due_date, "DATE_FORMAT") if action.due_date
                else None,
                "due_iso": action.due_date.isoformat() if action.due_date else "",
                "status": action.get_status_display() if action.agreed else None}

    def barrier(self, b) -> dict:
        score = self.scores.get(b.question_id)
        return {
            **self.question(b.question_id), "by_lead": b.basis == Basis.LEAD,
            "severity": b.severity, "overridden": b.overridden,
            "computed": score.computed if score else None,
            "justification": score.justification if score else "",
            "stakeholder_index": _number(b.stakeholder_index), "n": b.stakeholders_n,
            "share": _number(b.barrier_share * 100) if b.barrier_share is not None else None,
            "agreement": _number(b.agreement, 2), "lever": b.policy_lever,
            "weight": text(b.weight, 2),
            "factors": " \u00d7 ".join(text(f, 2) for f in (
                b.severity_factor, b.agreement_factor, b.lever_factor)),
        }

    def action_plan(self) -> dict:
        """The ranked recommendations, each citing its barriers by question id, and the
        barriers once each in one table: a question often supports several
        recommendations, and its figures are the same in each."""
        actions = {a.key: a for a in self.review.actions.all()}
        recommendations, barriers, weights = [], {}, {}
        for r in self.plan.recommendations:
            anchor = "rec-" + r.key.replace(":", "-")
            for b in r.barriers:
                if b.question_id not in barriers:
                    barriers[b.question_id] = {**self.barrier(b), "supports": []}
                    weights[b.question_id] = b.weight
                barriers[b.question_id]["supports"].append({"rank": r.rank, "anchor": anchor})
            recommendations.append({
                "rank": r.rank, "key": r.key, "anchor": anchor,
                "area": self.areas.get(r.area_id, r.area_id),
                "level": self.levels.get(r.level_id, r.level_id),
                "weight": text(r.weight, 2),
                "barriers": [{"id": b.question_id, "weight": text(b.weight, 2)}
                             for b in r.barriers],
                "facilitators": [self.catalogue[f.entry_id].text for f in r.facilitators
                                 if f.entry_id in self.catalogue],
                "principles": [self.principles[p].text for p in r.principles
                               if p in self.principles],
                "action": self.decision(actions.get(r.key)),
            })
        in_plan = {r.key for r in self.plan.recommendations}
        orphans = [{"area": self.areas.get(a.area_id, a.area_id),
                    "level": self.levels.get(a.level_id, a.level_id),
                    "action": self.decision(a)}
                   for a in sorted(actions.values(), key=lambda a: (a.rank, a.key))
                   if a.key not in in_plan]
        return {"recommendations": recommendations, "orphans": orphans,
                "barrier_rows": sorted(barriers.values(),
                                       key=lambda b: (-weights[b["id"]], b["id"])),
                "barriers": self.plan.barriers,
                "decided": sum(1 for k in actions if k in in_plan),
                "consulted": self.results is not None, "figures": len(self.figures)}

    def follow_up(self) -> dict:
        previous = previous_round(self.review)
        if previous is None:
            return {"previous": None, "actions": []}
        words = {Outcome.IMPROVED: _("Improved"), Outcome.UNCHANGED: _("Unchanged"),
                 Outcome.WORSENED: _("Worsened"), Outcome.NOT_KNOWN: _("Not known")}
        out = []
        for e in earlier_actions(self.review, self.instrument, self.profile):
            a, fu = e.action, e.follow_up
            out.append({
                **self.decision(a), "anchor": f"earlier-{a.pk}",
                "area": self.areas.get(a.area_id, a.area_id),
                "level": self.levels.get(a.level_id, a.level_id),
                "outcome": fu.outcome.value, "outcome_label": words[fu.outcome],
                "before": _number(fu.before), "after": _number(fu.after),
                "compared": fu.compared,
                "barriers": [{**self.question(c.question_id), "before": c.before,
                              "after": c.after, "change": c.change,
                              "gap": bool(self.scores.get(c.question_id)
                                          and self.scores[c.question_id].gap)}
                             for c in fu.barriers],
            })
        return {"previous": previous.slug, "actions": out}

    def questions_cited(self, plan: dict, follow_up: dict) -> list[dict]:
        """The questions the plan and the follow-up cite by id, in the instrument's order:
        their text is printed once, here, rather than at each citation."""
        cited = {b["id"] for b in plan["barrier_rows"]}
        cited |= {q["id"] for e in follow_up["actions"] for q in e["barriers"]}
        # a question of an earlier round that this instrument version no longer has: last
        return [self.question(qid) for qid in self.questions if qid in cited] + [
            self.question(qid) for qid in sorted(cited - self.questions.keys())]

    # -- the correspondents and the sources --

    def correspondents(self) -> list[dict]:
        stored = {c.question_id: c.values for c in self.review.correspondent_answers.all()}
        blocks = []
        for q in self.instrument.correspondent_questions:
            values = stored.get(q.id) or {}
            fields = []
            for f in q.fields:
                value = values.get(f.id)
                if f.type == "citations":
                    value = [{**c, "url": _web_address(c.get("url"))}
                             for c in (value or []) if isinstance(c, dict)
                             and str(c.get("citation") or "").strip()]
                elif f.type == "choice":
                    value = self.answer_labels.get(value, value) or None
                else:
                    value = (value or "").strip() or None
                fields.append({"label": f.label, "type": f.type.value, "value": value})
            blocks.append({"id": q.id, "text": q.text, "fields": fields,
                           "answered": any(f["value"] for f in fields)})
        return blocks

    def sources(self, correspondents: list[dict]) -> dict:
        inst = self.instrument
        used = {q.source for q in self.questions.values()}
        used |= {x.source for x in (*inst.areas_for_action, *inst.cjs_stages,
                                    *inst.measure_types, *inst.correspondent_questions)}
        for r in self.plan.recommendations:
            used |= {self.catalogue[f.entry_id].source for f in r.facilitators
                     if f.entry_id in self.catalogue}
            used |= {self.principles[p].source for p in r.principles if p in self.principles}
        cited = []
        for answer in self.answers.values():
            cited += [(s.get("title"), s.get("year"), s.get("url"))
                      for s in answer.sources or [] if isinstance(s, dict)]
        for block in correspondents:
            for f in block["fields"]:
                if f["type"] == "citations":
                    cited += [(c.get("citation"), c.get("year"), c.get("url"))
                              for c in f["value"]]
        data = set()
        for m in self.measures:
            data |= {s.source for s in m.stats.all()}
        data |= set(self.review.indicators.values_list("source", flat=True))
        return {"instrument": [{"id": s.id, "citation": s.citation, "url": s.url or ""}
                               for s in inst.sources if s.id in used],
                "cited": _unique(cited),
                "data": sorted(s.strip() for s in data if s and s.strip())}


def _web_address(url) -> str:
    """``url`` if it is a web address; anything else (a ``javascript:`` link...) is no link."""
    url = (url or "").strip() if isinstance(url, str) else ""
    return url if url.lower().startswith(("https://", "http://")) else ""


def _unique(cited: Iterable[tuple]) -> list[dict]:
    """Citations without repeats (same text and address), in alphabetical order."""
    seen = {}
    for title, year, url in cited:
        title, url = str(title or "").strip(), _web_address(url)
        if not title:
            continue
        seen.setdefault((title.casefold(), url), {"title": title, "year": year, "url": url})
    return sorted(seen.values(), key=lambda s: (s["title"].casefold(), s["url"]))


__all__ = ["country_context", "country_pdf", "render_country", "report_languages",
           "report_title"]
