"""The restore drill, end to end, with the scripts an operator runs (single-server.md §6).

A scratch PostgreSQL database ``egov_h_ops_drill_<random>`` is migrated and filled through
the project's own commands and services (``drill_app.py seed``); every table's row count,
every sequence and every media file (checksum and mode) is recorded; ``deploy/backup.sh``
writes a backup; the database is dropped and the media folder deleted; ``deploy/restore.sh``
refuses without ``--yes`` and then restores; everything recorded must be back, and the
application must answer (``drill_app.py verify``: system checks against the database, each
attachment row read back from storage with a matching SHA-256).

Only the scratch database is created, dropped and restored (its name is unique per run, so
``-n 2`` is safe); the scripts get an environment file naming it and no other variables of
the test run.  Skipped only when no PostgreSQL server answers (CI has one).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import socket
import stat
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
DRILL_APP = Path(__file__).with_name("drill_app.py")
PREFIX = "egov_h_ops_drill_"
STEP_TIMEOUT = 900  # a hung step fails the test instead of holding the run

COUNT_ROWS = """
SELECT table_name,
       (xpath('/row/c/text()',
              query_to_xml(format('SELECT count(*) AS c FROM %I.%I', table_schema, table_name),
                           false, true, '')))[1]::text
FROM information_schema.tables
WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
ORDER BY table_name;
"""
SEQUENCES = "SELECT sequencename, coalesce(last_value, 0) FROM pg_sequences ORDER BY 1;"


def _server() -> dict[str, str]:
    """Where the PostgreSQL server is: DATABASE_URL's host and credentials when it names
    PostgreSQL, else postgres@127.0.0.1:5432."""
    url = os.environ.get("DATABASE_URL", "")
    parts = urlsplit(url)
    if parts.scheme in {"postgres", "postgresql", "pgsql", "psql", "postgis"}:
        return {
            "host": unquote(parts.hostname or "127.0.0.1"),
            "port": str(parts.port or 5432),
            "user": unquote(parts.username or "postgres"),
            "password": unquote(parts.password or ""),
        }
    return {"host": "127.0.0.1", "port": "5432", "user": "postgres", "password": ""}


def _server_answers(server: dict[str, str]) -> bool:
    try:
        with socket.create_connection((server["host"], int(server["port"])), timeout=3):
            return True
    except OSError:
        return False


def _url(server: dict[str, str], database: str) -> str:
    auth = quote(server["user"], safe="")
    if server["password"]:
        auth += ":" + quote(server["password"], safe="")
    host = f"[{server['host']}]" if ":" in server["host"] else server["host"]
    return f"postgresql://{auth}@{host}:{server['port']}/{database}"


def _clean_env(**extra: str) -> dict[str, str]:
    """The test run's environment without anything that names a database, a cache, a broker
    or storage (a developer's DATABASE_URL must never reach the scripts)."""
    drop = ("DATABASE", "CACHE_URL", "CELERY_", "EGOV_", "DJANGO_", "PG", "EMAIL_URL")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    env.update(extra)
    return env


def _run(
    command: list[str], env: dict[str, str], *, check: bool = True, stdin: str | None = None
) -> str:
    done = subprocess.run(
        command,
        env=env,
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT,
        check=False,
    )
    if check and done.returncode != 0:
        pytest.fail(
            f"{' '.join(command)} exited {done.returncode}\n"
            f"--- stdout ---\n{done.stdout[-4000:]}\n--- stderr ---\n{done.stderr[-4000:]}"
        )
    return done.stdout


class Server:
    """psql as the server's (admin) user, on the maintenance database or the scratch one.
    SQL goes on standard input with psql variables (``:'name'``, ``:"name"``) for names."""

    def __init__(self, server: dict[str, str]) -> None:
        self.env = _clean_env(PGHOST=server["host"], PGPORT=server["port"], PGUSER=server["user"])
        if server["password"]:
            self.env["PGPASSWORD"] = server["password"]

    def query(
        self, sql: str, database: str = "postgres", **variables: str
    ) -> list[tuple[str, ...]]:
        command = ["psql", "-X", "-q", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-d", database]
        for name, value in variables.items():
            command += ["-v", f"{name}={value}"]
        out = _run(command, self.env, stdin=sql)
        return [tuple(line.split("\t")) for line in out.splitlines() if line]

    def exists(self, database: str) -> bool:
        sql = "SELECT 1 FROM pg_database WHERE datname = :'name';"
        return bool(self.query(sql, name=database))


def _media_snapshot(root: Path) -> dict[str, tuple[str, int, str]]:
    """Every folder and file under ``root``: kind, permission bits, SHA-256 (files)."""
    snapshot: dict[str, tuple[str, int, str]] = {}
    for path in sorted(root.rglob("*")):
        mode = stat.S_IMODE(path.lstat().st_mode)
        relative = path.relative_to(root).as_posix()
        if path.is_dir():
            snapshot[relative] = ("dir", mode, "")
        else:
            snapshot[relative] = ("file", mode, hashlib.sha256(path.read_bytes()).hexdigest())
    return snapshot


@pytest.fixture
def scratch_database():
    server = _server()
    if not _server_answers(server):
        pytest.skip(
            f"no PostgreSQL server answers at {server['host']}:{server['port']}: the restore "
            "drill needs one (CI starts it)"
        )
    admin = Server(server)
    name = f"{PREFIX}{secrets.token_hex(5)}"
    assert not admin.exists(name)
    admin.query("CREATE DATABASE :\"name\" ENCODING 'UTF8' TEMPLATE template0;", name=name)
    try:
        yield server, admin, name
    finally:
        assert name.startswith(PREFIX)
        admin.query('DROP DATABASE IF EXISTS :"name" WITH (FORCE);', name=name)


def test_backup_wipe_restore_brings_every_row_and_file_back(scratch_database, tmp_path):
    server, admin, name = scratch_database
    media = tmp_path / "media"
    media.mkdir()
    database_url = _url(server, name)
    app_env = _clean_env(
        DJANGO_SETTINGS_MODULE="egov.conf.dev",
        DATABASE_URL=database_url,
        EGOV_MEDIA_ROOT=str(media),
        EGOV_STORAGE="local",
        # Set empty so that a developer's .env cannot switch them on: database cache,
        # eager tasks, console e-mail and SMS.
        CACHE_URL="",
        CELERY_BROKER_URL="",
        EMAIL_URL="consolemail://",
        EGOV_SMS_BACKEND="console",
        EGOV_SMS_FALLBACK_BACKEND="",
        LOG_LEVEL="WARNING",
    )
    env_file = tmp_path / "egov.env"
    env_file.write_text(
        "# the drill's environment file, as /etc/egov/egov.env on a server\n"
        f"DATABASE_URL={database_url}\n"
        f'EGOV_MEDIA_ROOT="{media}"\n'
        "EGOV_STORAGE=local\n",
        encoding="utf-8",
    )
    script_env = _clean_env()
    backups = tmp_path / "backups"

    # 1. A real installation: migrated, with units, the demo, dossiers and files on disk.
    seeded = json.loads(
        _run([sys.executable, str(DRILL_APP), "seed"], app_env).strip().splitlines()[-1]
    )
    print(f"restore drill, CPU seconds of the seeding steps: {seeded['cpu_seconds']}")
    assert seeded["dossiers"] >= 10 and seeded["attachments"] >= 5
    rows_before = admin.query(COUNT_ROWS, name)
    sequences_before = admin.query(SEQUENCES, name)
    files_before = _media_snapshot(media)
    counts = dict(rows_before)
    assert int(counts["dossiers_dossier"]) == seeded["dossiers"]
    assert int(counts["attachments_attachment"]) == seeded["attachments"]
    assert int(counts["django_migrations"]) > 100
    assert sum(1 for kind, _mode, _sum in files_before.values() if kind == "file") >= 9
    for folder in ("attachments", "images", "original_images", "documents"):
        assert files_before[folder][0] == "dir"

    # 2. The nightly backup.
    _run(
        [str(DEPLOY / "backup.sh"), "--env-file", str(env_file), "--dest", str(backups)],
        script_env,
    )
    (folder,) = [p for p in backups.iterdir() if p.name.startswith("egov-")]
    assert sorted(p.name for p in folder.iterdir()) == [
        "SHA256SUMS",
        "backup.info",
        "database.dump",
        "media.sha256",
        "media.tar",
    ]
    assert f"database={name}" in (folder / "backup.info").read_text(encoding="utf-8")

    # 3. The disaster: the database and the files are gone.
    admin.query('DROP DATABASE :"name";', name=name)
    shutil.rmtree(media)
    assert not admin.exists(name) and not media.exists()

    # 4. The restore refuses without --yes and touches nothing; then restores.
    restore = [
        str(DEPLOY / "restore.sh"),
        "--env-file",
        str(env_file),
        "--admin-url",
        _url(server, "postgres"),
        str(folder),
    ]
    refused = subprocess.run(
        restore, env=script_env, capture_output=True, text=True, timeout=60, check=False
    )
    assert refused.returncode == 2, refused.stderr
    assert "--yes" in refused.stderr
    assert not admin.exists(name) and not media.exists()
    _run([*restore[:-1], "--yes", restore[-1]], script_env)

    # 5. Every row, every sequence, every file (content and mode) is back.
    assert admin.query(COUNT_ROWS, name) == rows_before
    assert admin.query(SEQUENCES, name) == sequences_before
    assert _media_snapshot(media) == files_before

    # 6. The application answers on the restored database and finds its files.
    verified = json.loads(
        _run([sys.executable, str(DRILL_APP), "verify"], app_env).strip().splitlines()[-1]
    )
    assert verified == {"dossiers": seeded["dossiers"], "attachments": seeded["attachments"]}


def test_restore_refuses_a_damaged_backup_before_touching_anything(tmp_path):
    """A backup whose checksums do not match is refused before the database is dropped:
    no PostgreSQL is needed to show it, the script stops at the checksum step."""
    folder = tmp_path / "egov-20260101T000000Z"
    folder.mkdir()
    for file, content in {
        "database.dump": b"dump",
        "media.tar": b"tar",
        "media.sha256": b"",
        "backup.info": b"created_at=2026-01-01T00:00:00Z\n",
    }.items():
        (folder / file).write_bytes(content)
    sums = "".join(
        f"{hashlib.sha256((folder / f).read_bytes()).hexdigest()}  {f}\n"
        for f in ("database.dump", "media.tar", "media.sha256", "backup.info")
    )
    (folder / "SHA256SUMS").write_text(sums, encoding="utf-8")
    (folder / "database.dump").write_bytes(b"damaged")
    env_file = tmp_path / "egov.env"
    env_file.write_text(
        f"DATABASE_URL=postgres://nobody@127.0.0.1:1/{PREFIX}never\n"
        f"EGOV_MEDIA_ROOT={tmp_path / 'media'}\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [str(DEPLOY / "restore.sh"), "--yes", "--env-file", str(env_file), str(folder)],
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "checksums do not match" in done.stderr
    assert not (tmp_path / "media").exists()
