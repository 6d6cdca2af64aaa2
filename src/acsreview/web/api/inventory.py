"""The ACS inventory: measures with their yearly figures and rates; context indicators.

Read-only here: the inventory is written through the web pages and the workbook import
(``acsreview inventory import``), whose checks live in their views. Rates come from
:mod:`acsreview.core.utilisation`; a figure not known is ``null``, never 0.
"""

from __future__ import annotations

from ninja import Query, Router

from acsreview.core.utilisation import TREND_KEYS, measure_trend
from acsreview.web.reviews.access import READ
from acsreview.web.reviews.models import Indicator, MeasureStat
from acsreview.web.reviews.views.common import instrument_for
from acsreview.web.reviews.views.inventory_common import figures, instrument_labels

from .auth import review
from .common import number, paged
from .errors import REVIEW
from .schemas import IndicatorPage, IndicatorQuery, MeasurePage, PageQuery, SlugPath

router = Router(tags=["inventory"])

MEASURE_TEXT = ["legal_basis", "eligible_offences", "eligible_drugs", "eligible_prior_record",
                "rehabilitative_element", "geographic_scope", "delivered_by", "paid_by",
                "notes"]


def _rates(values: dict) -> dict:
    return {key: number(values[key]) for key in TREND_KEYS}


def measure_row(m, types: dict, stages: dict, offences: dict) -> dict:
    stats = {s.year: s for s in m.stats.all()}
    trend = measure_trend({year: figures(s) for year, s in stats.items()}, offences)
    return {
        "id": m.pk, "name": m.name, "measure_type": m.measure_type,
        "measure_type_label": types.get(m.measure_type, m.measure_type),
        "stage": m.stage, "stage_label": stages.get(m.stage, m.stage),
        **{f: getattr(m, f) for f in MEASURE_TEXT},
        "carried_over": m.carried_over, "version": m.version, "updated_at": m.updated_at,
        "statistics": [{"year": y.year,
                        **{f: getattr(stats[y.year], f) for f in MeasureStat.COUNTS},
                        "source": stats[y.year].source,
                        "rates": _rates(y.values), "changes": _rates(y.changes)}
                       for y in trend],
    }


@router.get("/reviews/{slug}/measures", response={200: MeasurePage, **REVIEW},
            auth=review(READ), summary="The inventory's measures, with yearly figures")
def measures(request, slug: SlugPath, page: Query[PageQuery]):
    """By name. Each year's figures come with its use, start, completion and breach rates
    and orders per 100 drug-law offences (where that indicator is recorded for the year),
    and each rate's change since the last earlier year it was known."""
    r = request.review
    types, stages = instrument_labels(instrument_for(request, r))
    offences = dict(r.indicators.filter(indicator=Indicator.DRUG_LAW_OFFENCES)
                    .values_list("year", "value"))
    result = paged(r.measures.order_by("name", "pk").prefetch_related("stats"), page)
    result["items"] = [measure_row(m, types, stages, offences) for m in result["items"]]
    return result


@router.get("/reviews/{slug}/indicators", response={200: IndicatorPage, **REVIEW},
            auth=review(READ), summary="Context indicators per year, with their source")
def indicators(request, slug: SlugPath, query: Query[IndicatorQuery]):
    """Prison population, occupancy, drug-law offences and the share of prisoners
    sentenced for drug offences, by indicator then year."""
    qs = request.review.indicators.order_by("indicator", "year", "pk")
    if query.indicator:
        qs = qs.filter(indicator=query.indicator)
    labels = dict(Indicator.choices)
    result = paged(qs, query)
    result["items"] = [{"indicator": i.indicator, "label": str(labels.get(i.indicator,
                                                                         i.indicator)),
                        "year": i.year, "value": number(i.value), "source": i.source,
                        "carried_over": i.carried_over} for i in result["items"]]
    return result
