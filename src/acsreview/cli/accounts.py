"""`acsreview createuser`: add a person, or change their role, from the command line."""

from __future__ import annotations

import sys

import click

from .common import fail, setup_django

ROLES = ["coordinator", "lead", "contributor", "viewer"]
ROLE_LABELS = {"coordinator": "coordinator", "lead": "review lead",
               "contributor": "contributor", "viewer": "viewer"}


@click.command()
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(ROLES),
              help="Coordinator (everywhere) or a role in one jurisdiction.")
@click.option("--jurisdiction", "code", metavar="CODE",
              help="The jurisdiction's ISO 3166 code (PT, ES-CT); not for a coordinator.")
@click.option("--password-stdin", is_flag=True,
              help="Read the password from the first line of stdin; otherwise print a "
                   "link where the person sets it.")
def createuser(email: str, role: str, code: str | None, password_stdin: bool) -> None:
    """Create a person with a role, or update an existing person's role (idempotent).

    Without --password-stdin a new person gets no password: the command prints the
    address of a page, on this server, where they set one.
    """
    setup_django()
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.core.validators import EmailValidator
    from django.db import transaction

    from acsreview.web.accounts.models import User
    from acsreview.web.reviews.models import Jurisdiction

    email = email.strip().lower()
    try:
        EmailValidator()(email)
    except ValidationError:
        fail(f"{email!r} is not a valid e-mail address")
    jurisdiction = None
    if role == "coordinator":
        if code:
            fail("a coordinator acts in every jurisdiction: leave out --jurisdiction")
    elif not code:
        fail(f"a {ROLE_LABELS[role]} needs --jurisdiction CODE (the codes are listed on the "
             "Jurisdictions page, /reviews/jurisdictions/)")
    else:
        jurisdiction = Jurisdiction.objects.filter(code=code.strip().upper()).first()
        if jurisdiction is None:
            fail(f"no jurisdiction {code.strip().upper()!r}; known codes: {_known_codes()} "
                 "(a coordinator adds jurisdictions on the Jurisdictions page, "
                 "/reviews/jurisdictions/)")
    user = User.objects.filter(email__iexact=email).first()
    password = None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            fail("--password-stdin: no password on the first line of stdin")
        try:
            validate_password(password, user=user or User(email=email))
        except ValidationError as exc:
            fail("password refused: " + " ".join(exc.messages))

    with transaction.atomic():
        created = user is None
        if created:
            user = User(email=email)
        if password is not None:
            user.set_password(password)
        elif created:
            user.set_unusable_password()
        was_coordinator = user.is_coordinator
        user.is_coordinator = role == "coordinator"
        # The administration site is the coordinators' tool, whole: no one else's.
        user.is_staff = user.is_superuser = user.is_coordinator
        user.save()
        if jurisdiction is not None:
            _set_membership(user, jurisdiction, role)
    where = f" of {jurisdiction.code} ({jurisdiction.name})" if jurisdiction else ""
    click.echo(f"{'Created' if created else 'Updated'} {email}: {ROLE_LABELS[role]}{where}.")
    if was_coordinator and not user.is_coordinator:
        click.echo("No longer a coordinator.")
    if password is not None:
        click.echo("Password set.")
    elif not user.has_usable_password():
        click.echo(f"Set a password at {_set_password_path(user)} on this server "
                   f"(the link works once, for {_timeout_days()} days).")
    else:
        click.echo("Password unchanged.")


def _set_membership(user, jurisdiction, role: str) -> None:
    from acsreview.web.reviews.models import Membership

    Membership.objects.update_or_create(user=user, jurisdiction=jurisdiction,
                                        defaults={"role": role})


def _known_codes() -> str:
    from acsreview.web.reviews.models import Jurisdiction

    codes = list(Jurisdiction.objects.order_by("code").values_list("code", flat=True))
    return ", ".join(codes) if codes else "none yet"


def _set_password_path(user) -> str:
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return f"/accounts/reset/{uid}/{default_token_generator.make_token(user)}/"


def _timeout_days() -> int:
    from django.conf import settings

    return max(1, round(settings.PASSWORD_RESET_TIMEOUT / 86400))


@click.command()
@click.argument("email")
@click.option("--name", default="", metavar="NAME",
              help="What the token is for, e.g. 'nightly export' (shown in the admin).")
@click.option("--revoke-all", is_flag=True,
              help="Revoke every token of this person instead; no new token is made.")
def token(email: str, name: str, revoke_all: bool) -> None:
    """Print a new API token for the person with this e-mail address.

    The token is printed once and cannot be shown again: only a digest of it is kept.
    Send it as 'Authorization: Bearer <token>' (docs/api.md). Tokens are revoked with
    --revoke-all or in the administration site.
    """
    setup_django()
    from acsreview.web.accounts.models import User
    from acsreview.web.api.tokens import issue, revoke

    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        fail(f"no person with the e-mail address {email.strip()!r} (add one with "
             "`acsreview createuser`)")
    if revoke_all:
        count = revoke(user.api_tokens.all())
        click.echo(f"Revoked {count} token{'s' if count != 1 else ''} of {user.email}.")
        return
    if not user.is_active:
        fail(f"{user.email} is deactivated: a token would not work")
    stored, secret = issue(user, name)
    click.echo(secret)
    click.echo(f"API token {stored.prefix}… for {user.email}: it is shown this once; keep it "
               "secret.", err=True)
