"""`acsreview backup` and `restore`: a whole database round-trips losslessly, also from
SQLite to PostgreSQL; a damaged, newer or misdirected file changes nothing.

The round trips run `acsreview` in subprocesses against scratch databases of their own,
so that they prove the same thing whichever database the suite itself runs on.
"""

import hashlib
import json
import os
import sqlite3
import stat
import subprocess
import sys
import zipfile

import pytest

from acsreview.web.backup import BackupError, create_backup, read_manifest, restore_backup

# Never in a backup: made by `migrate`, or not to travel (sessions, sign-in attempts with IPs).
NOT_CARRIED = {"django_session", "django_migrations", "django_content_type", "auth_permission",
               "sqlite_sequence"}


# --- helpers -------------------------------------------------------------------------------

def app_env(data_dir, database_url=None):
    """A fresh user's shell: none of the test run's Django settings."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "ACSREVIEW_DEMO", "DJANGO_SETTINGS_MODULE"}}
    env["ACSREVIEW_DATA_DIR"] = str(data_dir)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def acsreview(env, *args, ok=True):
    result = subprocess.run([sys.executable, "-m", "acsreview", *map(str, args)], env=env,
                            capture_output=True, text=True, timeout=600)
    if ok:
        assert result.returncode == 0, result.stderr
    return result


def export_document(env, path):
    """The JSON export of every review, without the moment it was made."""
    acsreview(env, "export", "--format", "json", "-o", path)
    document = json.loads(path.read_text(encoding="utf-8"))
    document.pop("created")
    return document


def sorted_rows(document):
    """An export with the rows of each table in a fixed order."""
    tables = {name: {**table, "rows": sorted(table["rows"],
                                             key=lambda r: json.dumps(r, sort_keys=True))}
              for name, table in document["tables"].items()}
    return {**document, "tables": tables}


def sqlite_tables(path):
    """{table: sorted rows} of every table a backup must carry, read without Django."""
    with sqlite3.connect(path) as db:
        names = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
                 if n not in NOT_CARRIED and not n.startswith("axes_")]
        return {n: sorted(db.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr)  # noqa: S608
                for n in names}


def manifest_of(path):
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("manifest.json"))


def backup_rows(path):
    """{table: [row, ...]} of a backup, parsed (JSON objects compare whatever their key order)."""
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        return {e["table"]: (e["columns"], [json.loads(line) for line in
                                            archive.read(e["file"]).splitlines()])
                for e in manifest["tables"]}


def rewrite(source, target, change_manifest=None, change_data=None):
    """A copy of the backup ``source`` with its manifest or one data file changed."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        manifest = json.loads(old.read("manifest.json"))
        for entry in manifest["tables"]:
            data = old.read(entry["file"])
            if change_data and entry["table"] == change_data[0]:
                data = change_data[1](data)
            new.writestr(entry["file"], data)
        if change_manifest:
            change_manifest(manifest)
        new.writestr("manifest.json", json.dumps(manifest))
    return target


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """A SQLite database with the demo, its JSON export, and a backup of it."""
    root = tmp_path_factory.mktemp("demo-source")
    env = app_env(root / "data")
    acsreview(env, "demo")
    before = export_document(env, root / "before.json")
    result = acsreview(env, "backup", "-o", root / "demo.zip")
    assert result.stdout.startswith(f"wrote {root / 'demo.zip'}: ")
    return {"root": root, "env": env, "export": before, "backup": root / "demo.zip",
            "db": root / "data" / "acsreview.sqlite3"}


# --- lossless round trips ------------------------------------------------------------------

def test_a_restore_into_an_empty_database_gives_the_same_data_and_exports(demo, tmp_path):
    env = app_env(tmp_path / "data")
    result = acsreview(env, "restore", demo["backup"])
    assert result.stdout.startswith(f"restored {demo['backup']}: ")

    assert export_document(env, tmp_path / "after.json") == demo["export"]
    before, after = sqlite_tables(demo["db"]), sqlite_tables(tmp_path / "data" /
                                                             "acsreview.sqlite3")
    assert {t: len(rows) for t, rows in after.items()} == {
        t: len(rows) for t, rows in before.items()}
    assert after == before  # every row of every table, ids and password hashes included
    for table in ("accounts_user", "reviews_auditevent", "reviews_answer",
                  "consultations_response", "consultations_responseanswer",
                  "reviews_actionitem", "reviews_measurestat"):
        assert after[table], f"the demo has no {table}: the test proves nothing about it"
    assert all(row[1].startswith(("pbkdf2_", "argon2", "bcrypt", "scrypt"))
               for row in after["accounts_user"] if row[1])


