"""Backup and restore of a whole database, SQLite or PostgreSQL, in one portable file.

The file is a zip archive:

``manifest.json``
    the format and its version, the acsreview version and database that made it, when,
    the migrations applied per app, and per table its columns, row count and SHA-256;
    ``sha256`` is the SHA-256 of all the data files, in the manifest's order.
``data/<app>.<model>.jsonl``
    one JSON array per row, in primary-key order, in the manifest's column order.

What travels: every table of acsreview's own apps (people with their password hashes and
API token digests, jurisdictions, reviews, answers, the audit trail, consultations and
responses, action items, ...), auth groups, the many-to-many tables between them, and the
admin site's log. What does not: sessions, django-axes' sign-in attempts (with IP
addresses), and content types and permissions, which ``migrate`` makes (references to them
travel as natural keys: ``[app_label, model]``, ``[codename, app_label, model]``).

Values are written exactly: datetimes to the microsecond (Django's ``dumpdata`` keeps
milliseconds), decimals as text, JSON values as stored (PostgreSQL's ``jsonb`` orders keys
its own way: the same data from SQLite and from PostgreSQL parses equal, row by row).

Both directions go through the models of the migration state the database is in: a
backup holds what the database holds, and an older backup is loaded at its own schema
and then migrated forward. A restore is one transaction: it wholly happens or not at all.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import os
import tempfile
import uuid
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from importlib import import_module
from pathlib import Path

from django.apps import apps as installed_apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DatabaseError, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils.duration import duration_string

import acsreview

FORMAT = "acsreview-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
# Besides acsreview's own apps: groups (with their permissions) and the admin site's log.
EXTRA_MODELS = {"auth.group", "admin.logentry"}
CHUNK = 1000  # rows read, written and reported at a time

Progress = Callable[[int, int], None]


class BackupError(Exception):
    """The file or the database is not fit for it; one line says why. Nothing was written."""


# --- what travels ------------------------------------------------------------------------

@dataclass(frozen=True)
class Table:
    label: str  # "reviews.review"
    model: type  # the model of the migration state in question
    columns: tuple[str, ...]  # column attnames, e.g. ("id", "review_id", ...)


def data_apps() -> set[str]:
    """The app labels whose tables travel, and whose migrations a backup must match."""
    ours = {c.label for c in installed_apps.get_app_configs()
            if c.name.startswith("acsreview.")}
    return ours | {label.split(".")[0] for label in EXTRA_MODELS}


def carried_tables(state_apps) -> list[Table]:
    """The tables that travel, with the models of ``state_apps`` (a migration state)."""
    ours = data_apps() - {label.split(".")[0] for label in EXTRA_MODELS}
    models = {}
    for model in state_apps.get_models():
        label = model._meta.label_lower
        if (model._meta.app_label in ours or label in EXTRA_MODELS) and model._meta.managed \
                and not model._meta.proxy:
            models[label] = model
            for m2m in model._meta.local_many_to_many:
                through = m2m.remote_field.through
                if through._meta.auto_created:
                    models[through._meta.label_lower] = through
    return [Table(label, model, tuple(f.attname for f in model._meta.concrete_fields))
            for label, model in sorted(models.items())]


def _natural(model) -> str | None:
    """References to content types and permissions travel by name: ids differ by database."""
    label = model._meta.label_lower
    return label if label in {"contenttypes.contenttype", "auth.permission"} else None


# --- migration states --------------------------------------------------------------------

class State:
    """The migrations applied to a database, and the models they make."""

    def __init__(self, connection):
        self.loader = MigrationLoader(connection, ignore_no_migrations=True)
        self.applied = set(self.loader.applied_migrations)

    def nodes(self, labels: set[str]) -> set[tuple[str, str]]:
        return {node for node in self.applied if node[0] in labels}

    def unknown(self, nodes) -> list[tuple[str, str]]:
        return sorted(node for node in nodes if node not in self.loader.graph.nodes)

    def leaves(self, nodes) -> list[tuple[str, str]]:
        """The last migration of each app in ``nodes`` (those no other one depends on)."""
        graph = self.loader.graph
        return sorted(node for node in nodes if not any(
            child.key in nodes and child.key[0] == node[0]
            for child in graph.node_map[node].children))

    def apps(self, nodes):
        return self.loader.project_state(self.leaves(nodes), at_end=True).apps


def _by_app(nodes) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for app, name in sorted(nodes):
        grouped.setdefault(app, []).append(name)
    return grouped


# --- values ------------------------------------------------------------------------------

def _encode(value):
    """A column's Python value as JSON, exactly (``DjangoJSONEncoder`` drops microseconds)."""
    if value is None or isinstance(value, bool | int | float | str | dict | list):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dt.timedelta):
        return duration_string(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    raise TypeError(f"cannot back up a value of type {type(value).__name__}")


# Columns whose JSON value is already the Python value (no to_python needed).
_AS_IS = {"AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField",
          "SmallIntegerField", "PositiveIntegerField", "PositiveSmallIntegerField",
          "PositiveBigIntegerField", "BooleanField", "CharField", "TextField", "SlugField",
          "EmailField", "URLField", "JSONField", "FloatField"}


def _decoder(field):
    target = field.target_field if field.is_relation else field
    if target.get_internal_type() in _AS_IS:
        return None
    return target.to_python


# --- backup ------------------------------------------------------------------------------

@contextmanager
def _snapshot(connection) -> Iterator[None]:
    """One consistent view of every table while they are read, blocking no writer."""
    if connection.in_atomic_block:  # already inside a transaction (tests): use it
        yield
    elif connection.vendor == "postgresql":
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield
    elif connection.vendor == "sqlite":
        # Django would begin IMMEDIATE (a write lock); a deferred read transaction in WAL
        # mode sees one snapshot and lets writers go on.
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("ROLLBACK")
    else:
        with transaction.atomic(using=connection.alias):
            yield


def _rows(table: Table, using: str, names: dict) -> Iterator[list]:
    encoders = []
    for column in table.columns:
        field = next(f for f in table.model._meta.concrete_fields if f.attname == column)
        natural = _natural(field.related_model) if field.is_relation else None
        encoders.append(names[natural].__getitem__ if natural else None)
    rows = (table.model._base_manager.using(using).order_by("pk")
            .values_list(*table.columns).iterator(chunk_size=CHUNK))
    for row in rows:
        yield [_encode(v if v is None or enc is None else enc(v))
               for v, enc in zip(row, encoders, strict=True)]


def _names(state_apps, using: str) -> dict:
    """{"contenttypes.contenttype": {id: [app_label, model]}, "auth.permission": {...}}."""
    content_type = state_apps.get_model("contenttypes", "ContentType")
    permission = state_apps.get_model("auth", "Permission")
    return {
        "contenttypes.contenttype": {pk: [app, model] for pk, app, model in
                                     content_type._base_manager.using(using)
                                     .values_list("pk", "app_label", "model")},
        "auth.permission": {pk: [code, app, model] for pk, code, app, model in
                            permission._base_manager.using(using).values_list(
                                "pk", "codename", "content_type__app_label",
                                "content_type__model")},
    }


def create_backup(path: Path, progress: Progress | None = None,
                  using: str = "default") -> dict:
    """Write the whole database to ``path`` (whole or not at all); returns the manifest."""
    connection = connections[using]
    path = Path(path)
    if not path.parent.is_dir():
        raise BackupError(f"the folder {path.parent} does not exist")
    with _snapshot(connection):
        state = State(connection)
        nodes = state.nodes(data_apps())
        if not nodes:
            raise BackupError("the database is not set up: run `acsreview manage migrate`")
        if unknown := state.unknown(nodes):
            raise BackupError(f"the database has migration {'.'.join(unknown[0])}, which this "
                              "acsreview does not know: back it up with the version that "
                              "made it")
        state_apps = state.apps(nodes)
        tables = carried_tables(state_apps)
        names = _names(state_apps, using)
        total = sum(t.model._base_manager.using(using).count() for t in tables)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
        try:
            with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                entries, digest = _write_tables(archive, tables, names, using, total, progress)
                manifest = {
                    "format": FORMAT, "format_version": FORMAT_VERSION,
                    "acsreview_version": acsreview.__version__,
                    "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    "database": connection.vendor,
                    "migrations": _by_app(state.applied),
                    "rows": sum(e["rows"] for e in entries), "sha256": digest,
                    "tables": entries,
                }
                archive.writestr(MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False))
            with open(tmp, "rb") as written:
                os.fsync(written.fileno())
            os.chmod(tmp, 0o600)  # password hashes and special-category data
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return manifest


