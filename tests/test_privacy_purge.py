"""A coordinator purges a closed consultation's raw responses; its published figures stay."""

import csv
import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from acsreview.core.instrument.select import field_name
from acsreview.reports.exports import export
from acsreview.web.consultations.models import (
    Consultation,
    FrozenTallies,
    Link,
    Response,
    ResponseAnswer,
)
from acsreview.web.consultations.services.field_import import import_field_submissions
from acsreview.web.consultations.services.purge import purge_responses
from acsreview.web.consultations.services.responses import hash_key
from acsreview.web.consultations.services.results import review_results
from acsreview.web.reviews.models import Answer, AuditEvent

from .api_client import as_api

pytestmark = pytest.mark.django_db

SCALE = {"yes", "partly", "no", "dont_know", "not_applicable", "prefer_not_to_say"}
SECRET = "Sergeant Example at the harbour station"  # an open text that could identify someone
RESUME_KEY = "a-resume-key-of-a-respondent-who-never-submitted"


def respond(consultation, group, items: dict, *, submitted=True, key=""):
    """The i-th response of ``group`` gives the i-th value of each item (off the answer
    scale: an open text)."""
    count = max(len(v) for v in items.values())
    start = consultation.responses.count()
    Response.objects.bulk_create([
        Response(consultation=consultation, group=group, instance_id=f"t{start + i}",
                 resume_key_hash=hash_key(key) if key else "",
                 submitted_at=timezone.now() if submitted else None) for i in range(count)])
    ids = list(consultation.responses.filter(instance_id__in=[
        f"t{start + i}" for i in range(count)]).order_by("id").values_list("id", flat=True))
    ResponseAnswer.objects.bulk_create([
        ResponseAnswer(response_id=ids[i], item_id=item,
                       **({"answer": v} if v in SCALE else {"text": v}))
        for item, values in items.items() for i, v in enumerate(values)])


def of(**counts):
    return [a for a, n in counts.items() for _ in range(n)]


@pytest.fixture
def consultation(cast):
    """Closed: every link closed. Groups shown apart, merged and withheld; open texts;
    a response in progress with a resume key."""
    review = cast.xa_review
    c = Consultation.objects.create(review=review, languages=["en"], title="Round one")
    for group in ("police", "judges", "health", "probation", "prison", "ngo"):
        Link.objects.create(consultation=c, group=group, is_open=False)
    respond(c, "police", {"SYS-REG-01": of(yes=3, partly=1, no=2),
                          "SYS-REG-02": of(no=4, partly=2),
                          "SYS-REG-06": [SECRET, "x", "y", "z", "w"]})
    respond(c, "judges", {"SYS-REG-01": of(yes=5), "SYS-REG-02": of(yes=1, no=4)})
    respond(c, "health", {"SYS-REG-01": of(partly=1, no=4, dont_know=1),
                          "SYS-REG-02": of(yes=5, partly=1),
                          "SYS-REG-06": ["a", "b"]})
    respond(c, "probation", {"SYS-REG-01": of(no=2), "SYS-REG-02": of(no=1)})  # merged
    respond(c, "prison", {"SYS-REG-01": of(yes=3)})  # pooled with probation: merged
    respond(c, "ngo", {"SYS-REG-03": of(no=2)})  # alone under the threshold: withheld
    respond(c, "health", {"SYS-REG-01": of(no=1)}, submitted=False, key=RESUME_KEY)
    for item, answer in (("SYS-REG-01", "no"), ("SYS-REG-02", "partly"),
                         ("SYS-REG-03", "yes")):
        Answer.objects.create(review=review, item_id=item, answer=answer)
    return c


def purge_url(c):
    return reverse("consultations:purge", args=[c.review.slug, c.public_id])


def raw_rows(c):
    return (Response.objects.filter(consultation=c).count(),
            ResponseAnswer.objects.filter(response__consultation=c).count())


def published(cast, client, as_user, tmp_path, name):
    """Everything that shows consultation figures, as a reader would get it."""
    review = cast.xa_review
    doc = json.loads(export([review], "json", tmp_path / f"{name}.json").read_text())
    del doc["created"]
    api = as_api(client, cast.xa_contributor).get(f"/api/reviews/{review.slug}/consultation")
    assert api.status_code == 200
    pages = {}
    reader = as_user(cast.xa_contributor)
    for page in ("consultations:results", "reviews:analysis", "reviews:plan"):
        response = reader.get(reverse(page, args=[review.slug]))
        assert response.status_code == 200, page
        pages[page] = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "",
                             response.content.decode())
    results = review_results(review)
    return {"export": doc, "api": api.json(), "pages": pages,
            "figures": (results.questions, results.domains, results.responses)}


