"""The comparative report of a round: coordinators only, as a page and a PDF, in every language."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from acsreview.reports.comparative import render_comparative
from acsreview.web.reviews.models import Measure, Review, Status

from .factories import JurisdictionFactory, ReviewFactory
from .test_compare_page import answers, row, text

pytestmark = pytest.mark.django_db

REPORT = reverse("reviews:compare_report")
REG = [f"SYS-REG-0{i}" for i in range(1, 6)]  # 5 choice questions, "yes" helps ACS


def section(html: str, ident: str) -> str:
    """The text of the <section> whose heading has ``ident``."""
    start = html.index(f'<h2 id="{ident}"')
    return text(html[start:html.index("</section>", start)])


@pytest.fixture
def round_2026(cast):
    """XA: SYS-REG all 'no' (index 100) and one measure at arrest; XB (in consultation):
    SYS-REG all 'yes' (index 0), SYS-INT-01 'partly', -02 'dont_know' (index 50), no
    inventory."""
    answers(cast.xa_review, dict.fromkeys(REG, "no"))
    answers(cast.xb_review, dict.fromkeys(REG, "yes")
            | {"SYS-INT-01": "partly", "SYS-INT-02": "dont_know"})
    cast.xb_review.status = Status.CONSULTATION
    cast.xb_review.save()
    Measure.objects.create(review=cast.xa_review, name="Police referral to treatment",
                           measure_type="treatment", stage="police_arrest")
    return cast


def test_only_coordinators_may_make_it(cast, as_user, client):
    for persona in ["xa_lead", "xa_contributor", "xb_viewer", "outsider"]:
        for fmt in ["html", "pdf"]:
            response = as_user(getattr(cast, persona)).get(REPORT, {"format": fmt})
            assert response.status_code == 403, (persona, fmt)
            assert "Not allowed" in response.content.decode()
    client.logout()
    response = client.get(REPORT)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_compare_page_offers_the_report(as_user, round_2026):
    html = as_user(round_2026.coordinator).get(reverse("reviews:compare")).content.decode()
    assert f'action="{REPORT}"' in html
    assert 'name="codes" value="XA" checked' in html and 'name="codes" value="XB"' in html
    assert 'name="format" value="pdf"' in html and '<option value="fr" lang="fr"' in html


def test_the_page_shows_indices_peers_notes_and_coverage(as_user, round_2026, instrument):
    response = as_user(round_2026.coordinator).get(REPORT, {"round": "2026"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Comparative report: round 2026</h1>" in html
    assert "DEMO: synthetic data" in html  # the factories' jurisdictions are demo data
    for target in ["summary", "indices", "peers", "questions", "comparability", "coverage",
                   "methodology", "sources"]:
        assert f'<a href="#{target}">' in html and f'<h2 id="{target}">' in html

    summary = section(html, "summary")
    assert "This report compares 2 jurisdictions in round 2026." in summary
    assert "computed over the 62 questions that every review of the round has" in summary
    # SYS-REG: (100 + 0) / 2; SYS-INT: XB's 50 alone (XA has no score there)
    assert ("National regulatory frameworks: mean index 50, over 2 jurisdictions with a "
            "score Intelligence & monitoring: mean index 50, over 1 jurisdiction") in summary
    assert "Prosecution: none in 1 of 1 jurisdictions with an inventory" in summary
    assert "1 jurisdiction has no measure recorded in its inventory yet." in summary
    assert "2 of 2 reviews are not final and may still change." in summary

    indices = html[html.index('<h2 id="indices"'):]
    # index (questions scored / common questions of the domain)
    assert row(indices, "Fictional XA (XA)").startswith(
        "Fictional XA (XA) 100 (5/5) not scored (0/4)")
    assert "50 (1/2)" in row(indices, "Fictional XB (XB)")
    assert 'data-chart="chart-comparison-spec"' in html  # the heatmap, drawn in the browser

    peers = section(html, "peers")
    xa_part, xb_part = peers.split("Fictional XB XB-2026")
    assert ("National regulatory frameworks: index 100 Peers that score well here: "
            "Fictional XB (XB-2026): index 0") in xa_part
    assert "SYS-REG-01 (XB-2026); SYS-REG-02 (XB-2026)" in xa_part
    assert ("SYS-REG-01 Is there legislation in place which facilitates the use of ACS?"
            in section(html, "questions"))  # the text of a question cited, once
    assert '<a href="#q-SYS-REG-01">SYS-REG-01</a>' in html
    catalogue = {e.id: e.text for e in instrument.catalogue}
    mapped = {e for d in instrument.levels[0].domains if d.id == "SYS-REG"
              for q in d.questions for e in q.facilitators}
    assert mapped and all(catalogue[e] in xa_part for e in mapped)
    assert ("Intelligence & monitoring: index 50 No other jurisdiction scores at least "
            "20 points lower here.") in xb_part

    notes = section(html, "comparability")
    assert ("XA-2026, Societal influences: the index rests on 0 of 4 questions, "
            "fewer than half.") in notes

    coverage = html[html.index('<h2 id="coverage"'):]
    assert row(coverage, "Fictional XA (XA)") == (
        "Fictional XA (XA) 1 none none none none 1 Prosecution; Court (pre-trial); "
        "Sentencing; Post-sentence (prison, parole)")
    assert row(coverage, "Fictional XB (XB)") == (
        "Fictional XB (XB) No measure recorded in the inventory yet.")


def test_the_jurisdictions_and_the_round_are_chosen(as_user, round_2026):
    ReviewFactory(jurisdiction=JurisdictionFactory(code="XC"), round=2024)
    client = as_user(round_2026.coordinator)
    html = client.get(REPORT, {"round": "2026", "codes": "xa"}).content.decode()
    assert "This report compares 1 jurisdiction in round 2026." in text(html)
    assert "XB-2026" not in html
    both = client.get(REPORT, {"round": "2026", "codes": ["XA", "XB"]}).content.decode()
    assert "compares 2 jurisdictions" in text(both)
    assert "XC-2024" in client.get(REPORT, {"round": "2024"}).content.decode()
    assert client.get(REPORT, {"round": "2026", "codes": "XA,ZZ"}).status_code == 404
    assert client.get(REPORT, {"round": "2030"}).status_code == 404
    assert client.get(REPORT, {"format": "docx"}).status_code == 400


def test_ticking_no_jurisdiction_on_the_compare_page_is_not_all_of_them(as_user, round_2026):
    """The page's form sends ``picked``: with nothing ticked it comes back with a message,
    instead of a report of every jurisdiction; a link without ``codes`` still means all."""
    client = as_user(round_2026.coordinator)
    page = client.get(reverse("reviews:compare")).content.decode()
    assert 'name="picked" value="1"' in page
    response = client.get(REPORT, {"round": "2026", "picked": "1", "format": "pdf"})
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:compare") + "?round=2026#report"
    back = client.get(response["Location"]).content.decode()
    assert "Tick at least one jurisdiction for the report." in back
    assert '<details id="report" open>' in back
    every = client.get(REPORT, {"round": "2026"}).content.decode()
    assert "compares 2 jurisdictions" in text(every)


def test_without_charts_there_is_no_chart_and_with_them_an_svg(round_2026):
    reviews = list(Review.objects.filter(round=2026))
    bare = render_comparative(reviews, round=2026, pdf=True, charts=False)
    assert "chart-comparison" not in bare and "<img" not in bare
    assert "Fictional XA (XA)" in bare
    drawn = render_comparative(reviews, round=2026, pdf=True)
    assert 'id="chart-comparison"' in drawn and 'src="data:image/svg+xml;base64,' in drawn
    with pytest.raises(ValueError, match="XA-2026"):
        render_comparative(reviews, round=2024, charts=False)
    with pytest.raises(LookupError, match="one of: en, fr, de"):
        render_comparative(reviews, round=2026, lang="xx", charts=False)


def test_the_french_report_is_in_french(round_2026):
    html = render_comparative(list(Review.objects.filter(round=2026)), round=2026,
                              lang="fr", charts=False)
    assert '<html lang="fr">' in html
    body = text(html)
    assert "Cadres réglementaires nationaux" in body  # the instrument's own French
    assert "Là où d'autres font mieux" in body and "Comparabilité" in body
    assert "Brouillon" in body  # XA's status
    assert "National regulatory frameworks" not in body


def test_the_pdf_is_tagged_titled_and_in_its_language(as_user, round_2026):
    response = as_user(round_2026.coordinator).get(
        REPORT, {"round": "2026", "format": "pdf", "lang": "fr"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="acsreview-comparative-2026-fr.pdf"' in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    pdf = PdfReader(io.BytesIO(response.content))
    root = pdf.trailer["/Root"]
    assert root["/Lang"] == "fr"
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root
    assert "2026" in pdf.metadata.title
    words = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    assert "Cadres réglementaires nationaux" in words
    assert "Fictional XA (XA)" in words and "Comparabilité" in words
    assert re.search(r"\b2 / \d+\b", words)  # page numbers
