"""Two people saving the same answer: the second sees both versions; nothing is overwritten."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_second_save_of_the_same_version_is_a_conflict_showing_both(cast, client,
                                                                         as_user):
    review = cast.xa_review
    url = reverse("reviews:save_answer", args=[review.slug, "SYS-REG-01"])
    # both loaded the page at version 0
    as_user(cast.xa_lead).post(url, {"version": 0, "answer": "yes",
                                     "evidence": "lead's evidence"})
    client.logout()
    response = as_user(cast.xa_contributor).post(
        url, {"version": 0, "answer": "no", "evidence": "contributor's evidence"},
        HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response["X-Save-Status"] == "409"
    assert "someone else changed this answer meanwhile" in html
    assert "lead&#x27;s evidence" in html and "contributor&#x27;s evidence" in html
    assert "lead.xa@example.org" in html
    stored = review.answers.get(item_id="SYS-REG-01")
    assert (stored.answer, stored.evidence, stored.version) == ("yes", "lead's evidence", 1)

    # choosing "save mine over theirs" names the version now seen: that save goes through
    response = as_user(cast.xa_contributor).post(
        url, {"version": 0, "force_version": 1, "answer": "no",
              "evidence": "contributor's evidence"}, HTTP_HX_REQUEST="true")
    assert response["X-Save-Status"] == "200"
    stored.refresh_from_db()
    assert (stored.answer, stored.version) == ("no", 2)


def test_a_conflict_without_javascript_redirects_with_a_message(cast, as_user, client):
    review = cast.xa_review
    url = reverse("reviews:save_answer", args=[review.slug, "SYS-REG-01"])
    as_user(cast.xa_lead).post(url, {"version": 0, "answer": "yes"})
    response = as_user(cast.xa_contributor).post(url, {"version": 0, "answer": "no"},
                                                 follow=True)
    assert "Not saved" in response.content.decode()
    assert review.answers.get(item_id="SYS-REG-01").answer == "yes"


def test_the_same_edit_sent_twice_is_no_conflict(cast, as_user):
    # Typing, then clicking Save: leaving the field autosaves it, then the button posts the
    # same edit from the same version.
    review = cast.xa_review
    url = reverse("reviews:save_answer", args=[review.slug, "SYS-SOC-05"])
    edit = {"version": 0, "text": "Newspapers are sympathetic.", "evidence": "A survey."}
    client = as_user(cast.xa_lead)
    assert client.post(url, edit, HTTP_HX_REQUEST="true")["X-Save-Status"] == "200"
    response = client.post(url, edit, follow=True)
    html = response.content.decode()
    assert "Saved." in html and "Not saved" not in html
    stored = review.answers.get(item_id="SYS-SOC-05")
    assert (stored.text, stored.version) == ("Newspapers are sympathetic.", 1)
    assert review.audit_events.filter(object_id="SYS-SOC-05").count() == 1
