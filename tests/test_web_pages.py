"""The home page, the instrument page, the health check and the admin."""

import pytest
from django.test import override_settings
from django.urls import reverse

from acsreview.core.instrument import iter_questions

pytestmark = pytest.mark.django_db


def test_the_home_page_describes_the_tool_and_the_instrument(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html lang=\"en\">" in html
    assert 'href="#main"' in html and 'id="main"' in html  # skip link to the content
    assert "74 questions in 12 domains at 3 levels" in html
    assert "62 are answered on the answer scale and 12 are open text" in html


def test_the_instrument_page_lists_every_question(client, instrument):
    response = client.get(reverse("instrument", args=["acs-diagnostic", "1.0"]))
    assert response.status_code == 200
    html = response.content.decode()
    for q in iter_questions(instrument):
        assert q.id in html
    assert "Questions to Legal & Policy Correspondents" in html


def test_an_unknown_instrument_version_is_404(client):
    assert client.get(reverse("instrument", args=["acs-diagnostic", "9.9"])).status_code == 404


def test_the_instrument_page_follows_the_chosen_language(client, library, instrument):
    languages = library.languages(instrument)
    if "fr" not in languages:
        pytest.skip("no French translation shipped")
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    html = client.get(reverse("instrument", args=["acs-diagnostic", "1.0"])).content.decode()
    assert '<html lang="fr">' in html
    french = library.localized(instrument, "fr")
    assert french.levels[0].domains[0].questions[0].text in html


def test_the_health_check_reaches_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_the_admin_requires_a_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_pages_say_so_when_the_data_is_a_demo(client):
    with override_settings(ACSREVIEW_DEMO=True):
        html = client.get("/").content.decode()
    assert "synthetic data about fictional jurisdictions" in html
    assert "synthetic data" not in client.get("/").content.decode()


def test_only_get_is_allowed_on_pages(client):
    assert client.post("/").status_code == 405


def test_the_instrument_page_names_levels_and_domains_in_the_readers_language(client):
    from acsreview.core.instrument import shipped_library

    library = shipped_library()
    en = library.get("acs-diagnostic")
    fr = library.localized(en, "fr")
    assert fr.levels[0].domains[0].label != en.levels[0].domains[0].label
    client.cookies["django_language"] = "fr"
    for path in ("/instrument/acs-diagnostic/1.0/",):
        table = client.get(path).content.decode().split("<table", 1)[1].split("</table>")[0]
        assert fr.levels[0].label in table and fr.levels[0].domains[0].label in table, path
        assert en.levels[0].domains[0].label not in table, path
