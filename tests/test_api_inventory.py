"""The inventory through the API: measures with their yearly figures and derived rates
(not known stays null, never 0), and the context indicators."""

from decimal import Decimal

import pytest

from acsreview.web.reviews.models import ContextIndicator, Indicator, Measure, MeasureStat

from .api_client import as_api, assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def inventory(cast):
    measure = Measure.objects.create(review=cast.xa_review, name="Drug court",
                                     measure_type="treatment", stage="court",
                                     legal_basis="Act 7")
    MeasureStat.objects.create(measure=measure, year=2022, eligible=200, referred=50,
                               started=40, completed=30, breached=None, source="Courts")
    MeasureStat.objects.create(measure=measure, year=2023, eligible=None, referred=60,
                               started=45, completed=36, breached=4)
    ContextIndicator.objects.create(review=cast.xa_review, year=2022,
                                    indicator=Indicator.DRUG_LAW_OFFENCES,
                                    value=Decimal("1000"), source="Police")
    ContextIndicator.objects.create(review=cast.xa_review, year=2022,
                                    indicator=Indicator.OCCUPANCY, value=Decimal("112.5"),
                                    source="Prisons")
    for name in ("Caution", "Diversion"):
        Measure.objects.create(review=cast.xa_review, name=name, measure_type="treatment",
                               stage="police")
    return measure


def test_measures_come_with_their_figures_and_rates(cast, client, inventory):
    body = as_api(client, cast.xa_contributor).get("/api/reviews/XA-2026/measures").json()
    assert body["count"] == 3
    assert [m["name"] for m in body["items"]] == ["Caution", "Diversion", "Drug court"]
    court = body["items"][2]
    assert court["legal_basis"] == "Act 7" and court["stage"] == "court"
    first, second = court["statistics"]
    assert first["year"] == 2022 and first["breached"] is None and first["source"] == "Courts"
    assert first["rates"] == {"use_rate": 25.0, "start_rate": 80.0, "completion_rate": 75.0,
                              "breach_rate": None, "per_100_offences": 5.0}
    assert second["rates"]["use_rate"] is None  # eligible not known: the rate neither
    assert second["rates"]["completion_rate"] == 80.0
    assert second["changes"]["completion_rate"] == 5.0
    assert second["rates"]["per_100_offences"] is None  # no offences recorded for 2023


def test_measures_are_paged(cast, client, inventory):
    page = as_api(client, cast.xa_lead).get("/api/reviews/XA-2026/measures", limit=1,
                                            offset=1).json()
    assert page["count"] == 3 and [m["name"] for m in page["items"]] == ["Diversion"]


def test_indicators_with_their_source(cast, client, inventory):
    api = as_api(client, cast.xa_lead)
    body = api.get("/api/reviews/XA-2026/indicators").json()
    assert body["count"] == 2
    assert body["items"][0] == {"indicator": "drug_law_offences", "label": "Drug-law offences",
                                "year": 2022, "value": 1000.0, "source": "Police",
                                "carried_over": False}
    only = api.get("/api/reviews/XA-2026/indicators", indicator="occupancy_rate").json()
    assert [i["value"] for i in only["items"]] == [112.5]


def test_another_jurisdiction_sees_no_inventory(cast, client, inventory):
    api = as_api(client, cast.xb_viewer)
    assert_error(api.get("/api/reviews/XA-2026/measures"), 404)
    assert_error(api.get("/api/reviews/XA-2026/indicators"), 404)
