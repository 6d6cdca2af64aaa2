"""The ACS inventory pages: measures, their yearly figures, context indicators.

Who may read and change them, what is audited, not known kept as NULL and shown as
not known, and two people editing the same measure.
"""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from acsreview.web.reviews.models import (
    AuditEvent,
    ContextIndicator,
    Measure,
    MeasureStat,
    Status,
)

pytestmark = pytest.mark.django_db

NEW_MEASURE = {
    "version": "0", "name": "Drug treatment order", "measure_type": "drug_treatment_order",
    "stage": "sentencing", "legal_basis": "Criminal Code s. 42",
    "eligible_offences": "Possession, minor supply", "eligible_drugs": "All",
    "eligible_prior_record": "No violent offence", "rehabilitative_element": "Treatment",
    "geographic_scope": "Nationwide", "delivered_by": "Probation service",
    "paid_by": "Ministry of Health", "notes": "",
}


def url(name, review, *extra):
    return reverse(f"reviews:{name}", args=[review.slug, *extra])


def make_measure(review, name="Police referral", stage="police_arrest", **kw):
    return Measure.objects.create(review=review, name=name, measure_type="treatment",
                                  stage=stage, geographic_scope="Capital region", **kw)


def measure_post(measure, **changes):
    data = {f: getattr(measure, f) for f in NEW_MEASURE if f != "version"}
    data["version"] = str(measure.version)
    return data | changes


def stats_post(fingerprint, rows, existing=()):
    """Formset data: ``existing`` stats first (by id), then new rows."""
    data = {"stats-TOTAL_FORMS": str(len(rows)), "stats-INITIAL_FORMS": str(len(existing)),
            "stats-MIN_NUM_FORMS": "0", "stats-MAX_NUM_FORMS": "1000",
            "fingerprint": fingerprint}
    for i, row in enumerate(rows):
        if i < len(existing):
            data[f"stats-{i}-id"] = str(existing[i].pk)
        for key in ("year", "eligible", "referred", "started", "completed", "breached",
                    "source"):
            data[f"stats-{i}-{key}"] = "" if row.get(key) is None else str(row[key])
        if row.get("DELETE"):
            data[f"stats-{i}-DELETE"] = "on"
    return data


def indicators_post(fingerprint, rows, existing=()):
    data = {"ind-TOTAL_FORMS": str(len(rows)), "ind-INITIAL_FORMS": str(len(existing)),
            "ind-MIN_NUM_FORMS": "0", "ind-MAX_NUM_FORMS": "1000", "fingerprint": fingerprint}
    for i, row in enumerate(rows):
        if i < len(existing):
            data[f"ind-{i}-id"] = str(existing[i].pk)
        for key in ("indicator", "year", "value", "source"):
            data[f"ind-{i}-{key}"] = "" if row.get(key) is None else str(row[key])
    return data


def events(review, object_type, action):
    return AuditEvent.objects.filter(review=review, object_type=object_type, action=action)


# --- permissions ---------------------------------------------------------------------------

READ_PAGES = ["inventory", "indicators", "inventory_template"]


@pytest.mark.parametrize("page", READ_PAGES)
def test_reading_follows_roles(cast, as_user, page):
    expect = {"coordinator": (200, 200), "xa_lead": (200, 404), "xa_contributor": (200, 404),
              "xb_viewer": (404, 200), "outsider": (404, 404)}
    for persona, (xa, xb) in expect.items():
        c = as_user(getattr(cast, persona))
        assert c.get(url(page, cast.xa_review)).status_code == xa, persona
        assert c.get(url(page, cast.xb_review)).status_code == xb, persona
        c.logout()


