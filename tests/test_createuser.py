"""`acsreview createuser`: each role, one-line errors that write nothing, idempotent updates."""

import re

import pytest
from click.testing import CliRunner

from acsreview.cli import cli as cli_group
from acsreview.web.accounts.models import User
from acsreview.web.reviews.models import Jurisdiction, Membership

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "violet harbour lantern 42"


@pytest.fixture
def xa():
    return Jurisdiction.objects.create(code="XA", name="Xandria", is_demo=True)


def with_stdin(*args, input):
    return CliRunner().invoke(cli_group, [str(a) for a in args], input=input)


def state():
    return (sorted(User.objects.values_list("email", "password", "is_coordinator", "is_staff")),
            sorted(Membership.objects.values_list("user__email", "jurisdiction__code", "role")))


def test_a_coordinator_needs_no_jurisdiction_and_gets_a_set_password_link(cli, client):
    result = cli("createuser", "Ana.Coord@Example.org", "--role", "coordinator")
    assert result.exit_code == 0, result.output
    user = User.objects.get(email="ana.coord@example.org")
    assert user.is_coordinator and user.is_staff and user.is_superuser
    assert not user.has_usable_password()
    assert not user.memberships.exists()
    assert "Created ana.coord@example.org: coordinator." in result.output
    path = re.search(r"(/accounts/reset/[^/\s]+/[^/\s]+/)", result.output).group(1)
    # the link is Django's set-password page for this person
    response = client.get(path)
    assert response.status_code == 302 and response.url.endswith("/set-password/")


@pytest.mark.parametrize("role", ["lead", "contributor", "viewer"])
def test_a_jurisdiction_role(cli, xa, role):
    result = cli("createuser", f"{role}@example.org", "--role", role, "--jurisdiction", "xa")
    assert result.exit_code == 0, result.output
    user = User.objects.get(email=f"{role}@example.org")
    assert not user.is_coordinator and not user.is_staff
    assert list(user.memberships.values_list("jurisdiction__code", "role")) == [("XA", role)]
    assert "of XA (Xandria)" in result.output
    assert "/accounts/reset/" in result.output


@pytest.mark.parametrize("args, message", [
    (["not-an-email", "--role", "viewer", "--jurisdiction", "XA"], "not a valid e-mail"),
    (["a@example.org", "--role", "lead"], "needs --jurisdiction"),
    (["a@example.org", "--role", "lead", "--jurisdiction", "QQ"], "no jurisdiction 'QQ'"),
    (["a@example.org", "--role", "coordinator", "--jurisdiction", "XA"],
     "leave out --jurisdiction"),
])
def test_bad_input_is_one_line_and_writes_nothing(cli, xa, args, message):
    before = state()
    result = cli("createuser", *args)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0]
    assert state() == before


def test_an_unknown_jurisdiction_lists_the_known_codes(cli, xa):
    result = cli("createuser", "a@example.org", "--role", "viewer", "--jurisdiction", "QQ")
    assert "known codes:" in result.output and "XA" in result.output
    assert "/reviews/jurisdictions/" in result.output


def test_an_unknown_role_is_a_usage_error(cli):
    result = cli("createuser", "a@example.org", "--role", "admin")
    assert result.exit_code == 2
    assert not User.objects.exists()


def test_password_from_stdin(xa):
    result = with_stdin("createuser", "lead@example.org", "--role", "lead", "--jurisdiction",
                        "XA", "--password-stdin", input=GOOD_PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert User.objects.get(email="lead@example.org").check_password(GOOD_PASSWORD)
    assert "/accounts/reset/" not in result.output
    assert "Password set." in result.output


@pytest.mark.parametrize("password, message", [
    ("short", "too short"),
    ("password123456", "too common"),
    ("48151623424815", "entirely numeric"),
    ("", "no password"),
])
def test_a_weak_password_is_refused_with_the_validators_words(xa, password, message):
    before = state()
    result = with_stdin("createuser", "lead@example.org", "--role", "lead", "--jurisdiction",
                        "XA", "--password-stdin", input=password + "\n")
    assert result.exit_code == 1
    assert message in result.output
    assert state() == before


def test_a_weak_password_for_an_existing_person_changes_nothing(cli, xa):
    cli("createuser", "lead@example.org", "--role", "viewer", "--jurisdiction", "XA")
    before = state()
    result = with_stdin("createuser", "lead@example.org", "--role", "lead", "--jurisdiction",
                        "XA", "--password-stdin", input="lead@example.org\n")
    assert result.exit_code == 1
    assert state() == before


def test_an_existing_person_is_updated_idempotently(cli, xa):
    xb = Jurisdiction.objects.create(code="XB", name="Bellmark", is_demo=True)
    with_stdin("createuser", "p@example.org", "--role", "viewer", "--jurisdiction", "XA",
               "--password-stdin", input=GOOD_PASSWORD + "\n")
    result = cli("createuser", "P@example.org", "--role", "lead", "--jurisdiction", "XA")
    assert result.exit_code == 0, result.output
    assert "Updated p@example.org: review lead of XA (Xandria)." in result.output
    assert "Password unchanged." in result.output
    once = state()
    assert cli("createuser", "p@example.org", "--role", "lead", "--jurisdiction",
               "XA").exit_code == 0
    assert state() == once
    assert User.objects.count() == 1
    user = User.objects.get()
    assert user.check_password(GOOD_PASSWORD)  # kept: no new link, no lost password
    # a role in a second jurisdiction is added beside the first
    cli("createuser", "p@example.org", "--role", "viewer", "--jurisdiction", "XB")
    assert set(user.memberships.values_list("jurisdiction__code", "role")) == {
        ("XA", "lead"), ("XB", "viewer")}
    assert xb.memberships.count() == 1
    # made coordinator, then back to a jurisdiction role
    cli("createuser", "p@example.org", "--role", "coordinator")
    user.refresh_from_db()
    assert user.is_coordinator and user.is_staff and user.is_superuser
    result = cli("createuser", "p@example.org", "--role", "lead", "--jurisdiction", "XA")
    user.refresh_from_db()
    assert not user.is_coordinator
    assert "No longer a coordinator." in result.output


def test_a_person_without_a_password_gets_a_fresh_link_on_update(cli, xa):
    cli("createuser", "q@example.org", "--role", "viewer", "--jurisdiction", "XA")
    result = cli("createuser", "q@example.org", "--role", "contributor", "--jurisdiction", "XA")
    assert "/accounts/reset/" in result.output
