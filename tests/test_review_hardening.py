"""Defects found in review, kept fixed: account takeover by invitation, formulas in
workbooks, status races, sign-in records, malformed posts."""

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from acsreview.web.reviews.models import Measure, Status
from acsreview.web.reviews.services.workflow import TransitionRefused, change_status

from .factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_inviting_an_existing_account_gives_no_password_link(cast, as_user):
    waiting = UserFactory(email="waiting@example.org")
    waiting.set_unusable_password()
    waiting.save()
    response = as_user(cast.xa_lead).post(
        reverse("reviews:members", args=[cast.xa_review.slug]),
        {"email": "waiting@example.org", "role": "viewer"}, follow=True)
    html = response.content.decode()
    assert "waiting@example.org can now work on Fictional XA" in html
    assert "/accounts/reset/" not in html


def test_workbook_cells_never_hold_formulas_from_peoples_text(cast, as_user, tmp_path):
    Measure.objects.create(review=cast.xa_review, name='=HYPERLINK("https://evil.example")',
                           measure_type="treatment", stage="prosecution", notes="=1+1")
    response = as_user(cast.coordinator).get(
        reverse("reviews:inventory_template", args=[cast.xa_review.slug]))
    path = tmp_path / "inventory.xlsx"
    path.write_bytes(b"".join(response.streaming_content) if response.streaming
                     else response.content)
    sheet = load_workbook(path)["measures"]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row if c.value]
    assert cells and all(c.data_type != "f" for c in cells)
    assert sheet["A2"].value == '=HYPERLINK("https://evil.example")'


def test_a_status_move_reads_the_status_as_it_is_now(cast):
    review = cast.xa_review
    review.status = Status.VALIDATION
    review.save()
    stale = type(review).objects.get(pk=review.pk)
    change_status(review, Status.FINAL, cast.xa_lead)
    with pytest.raises(TransitionRefused):
        change_status(stale, Status.CONSULTATION, cast.xa_lead)
    review.refresh_from_db()
    assert review.status == Status.FINAL


def test_successful_sign_ins_leave_no_address_behind(cast, client):
    from axes.models import AccessLog

    client.post(reverse("login"), {"username": cast.xa_lead.email, "password": PASSWORD},
                REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="probe")
    assert "_auth_user_id" in client.session
    assert not AccessLog.objects.exists()


def test_confirming_an_answer_that_does_not_exist_is_404(cast, as_user):
    response = as_user(cast.xa_lead).post(
        reverse("reviews:save_answer", args=[cast.xa_review.slug, "SYS-REG-01"]),
        {"version": 0, "confirm": "1"})
    assert response.status_code == 404


def test_a_malformed_version_is_not_a_server_error(cast, as_user):
    response = as_user(cast.xa_lead).post(
        reverse("reviews:correspondents", args=[cast.xa_review.slug]),
        {"question_id": "LPC-3", "version": "abc", "barriers": "x"})
    assert response.status_code == 302


def test_an_inventory_save_refuses_a_review_finalised_since_the_request_began(cast):
    from django.core.exceptions import PermissionDenied
    from django.db import transaction

    from acsreview.web.reviews.views.inventory_common import lock_editable

    stale = type(cast.xa_review).objects.get(pk=cast.xa_review.pk)  # loaded as a draft
    type(cast.xa_review).objects.filter(pk=stale.pk).update(status=Status.FINAL)
    with pytest.raises(PermissionDenied), transaction.atomic():
        lock_editable(stale)