def test_every_published_figure_is_the_same_after_the_purge(cast, client, as_user, tmp_path,
                                                             consultation):
    before = published(cast, client, as_user, tmp_path, "before")
    rows = before["export"]["tables"]["consultation"]["rows"]
    assert {r["question"] for r in rows} >= {"SYS-REG-01", "SYS-REG-02", "SYS-REG-06"}
    assert {"merged", "sector:cjs", "sector:health"} <= {r["unit"] for r in rows}
    questions = before["figures"][0]
    assert questions["SYS-REG-01"].overall.n == 6 + 5 + 6 + 2 + 3
    assert questions["SYS-REG-03"].withheld == ["ngo"] and not questions["SYS-REG-03"].groups

    purge_responses(consultation, cast.coordinator)

    assert raw_rows(consultation) == (0, 0)
    after = published(cast, client, as_user, tmp_path, "after")
    assert after["figures"] == before["figures"]
    assert after["export"] == before["export"]
    # The API says when the raw responses went, and nothing else changed.
    for doc, purged in ((before["api"], False), (after["api"], True)):
        for ref in [doc["consultation"], *doc["consultations"]]:
            assert (ref.pop("purged_at") is not None) is purged
    assert after["api"] == before["api"]
    assert after["pages"] == before["pages"]


def test_the_purge_deletes_responses_answers_open_texts_and_resume_keys(cast, consultation):
    other = Consultation.objects.create(review=cast.xb_review, languages=["en"])
    respond(other, "police", {"SYS-REG-06": [SECRET]})

    purge_responses(consultation, cast.coordinator)

    assert raw_rows(consultation) == (0, 0)
    assert not ResponseAnswer.objects.filter(response__consultation=consultation).exists()
    assert not Response.objects.filter(resume_key_hash=hash_key(RESUME_KEY)).exists()
    assert raw_rows(other) == (1, 1)  # another consultation keeps its responses
    frozen = FrozenTallies.objects.get(consultation=consultation)
    kept = json.dumps(frozen.tallies)
    assert SECRET not in kept and hash_key(RESUME_KEY) not in kept
    assert frozen.tallies["questions"]["SYS-REG-06"] == {"police": {"text": 5},
                                                         "health": {"text": 2}}
    assert frozen.tallies["responses"]["police"] == 6
    assert not consultation.links.filter(is_open=True).exists()


def test_the_purge_is_in_the_audit_trail_without_any_content(cast, client, as_user,
                                                            consultation):
    response = as_user(cast.coordinator).post(purge_url(consultation), {"confirm": "on"})
    assert response.status_code == 302

    event = AuditEvent.objects.get(object_type="consultation", action="purge")
    assert event.review == cast.xa_review and event.user == cast.coordinator
    assert event.object_id == str(consultation.public_id)
    assert event.after == {"via": "web", "responses": 6 + 5 + 6 + 2 + 3 + 2 + 1,
                           "answers": 17 + 10 + 14 + 3 + 3 + 2 + 1}
    assert SECRET not in json.dumps(event.after)
    history = client.get(reverse("reviews:history", args=[cast.xa_review.slug]))
    assert "purge" in history.content.decode()


def test_the_confirmation_says_it_cannot_be_undone_and_must_be_ticked(cast, as_user,
                                                                       consultation):
    coordinator = as_user(cast.coordinator)
    listing = coordinator.get(reverse("consultations:list", args=[cast.xa_review.slug]))
    assert purge_url(consultation) in listing.content.decode()

    page = coordinator.get(purge_url(consultation))
    assert page.status_code == 200
    text = page.content.decode()
    assert "This cannot be undone" in text and 'name="confirm"' in text
    assert raw_rows(consultation) == (25, 50)

    unticked = coordinator.post(purge_url(consultation), {})
    assert unticked.status_code == 422
    assert "Tick the box" in unticked.content.decode()
    assert raw_rows(consultation) == (25, 50)

    done = coordinator.post(purge_url(consultation), {"confirm": "on"}, follow=True)
    assert done.status_code == 200
    text = done.content.decode()
    assert "The raw responses were deleted" in text and "Purged on" in text
    assert purge_url(consultation) not in text
    assert raw_rows(consultation) == (0, 0)