def test_measure_pages_follow_roles(cast, as_user):
    xa, xb = make_measure(cast.xa_review), make_measure(cast.xb_review)
    for persona, (on_xa, on_xb) in {"xa_lead": (200, 404), "xb_viewer": (404, 200),
                                    "outsider": (404, 404)}.items():
        c = as_user(getattr(cast, persona))
        for page in ("measure_edit", "measure_stats"):
            assert c.get(url(page, cast.xa_review, xa.pk)).status_code == on_xa, persona
            assert c.get(url(page, cast.xb_review, xb.pk)).status_code == on_xb, persona
        c.logout()
    # a measure is only found through its own review
    assert as_user(cast.xa_lead).get(url("measure_edit", cast.xa_review, xb.pk)
                                     ).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(cast, client):
    response = client.get(url("inventory", cast.xa_review))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_lead_and_contributor_add_and_edit_measures_of_their_jurisdiction(cast, as_user):
    c = as_user(cast.xa_lead)
    response = c.post(url("measure_new", cast.xa_review), NEW_MEASURE)
    assert response.status_code == 302
    measure = Measure.objects.get(review=cast.xa_review)
    assert (measure.name, measure.version, measure.updated_by) == (
        "Drug treatment order", 1, cast.xa_lead)
    assert measure.eligible_prior_record == "No violent offence"
    created = events(cast.xa_review, "measure", "create").get()
    assert created.user == cast.xa_lead and created.after["name"] == "Drug treatment order"

    c = as_user(cast.xa_contributor)
    response = c.post(url("measure_edit", cast.xa_review, measure.pk),
                      measure_post(measure, geographic_scope="Three regions"))
    assert response.status_code == 302
    measure.refresh_from_db()
    assert (measure.geographic_scope, measure.version, measure.updated_by) == (
        "Three regions", 2, cast.xa_contributor)
    updated = events(cast.xa_review, "measure", "update").get()
    assert updated.before == {"geographic_scope": "Nationwide"}
    assert updated.after == {"geographic_scope": "Three regions"}


def test_the_viewer_reads_xb_but_changes_nothing(cast, as_user):
    measure = make_measure(cast.xb_review, legal_basis="Act 7")
    c = as_user(cast.xb_viewer)
    html = c.get(url("measure_edit", cast.xb_review, measure.pk)).content.decode()
    assert "Act 7" in html and "<form method=\"post\" novalidate>" not in html
    assert "Add a measure" not in c.get(url("inventory", cast.xb_review)).content.decode()
    assert c.post(url("measure_new", cast.xb_review), NEW_MEASURE).status_code == 403
    assert c.post(url("measure_edit", cast.xb_review, measure.pk),
                  measure_post(measure, name="Changed")).status_code == 403
    assert c.post(url("measure_confirm", cast.xb_review, measure.pk)).status_code == 403
    assert c.post(url("indicator_confirm", cast.xb_review)).status_code == 403
    assert c.get(url("inventory_import", cast.xb_review)).status_code == 403
    assert c.post(url("measure_delete", cast.xb_review, measure.pk)).status_code == 403
    # and XA does not exist for them
    assert c.post(url("measure_new", cast.xa_review), NEW_MEASURE).status_code == 404
    measure.refresh_from_db()
    assert measure.name == "Police referral" and Measure.objects.count() == 1
    assert not AuditEvent.objects.filter(object_type="measure").exists()


def test_the_outsider_gets_404_everywhere(cast, as_user):
    measure = make_measure(cast.xa_review)
    c = as_user(cast.outsider)
    for response in (
        c.get(url("inventory", cast.xa_review)),
        c.post(url("measure_new", cast.xa_review), NEW_MEASURE),
        c.post(url("measure_edit", cast.xa_review, measure.pk), measure_post(measure)),
        c.post(url("measure_confirm", cast.xa_review, measure.pk)),
        c.post(url("indicators", cast.xa_review), {}),
        c.get(url("inventory_import", cast.xa_review)),
    ):
        assert response.status_code == 404
    assert Measure.objects.count() == 1


def test_a_final_review_is_read_only(cast, as_user):
    review = cast.xa_review
    measure = make_measure(review, carried_over=True)
    review.status = Status.FINAL
    review.save()
    c = as_user(cast.xa_lead)
    assert c.get(url("inventory", review)).status_code == 200
    html = c.get(url("measure_edit", review, measure.pk)).content.decode()
    assert "Save the measure" not in html
    stats = c.get(url("measure_stats", review, measure.pk))
    assert stats.status_code == 200 and "Save the figures" not in stats.content.decode()
    fingerprint = stats.context["fingerprint"]
    for response in (
        c.get(url("measure_new", review)),
        c.post(url("measure_new", review), NEW_MEASURE),
        c.post(url("measure_edit", review, measure.pk), measure_post(measure, name="X")),
        c.post(url("measure_confirm", review, measure.pk)),
        c.post(url("measure_stats", review, measure.pk),
               stats_post(fingerprint, [{"year": 2024, "eligible": 3}])),
        c.post(url("indicators", review), {}),
        c.post(url("indicator_confirm", review)),
        c.get(url("inventory_import", review)),
        c.post(url("measure_delete", review, measure.pk)),
    ):
        assert response.status_code == 403
    measure.refresh_from_db()
    assert measure.name == "Police referral" and measure.carried_over
    assert not MeasureStat.objects.exists()