def _write_tables(archive: zipfile.ZipFile, tables: list[Table], names: dict, using: str,
                  total: int, progress: Progress | None) -> tuple[list[dict], str]:
    """Each table as JSON lines into ``archive``; the manifest's entries and data digest."""
    entries, overall, done = [], hashlib.sha256(), 0
    for table in tables:
        name = f"data/{table.label}.jsonl"
        digest, count = hashlib.sha256(), 0
        info = zipfile.ZipInfo(name, date_time=dt.datetime.now().timetuple()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as out:
            for chunk in _chunks(_rows(table, using, names)):
                data = "".join(json.dumps(row, ensure_ascii=False, separators=(",", ":"))
                               + "\n"
                               for row in chunk).encode("utf-8")
                out.write(data)
                digest.update(data)
                overall.update(data)
                count += len(chunk)
                if progress is not None:
                    progress(done + count, total)
        done += count
        entries.append({"table": table.label, "file": name, "columns": list(table.columns),
                        "rows": count, "sha256": digest.hexdigest()})
    return entries, overall.hexdigest()


def _chunks(rows: Iterator[list]) -> Iterator[list[list]]:
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# --- restore -----------------------------------------------------------------------------

@dataclass
class Restored:
    manifest: dict
    rows: int
    migrated_forward: bool


def read_manifest(path: Path) -> dict:
    """The manifest of the backup ``path`` after checking every checksum; else BackupError."""
    path = Path(path)
    if not path.is_file():
        raise BackupError("no such file")
    try:
        with zipfile.ZipFile(path) as archive:
            try:
                manifest = json.loads(archive.read(MANIFEST))
            except KeyError:
                raise BackupError("not an acsreview backup (it has no manifest.json)") from None
            _check_manifest(manifest)
            overall = hashlib.sha256()
            members = set(archive.namelist())
            for entry in manifest["tables"]:
                if entry["file"] not in members:
                    raise BackupError(f"{entry['file']} is missing: the file is damaged")
                digest = hashlib.sha256()
                with archive.open(entry["file"]) as data:
                    while block := data.read(1 << 20):
                        digest.update(block)
                        overall.update(block)
                if digest.hexdigest() != entry["sha256"]:
                    raise BackupError(f"{entry['file']} does not match its checksum: "
                                      "the file is damaged")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        raise BackupError(f"not a readable acsreview backup ({exc})") from None
    except (ValueError, TypeError, KeyError) as exc:  # bad JSON, a manifest of a wrong shape
        raise BackupError(f"the manifest is not readable: {exc}") from None
    if overall.hexdigest() != manifest["sha256"]:
        raise BackupError("the data does not match the manifest's checksum: the file is damaged")
    return manifest


def _check_manifest(manifest) -> None:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("not an acsreview backup (its manifest names another format)")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise BackupError(f"backup format {version} is newer than this acsreview reads "
                          f"({FORMAT_VERSION}): upgrade acsreview "
                          f"(the file was made by {manifest.get('acsreview_version')})")
    migrations, tables = manifest.get("migrations"), manifest.get("tables")
    if not isinstance(manifest.get("sha256"), str):
        raise BackupError("the manifest has no data checksum ('sha256')")
    if not isinstance(migrations, dict) or not migrations or not all(
            isinstance(names, list) and all(isinstance(n, str) for n in names)
            for names in migrations.values()):
        raise BackupError("the manifest's 'migrations' are missing or not a list per app")
    if not isinstance(tables, list) or not all(
            isinstance(t, dict) and {"table", "file", "columns", "rows", "sha256"} <= t.keys()
            for t in tables):
        raise BackupError("the manifest's 'tables' are missing or incomplete")


def _preloaded() -> set[str]:
    # The jurisdictions `migrate` itself puts in a new database do not make it non-empty.
    return set(import_module("acsreview.web.reviews.migrations.0002_preload_jurisdictions")
               .PRELOADED)


def holdings(tables: list[Table], using: str) -> dict[str, int]:
    """Rows per table of what the database holds beyond what `migrate` makes."""
    held = {}
    for table in tables:
        rows = table.model._base_manager.using(using).all()
        if table.label == "reviews.jurisdiction":
            rows = rows.exclude(code__in=_preloaded(), parent__isnull=True)
        if count := rows.count():
            held[table.label] = count
    return held


def restore_backup(path: Path, *, replace: bool = False, progress: Progress | None = None,
                   using: str = "default") -> Restored:
    """Restore the backup ``path`` into the database (migrated first) in one transaction.

    The database must hold no data unless ``replace``: then what it holds is wiped in
    that same transaction. Raises :class:`BackupError`, and nothing is changed, when the
    file is damaged or newer than this code, the database is not empty, or the data does
    not load.
    """
    manifest = read_manifest(path)
    connection = connections[using]
    labels = data_apps()
    wanted = {(app, name) for app, names in manifest["migrations"].items() if app in labels
              for name in names}
    if not wanted:
        raise BackupError("the manifest records no migration of acsreview's apps")
    if unknown := State(connection).unknown(wanted):
        raise BackupError(
            f"the backup was made by a newer acsreview ({manifest.get('acsreview_version')}; "
            f"migration {'.'.join(unknown[0])} is unknown here): upgrade acsreview first")
    call_command("migrate", database=using, interactive=False, verbosity=0)
    state = State(connection)
    older = wanted != state.nodes(labels)
    if older:
        # Load it at its own schema, then migrate forward. Only into an empty database:
        # going back on a database with data could lose some.
        held = holdings(carried_tables(state.apps(state.nodes(labels))), using)
        if held:
            raise BackupError(_not_empty(held, "this backup is older than the database's "
                                         "schema: restore it into an empty database"))
        MigrationExecutor(connection).migrate(
            state.leaves(wanted) + [(app, None) for app in labels
                                    if app not in {a for a, _ in wanted}
                                    and state.nodes({app})])
        state = State(connection)
        if state.nodes(labels) != wanted:
            raise BackupError("cannot take the database back to the backup's migrations: "
                              "restore it with the acsreview version that made it, then upgrade")
    tables = carried_tables(state.apps(wanted))
    try:
        with transaction.atomic(using=using):
            if not replace and (held := holdings(tables, using)):
                raise BackupError(_not_empty(held, "add --replace to wipe it first"))
            rows = _load(manifest, Path(path), tables, connection, progress)
    except DatabaseError as exc:
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise BackupError(f"the data did not load ({message}): nothing was restored") from None
    if older:
        try:
            call_command("migrate", database=using, interactive=False, verbosity=0)
        except Exception as exc:
            raise BackupError(f"restored at the backup's schema, but migrating it forward "
                              f"failed ({exc}): run `acsreview manage migrate`") from exc
    return Restored(manifest, rows, older)


def _not_empty(held: dict[str, int], advice: str) -> str:
    some = ", ".join(f"{table} {count}" for table, count in sorted(held.items())[:3])
    more = ", ..." if len(held) > 3 else ""
    return f"the database is not empty (rows in {some}{more}): {advice}"


def _load(manifest: dict, path: Path, tables: list[Table], connection,
          progress: Progress | None) -> int:
    by_label = {t.label: t for t in tables}
    entries = manifest["tables"]
    for entry in entries:
        table = by_label.get(entry["table"])
        if table is None:
            raise BackupError(f"the backup has a table {entry['table']} this acsreview does "
                              "not know")
        if set(entry["columns"]) != set(table.columns):
            raise BackupError(f"table {entry['table']}: the backup's columns "
                              f"{sorted(set(entry['columns']) ^ set(table.columns))} do not "
                              "match this database's")
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in reversed(tables):  # wipe: foreign keys are checked at the end
            cursor.execute(f"DELETE FROM {quote(table.model._meta.db_table)}")  # noqa: S608
        if "django_session" in connection.introspection.table_names(cursor):
            cursor.execute("DELETE FROM django_session")  # sessions of people now gone

    ids = _ids(tables[0].model._meta.apps, connection.alias)
    total, done = manifest.get("rows") or sum(e["rows"] for e in entries), 0
    with zipfile.ZipFile(path) as archive:
        for entry in entries:
            table = by_label[entry["table"]]
            with archive.open(entry["file"]) as data:
                lines = io.TextIOWrapper(data, encoding="utf-8")
                count = 0
                for batch in _batches(lines, table, entry["columns"], ids, connection):
                    count += len(batch)
                    done += len(batch)
                    if progress is not None:
                        progress(done, total)
            if count != entry["rows"]:
                raise BackupError(f"{entry['file']} has {count} rows, its manifest says "
                                  f"{entry['rows']}")

    connection.check_constraints(table_names=[t.model._meta.db_table for t in tables])
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [t.model for t in tables]):
            cursor.execute(sql)
    for entry in entries:
        found = by_label[entry["table"]].model._base_manager.using(connection.alias).count()
        if found != entry["rows"]:
            raise BackupError(f"table {entry['table']} has {found} rows after the restore, "
                              f"the backup {entry['rows']}")
    return done


