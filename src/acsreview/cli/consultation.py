"""`acsreview consultation ...`: field forms (XLSForm) of a review's consultation for ODK
Collect and KoboToolbox, importing the submissions they collected, and purging the raw
responses of a closed consultation."""

from __future__ import annotations

from pathlib import Path

import click

from .common import acting_user, fail, find_review, import_progress, setup_django

SHOWN_SKIPPED = 20  # submission ids listed in the summary; the rest are counted


@click.group()
def consultation() -> None:
    """The stakeholder consultation of a review: field forms, submissions, purging them."""


def _consultation(review, public_id: str | None):
    """The consultation named by ``--consultation``, else the review's newest."""
    import uuid

    from acsreview.web.consultations.services.field_forms import newest_consultation

    if public_id is None:
        found = newest_consultation(review)
        if found is None:
            fail(f"{review.slug} has no consultation yet: start one in the web app")
        return found
    try:
        wanted = uuid.UUID(public_id)
    except ValueError:
        fail(f"--consultation {public_id}: not a consultation id (a UUID)")
    found = review.consultations.filter(public_id=wanted).first()
    if found is None:
        fail(f"--consultation {public_id}: no such consultation of {review.slug}")
    return found


@consultation.command("form")
@click.argument("review")
@click.option("--group", "group", required=True, metavar="GROUP",
              help="The stakeholder group the form is for, e.g. police.")
@click.option("--lang", default=None, metavar="LANG",
              help="Only this language (default: all of the consultation's languages).")
@click.option("--consultation", "public_id", default=None, metavar="UUID",
              help="The consultation (default: the review's newest).")
@click.option("-o", "--output", required=True,
              type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Where to write the XLSForm (.xlsx).")
def form(review: str, group: str, lang: str | None, public_id: str | None,
         output: Path) -> None:
    """Write a stakeholder group's XLSForm for ODK Collect or KoboToolbox.

    REVIEW is the review's slug, e.g. XA-2026; the form is for its newest consultation
    unless --consultation names another.
    """
    setup_django()
    from acsreview.web.consultations.services.field_forms import (
        FormProblem,
        field_form_bytes,
        form_id,
    )
    from acsreview.web.instruments import app_library, instrument_of

    if output.suffix.lower() != ".xlsx":
        fail(f"{output}: an XLSForm is an Excel workbook: name it .xlsx")
    target = find_review(review)
    chosen = _consultation(target, public_id)
    try:
        data = field_form_bytes(app_library(), instrument_of(target), chosen, group, lang=lang)
    except FormProblem as exc:
        fail(f"--{exc.option} {group if exc.option == 'group' else lang}: {exc}")
    try:
        output.write_bytes(data)
    except OSError as exc:
        fail(f"{output}: cannot write: {exc.strerror or exc}")
    click.echo(f"wrote {output} (form {form_id(chosen, group)}, consultation "
               f"{chosen.public_id})")


@consultation.command("import")
@click.argument("review")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--consultation", "public_id", default=None, metavar="UUID",
              help="Accept rows of this consultation only (default: any of REVIEW's).")
@click.option("--as", "email", default=None, metavar="EMAIL",
              help="Record the import in the audit trail as this person.")
def import_(review: str, file: Path, public_id: str | None, email: str | None) -> None:
    """Import field submissions: FILE is an ODK Central or KoboToolbox export.

    FILE (CSV or XLSX) holds the submissions of forms made by `consultation form` for
    REVIEW (its slug, e.g. XA-2026).

    Submissions already imported are skipped. All or nothing: every rejected row is listed
    by file, row and column, and then nothing is written.
    """
    setup_django()
    from acsreview.web.consultations.services.field_import import (
        FieldImportFailed,
        import_field_submissions,
    )

    target = find_review(review)
    pinned = _consultation(target, public_id) if public_id is not None else None
    if not file.is_file():
        fail(f"{file}: no such file")
    user = acting_user(email)

    try:
        with import_progress() as advance:
            summary = import_field_submissions(target, file, name=str(file), user=user,
                                               consultation=pinned, progress=advance)
    except FieldImportFailed as exc:
        if len(exc.problems) == 1:
            fail(str(exc.problems[0]))
        for problem in exc.problems:
            click.echo(str(problem))
        fail(f"{len(exc.problems)} problem(s): nothing imported")
    if summary.rejected:
        for problem in summary.rejected:
            click.echo(str(problem))
        fail(f"{summary.rejected_rows} row(s) rejected: nothing imported")
    groups = ", ".join(f"{g}: {n}" for g, n in sorted(summary.groups.items()))
    click.echo(f"{file}: {summary.imported} imported into {target.slug}"
               + (f" ({groups})" if groups else ""))
    if summary.skipped:
        shown = ", ".join(summary.skipped[:SHOWN_SKIPPED])
        more = len(summary.skipped) - SHOWN_SKIPPED
        click.echo(f"{len(summary.skipped)} skipped (already imported): {shown}"
                   + (f" and {more} more" if more > 0 else ""))


@consultation.command("purge")
@click.argument("review")
@click.option("--consultation", "public_id", default=None, metavar="UUID",
              help="The consultation (default: the review's newest).")
@click.option("--yes", is_flag=True,
              help="Confirm: the raw responses are deleted for good.")
@click.option("--as", "email", default=None, metavar="EMAIL",
              help="Record the purge in the audit trail as this coordinator.")
def purge(review: str, public_id: str | None, yes: bool, email: str | None) -> None:
    """Delete a closed consultation's raw responses for good, keeping its figures.

    Every response of the consultation of REVIEW (its slug, e.g. XA-2026) is deleted
    with its answers, open texts and resume keys. The counts behind the published
    figures are kept, so results, reports, exports and the API show the same figures.
    Refused while the consultation is open. This cannot be undone: --yes confirms it.
    """
    setup_django()
    from acsreview.web.consultations.services.purge import (
        PurgeRefused,
        purge_responses,
        raw_counts,
    )
    from acsreview.web.consultations.services.purge import refusal as purge_refusal

    target = find_review(review)
    chosen = _consultation(target, public_id)
    user = acting_user(email)
    if user is not None and not user.is_coordinator:
        fail(f"--as {email}: only a coordinator may purge raw responses")
    reason = purge_refusal(chosen)
    if reason:
        fail(f"{target.slug} consultation {chosen.public_id}: {reason}")
    if not yes:
        counts = raw_counts(chosen)
        fail(f"this deletes {counts.responses} responses ({counts.answers} answers) of "
             f"{target.slug} consultation {chosen.public_id} for good: add --yes to confirm")
    try:
        done = purge_responses(chosen, user, via="cli")
    except PurgeRefused as exc:
        fail(f"{target.slug} consultation {chosen.public_id}: {exc}")
    click.echo(f"purged {target.slug} consultation {chosen.public_id}: {done.responses} "
               f"responses and {done.answers} answers deleted; the published figures are kept")