def test_a_sqlite_backup_restores_into_postgresql_losslessly(demo, scratch_postgres, tmp_path):
    import psycopg

    env = app_env(tmp_path / "data", scratch_postgres)
    acsreview(env, "restore", demo["backup"])

    # The same rows; the consultation figures come in the order the database returns the
    # answers (an unordered query), which PostgreSQL need not keep: compare them sorted.
    after = export_document(env, tmp_path / "after.json")
    assert after.keys() == demo["export"].keys()
    assert sorted_rows(after) == sorted_rows(demo["export"])
    with psycopg.connect(scratch_postgres) as db:
        counts = {table: db.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608
                  .fetchone()[0] for table in sqlite_tables(demo["db"])}
    assert counts == {t: len(rows) for t, rows in sqlite_tables(demo["db"]).items()}
    # Backed up again from PostgreSQL, every value of every row is the same.
    acsreview(env, "backup", "-o", tmp_path / "again.zip")
    assert backup_rows(tmp_path / "again.zip") == backup_rows(demo["backup"])
    # New rows get new ids: the sequences were moved past the restored ones.
    acsreview(env, "createuser", "new.person@example.org", "--role", "coordinator")


def test_an_older_backup_is_restored_at_its_schema_then_migrated_forward(tmp_path):
    from django.db.migrations.loader import MigrationLoader

    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    (app, last), = graph.leaf_nodes("reviews")
    previous = max(parent.key for parent in graph.node_map[(app, last)].parents
                   if parent.key[0] == app)
    old = app_env(tmp_path / "old")
    acsreview(old, "manage", "migrate", "-v0")
    acsreview(old, "createuser", "lead@example.org", "--role", "lead", "--jurisdiction", "PT")
    acsreview(old, "manage", "migrate", app, previous[1], "-v0")
    acsreview(old, "backup", "-o", tmp_path / "old.zip")
    assert last not in manifest_of(tmp_path / "old.zip")["migrations"]["reviews"]

    new = app_env(tmp_path / "new")
    result = acsreview(new, "restore", tmp_path / "old.zip")
    assert result.stdout.rstrip().endswith("then migrated forward")
    with sqlite3.connect(tmp_path / "new" / "acsreview.sqlite3") as db:
        assert db.execute("SELECT email FROM accounts_user").fetchall() == [
            ("lead@example.org",)]
        assert db.execute("SELECT count(*) FROM django_migrations WHERE app=? AND name=?",
                          (app, last)).fetchone() == (1,)


# --- the file ------------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_manifest_describes_every_table_and_the_file_is_private(cast, tmp_path):
    from django.apps import apps

    manifest = create_backup(tmp_path / "backup.zip")
    assert manifest == read_manifest(tmp_path / "backup.zip")
    assert stat.S_IMODE((tmp_path / "backup.zip").stat().st_mode) == 0o600
    assert manifest["format"] == "acsreview-backup" and manifest["format_version"] == 1
    assert {"acsreview_version", "created_at", "database"} <= manifest.keys()
    assert "0001_initial" in manifest["migrations"]["reviews"]
    rows = {entry["table"]: entry["rows"] for entry in manifest["tables"]}
    assert rows["accounts.user"] == 5 and rows["reviews.review"] == 2
    for label, count in rows.items():
        assert apps.get_model(label)._base_manager.count() == count
    assert not {"sessions.session", "contenttypes.contenttype", "auth.permission"} & rows.keys()
    assert not any(label.startswith("axes.") for label in rows)
    digest = hashlib.sha256()
    with zipfile.ZipFile(tmp_path / "backup.zip") as archive:
        for entry in manifest["tables"]:
            digest.update(archive.read(entry["file"]))
    assert digest.hexdigest() == manifest["sha256"]


@pytest.mark.django_db
def test_a_backup_that_fails_midway_leaves_no_file(cast, tmp_path):
    def interrupted(done, total):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        create_backup(tmp_path / "backup.zip", progress=interrupted)
    assert list(tmp_path.iterdir()) == []


def test_a_backup_into_a_missing_folder_is_a_one_line_error(cli, tmp_path, db):
    result = cli("backup", "-o", tmp_path / "nowhere" / "backup.zip")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"error: {tmp_path / 'nowhere' / 'backup.zip'}: the folder "
        f"{tmp_path / 'nowhere'} does not exist"]


# --- restore refuses, and then changes nothing ---------------------------------------------

@pytest.mark.django_db
def test_restore_refuses_a_database_that_holds_data(cli, cast, tmp_path):
    from acsreview.web.accounts.models import User

    create_backup(tmp_path / "backup.zip")
    User.objects.create_user("late@example.org")
    result = cli("restore", tmp_path / "backup.zip")
    assert result.exit_code == 1
    message, = result.stderr.strip().splitlines()
    assert message.startswith(f"error: {tmp_path / 'backup.zip'}: the database is not empty "
                              "(rows in accounts.user 6")
    assert message.endswith("add --replace to wipe it first")
    assert User.objects.filter(email="late@example.org").exists()


