"""The status workflow: draft -> consultation -> validation -> final, recorded with who/when."""

import pytest
from django.urls import reverse

from acsreview.web.reviews.models import AuditEvent

pytestmark = pytest.mark.django_db


def move(client, review, to, note=""):
    return client.post(reverse("reviews:status", args=[review.slug]), {"to": to, "note": note},
                       follow=True)


def test_the_workflow_moves_step_by_step_and_records_who_and_when(cast, as_user):
    client = as_user(cast.xa_lead)
    review = cast.xa_review
    for to in ["consultation", "validation", "final"]:
        move(client, review, to, note=f"to {to}")
    review.refresh_from_db()
    assert review.status == "final"
    changes = list(review.status_changes.values_list("from_status", "to_status", "by__email"))
    assert changes == [("draft", "consultation", "lead.xa@example.org"),
                       ("consultation", "validation", "lead.xa@example.org"),
                       ("validation", "final", "lead.xa@example.org")]
    assert AuditEvent.objects.filter(review=review, action="status").count() == 3


def test_a_step_cannot_be_skipped_and_final_is_the_end(cast, as_user):
    client = as_user(cast.xa_lead)
    review = cast.xa_review
    response = move(client, review, "final")
    assert "not allowed" in response.content.decode()
    review.refresh_from_db()
    assert review.status == "draft"
    for to in ["consultation", "validation", "final"]:
        move(client, review, to)
    move(client, review, "validation")
    review.refresh_from_db()
    assert review.status == "final"


def test_the_overview_offers_only_the_allowed_moves(cast, as_user):
    html = as_user(cast.xa_lead).get(reverse("reviews:detail",
                                             args=[cast.xa_review.slug])).content.decode()
    assert 'name="to" value="consultation"' in html and 'value="final"' not in html
    html = as_user(cast.xa_contributor).get(reverse("reviews:detail",
                                                    args=[cast.xa_review.slug])).content.decode()
    assert 'name="to"' not in html
