"""API tokens: printed once, kept as a digest, refused once revoked; the admin lists and
revokes them without ever showing one."""

import hashlib

import pytest
from click.testing import CliRunner

from acsreview.cli import cli as cli_group
from acsreview.web.accounts.models import ApiToken
from acsreview.web.reviews.models import AuditEvent

from .api_client import ApiClient, as_api, assert_error

pytestmark = pytest.mark.django_db


def run(*args):
    return CliRunner().invoke(cli_group, [str(a) for a in args])


def test_the_command_prints_a_token_once_and_keeps_only_its_digest(cast):
    result = run("token", "Lead.XA@example.org", "--name", "nightly sync")
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip()
    assert secret.startswith("acs_") and len(secret) >= 40 and "\n" not in secret
    assert "shown this once" in result.stderr
    stored = ApiToken.objects.get()
    assert stored.user == cast.xa_lead and stored.name == "nightly sync"
    assert stored.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(stored.prefix) and len(stored.prefix) < len(secret) // 3
    for value in (stored.prefix, stored.digest, stored.name):  # the token is nowhere
        assert secret not in value
    # the audit trail notes it, without the token
    event = AuditEvent.objects.get(object_type="api_token")
    assert event.action == "create" and secret not in str(event.after)
    # a second run makes another token; the first still works
    again = run("token", "lead.xa@example.org").stdout.strip()
    assert again != secret and ApiToken.objects.count() == 2


def test_an_unknown_email_is_a_one_line_error(cast):
    result = run("token", "nobody@example.org")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "nobody@example.org" in result.stderr
    assert not ApiToken.objects.exists()


def test_a_deactivated_person_gets_no_token(cast):
    cast.xa_lead.is_active = False
    cast.xa_lead.save()
    result = run("token", cast.xa_lead.email)
    assert result.exit_code == 1 and "deactivated" in result.stderr
    assert not ApiToken.objects.exists()


def test_a_token_authenticates_and_its_use_is_noted(cast, client):
    secret = run("token", cast.xa_lead.email).stdout.strip()
    response = ApiClient(client, secret).get("/api/reviews")
    assert response.status_code == 200
    assert [r["slug"] for r in response.json()["items"]] == ["XA-2026"]
    assert ApiToken.objects.get().last_used_at is not None


def test_a_revoked_token_is_refused(cast, client):
    secret = run("token", cast.xa_lead.email).stdout.strip()
    api = ApiClient(client, secret)
    assert api.get("/api/reviews").status_code == 200
    result = run("token", cast.xa_lead.email, "--revoke-all")
    assert result.exit_code == 0 and "Revoked 1 token" in result.stdout
    assert result.stdout.count("acs_") == 0  # revoking makes no new token
    response = api.get("/api/reviews")
    assert_error(response, 401, "unauthorized")
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert ApiToken.objects.get().revoked_at is not None


def test_a_deactivated_persons_token_is_refused(cast, client):
    api = as_api(client, cast.xa_lead)
    cast.xa_lead.is_active = False
    cast.xa_lead.save()
    assert_error(api.get("/api/reviews"), 401, "unauthorized")


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer acs_nonsense", "Bearer nonsense",
                                    "Basic bGVhZDpwYXNzd29yZA==", "Token acs_x",
                                    "Bearer " + "acs_" + "x" * 5000])
def test_no_valid_token_is_401_in_the_standard_shape(cast, client, header):
    headers = {"HTTP_AUTHORIZATION": header} if header else {}
    for path in ("/api/reviews", "/api/reviews/XA-2026", "/api/reviews/XA-2026/answers"):
        assert_error(client.get(path, **headers), 401, "unauthorized")


def test_a_browser_session_is_not_an_api_login(cast, as_user):
    client = as_user(cast.xa_lead)
    assert_error(client.get("/api/reviews"), 401, "unauthorized")
    response = client.put("/api/reviews/XA-2026/answers/SYS-REG-01", "{}",
                          content_type="application/json")
    assert_error(response, 401, "unauthorized")


def test_the_admin_lists_tokens_and_revokes_them_without_showing_them(cast, as_user):
    secret = run("token", cast.xa_lead.email, "--name", "sync").stdout.strip()
    stored = ApiToken.objects.get()
    admin = as_user(cast.coordinator)
    page = admin.get("/admin/accounts/apitoken/")
    assert page.status_code == 200
    text = page.content.decode()
    assert stored.prefix in text and cast.xa_lead.email in text
    assert secret not in text and stored.digest not in text
    detail = admin.get(f"/admin/accounts/apitoken/{stored.pk}/change/").content.decode()
    assert secret not in detail and stored.digest not in detail
    assert admin.get("/admin/accounts/apitoken/add/").status_code == 403
    response = admin.post("/admin/accounts/apitoken/", {
        "action": "revoke_tokens", "_selected_action": [stored.pk]})
    assert response.status_code == 302
    stored.refresh_from_db()
    assert stored.revoked_at is not None
    assert AuditEvent.objects.filter(object_type="api_token", action="revoke",
                                     user=cast.coordinator).exists()
    assert_error(ApiClient(admin, secret).get("/api/reviews"), 401)