@pytest.mark.django_db
def test_replace_wipes_and_restores_the_demo_in_one_go(tmp_path):
    from acsreview.reports.exports import export
    from acsreview.web.accounts.models import User
    from acsreview.web.demo import load_demo
    from acsreview.web.reviews.models import Answer, Review

    load_demo()

    def exported(name):
        reviews = list(Review.objects.select_related("jurisdiction")
                       .order_by("jurisdiction__code", "round"))
        document = json.loads(export(reviews, "json", tmp_path / name).read_text())
        document.pop("created")
        return document

    before = exported("before.json")
    manifest = create_backup(tmp_path / "backup.zip")
    User.objects.create_user("late@example.org")
    Answer.objects.filter(review__slug="XA-2026").delete()

    restored = restore_backup(tmp_path / "backup.zip", replace=True)
    assert restored.rows == manifest["rows"] and not restored.migrated_forward
    assert exported("after.json") == before
    assert not User.objects.filter(email="late@example.org").exists()
    assert create_backup(tmp_path / "again.zip")["sha256"] == manifest["sha256"]


@pytest.mark.django_db
def test_a_failed_load_changes_nothing(cast, tmp_path):
    from acsreview.web.accounts.models import User

    create_backup(tmp_path / "backup.zip")

    def orphan(columns, lines):  # one more membership, of a person the file does not hold
        row = json.loads(lines[0])
        row[columns.index("id")], row[columns.index("user_id")] = 999_999, 999_999
        return [*lines, json.dumps(row)]

    bad = doctor(tmp_path / "backup.zip", tmp_path / "bad.zip", "reviews.membership", orphan)
    users = sorted(User.objects.values_list("email", flat=True))
    with pytest.raises(BackupError, match=r"^the data did not load \(.*\): nothing was restored"):
        restore_backup(bad, replace=True)
    assert sorted(User.objects.values_list("email", flat=True)) == users


def doctor(source, target, table, edit):
    """A copy of a backup with ``table``'s lines edited and its checksums made right again,
    to get past the file check: ``edit(columns, lines) -> lines``."""
    with zipfile.ZipFile(source) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        data = {e["file"]: archive.read(e["file"]) for e in manifest["tables"]}
    overall = hashlib.sha256()
    for entry in manifest["tables"]:
        if entry["table"] == table:
            lines = edit(entry["columns"], data[entry["file"]].decode().splitlines())
            data[entry["file"]] = "".join(f"{line}\n" for line in lines).encode()
            manifest["rows"] += len(lines) - entry["rows"]
            entry["rows"] = len(lines)
        entry["sha256"] = hashlib.sha256(data[entry["file"]]).hexdigest()
        overall.update(data[entry["file"]])
    manifest["sha256"] = overall.hexdigest()
    with zipfile.ZipFile(target, "w") as archive:
        for name, content in data.items():
            archive.writestr(name, content)
        archive.writestr("manifest.json", json.dumps(manifest))
    return target


@pytest.mark.django_db
@pytest.mark.parametrize(("change", "message"), [
    ("data", "data/reviews.review.jsonl does not match its checksum: the file is damaged"),
    ("format", "backup format 2 is newer than this acsreview reads (1): upgrade acsreview "
               "(the file was made by 0.1.0)"),
    ("migration", "the backup was made by a newer acsreview (0.1.0; migration "
                  "reviews.9999_from_the_future is unknown here): upgrade acsreview first"),
    ("not a zip", "not a readable acsreview backup (File is not a zip file)"),
    ("no manifest", "not an acsreview backup (it has no manifest.json)"),
])
def test_a_damaged_or_newer_file_is_refused_in_one_line(cli, cast, tmp_path, change, message):
    from acsreview.web.accounts.models import User

    create_backup(tmp_path / "backup.zip")
    bad = tmp_path / "bad.zip"
    if change == "data":
        rewrite(tmp_path / "backup.zip", bad, change_data=(
            "reviews.review", lambda data: data.replace(b"XA-2026", b"XA-2027")))
    elif change == "format":
        rewrite(tmp_path / "backup.zip", bad, lambda m: m.update(format_version=2))
    elif change == "migration":
        rewrite(tmp_path / "backup.zip", bad,
                lambda m: m["migrations"]["reviews"].append("9999_from_the_future"))
    elif change == "not a zip":
        bad.write_text("hello")
    else:
        with zipfile.ZipFile(bad, "w") as archive:
            archive.writestr("data/x.jsonl", "")
    User.objects.all().delete()  # an empty database: the file alone is at fault
    result = cli("restore", "--replace", bad)
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [f"error: {bad}: {message}"]
    assert not User.objects.exists()
