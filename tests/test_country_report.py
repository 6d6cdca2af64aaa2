"""The country report: a page in the app and a PDF, in every language, with every section."""

import io
import re

import pytest
from django.urls import reverse
from django.utils import translation

from acsreview.core.instrument import iter_questions
from acsreview.reports import country
from acsreview.reports.country import country_context, report_title
from acsreview.web.demo import load_demo
from acsreview.web.demo.content import XA_2026_LPC1
from acsreview.web.instruments import localized_instrument_of
from acsreview.web.reviews.models import (
    Answer,
    CorrespondentAnswer,
    Measure,
    MeasureStat,
    Membership,
    Review,
    Role,
)

from .factories import UserFactory

pytestmark = pytest.mark.django_db

SECTIONS = ["cover", "summary", "inventory", "utilisation", "profile", "stakeholders", "plan",
            "correspondents", "follow-up", "questions", "methodology", "sources"]
EDITED_ACTION = "A protocol between probation and social services on housing and children"


def page_url(review, **query):
    url = reverse("reviews:report", args=[review.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def pdf_url(review, lang):
    return reverse("reviews:report_pdf", args=[review.slug]) + f"?lang={lang}"


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def section(html: str, section_id: str) -> str:
    """The HTML of one section of the report: from its <h2> to the next one."""
    start = html.index(f'<h2 id="{section_id}">')
    end = html.find("<h2 ", start + 1)
    return html[start:end if end > 0 else len(html)]


@pytest.fixture
def demo():
    load_demo()
    return Review.objects.select_related("jurisdiction").get(slug="XA-2026")


@pytest.fixture
def xa_viewer(demo):
    user = UserFactory(email="viewer.xa@example.org")
    Membership.objects.create(user=user, jurisdiction=demo.jurisdiction, role=Role.VIEWER)
    return user


def test_a_reader_sees_every_section_listed_in_the_table_of_contents(demo, xa_viewer,
                                                                     as_user):
    response = as_user(xa_viewer).get(page_url(demo))
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    html = response.content.decode()
    # each section is an <h2 id>, in order, and the table of contents links to each
    positions = [html.index(f'<h2 id="{s}">') for s in SECTIONS]
    assert positions == sorted(positions)
    toc = html[html.index('class="toc"'):html.index("</nav>", html.index('class="toc"'))]
    assert re.findall(r'href="#([\w-]+)"', toc) == SECTIONS
    # the cover, the demo mark, the review's navigation, the language and the PDF
    assert "<h1>Xandria 2026: review of alternatives to coercive sanctions</h1>" in html
    cover = text_of(section(html, "cover"))
    assert "Xandria (XA)" in cover and "2026" in cover and "acs-diagnostic 1.0" in cover
    assert "Synthetic demo data about a fictional jurisdiction" in cover
    assert 'class="demo-mark"' in html
    assert 'aria-current="page">Report</a>' in html
    assert '<select id="report-lang" name="lang">' in html
    assert f'href="{pdf_url(demo, "en")}"' in html
    # the charts, drawn in the browser, each with its data as a table
    for chart in ("chart-stages", "chart-utilisation", "chart-profile"):
        assert f'id="{chart}"' in html and f'data-chart="{chart}-spec"' in html
    assert "Data of the chart: Where ACS exist in the criminal justice system" in html
    # a chart whose figures a table of the report gives points there instead: no repeat
    for chart, table in (("chart-utilisation", "utilisation-table"),
                         ("chart-profile", "profile-table-system")):
        figure = html[html.index(f'id="{chart}"'):html.index("</figure>",
                                                            html.index(f'id="{chart}"'))]
        assert f'aria-describedby="{chart}-data"' in figure
        assert f'<p class="chart-data-ref" id="{chart}-data"><a href="#{table}">' in figure
        assert 'class="chart-data"' not in figure
        assert f'<table id="{table}"' in html


def test_it_reports_the_correspondents_answers_and_the_follow_up_of_earlier_actions(
        demo, xa_viewer, as_user):
    html = as_user(xa_viewer).get(page_url(demo)).content.decode()
    answers = text_of(section(html, "correspondents"))
    for qid in ("LPC-1", "LPC-2", "LPC-3", "LPC-4"):
        assert qid in answers
    assert XA_2026_LPC1["use"] in answers  # this round's answer
    assert "Xandrian Institute of Criminology (2021)" in answers  # a cited study, carried over
    follow_up = text_of(section(html, "follow-up"))
    assert "The actions agreed in XA-2024" in follow_up
    assert EDITED_ACTION in follow_up and "Ministry of Justice (fictional)" in follow_up
    assert re.search(r"(Improved|Unchanged|Worsened|Not known) ?:", follow_up)
    assert "Severity then (0–2)" in follow_up
    # the rejected recommendation of 2024 is not followed up as an action
    assert "Already covered by the national drug strategy" not in follow_up
    # the ranked plan explains each recommendation
    plan = text_of(section(html, "plan"))
    assert re.search(r"1\. \S.* \((System|Provider|Client) level\)", plan)
    assert "Concrete facilitators" in plan and "Not decided yet." in plan
    assert "severity × agreement × policy lever" in plan


def test_the_plan_and_the_follow_up_cite_questions_whose_text_is_printed_once(
        demo, xa_viewer, as_user):
    html = as_user(xa_viewer).get(page_url(demo)).content.decode()
    context = country_context(demo, lang="en", pdf=False, charts=False)
    first = context["plan"]["recommendations"][0]
    qid = first["barriers"][0]["id"]
    text = {q.id: q.text for q in iter_questions(localized_instrument_of(demo, "en"))}[qid]
    plan, follow_up = section(html, "plan"), section(html, "follow-up")
    annex = section(html, "questions")
    # the recommendation cites its barrier, which the plan's table gives once, by id
    recommendation = plan[plan.index(f'id="{first["anchor"]}"'):]
    assert f'<a href="#barrier-{qid}" class="qid">{qid}</a>' in recommendation
    assert plan.count(f'<tr id="barrier-{qid}">') == 1
    assert f'<a href="#q-{qid}" class="qid">{qid}</a>' in plan
    assert text not in plan
    # the follow-up cites its questions the same way
    cited = re.findall(r'<a href="#q-([\w-]+)" class="qid">', follow_up)
    assert cited
    # the annex gives each cited question's text once
    assert f'<dt id="q-{qid}" class="qid">{qid}</dt>' in annex
    assert html.count(text) == 1 and text in annex
    for other in cited:
        assert f'<dt id="q-{other}" class="qid">' in annex


def test_stakeholder_figures_respect_the_suppression_of_small_groups(demo, xa_viewer,
                                                                    as_user):
    html = as_user(xa_viewer).get(page_url(demo)).content.decode()
    views = section(html, "stakeholders")
    # the demo's prison group (3 responses) is under the threshold of 5: never shown apart
    assert ('<tr class="withheld"><th scope="row">Prison</th><td class="number">'
            "not shown: fewer than 5</td></tr>") in views
    assert views.count("Prison") == 1
    assert "265 responses in the groups shown" in text_of(views)
    assert "CJS and health: divergence" in views


def test_not_known_figures_are_a_dash_never_zero(cast, as_user):
    measure = Measure.objects.create(review=cast.xa_review, name="Referral (test)",
                                     stage="police_arrest", measure_type="treatment")
    # eligible and started not known; none referred, so the start rate has no denominator
    MeasureStat.objects.create(measure=measure, year=2024, eligible=None, referred=0,
                               started=None, completed=None)
    html = as_user(cast.xa_lead).get(page_url(cast.xa_review)).content.decode()
    table = section(html, "utilisation")
    assert "Referral (test)" in table
    row = re.search(r'<tr><th scope="row">2024</th>(.*?)</tr>', table).group(1)
    cells = re.findall(r'<td class="number">(.*?)</td>', row)
    assert len(cells) == 4
    for cell in cells:
        assert cell == ('<span aria-hidden="true">—</span>'
                        '<span class="visually-hidden">not known</span>')
    assert "0.0%" not in html


def test_an_empty_review_still_makes_a_whole_report(cast, as_user):
    response = as_user(cast.xa_lead).get(page_url(cast.xa_review))
    assert response.status_code == 200
    text = text_of(response.content.decode())
    assert "The inventory holds no measure yet." in text
    assert "This review has no consultation" in text
    assert "first review round" in text
    assert "No question shows a barrier yet" in text


def test_sources_are_cited_once_and_linked_only_when_they_are_web_addresses(cast, as_user):
    source = {"title": "Circular 4/2024 (test)", "url": "https://x.example/c", "year": 2024}
    Answer.objects.create(review=cast.xa_review, item_id="SYS-REG-01", answer="no",
                          sources=[source], version=1)
    Answer.objects.create(review=cast.xa_review, item_id="SYS-REG-02", answer="yes",
                          sources=[source], version=1)
    CorrespondentAnswer.objects.create(review=cast.xa_review, question_id="LPC-2", values={
        "research_exists": "yes", "studies": [
            {"citation": "A study (test)", "year": 2023, "url": "javascript:alert(1)"}]})
    html = as_user(cast.xa_lead).get(page_url(cast.xa_review)).content.decode()
    sources = section(html, "sources")
    assert sources.count("Circular 4/2024 (test)") == 1
    assert '<a href="https://x.example/c"' in sources
    assert "A study (test)" in sources and "A study (test)" in section(html, "correspondents")
    assert "javascript:" not in html
    assert "EMCDDA (2015). Alternatives to punishment" in sources  # the instrument's


def test_it_is_refused_to_outsiders_and_to_unknown_languages(cast, as_user):
    client = as_user(cast.outsider)
    assert client.get(page_url(cast.xa_review)).status_code == 404
    assert client.get(pdf_url(cast.xa_review, "en")).status_code == 404
    client = as_user(cast.xb_viewer)  # a reader of another jurisdiction
    assert client.get(page_url(cast.xa_review)).status_code == 404
    client = as_user(cast.xa_contributor)
    assert client.get(page_url(cast.xa_review, lang="xx")).status_code == 404
    assert client.get(pdf_url(cast.xa_review, "pt")).status_code == 404
    client.logout()
    assert client.get(page_url(cast.xa_review)).status_code == 302  # to sign in


def test_it_comes_in_french_and_german_and_by_default_in_the_readers_language(
        cast, as_user):
    client = as_user(cast.xa_lead)
    french = client.get(page_url(cast.xa_review, lang="fr")).content.decode()
    assert '<html lang="fr">' in french
    assert "Cadres réglementaires nationaux" in french  # the instrument's French
    assert "Plan d&#x27;action" in french  # the interface's French
    assert 'option value="fr" lang="fr" selected' in french
    assert f'href="{pdf_url(cast.xa_review, "fr")}"' in french
    german = client.get(page_url(cast.xa_review, lang="de")).content.decode()
    assert '<html lang="de">' in german and "Nationale Regulierungsrahmen" in german
    by_default = client.get(page_url(cast.xa_review), HTTP_ACCEPT_LANGUAGE="de")
    assert by_default["Content-Language"] == "de"
    assert "Nationale Regulierungsrahmen" in by_default.content.decode()


def test_the_report_without_charts_builds_none(cast, monkeypatch):
    from acsreview.reports import charts

    def refuse(*args, **kwargs):
        raise AssertionError("no chart may be built")

    for name in ("stage_chart", "utilisation_chart", "profile_chart", "svg"):
        monkeypatch.setattr(charts, name, refuse)
    monkeypatch.setattr(charts.draw, "svg", refuse)
    context = country_context(cast.xa_review, lang="en", pdf=True, charts=False)
    assert context["layout"] == "reports/pdf_base.html"
    assert context["inventory"]["figure"] is None and context["profile"]["figure"] is None
    assert [s for s, _label in context["toc"]] == SECTIONS


def test_the_pdf_is_titled_tagged_paged_and_in_the_reports_language(demo, xa_viewer,
                                                                   as_user, monkeypatch):
    pypdf = pytest.importorskip("pypdf")
    documents = []  # the HTML the PDF is made from
    to_pdf = country.html_to_pdf
    monkeypatch.setattr(country, "html_to_pdf", lambda html, **kw: documents.append(html) or
                        to_pdf(html, **kw))
    response = as_user(xa_viewer).get(pdf_url(demo, "fr"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="XA-2026-report-fr.pdf"'
    data = response.content
    assert data.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    with translation.override("fr"):
        title = report_title(demo)
        demo_mark = translation.gettext(
            "DEMO: synthetic data about a fictional jurisdiction, not facts about any country.")
    assert reader.metadata.title == title
    assert root["/Lang"] == "fr"
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    pages = len(reader.pages)
    assert pages > 1
    cover, contents = (re.sub(r"\s+", " ", reader.pages[i].extract_text()) for i in (0, 1))
    assert localized_instrument_of(demo, "fr").title in cover  # French, from the instrument
    assert demo_mark.split(":")[0] in cover and demo_mark.split(":")[0] in contents
    assert f"2 / {pages}" in contents  # page numbers
    assert re.search(r"\.{5,} ?\d+", contents)  # the table of contents gives each page
    # the charts are drawn as SVG in a PDF, never left out: the utilisation chart's axis
    # (the PDF fetches each from its drawing, made beside the layout: charts.deferred)
    (html,) = documents
    assert html.count('<img class="chart-svg" src="acsreview-chart:chart-') == 3
    assert '<html lang="fr">' in html
    with translation.override("fr"):
        percent = translation.gettext("Percent")
    text = " ".join(page.extract_text() for page in reader.pages)
    assert percent in text