# --- the measure form ----------------------------------------------------------------------

def test_type_and_stage_must_come_from_the_instrument(cast, as_user):
    c = as_user(cast.xa_lead)
    response = c.post(url("measure_new", cast.xa_review),
                      NEW_MEASURE | {"measure_type": "flogging", "stage": "heaven"})
    assert response.status_code == 422
    form = response.context["form"]
    assert set(form.errors) == {"measure_type", "stage"}
    assert not Measure.objects.exists()
    html = response.content.decode()
    # errors are tied to their field
    assert 'aria-describedby="id_stage_error"' in html and 'id="id_stage_error"' in html
    assert 'aria-invalid="true"' in html


def test_a_name_is_used_once_per_review(cast, as_user):
    make_measure(cast.xa_review, name="Drug treatment order")
    make_measure(cast.xb_review, name="Diversion")
    c = as_user(cast.coordinator)
    response = c.post(url("measure_new", cast.xa_review), NEW_MEASURE)
    assert response.status_code == 422 and "name" in response.context["form"].errors
    # the same name in another review is fine
    assert c.post(url("measure_new", cast.xb_review), NEW_MEASURE).status_code == 302


def test_a_measure_form_has_a_label_for_every_input(cast, as_user):
    html = as_user(cast.xa_lead).get(url("measure_new", cast.xa_review)).content.decode()
    ids = re.findall(r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*\bid="([^"]+)"',
                     html)
    ids = [i for i in ids if i != "language"]
    assert len(ids) >= 12
    for i in ids:
        assert f'for="{i}"' in html, i
    assert "Police / arrest" in html and "Drug treatment order" in html


def test_a_conflicting_edit_is_refused_and_shows_the_other_version(cast, as_user):
    measure = make_measure(cast.xa_review, paid_by="Ministry of Justice")
    lead, contributor = as_user(cast.xa_lead), None
    form_version = lead.get(url("measure_edit", cast.xa_review, measure.pk)
                            ).context["form"]["version"].value()
    assert form_version == 1
    # meanwhile the contributor saves
    contributor = as_user(cast.xa_contributor)
    assert contributor.post(url("measure_edit", cast.xa_review, measure.pk),
                            measure_post(measure, paid_by="Regional health boards")
                            ).status_code == 302
    lead = as_user(cast.xa_lead)
    response = lead.post(url("measure_edit", cast.xa_review, measure.pk),
                         measure_post(measure, paid_by="Municipalities"))
    assert response.status_code == 409
    html = response.content.decode()
    assert "someone else changed this measure" in html
    assert "Regional health boards" in html and "contributor.xa@example.org" in html
    measure.refresh_from_db()
    assert measure.paid_by == "Regional health boards" and measure.version == 2
    # the form now carries the new version and my values: saving again is deliberate
    form = response.context["form"]
    assert form["version"].value() == "2" and form["paid_by"].value() == "Municipalities"
    response = lead.post(url("measure_edit", cast.xa_review, measure.pk),
                         measure_post(measure, paid_by="Municipalities"))
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.paid_by == "Municipalities" and measure.version == 3
    assert events(cast.xa_review, "measure", "update").count() == 2


