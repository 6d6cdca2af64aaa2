"""The few queries every survey request makes, as SQL written once per database.

Each survey request looks up its link (with the consultation, review and jurisdiction it
belongs to) and the respondent's response, in one query, with the response's answers
where the page shows them; a page's answers are saved in one statement. Through the ORM,
building and compiling those queries costs several times more than running them, and
respondents make many requests. So the SQL is written here once per connection from the
models' metadata (table and column names are never spelt out), and rows become model
instances through the ORM's own converters, as a queryset's would.
"""

from __future__ import annotations

import json
from contextlib import nullcontext
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.constants import OnConflict

from acsreview.web.reviews.models import Jurisdiction, Review

from ..models import Consultation, Link, Response, ResponseAnswer

# What a survey request needs of the response: the same fields as before any page.
RESPONSE_FIELDS = ("id", "language", "submitted_at")


@dataclass
class Visit:
    """A survey request's link, with its relations loaded, and the respondent's response."""

    link: Link
    response: Response | None
    # All the response's answers, {item id: (answer, text)}, when asked for.
    answers: dict[str, tuple[str, str]] | None = None


class _Reader:
    """Turns raw rows of ``fields`` into Python values, with the ORM's converters."""

    def __init__(self, connection, fields, alias):
        self.converters = []
        for i, f in enumerate(fields):
            col = f.get_col(alias)
            found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
            if found:
                self.converters.append((i, found, col))

    def __call__(self, connection, row) -> list:
        values = list(row)
        for i, converters, col in self.converters:
            value = values[i]
            for convert in converters:
                value = convert(value, col, connection)
            values[i] = value
        return values


class _Statements:
    """The SQL and readers of one connection (vendors quote and convert differently).

    Only identifiers, quoted, from the models' metadata are formatted into the SQL (hence
    the noqa for S608); every value is a query parameter.
    """

    def __init__(self, connection):
        qn = connection.ops.quote_name

        def table(model, alias=""):
            return f"{qn(model._meta.db_table)} {alias}".rstrip()

        def col(alias, model, name):
            column = qn(model._meta.get_field(name).column)
            return f"{alias}.{column}" if alias else column

        # The link with its relations, as select_related would read them, then the response.
        self.parts = [(model, alias, tuple(model._meta.concrete_fields))
                      for model, alias in [(Link, "l"), (Consultation, "c"), (Review, "r"),
                                           (Jurisdiction, "j")]]
        self.parts.append((Response, "s", tuple(Response._meta.get_field(n)
                                                for n in RESPONSE_FIELDS)))
        self.readers = [_Reader(connection, fields, alias) for _m, alias, fields in self.parts]
        selected = ", ".join(f"{alias}.{qn(f.column)}" for _m, alias, fields in self.parts
                             for f in fields)
        joined = (
            f" FROM {table(Link, 'l')}"
            f" INNER JOIN {table(Consultation, 'c')}"
            f" ON {col('c', Consultation, 'id')} = {col('l', Link, 'consultation')}"
            f" INNER JOIN {table(Review, 'r')}"
            f" ON {col('r', Review, 'id')} = {col('c', Consultation, 'review')}"
            f" INNER JOIN {table(Jurisdiction, 'j')}"
            f" ON {col('j', Jurisdiction, 'id')} = {col('r', Review, 'jurisdiction')}"
            # A resume key is random: one response at most has its hash. Without a cookie
            # the hash is NULL, which matches none.
            f" LEFT OUTER JOIN {table(Response, 's')}"
            f" ON {col('s', Response, 'consultation')} = {col('l', Link, 'consultation')}"
            f" AND {col('s', Response, 'group')} = {col('l', Link, 'group')}"
            f" AND {col('s', Response, 'resume_key_hash')} = %s"
            f" WHERE {col('l', Link, 'token')} = %s")
        self.visit = f"SELECT {selected}{joined}"  # noqa: S608
        # With the response's answers too, as one JSON array of [item id, answer, text], where
        # the database can aggregate JSON: more rows would repeat the link's, and another
        # query costs another round trip.
        aggregate = {"postgresql": "json_agg(json_build_array({}))",
                     "sqlite": "json_group_array(json_array({}))"}.get(connection.vendor)
        self.visit_with_answers = None
        if aggregate and connection.features.supports_json_field:
            answer = aggregate.format(", ".join(
                col("a", ResponseAnswer, n) for n in ("item_id", "answer", "text")))
            self.visit_with_answers = (
                f"SELECT {selected}, (SELECT {answer} FROM {table(ResponseAnswer, 'a')}"  # noqa: S608
                f" WHERE {col('a', ResponseAnswer, 'response')} = {col('s', Response, 'id')})"
                f"{joined}")

        self.submitted = (
            f"SELECT COUNT(*) FROM {table(Response)}"  # noqa: S608
            f" WHERE {col('', Response, 'consultation')} = %s"
            f" AND {col('', Response, 'group')} = %s"
            f" AND {col('', Response, 'submitted_at')} IS NOT NULL")

        fields = [ResponseAnswer._meta.get_field(n) for n in ("item_id", "answer", "text")]
        self.answer_reader = _Reader(connection, fields, ResponseAnswer._meta.db_table)
        self.answers = (
            f"SELECT {', '.join(qn(f.column) for f in fields)}"  # noqa: S608
            f" FROM {table(ResponseAnswer)}"
            f" WHERE {col('', ResponseAnswer, 'response')} = %s")
        self.delete = (
            f"DELETE FROM {table(ResponseAnswer)}"  # noqa: S608
            f" WHERE {col('', ResponseAnswer, 'response')} = %s"
            f" AND {col('', ResponseAnswer, 'item_id')} IN ")

        # INSERT ... ON CONFLICT DO UPDATE, as bulk_create(update_conflicts=True) writes it:
        # (head, one row's placeholders, tail), or None where the database has no such thing.
        self.upsert = None
        features = connection.features
        if features.has_bulk_insert and features.supports_update_conflicts_with_target:
            columns = [ResponseAnswer._meta.get_field(n).column
                       for n in ("response", "item_id", "answer", "text")]
            names = ", ".join(map(qn, columns))
            self.upsert = (
                f"INSERT INTO {table(ResponseAnswer)} ({names}) VALUES ",  # noqa: S608
                "(%s, %s, %s, %s)",
                " " + connection.ops.on_conflict_suffix_sql(
                    None, OnConflict.UPDATE, columns[2:], columns[:2]))