def _ids(state_apps, using: str):
    """Resolves the natural keys of content types and permissions to this database's ids."""
    content_type = state_apps.get_model("contenttypes", "ContentType")
    permission = state_apps.get_model("auth", "Permission")
    types = {(app, model): pk for pk, app, model in content_type._base_manager.using(using)
             .values_list("pk", "app_label", "model")}
    perms = {(code, app, model): pk for pk, code, app, model in permission._base_manager
             .using(using).values_list("pk", "codename", "content_type__app_label",
                                       "content_type__model")}

    def content_type_id(key):
        key = tuple(key)
        if key not in types:  # a model gone since: keep the reference, as Django would
            types[key] = content_type._base_manager.using(using).create(
                app_label=key[0], model=key[1]).pk
        return types[key]

    def permission_id(key):
        key = tuple(key)
        if key not in perms:
            perms[key] = permission._base_manager.using(using).create(
                codename=key[0], name=key[0][:255],
                content_type_id=content_type_id(key[1:])).pk
        return perms[key]

    return {"contenttypes.contenttype": content_type_id, "auth.permission": permission_id}


def _batches(lines, table: Table, columns: list[str], ids: dict, connection):
    """Insert the rows of ``lines`` into ``table``, CHUNK at a time; yields each batch."""
    fields = {f.attname: f for f in table.model._meta.concrete_fields}
    steps = []
    for column in columns:
        field = fields[column]
        natural = _natural(field.related_model) if field.is_relation else None
        steps.append((natural and ids[natural], _decoder(field), field))
    quote = connection.ops.quote_name
    # Many rows per INSERT, as many as the database takes parameters for.
    per_statement = max(1, min(CHUNK, (connection.features.max_query_params or 1 << 30)
                               // len(columns)))
    head = (f"INSERT INTO {quote(table.model._meta.db_table)} "  # noqa: S608
            f"({', '.join(quote(fields[c].column) for c in columns)}) VALUES ")
    one = f"({', '.join(['%s'] * len(columns))})"

    def prepare(row: list) -> list:
        values = []
        for value, (resolve, decode, field) in zip(row, steps, strict=True):
            if value is not None:
                if resolve is not None:
                    value = resolve(value)
                elif decode is not None:
                    value = decode(value)
            values.append(field.get_db_prep_save(value, connection))
        return values

    def insert(cursor, batch: list[list]) -> None:
        for start in range(0, len(batch), per_statement):
            rows = batch[start:start + per_statement]
            cursor.execute(head + ", ".join([one] * len(rows)),
                           [value for row in rows for value in row])

    batch = []
    with connection.cursor() as cursor:
        for number, line in enumerate(lines, start=1):
            try:
                row = json.loads(line)
                if len(row) != len(columns):
                    raise ValueError(f"{len(row)} values for {len(columns)} columns")
                batch.append(prepare(row))
            except (ValueError, TypeError) as exc:
                raise BackupError(f"data/{table.label}.jsonl line {number}: {exc}") from None
            if len(batch) == CHUNK:
                insert(cursor, batch)
                yield batch
                batch = []
        if batch:
            insert(cursor, batch)
            yield batch
