"""The utilisation page: per measure and year the use, start and completion rates, orders per
100 drug-law offences where that indicator is recorded, and each rate's change; not known is
shown as not known, never as 0."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from acsreview.web.reviews.models import ContextIndicator, Indicator, Measure, MeasureStat, Status

pytestmark = pytest.mark.django_db

NOT_KNOWN = '<span aria-hidden="true">—</span><span class="visually-hidden">not known</span>'


def url(review):
    return reverse("reviews:utilisation", args=[review.slug])


def make_measure(review, name="Drug treatment order", stage="sentencing", **kw):
    return Measure.objects.create(review=review, name=name, measure_type="treatment",
                                  stage=stage, **kw)


def offences(review, year, value):
    return ContextIndicator.objects.create(review=review, year=year, value=value,
                                           indicator=Indicator.DRUG_LAW_OFFENCES, source="S")


def figures_by_year(review):
    """A measure with three years; 2023 has eligible cases and completions not known."""
    measure = make_measure(review)
    MeasureStat.objects.create(measure=measure, year=2022, eligible=200, referred=50,
                               started=40, completed=30)
    MeasureStat.objects.create(measure=measure, year=2023, eligible=None, referred=60,
                               started=45, completed=None)
    MeasureStat.objects.create(measure=measure, year=2024, eligible=250, referred=70,
                               started=63, completed=42)
    return measure


def row(html, year):
    """The table row of ``year``, its cells' text with tags removed and spaces joined."""
    start = html.index(f'<th scope="row">{year}</th>')
    text = html[start:html.index("</tr>", start)]
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", text, re.S)]


def cells(html, year):
    start = html.index(f'<th scope="row">{year}</th>')
    text = html[start:html.index("</tr>", start)]
    return re.findall(r"<td>(.*?)</td>", text, re.S)


# --- who may read it -----------------------------------------------------------------------

def test_reading_follows_roles_like_the_other_inventory_pages(cast, as_user):
    expect = {"coordinator": (200, 200), "xa_lead": (200, 404), "xa_contributor": (200, 404),
              "xb_viewer": (404, 200), "outsider": (404, 404)}
    for persona, (xa, xb) in expect.items():
        c = as_user(getattr(cast, persona))
        assert c.get(url(cast.xa_review)).status_code == xa, persona
        assert c.get(url(cast.xb_review)).status_code == xb, persona
        c.logout()


def test_anonymous_visitors_are_sent_to_sign_in(cast, client):
    response = client.get(url(cast.xa_review))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_final_review_can_still_be_read(cast, as_user):
    figures_by_year(cast.xa_review)
    cast.xa_review.status = Status.FINAL
    cast.xa_review.save()
    assert as_user(cast.xa_lead).get(url(cast.xa_review)).status_code == 200


def test_the_inventory_page_links_to_it(cast, as_user):
    html = as_user(cast.xb_viewer).get(reverse("reviews:inventory", args=[cast.xb_review.slug])
                                       ).content.decode()
    assert f'href="{url(cast.xb_review)}"' in html


# --- what it shows -------------------------------------------------------------------------

def test_each_year_shows_its_figures_rates_and_changes(cast, as_user):
    measure = figures_by_year(cast.xa_review)
    offences(cast.xa_review, 2022, 1000)
    offences(cast.xa_review, 2024, 1400)
    response = as_user(cast.xa_contributor).get(url(cast.xa_review))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<h2 id="utilisation-{measure.pk}-heading">Drug treatment order</h2>' in html
    assert "Sentencing" in html and "Treatment" in html
    # columns: year, eligible, referred, started, completed, use rate, per 100 drug-law
    # offences, start rate, completion rate
    assert row(html, 2022) == ["2022", "200", "50", "40", "30", "25.0%", "5.0", "80.0%",
                               "75.0%"]
    # 2023: use and completion rate not known; the start rate fell 5 points
    assert row(html, 2023) == ["2023", "— not known", "60", "45", "— not known",
                               "— not known", "— not known", "75.0% ↓ −5.0 pts, down since 2022",
                               "— not known"]
    # 2024: use, completion and per 100 offences are compared with 2022, skipping 2023
    assert row(html, 2024) == [
        "2024", "250", "70", "63", "42", "28.0% ↑ +3.0 pts, up since 2022",
        "5.0 → 0.0 pts, no change since 2022", "90.0% ↑ +15.0 pts, up since 2023",
        "66.7% ↓ −8.3 pts, down since 2022"]
    # the arrow is decoration: the direction is in words
    assert '<span aria-hidden="true">↑</span>' in html