def test_only_a_coordinator_may_purge(cast, as_user, client, consultation):
    expect = {"xa_lead": 403, "xa_contributor": 403, "xb_viewer": 404, "outsider": 404}
    for persona, status in expect.items():
        c = as_user(getattr(cast, persona))
        assert c.get(purge_url(consultation)).status_code == status, persona
        assert c.post(purge_url(consultation), {"confirm": "on"}).status_code == status
        listing = c.get(reverse("consultations:list", args=[cast.xa_review.slug]))
        assert purge_url(consultation) not in listing.content.decode()
        c.logout()
    client.logout()
    assert client.post(purge_url(consultation), {"confirm": "on"}).status_code == 302
    assert raw_rows(consultation) == (25, 50)
    assert not AuditEvent.objects.filter(action="purge").exists()


def test_an_open_consultation_is_not_purged(cast, as_user, consultation):
    consultation.links.filter(group="police").update(is_open=True)
    coordinator = as_user(cast.coordinator)
    page = coordinator.get(purge_url(consultation))
    assert "still open" in page.content.decode() and 'name="confirm"' not in (
        page.content.decode())
    response = coordinator.post(purge_url(consultation), {"confirm": "on"})
    assert response.status_code == 409
    assert raw_rows(consultation) == (25, 50)


def test_a_consultation_past_its_closing_date_may_be_purged(cast, as_user, consultation):
    consultation.links.update(is_open=True)
    consultation.closes_at = timezone.now() - timedelta(minutes=1)
    consultation.save()
    response = as_user(cast.coordinator).post(purge_url(consultation), {"confirm": "on"})
    assert response.status_code == 302
    assert raw_rows(consultation) == (0, 0)


def test_a_purged_consultation_takes_nothing_more(cast, as_user, tmp_path, consultation,
                                                  instrument):
    purge_responses(consultation, cast.coordinator)
    coordinator = as_user(cast.coordinator)
    assert coordinator.post(purge_url(consultation), {"confirm": "on"}).status_code == 409
    assert AuditEvent.objects.filter(action="purge").count() == 1
    link = consultation.links.get(group="police")
    toggle = reverse("consultations:link_toggle", args=[cast.xa_review.slug, link.pk])
    assert coordinator.post(toggle).status_code == 403
    link.refresh_from_db()
    assert not link.is_open

    path = tmp_path / "odk.csv"
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["meta-instanceID", "stakeholder_group", "consultation_id",
                         field_name("SYS-REG-01")])
        writer.writerow(["uuid:1", "police", str(consultation.public_id), "yes"])
    summary = import_field_submissions(cast.xa_review, path, name="odk.csv")
    assert summary.rejected and "purged" in str(summary.rejected[0])
    assert raw_rows(consultation) == (0, 0)


def test_the_command_purges_only_with_yes(cast, cli, consultation):
    slug = cast.xa_review.slug
    without = cli("consultation", "purge", slug)
    assert without.exit_code == 1 and "--yes" in without.output
    assert "for good" in without.output
    assert raw_rows(consultation) == (25, 50)

    lead = cli("consultation", "purge", slug, "--yes", "--as", cast.xa_lead.email)
    assert lead.exit_code == 1 and "coordinator" in lead.output
    assert raw_rows(consultation) == (25, 50)

    done = cli("consultation", "purge", slug, "--consultation", str(consultation.public_id),
               "--yes", "--as", cast.coordinator.email)
    assert done.exit_code == 0, done.output
    assert "25 responses" in done.output
    assert raw_rows(consultation) == (0, 0)
    event = AuditEvent.objects.get(action="purge")
    assert event.user == cast.coordinator and event.after["via"] == "cli"

    again = cli("consultation", "purge", slug, "--yes")
    assert again.exit_code == 1 and "already" in again.output


def test_the_command_refuses_an_open_consultation(cast, cli, consultation):
    consultation.links.update(is_open=True)
    result = cli("consultation", "purge", cast.xa_review.slug, "--yes")
    assert result.exit_code == 1 and "still open" in result.output
    assert raw_rows(consultation) == (25, 50)