def test_an_edit_clears_carried_over_and_confirm_clears_it_too(cast, as_user):
    a = make_measure(cast.xa_review, name="A", carried_over=True)
    b = make_measure(cast.xa_review, name="B", carried_over=True)
    c = as_user(cast.xa_contributor)
    html = c.get(url("inventory", cast.xa_review)).content.decode()
    assert html.count("Carried over from the previous round") == 2
    assert url("measure_confirm", cast.xa_review, a.pk) in html

    assert c.post(url("measure_edit", cast.xa_review, a.pk),
                  measure_post(a, notes="checked")).status_code == 302
    assert c.post(url("measure_confirm", cast.xa_review, b.pk),
                  {"version": b.version}).status_code == 302
    a.refresh_from_db()
    b.refresh_from_db()
    assert not a.carried_over and not b.carried_over and b.version == 2
    confirm = events(cast.xa_review, "measure", "confirm").get()
    assert confirm.object_id == str(b.pk) and confirm.after == {"carried_over": False}
    html = c.get(url("inventory", cast.xa_review)).content.decode()
    assert "Carried over from the previous round" not in html


def test_deleting_a_measure_is_audited_with_its_figures(cast, as_user):
    measure = make_measure(cast.xa_review)
    MeasureStat.objects.create(measure=measure, year=2024, eligible=10)
    c = as_user(cast.xa_lead)
    assert c.get(url("measure_delete", cast.xa_review, measure.pk)).status_code == 200
    assert c.post(url("measure_delete", cast.xa_review, measure.pk)).status_code == 302
    assert not Measure.objects.exists() and not MeasureStat.objects.exists()
    event = events(cast.xa_review, "measure", "delete").get()
    assert event.before["name"] == "Police referral"
    assert event.before["statistics"][0]["eligible"] == 10


# --- the inventory page --------------------------------------------------------------------

def test_measures_are_grouped_by_stage_in_instrument_order(cast, as_user):
    make_measure(cast.xa_review, name="Prison programme", stage="post_sentence")
    make_measure(cast.xa_review, name="Arrest referral", stage="police_arrest")
    make_measure(cast.xa_review, name="Conditional dismissal", stage="prosecution")
    html = as_user(cast.xa_lead).get(url("inventory", cast.xa_review)).content.decode()
    order = [html.index(s) for s in ("Police / arrest", "Arrest referral", "Prosecution",
                                     "Conditional dismissal", "Sentencing",
                                     "Post-sentence (prison, parole)", "Prison programme")]
    assert order == sorted(order)
    assert "Capital region" in html and "Treatment" in html
    assert '<th scope="col">' in html and "<caption id=" in html


def test_the_latest_year_and_its_rates_are_shown(cast, as_user):
    measure = make_measure(cast.xa_review)
    MeasureStat.objects.create(measure=measure, year=2022, eligible=1, referred=1)
    MeasureStat.objects.create(measure=measure, year=2024, eligible=200, referred=50,
                               started=40, completed=30, breached=None)
    html = as_user(cast.xa_lead).get(url("inventory", cast.xa_review)).content.decode()
    row = html[html.index(f'id="measure-{measure.pk}"'):]
    row = row[:row.index("</tr>")]
    assert "2024" in row and "2022" not in row
    assert "25.0%" in row and "80.0%" in row and "75.0%" in row
    # breached is not known, and so is the breach rate: never 0
    assert row.count('<span class="visually-hidden">not known</span>') == 2
    assert ">0.0%" not in row


# --- statistics ----------------------------------------------------------------------------

def test_blank_figures_are_stored_as_null_and_shown_as_not_known(cast, as_user):
    measure = make_measure(cast.xa_review)
    c = as_user(cast.xa_contributor)
    fingerprint = c.get(url("measure_stats", cast.xa_review, measure.pk)).context["fingerprint"]
    response = c.post(url("measure_stats", cast.xa_review, measure.pk), stats_post(
        fingerprint, [{"year": 2024, "eligible": 120, "referred": 0, "source": "Police data"}]))
    assert response.status_code == 302
    stat = MeasureStat.objects.get(measure=measure)
    assert (stat.eligible, stat.referred, stat.started, stat.completed, stat.breached) == (
        120, 0, None, None, None)
    event = events(cast.xa_review, "measure_stat", "create").get()
    assert event.after["started"] is None and event.after["measure"] == "Police referral"

    html = c.get(url("measure_stats", cast.xa_review, measure.pk)).content.decode()
    table = html[html.index("figures and derived rates by year"):]
    table = table[:table.index("</table>")]
    assert ">0.0%" in table  # 0 referred of 120 is a known 0% use rate
    # started, completed, breached and the start, completion and breach rates: not known
    assert table.count('<span aria-hidden="true">—</span><span class="visually-hidden">'
                       'not known</span>') == 6