def test_not_known_is_a_dash_for_screen_readers_too_and_never_zero(cast, as_user):
    measure = make_measure(cast.xa_review)
    MeasureStat.objects.create(measure=measure, year=2024, eligible=None, referred=12,
                               started=None, completed=None)
    html = as_user(cast.xa_lead).get(url(cast.xa_review)).content.decode()
    found = cells(html, 2024)
    # eligible, started, completed; the use rate, per 100 offences, start and completion rate
    assert [c.strip() for c in found].count(NOT_KNOWN) == 7
    assert found[1].strip() == "12"
    assert "0.0%" not in html and ">0<" not in html and "pts" not in html.split("<h3")[0]


def test_a_known_zero_is_shown_as_zero(cast, as_user):
    measure = make_measure(cast.xa_review)
    MeasureStat.objects.create(measure=measure, year=2024, eligible=120, referred=0)
    html = as_user(cast.xa_lead).get(url(cast.xa_review)).content.decode()
    assert row(html, 2024)[:6] == ["2024", "120", "0", "— not known", "— not known", "0.0%"]


def test_per_100_offences_only_where_the_indicator_is_recorded_that_year(cast, as_user):
    figures_by_year(cast.xa_review)
    offences(cast.xa_review, 2022, Decimal("1200.00"))
    offences(cast.xa_review, 2023, None)  # recorded as not known
    html = as_user(cast.xa_lead).get(url(cast.xa_review)).content.decode()
    assert row(html, 2022)[6] == "4.2"  # 50 orders for 1,200 offences: 4.17
    assert row(html, 2023)[6] == "— not known"
    assert row(html, 2024)[6] == "— not known"  # no offences recorded for 2024
    assert ("It is shown only for a year in which the drug-law offences indicator is "
            "recorded") in html
    # the explanation is tied to the column
    measure = Measure.objects.get()
    assert f'aria-describedby="per-100-{measure.pk}"' in html
    assert f'<p id="per-100-{measure.pk}">' in html
    assert "No number of drug-law offences is recorded for any year" not in html


def test_without_any_offences_recorded_the_page_says_so(cast, as_user):
    figures_by_year(cast.xa_review)
    html = as_user(cast.xa_lead).get(url(cast.xa_review)).content.decode()
    assert "No number of drug-law offences is recorded for any year" in html
    assert reverse("reviews:indicators", args=[cast.xa_review.slug]) in html
    assert [row(html, y)[6] for y in (2022, 2023, 2024)] == ["— not known"] * 3


def test_the_trend_gives_first_and_last_known_values(cast, as_user):
    figures_by_year(cast.xa_review)
    offences(cast.xa_review, 2024, 1400)
    html = as_user(cast.xa_lead).get(url(cast.xa_review)).content.decode()
    trend = " ".join(re.sub(r"<[^>]+>", " ", html[html.index(">Trend</h3>"):]).split())
    assert "Use rate up from 25.0% in 2022 to 28.0% in 2024" in trend
    assert "Per 100 drug-law offences known for one year only: 5.0 in 2024" in trend
    assert "Start rate up from 80.0% in 2022 to 90.0% in 2024" in trend
    assert "Completion rate down from 75.0% in 2022 to 66.7% in 2024" in trend


def test_measures_follow_the_stages_and_a_measure_without_figures_says_so(cast, as_user):
    make_measure(cast.xa_review, name="Prison programme", stage="post_sentence")
    make_measure(cast.xa_review, name="Arrest referral", stage="police_arrest")
    make_measure(cast.xa_review, name="Conditional dismissal", stage="prosecution")
    html = as_user(cast.xa_lead).get(url(cast.xa_review)).content.decode()
    order = [html.index(f">{name}</h2>") for name in (
        "Arrest referral", "Conditional dismissal", "Prison programme")]
    assert order == sorted(order)
    assert html.count("No figures yet.") == 3 and "<table" not in html


def test_the_tables_are_semantic(cast, as_user):
    figures_by_year(cast.xa_review)
    html = as_user(cast.xa_lead).get(url(cast.xa_review)).content.decode()
    assert re.search(r'<caption id="[^"]+">Drug treatment order: figures, rates and their '
                     r"change by year", html)
    assert len(re.findall(r'<th scope="col"', html)) == 9
    assert html.count('<th scope="row">') == 3


def test_an_empty_inventory_says_so(cast, as_user):
    html = as_user(cast.xa_lead).get(url(cast.xa_review)).content.decode()
    assert "No measure in the inventory yet." in html