_statements: dict[tuple[str, str], _Statements] = {}


def _of(connection) -> _Statements:
    key = (connection.alias, connection.vendor)
    found = _statements.get(key)
    if found is None:
        found = _statements[key] = _Statements(connection)
    return found


def _placeholders(n: int) -> str:
    return "(" + ", ".join(["%s"] * n) + ")"


def visit(token: str, key_hash: str | None, with_answers=False) -> Visit | None:
    """The link of ``token`` and the response of the resume key hashing to ``key_hash``;
    ``with_answers``: and the response's answers.

    None when no link has that token. One query, as a select_related queryset would make.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    st = _of(connection)
    sql = st.visit_with_answers if with_answers and st.visit_with_answers else st.visit
    with connection.cursor() as cursor:
        cursor.execute(sql, [key_hash, token])
        row = cursor.fetchone()
    if row is None:
        return None
    objects, start = [], 0
    for (model, _alias, fields), reader in zip(st.parts, st.readers, strict=True):
        values = reader(connection, row[start:start + len(fields)])
        start += len(fields)
        objects.append(model.from_db(connection.alias, [f.attname for f in fields], values))
    link, consultation, review, jurisdiction, response = objects
    review.jurisdiction = jurisdiction
    consultation.review = review
    link.consultation = consultation
    if response.pk is None:  # no response matched the outer join
        return Visit(link, None, {} if with_answers else None)
    found = None
    if with_answers:
        if sql is st.visit:  # no JSON aggregates here
            found = answers(response.pk)
        else:
            aggregated = row[start]  # (answers and texts are plain text: no converters)
            if isinstance(aggregated, str | bytes):
                aggregated = json.loads(aggregated)
            found = {item: (answer, text) for item, answer, text in aggregated or ()}
    return Visit(link, response, found)


def submitted(consultation_id: int, group: str) -> int:
    """How many responses of ``group`` were submitted to the consultation."""
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        cursor.execute(_of(connection).submitted, [consultation_id, group])
        return cursor.fetchone()[0]


def answers(response_id: int) -> dict[str, tuple[str, str]]:
    """The stored answers of a response: {item id: (answer, text)}."""
    connection = connections[DEFAULT_DB_ALIAS]
    st = _of(connection)
    with connection.cursor() as cursor:
        cursor.execute(st.answers, [response_id])
        rows = cursor.fetchall()
    read = st.answer_reader
    if read.converters:
        rows = [read(connection, row) for row in rows]
    return {item: (answer, text) for item, answer, text in rows}


def save(response_id: int, values: dict[str, tuple[str, str]], cleared: list[str]) -> None:
    """Upsert ``values`` ({item id: (answer, text)}) and delete the ``cleared`` items' answers
    of a response, in one statement each; in a transaction only when there are both."""
    connection = connections[DEFAULT_DB_ALIAS]
    st = _of(connection)
    with transaction.atomic() if values and cleared else nullcontext():
        if values:
            if st.upsert is None:  # a database without INSERT ... ON CONFLICT: the ORM's way
                ResponseAnswer.objects.bulk_create(
                    [ResponseAnswer(response_id=response_id, item_id=item, answer=answer,
                                    text=text) for item, (answer, text) in values.items()],
                    update_conflicts=True, unique_fields=["response", "item_id"],
                    update_fields=["answer", "text"])
            else:
                head, row, tail = st.upsert
                params = []
                for item, (answer, text) in values.items():
                    params += [response_id, item, answer, text]
                with connection.cursor() as cursor:
                    cursor.execute(head + ", ".join([row] * len(values)) + tail, params)
        if cleared:
            with connection.cursor() as cursor:
                cursor.execute(st.delete + _placeholders(len(cleared)), [response_id, *cleared])