def test_figures_in_the_wrong_order_are_refused_by_field(cast, as_user):
    measure = make_measure(cast.xa_review)
    c = as_user(cast.xa_lead)
    fingerprint = c.get(url("measure_stats", cast.xa_review, measure.pk)).context["fingerprint"]
    response = c.post(url("measure_stats", cast.xa_review, measure.pk), stats_post(
        fingerprint, [{"year": 2024, "referred": 10, "started": 12, "completed": 5,
                       "breached": 13},
                      {"year": 2023, "referred": 10, "started": 8, "completed": 9}]))
    assert response.status_code == 422
    forms = response.context["formset"].forms
    assert set(forms[0].errors) == {"started", "breached"}
    assert set(forms[1].errors) == {"completed"}
    assert "Started (12) cannot be more than referred or ordered (10)." in \
        forms[0].errors["started"][0]
    html = response.content.decode()
    assert 'id="id_stats-1-completed_error"' in html
    assert 'aria-describedby="id_stats-1-completed_error"' in html
    assert not MeasureStat.objects.exists()


def test_one_row_per_year_and_updates_and_deletes_are_audited(cast, as_user):
    measure = make_measure(cast.xa_review)
    s23 = MeasureStat.objects.create(measure=measure, year=2023, eligible=5)
    s24 = MeasureStat.objects.create(measure=measure, year=2024, eligible=7)
    c = as_user(cast.xa_lead)
    fingerprint = c.get(url("measure_stats", cast.xa_review, measure.pk)).context["fingerprint"]
    duplicate = c.post(url("measure_stats", cast.xa_review, measure.pk), stats_post(
        fingerprint, [{"year": 2023, "eligible": 5}, {"year": 2024, "eligible": 7},
                      {"year": 2024, "eligible": 9}], existing=[s23, s24]))
    assert duplicate.status_code == 422
    assert MeasureStat.objects.count() == 2

    response = c.post(url("measure_stats", cast.xa_review, measure.pk), stats_post(
        fingerprint, [{"year": 2023, "eligible": 5, "DELETE": True},
                      {"year": 2024, "eligible": None, "referred": 3}], existing=[s23, s24]))
    assert response.status_code == 302
    assert list(MeasureStat.objects.values_list("year", "eligible", "referred")) == [
        (2024, None, 3)]
    assert events(cast.xa_review, "measure_stat", "delete").get().before["year"] == 2023
    update = events(cast.xa_review, "measure_stat", "update").get()
    assert update.before == {"eligible": 7, "referred": None}
    assert update.after == {"eligible": None, "referred": 3}


def test_figures_changed_meanwhile_are_not_overwritten(cast, as_user):
    measure = make_measure(cast.xa_review)
    c = as_user(cast.xa_lead)
    fingerprint = c.get(url("measure_stats", cast.xa_review, measure.pk)).context["fingerprint"]
    MeasureStat.objects.create(measure=measure, year=2024, eligible=99)  # someone else
    response = c.post(url("measure_stats", cast.xa_review, measure.pk), stats_post(
        fingerprint, [{"year": 2024, "eligible": 1}]))
    assert response.status_code == 409
    assert "Someone else changed these figures" in response.content.decode()
    assert MeasureStat.objects.get().eligible == 99


def test_the_statistics_inputs_have_labels(cast, as_user):
    measure = make_measure(cast.xa_review)
    MeasureStat.objects.create(measure=measure, year=2024, eligible=7)
    html = as_user(cast.xa_lead).get(url("measure_stats", cast.xa_review, measure.pk)
                                     ).content.decode()
    ids = re.findall(r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*\bid="([^"]+)"',
                     html)
    ids = [i for i in ids if i != "language"]
    assert len(ids) == 4 * 8 - 3  # existing + 3 new rows, no delete box on new rows
    for i in ids:
        assert f'for="{i}"' in html, i
    assert "Eligible cases, 2024" in html and "Eligible cases, new row 3" in html


# --- context indicators --------------------------------------------------------------------

