"""Importing the submissions of field forms (ODK Collect, KoboToolbox): the one importer the
web and the command line share.

The file is an ODK Central or KoboToolbox export (CSV or XLSX) of a form made by
:mod:`.field_forms`: every row carries its consultation, stakeholder group and submission
id. Rows are matched to a consultation of the review by ``consultation_id``.

Idempotent: a submission already imported (same consultation and submission id) is
skipped, never duplicated nor changed. All or nothing: every row is checked and every
problem collected, each naming file, row and column; if any row is rejected nothing is
written. Otherwise one transaction creates the responses and their answers, audited.
Only the columns of the form are read: device ids, submitter names, IP addresses and
locations in the export are never stored.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from acsreview.core.instrument import AnswerType, Instrument, iter_questions
from acsreview.core.instrument.select import for_group
from acsreview.web.instruments import app_library, instrument_of
from acsreview.web.reviews.services.audit import record

from ..models import Consultation, FrozenTallies, Link, Response, ResponseAnswer, Source
from .field_tables import (
    MAX_BYTES,
    Columns,
    FieldImportFailed,
    Rejection,
    answer_labels,
    answer_of,
    cell_text,
    instance_id,
    map_columns,
    question_kinds,
    read_table,
    submitted_at,
)

__all__ = ["MAX_BYTES", "FieldImportFailed", "ImportSummary", "Rejection",
           "import_field_submissions"]

Progress = Callable[[int, int], None]
MAX_TEXT = 5000  # characters of an open answer, as in the web survey


@dataclass
class ImportSummary:
    file: str
    imported: int = 0
    skipped: list[str] = field(default_factory=list)  # submission ids already imported
    rejected: list[Rejection] = field(default_factory=list)  # nothing written if any
    groups: Counter = field(default_factory=Counter)  # imported responses by group

    @property
    def rejected_rows(self) -> int:
        return len({r.row for r in self.rejected})

    def __str__(self) -> str:
        return _("%(imported)d imported, %(skipped)d skipped (already imported), "
                 "%(rejected)d rejected") % {"imported": self.imported,
                                             "skipped": len(self.skipped),
                                             "rejected": self.rejected_rows}


@dataclass
class Submission:
    row: int
    consultation: Consultation
    instance_id: str
    group: str
    language: str
    submitted_at: datetime
    answers: dict[str, tuple[str, str]]  # question id -> (answer, text)


def import_field_submissions(review, source, *, name: str, user=None,
                             consultation: Consultation | None = None,
                             progress: Progress | None = None) -> ImportSummary:
    """Check the export ``source`` (a path or a binary file) and import it into ``review``.

    ``consultation`` pins the consultation the rows must belong to (else any of the
    review's). Raises :class:`FieldImportFailed` when the file cannot be read as a field
    export; returns the summary otherwise, with nothing written if any row was rejected.
    ``progress(done, total)`` is called as rows are checked, then as they are written.
    """
    if review.is_final:
        raise FieldImportFailed([Rejection(name, None, None, _(
            "%(review)s is final: it is read-only") % {"review": review.slug})])
    table = read_table(source, name)
    inst = instrument_of(review)
    columns = map_columns(table, inst, name)
    checker = RowChecker(review, inst, columns, name, consultation)
    summary = ImportSummary(name)
    total = len(table.rows)
    with transaction.atomic():
        checker.load()
        submissions = []
        for done, (number, cells) in enumerate(table.rows, start=1):
            found = checker.check(number, cells, summary)
            if found is not None:
                submissions.append(found)
            if progress is not None:
                progress(done, total)
        if summary.rejected:
            return summary
        _write(review, submissions, summary, user, progress)
    return summary


class RowChecker:
    """Checks rows one by one against the review's consultations, as they are now."""

    def __init__(self, review, inst: Instrument, columns: Columns, name: str,
                 pinned: Consultation | None):
        self.review, self.inst, self.columns, self.name = review, inst, columns, name
        self.pinned = pinned
        self.labels = answer_labels(app_library(), inst)
        self.kinds = question_kinds(inst)
        self.asked: dict[str, set[str]] = {}
        self.languages = set(app_library().languages(inst))
        self.seen: dict[tuple[int, str], Submission] = {}

    def load(self) -> None:
        """Lock the review's consultations; read their groups and imported submissions."""
        found = list(Consultation.objects.select_for_update().filter(review=self.review)
                     .order_by("pk"))
        self.consultations = {str(c.public_id): c for c in found}
        self.groups = {c.pk: set() for c in found}
        for consultation_pk, group in Link.objects.filter(
                consultation__in=found).values_list("consultation_id", "group"):
            self.groups[consultation_pk].add(group)
        self.existing = set(Response.objects.filter(consultation__in=found)
                            .values_list("consultation_id", "instance_id"))
        self.purged = set(FrozenTallies.objects.filter(consultation__in=found)
                          .values_list("consultation_id", flat=True))

    def check(self, number: int, cells: list, summary: ImportSummary) -> Submission | None:
        c, header = self.columns, self.columns.header
        problems: list[Rejection] = []

        def cell(at: int | None):
            return cells[at] if at is not None and at < len(cells) else None

        def reject(at: int | None, reason: str) -> None:
            problems.append(Rejection(self.name, number, header[at] if at is not None
                                      else None, reason))

        ident_at = next((i for i in c.instance if cell_text(cell(i))), c.instance[0])
        ident = instance_id(cell(ident_at))
        if not ident:
            reject(ident_at, _("the submission id is blank"))
        elif len(ident) > Response._meta.get_field("instance_id").max_length:
            reject(ident_at, _("the submission id is too long"))
        elif not ident.isprintable():
            reject(ident_at, _("the submission id contains a character that cannot be saved"))
        consultation = self._consultation(cell(c.consultation), c.consultation, reject)
        if problems or consultation is None:
            summary.rejected += problems
            return None
        if (consultation.pk, ident) in self.existing:
            summary.skipped.append(ident)
            return None

        group = cell_text(cell(c.group))
        if group not in self.groups[consultation.pk]:
            groups = ", ".join(sorted(self.groups[consultation.pk])) or _("none")
            reject(c.group, _("'%(group)s' is not a stakeholder group of this consultation "
                              "(its groups: %(groups)s)") % {"group": group, "groups": groups})
        for key, at in c.instrument.items():
            expected = self.inst.id if key == "instrument_id" else self.inst.version
            value = cell_text(cell(at))
            if value and not _same(value, expected):
                reject(at, _("the form was made for %(value)s, the review uses %(expected)s: "
                             "export the form again") % {"value": value, "expected": expected})
        valid_group = group in self.groups[consultation.pk]
        answers = self._answers(cell, group, reject) if valid_group else {}
        if problems:
            summary.rejected += problems
            return None

        language = cell_text(cell(c.language))
        if language not in self.languages:
            language = next(iter(consultation.languages or []), self.inst.languages[0])
        found = Submission(number, consultation, ident, group, language,
                           submitted_at(cell(c.date)), answers)
        earlier = self.seen.get((consultation.pk, ident))
        if earlier is None:
            self.seen[(consultation.pk, ident)] = found
            return found
        if (earlier.group, earlier.answers) != (group, answers):
            reject(ident_at, _("row %(row)s has the same submission id with other answers")
                   % {"row": earlier.row})
            summary.rejected += problems
        else:
            summary.skipped.append(ident)
        return None

    def _consultation(self, value, at: int, reject) -> Consultation | None:
        text = cell_text(value)
        try:
            public_id = str(uuid.UUID(text))
        except ValueError:
            reject(at, _("'%(value)s' is not a consultation id") % {"value": text}
                   if text else _("the consultation id is blank"))
            return None
        found = self.consultations.get(public_id)
        if found is None:
            reject(at, _("%(id)s is not a consultation of %(review)s: these submissions were "
                         "collected for another consultation") % {
                "id": public_id, "review": self.review.slug})
        elif self.pinned is not None and found.pk != self.pinned.pk:
            reject(at, _("%(id)s is another consultation of %(review)s, not %(pinned)s") % {
                "id": public_id, "review": self.review.slug,
                "pinned": self.pinned.public_id})
            return None
        elif found.pk in self.purged:
            # Its submission ids are gone with its responses: nothing would stop a second
            # import, and new answers could not join the counts kept.
            reject(at, _("the raw responses of consultation %(id)s were purged: it takes no "
                         "more submissions") % {"id": public_id})
            return None
        return found

    def _answers(self, cell, group: str, reject) -> dict[str, tuple[str, str]]:
        if group not in self.asked:
            try:
                self.asked[group] = {q.id for q in iter_questions(for_group(self.inst, group))}
            except LookupError:  # a group the instrument does not know: asked nothing
                self.asked[group] = set()
        asked = self.asked[group]
        answers: dict[str, tuple[str, str]] = {}
        for at, question in self.columns.questions.items():
            value = cell(at)
            text = cell_text(value)
            if not text:
                continue
            if question not in asked:
                reject(at, _("question %(question)s is not asked of %(group)s") % {
                    "question": question, "group": group})
            elif self.kinds[question] == AnswerType.TEXT:
                if "\x00" in text:
                    reject(at, _("the answer contains a character that cannot be saved"))
                elif len(text) > MAX_TEXT:
                    reject(at, _("the answer has %(n)s characters: at most %(max)s can be "
                                 "saved") % {"n": len(text), "max": MAX_TEXT})
                else:
                    answers[question] = ("", text)
            elif (answer := answer_of(self.labels, value)) is None:
                reject(at, _("'%(value)s' is not an answer (one of: %(answers)s)") % {
                    "value": text, "answers": ", ".join(
                        o.id.value for o in self.inst.answer_options)})
            else:
                answers[question] = (answer, "")
        return answers


def _same(value: str, expected: str) -> bool:
    if value == expected:
        return True
    try:  # a spreadsheet may have turned version 1.0 into the number 1
        return float(value) == float(expected)
    except ValueError:
        return False


CHUNK = 1000  # submissions written at a time, between two progress reports


def _write(review, submissions: list[Submission], summary: ImportSummary, user,
           progress: Progress | None = None) -> None:
    for start in range(0, len(submissions), CHUNK):
        chunk = submissions[start:start + CHUNK]
        responses = Response.objects.bulk_create([
            Response(consultation=s.consultation, group=s.group, source=Source.FIELD,
                     instance_id=s.instance_id, language=s.language,
                     submitted_at=s.submitted_at) for s in chunk])
        if any(r.pk is None for r in responses):  # a database that returns no ids
            ids = {(c, i): pk for c, i, pk in Response.objects.filter(
                consultation__in={s.consultation.pk for s in chunk},
                instance_id__in=[s.instance_id for s in chunk],
            ).values_list("consultation_id", "instance_id", "pk")}
            for r in responses:
                r.pk = ids[(r.consultation_id, r.instance_id)]
        ResponseAnswer.objects.bulk_create([
            ResponseAnswer(response_id=r.pk, item_id=item, answer=answer, text=text)
            for s, r in zip(chunk, responses, strict=True)
            for item, (answer, text) in s.answers.items()], batch_size=2000)
        if progress is not None:
            progress(start + len(chunk), len(submissions))

    summary.imported = len(submissions)
    summary.groups = Counter(s.group for s in submissions)
    per_consultation: dict[int, list[Submission]] = {}
    for s in submissions:
        per_consultation.setdefault(s.consultation.pk, []).append(s)
    for pk, done in per_consultation.items():
        # No count per group: the history is open to every reader of the review, and a
        # group under the suppression threshold must not show there. (The person importing
        # sees the counts of the file they hold.)
        record(user, review, "consultation", pk, "import", None, {
            "file": summary.file, "source": Source.FIELD.value, "imported": len(done),
            "skipped": len(summary.skipped)})