def test_indicators_need_a_source_and_keep_unknown_values_null(cast, as_user):
    c = as_user(cast.xa_contributor)
    fingerprint = c.get(url("indicators", cast.xa_review)).context["fingerprint"]
    no_source = c.post(url("indicators", cast.xa_review), indicators_post(
        fingerprint, [{"indicator": "prison_population", "year": 2024, "value": 8000}]))
    assert no_source.status_code == 422
    assert "source" in no_source.context["formset"].forms[0].errors
    assert not ContextIndicator.objects.exists()

    too_big = c.post(url("indicators", cast.xa_review), indicators_post(
        fingerprint, [{"indicator": "drug_prisoner_share", "year": 2024, "value": 120,
                       "source": "SPACE I"}]))
    assert too_big.status_code == 422 and not ContextIndicator.objects.exists()

    response = c.post(url("indicators", cast.xa_review), indicators_post(fingerprint, [
        {"indicator": "prison_population", "year": 2024, "value": 8123, "source": "SPACE I"},
        {"indicator": "occupancy_rate", "year": 2024, "value": "", "source": "SPACE I"},
        {"indicator": "drug_law_offences", "year": "", "value": "", "source": ""},  # unused
    ]))
    assert response.status_code == 302
    values = dict(ContextIndicator.objects.values_list("indicator", "value"))
    assert values == {"prison_population": Decimal("8123"), "occupancy_rate": None}
    assert events(cast.xa_review, "context_indicator", "create").count() == 2

    html = c.get(url("inventory", cast.xa_review)).content.decode()
    section = html[html.index('id="indicators"'):]
    assert "8123" in section and "Source: SPACE I" in section
    assert section.count('<span class="visually-hidden">not known</span>') == 3


def test_carried_over_indicators_are_marked_and_confirmed(cast, as_user):
    kept = ContextIndicator.objects.create(review=cast.xa_review, year=2023, value=10,
                                           indicator="prison_population", source="S",
                                           carried_over=True)
    other = ContextIndicator.objects.create(review=cast.xa_review, year=2023, value=90,
                                            indicator="occupancy_rate", source="S",
                                            carried_over=True)
    c = as_user(cast.xa_lead)
    html = c.get(url("inventory", cast.xa_review)).content.decode()
    assert "Carried over" in html and "Confirm all 2 carried-over indicator values" in html
    assert c.post(url("indicator_confirm", cast.xa_review), {"id": kept.pk}).status_code == 302
    kept.refresh_from_db()
    other.refresh_from_db()
    assert not kept.carried_over and other.carried_over
    assert c.post(url("indicator_confirm", cast.xa_review)).status_code == 302
    other.refresh_from_db()
    assert not other.carried_over
    assert events(cast.xa_review, "context_indicator", "confirm").count() == 2


def test_editing_an_indicator_clears_carried_over(cast, as_user):
    ind = ContextIndicator.objects.create(review=cast.xa_review, year=2023, value=10,
                                          indicator="prison_population", source="S",
                                          carried_over=True)
    c = as_user(cast.xa_lead)
    fingerprint = c.get(url("indicators", cast.xa_review)).context["fingerprint"]
    response = c.post(url("indicators", cast.xa_review), indicators_post(fingerprint, [
        {"indicator": "prison_population", "year": 2023, "value": 11, "source": "S"}],
        existing=[ind]))
    assert response.status_code == 302
    ind.refresh_from_db()
    assert ind.value == 11 and not ind.carried_over
    event = events(cast.xa_review, "context_indicator", "update").get()
    assert event.after == {"value": "11.00", "carried_over": False}


def test_the_indicator_inputs_have_labels(cast, as_user):
    ContextIndicator.objects.create(review=cast.xa_review, year=2023, value=10,
                                    indicator="prison_population", source="S")
    html = as_user(cast.xa_lead).get(url("indicators", cast.xa_review)).content.decode()
    ids = re.findall(r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*\bid="([^"]+)"',
                     html)
    ids = [i for i in ids if i != "language"]
    assert len(ids) == 5 * 5 - 4  # one saved row and four new ones, which have no delete box
    for i in ids:
        assert f'for="{i}"' in html, i
    assert "Value, Prison population, 2023" in html and "Source, new row 4" in html
